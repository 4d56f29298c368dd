import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { healthOf, roleOf } from '../../libs/health/healthcheck';
import { checkWorkerPolls } from '../../libs/temporal/worker-health';
import { eventually, startHarness, type Harness } from '../support/harness';

/**
 * The containers' HEALTHCHECK (libs/health/healthcheck.ts, run by the Dockerfile and docker-compose.yml).
 * The worker's health: healthy while the worker on this host
 * polls its workflow and activity task queues as the Temporal server reports them; unhealthy when no
 * worker of this host polls, or its last poll is older than a missed long poll.
 */
describe('container health checks', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const check = (over: Partial<Parameters<typeof checkWorkerPolls>[0]> = {}) =>
    checkWorkerPolls({ connection: h.client.connection, namespace: h.config.temporal.namespace, taskQueue: h.config.temporal.taskQueue, host: hostname(), ...over });

  it('is healthy while this host\'s worker polls both task queues', async () => {
    const status = await eventually(async () => {
      const s = await check();
      return s.healthy ? s : undefined;
    }, 30000, 'the worker to poll');
    expect(status.details).toEqual([expect.stringMatching(/^workflow task queue ".+": polled from /), expect.stringMatching(/^activity task queue ".+": polled from /)]);
  });

  it('is unhealthy for a queue no worker of this host polls, or for another host', async () => {
    const nobody = await check({ taskQueue: `${h.config.temporal.taskQueue}-nobody-polls` });
    expect(nobody.healthy).toBe(false);
    expect(nobody.details[0]).toMatch(/no poller from host/);
    const elsewhere = await check({ host: 'another-container' });
    expect(elsewhere.healthy).toBe(false);
  });

  it('is unhealthy once the last poll is older than a missed long poll', async () => {
    const later = new Date(Date.now() + 10 * 60_000);
    const stale = await check({ now: later });
    expect(stale.healthy).toBe(false);
    expect(stale.details.join('\n')).toMatch(/last poll from .+ \d+ s ago/);
  });

  it('tells the worker\'s container from the API\'s by its command, behind Compose\'s init as well', () => {
    expect(roleOf('/sbin/docker-init\0--\0node\0dist/apps/worker/src/main.js\0')).toBe('worker');
    expect(roleOf('node\0dist/apps/worker/src/main.js\0')).toBe('worker');
    expect(roleOf('/sbin/docker-init\0--\0node\0dist/apps/api/src/main.js\0')).toBe('api');
  });

  it('runs the check of each role against the running API and worker', async () => {
    const [workerHealthy, workerWhy] = await healthOf('worker', { ...process.env, TEMPORAL_TASK_QUEUE: h.config.temporal.taskQueue });
    expect(workerHealthy).toBe(true);
    expect(workerWhy).toMatch(/workflow task queue .* polled from .*; activity task queue .* polled from/);
    const [idleHealthy, idleWhy] = await healthOf('worker', { ...process.env, TEMPORAL_TASK_QUEUE: 'no-worker-polls-this' });
    expect(idleHealthy).toBe(false);
    expect(idleWhy).toMatch(/no poller/);

    const server = await h.app.listen(0, '127.0.0.1');
    const port = (server.address() as AddressInfo).port;
    const [apiHealthy, apiWhy] = await healthOf('api', { API_PORT: String(port) });
    expect(apiHealthy).toBe(true);
    expect(apiWhy).toBe(`http://127.0.0.1:${port}/api/health answered 200`);
  });
});
