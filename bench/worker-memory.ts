/**
 * The worker's resident memory against the case workflows in its sticky cache (issue 17), at rest: the cost
 * of a cached case freshly designated (CACHED_CASE_MB in apps/worker/src/memory.ts gives it beside the cost
 * under load, which full `npm run bench` runs measure), kept so it can be run again.
 *
 * Starts a PostgreSQL cluster and an in-memory Temporal dev server of its own, the built worker
 * (dist/apps/worker/src/main.js) with a cache larger than all the cases, then designates cases through
 * the contract in libs/contracts, a step at a time; after each step, once every case's first workflow
 * task and its syncCase activity are done (its row is in rectification_case), it reads the worker's
 * VmRSS from /proc/<pid>/status. The slope of those readings (from the first step on) is the cost of a
 * cached case; their intercept, the worker's base with its activities warm. Everything it started is stopped and removed after.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/worker-memory.js
 *
 * WORKER_MEMORY_CASES (default 1,000) cases in steps of WORKER_MEMORY_STEP (default 200);
 * WORKER_MEMORY_HEAP_MB, when set, is the worker's --max-old-space-size.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { caseIdFor, DEFAULT_POLICY, practiceFor, type Actor, type OrganizationDomain } from '../libs/domain';
import { dataSourceOptions } from '../libs/persistence';
import { runMigrations } from '../libs/persistence/migrate';
import { startRectifyCase } from '../libs/temporal/rectify-case.client';
import { buildDataset } from './dataset';
import { pool } from './pool';

/** The project's root, above the build output this runs from (dist/ or another outDir). */
function projectRoot(dir = __dirname): string {
  if (fs.existsSync(path.join(dir, 'scripts', 'lib', 'proc.js'))) return dir;
  const up = path.dirname(dir);
  if (up === dir) throw new Error(`no scripts/lib above ${__dirname}`);
  return projectRoot(up);
}
const scriptsLib = path.join(projectRoot(), 'scripts', 'lib');
const postgres = require(path.join(scriptsLib, 'postgres'));
const temporal = require(path.join(scriptsLib, 'temporal'));
const proc = require(path.join(scriptsLib, 'proc'));
const { LOG_DIR } = require(path.join(scriptsLib, 'paths'));

const CASES = Number(process.env.WORKER_MEMORY_CASES ?? 1000);
const STEP = Number(process.env.WORKER_MEMORY_STEP ?? 200);
const HEAP_MB = process.env.WORKER_MEMORY_HEAP_MB;
const TASK_QUEUE = 'rectification-worker-memory';
const WORKER_MAIN = path.resolve(__dirname, '../apps/worker/src/main.js');
const READY_LINE = '[worker] polling task queue';
/** Starts in flight at once: the dev server's pace, not the measurement's. */
const CONCURRENCY = 16;
/** After a step: time for the activities' garbage to be collected before the reading. */
const SETTLE_MS = 3000;

