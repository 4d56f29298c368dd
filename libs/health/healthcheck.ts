import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { loadConfig } from '../config';
import { TemporalClientConnection } from '../temporal/client-connection';
import { checkWorkerPolls } from '../temporal/worker-health';

/**
 * The image's HEALTHCHECK (Dockerfile; docker-compose.yml runs the same for api and worker): one image
 * runs the API or the worker, so this reads the container's command (/proc/1/cmdline, behind Compose's
 * `init: true` too) and checks the process it runs:
 *   API     GET /api/health on API_PORT: 200 only while PostgreSQL and Temporal answer it
 *   worker  the worker on this host polls its workflow and activity task queues (libs/temporal/worker-health.ts)
 * Exit 0 healthy, 1 unhealthy, with one line saying why.
 */

export type Role = 'api' | 'worker';

/** Which process a container runs, from its PID 1 command line (NUL-separated). */
export function roleOf(cmdline: string): Role {
  return /apps\/worker\/src\/main\.js/.test(cmdline) ? 'worker' : 'api';
}

async function checkApi(env: NodeJS.ProcessEnv): Promise<[boolean, string]> {
  const url = `http://127.0.0.1:${env.API_PORT || 3000}/api/health`;
  const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
  return [res.ok, `${url} answered ${res.status}`];
}

async function checkWorker(env: NodeJS.ProcessEnv): Promise<[boolean, string]> {
  const config = loadConfig('worker', env);
  const connection = await TemporalClientConnection.connect({ address: config.temporal.address, connectTimeout: 4000 });
  try {
    const status = await checkWorkerPolls({ connection: connection.connection, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, host: hostname() });
    return [status.healthy, status.details.join('; ')];
  } finally {
    await connection.close();
  }
}

/** The health of the process of `role`: healthy or not, and why. Throws when it cannot be asked (refused, timed out). */
export function healthOf(role: Role, env: NodeJS.ProcessEnv = process.env): Promise<[boolean, string]> {
  return role === 'worker' ? checkWorker(env) : checkApi(env);
}

/** `node dist/libs/health/healthcheck.js [api|worker]`: the role given, else the container's. */
async function main(): Promise<number> {
  const given = process.argv[2];
  let role: Role;
  if (given === 'api' || given === 'worker') role = given;
  else {
    let cmdline = '';
    try {
      cmdline = readFileSync('/proc/1/cmdline', 'utf8');
    } catch {
      /* not Linux: the API's check */
    }
    role = roleOf(cmdline);
  }
  const [healthy, why] = await healthOf(role);
  process.stdout.write(`${role} ${healthy ? 'healthy' : 'unhealthy'}: ${why}\n`);
  return healthy ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stdout.write(`unhealthy: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