interface Reading {
  cases: number;
  rssMb: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** Least squares: rss = base + slope × cases. */
function fit(points: Reading[]): { base: number; slope: number } {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.cases, 0) / n;
  const my = points.reduce((s, p) => s + p.rssMb, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.cases - mx) * (p.rssMb - my), 0);
  const sxx = points.reduce((s, p) => s + (p.cases - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { base: my - slope * mx, slope };
}

async function waitFor(what: string, done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

function startWorker(env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const out = fs.openSync(logFile, 'w');
  const args = [...(HEAP_MB ? [`--max-old-space-size=${HEAP_MB}`] : []), WORKER_MAIN];
  return spawn(process.execPath, args, { env, stdio: ['ignore', out, out], detached: true });
}

async function main(): Promise<void> {
  if (!fs.existsSync(WORKER_MAIN)) throw new Error(`${WORKER_MAIN} is missing: build first (npx tsc -p tsconfig.build.json)`);
  const started = Date.now();
  const stack: { name: string; stop: () => unknown }[] = [];
  const readings: Reading[] = [];
  try {
    proc.log('starting a PostgreSQL cluster and an in-memory Temporal dev server of their own');
    const pg = await postgres.startDedicatedCluster('worker-memory');
    stack.push({ name: 'PostgreSQL', stop: pg.remove });
    const dbName = `rectification_worker_memory_${started}`;
    await postgres.ensureDatabase(postgres.withDatabase(pg.url, 'postgres'), dbName);
    const databaseUrl: string = postgres.withDatabase(pg.url, dbName);
    await runMigrations(databaseUrl);
    const dev = await temporal.startDevServer({ ui: false, logName: 'worker-memory-temporal' });
    stack.push({ name: 'Temporal dev server', stop: dev.stop });

    const ds = new DataSource(dataSourceOptions(databaseUrl));
    await ds.initialize();
    stack.push({ name: 'database connection', stop: () => ds.destroy() });
    const townships = 10;
    const dataset = await buildDataset(ds, { counties: 1, townshipsPerCounty: townships, villagesPerTownship: Math.ceil(CASES / townships) }, `WM${started % 100000}`);
    const county = dataset.counties[0];
    const orgs: { id: string; name: string; domain: OrganizationDomain; region_id: string; township_id: string; county_id: string }[] = await ds.query(
      `SELECT id, name, domain, region_id, township_id, county_id FROM organization WHERE county_id = $1 ORDER BY id LIMIT $2`,
      [county.id, CASES],
    );
    const admin: Actor = { id: county.adminId, name: '县委组织部基准', role: 'county_org_admin' };

    fs.mkdirSync(LOG_DIR, { recursive: true });
    const logFile = path.join(LOG_DIR, `worker-memory-${started}.log`);
    const worker = startWorker(
      {
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: dev.address,
        TEMPORAL_TASK_QUEUE: TASK_QUEUE,
        JWT_SECRET: `worker-memory-${started}-0123456789abcdef0123456789`,
        // Larger than all the cases: every one stays cached, none is evicted and replayed.
        WORKER_MAX_CACHED_WORKFLOWS: String(CASES + 100),
      },
      logFile,
    );
    stack.push({ name: 'worker', stop: () => proc.stopChild(worker) });
    await waitFor('the worker polling', async () => fs.readFileSync(logFile, 'utf8').includes(READY_LINE), 120_000);
    await sleep(SETTLE_MS);
    const pid = worker.pid as number;
    readings.push({ cases: 0, rssMb: rssMb(pid) });
    proc.log(`worker idle: ${readings[0].rssMb.toFixed(0)} MB (log ${logFile})`);

    const connection = await Connection.connect({ address: dev.address });
    stack.push({ name: 'client connection', stop: () => connection.close() });
    const client = new Client({ connection });
    const casesDone = async (n: number) => Number((await ds.query(`SELECT count(*) AS n FROM rectification_case`))[0].n) >= n;
    for (let from = 0; from < orgs.length; from += STEP) {
      const step = orgs.slice(from, from + STEP);
      await pool(
        step,
        CONCURRENCY,
        async (org) => {
          await startRectifyCase(client, TASK_QUEUE, {
            caseId: caseIdFor(org.id, 2030),
            organization: { id: org.id, name: org.name, townshipId: org.township_id, countyId: org.county_id, regionId: org.region_id, domain: org.domain },
            batchYear: 2030,
            reasons: ['C1'],
            note: '内存测量',
            designatedBy: admin,
            designatedAt: new Date().toISOString(),
            policy: DEFAULT_POLICY,
            practice: practiceFor(DEFAULT_POLICY, org.domain),
          });
        },
        () => undefined,
      );
      const cases = from + step.length;
      await waitFor(`${cases} cases projected`, () => casesDone(cases), 300_000);
      await sleep(SETTLE_MS);
      readings.push({ cases, rssMb: rssMb(pid) });
      proc.log(`${String(cases).padStart(6)} cached cases: ${readings[readings.length - 1].rssMb.toFixed(0)} MB`);
    }
  } finally {
    for (const part of stack.reverse()) {
      try {
        await part.stop();
      } catch (err) {
        proc.log(`could not stop the ${part.name}: ${(err as Error).message}`);
      }
    }
  }
  // From the first step on: the first cases also pay once for what the idle worker has not yet touched
  // (the activities' database pool, code compiled on first use), which is no cached case's cost.
  const { base, slope } = fit(readings.slice(1));
  const peak = Math.max(...readings.map((r) => r.rssMb));
  proc.log(`slope ${slope.toFixed(3)} MB a cached case, intercept ${base.toFixed(0)} MB, idle ${readings[0].rssMb.toFixed(0)} MB, peak ${peak.toFixed(0)} MB over ${CASES} cases`);
  console.log(JSON.stringify({ cases: CASES, step: STEP, heapMb: HEAP_MB ?? null, slopeMbPerCase: slope, baseMb: base, peakMb: peak, readings }));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
