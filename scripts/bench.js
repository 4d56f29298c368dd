#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run bench`: the province-scale benchmark (bench/province-bench.ts). Installs what is missing,
 * compiles, starts a PostgreSQL cluster of its own, a fresh in-memory Temporal dev server,
 * the worker and the API exactly as `npm start` runs them, then runs the benchmark,
 * which prints its figures as a table, issue 17's targets beside their baselines, and all of it as JSON.
 * Everything it started is stopped and removed after; the last line is the whole run's duration.
 * BENCH_SCALE (default 1) scales the number of cases for a quick look; BENCH_PROFILE=1 writes CPU
 * profiles of the worker and the API (.cpuprofile, for Chrome DevTools) beside the run's logs;
 * BENCH_BURST_WORKERS (default 1) runs that many worker processes for the quarter-start burst.
 * BENCH_ONLY=reads measures the read side alone in a few minutes (its cases written straight into
 * PostgreSQL): no worker then, and its figures go to results-reads.json.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ensureNpmDependencies, build } = require('./lib/npm-deps');
const { log, run, freePort, waitForPort, startDaemon, stopChild, stopStack } = require('./lib/proc');
const { ROOT, DATA_DIR, LOG_DIR } = require('./lib/paths');

const WORKER_READY_LINE = '[worker] polling task queue';
/** BENCH_ONLY=reads: no workflow runs, so no worker (the API still gets its Temporal server). */
const READS_ONLY = process.env.BENCH_ONLY === 'reads';

async function waitForLine(/** @type {string} */ file, /** @type {string} */ needle, /** @type {number} */ timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(needle)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${path.basename(file)} did not show "${needle}" within ${timeoutMs / 1000} s`);
}

/** The postmaster's pid (the first line of postmaster.pid), or '' if it cannot be read. @param {string} pgData */
function postmasterPid(pgData) {
  try {
    return fs.readFileSync(path.join(pgData, 'postmaster.pid'), 'utf8').split('\n')[0].trim();
  } catch {
    return '';
  }
}

async function main() {
  const started = Date.now();
  ensureNpmDependencies();
  const { startDedicatedCluster, ensureDatabase, withDatabase } = require('./lib/postgres');
  const { startDevServer, resolveTemporalCli } = require('./lib/temporal');
  const { ensureTestServer } = require('./lib/test-server');
  resolveTemporalCli();
  const testServer = await ensureTestServer();
  build();

  const stack = stopStack();

  const benchDir = path.join(DATA_DIR, 'bench');
  const runLogDir = path.join(benchDir, `run-${started}`);
  fs.mkdirSync(runLogDir, { recursive: true });
  fs.mkdirSync(LOG_DIR, { recursive: true });
  let status = 0;
  try {
    // A PostgreSQL cluster of its own, removed after: the project's cluster is shared with test runs, and
    // one of them stopping it mid-run (it stops what it started) failed the benchmark's requests with 500.
    log('starting a PostgreSQL cluster of its own for the benchmark');
    const pg = await startDedicatedCluster('bench');
    stack.push({ name: 'PostgreSQL', stop: pg.remove });
    const dbName = `rectification_bench_${started}`;
    await ensureDatabase(withDatabase(pg.url, 'postgres'), dbName);
    const databaseUrl = withDatabase(pg.url, dbName);

    // In memory: with its SQLite file on disk the dev server itself is the bottleneck (about 30 empty
    // workflow starts a second here), which would measure the disk, not the application.
    log('starting a fresh in-memory Temporal dev server for the benchmark');
    // With its metrics: the benchmark counts the server's persistence requests per designation and per action.
    const temporalMetricsPort = await freePort();
    const temporal = await startDevServer({ ui: false, logName: 'bench-temporal', metricsPort: temporalMetricsPort });
    stack.push({ name: 'Temporal dev server', stop: temporal.stop });

    const apiPort = await freePort();
    const env = {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'rectification-bench',
      API_PORT: String(apiPort),
      JWT_SECRET: `bench-secret-${started}-0123456789abcdef0123456789`,
      // The burst's township webhooks post to the benchmark's own receiver, plain http on 127.0.0.1.
      OUTBOUND_ALLOW: 'http://127.0.0.1:*',
      // WORKER_MAX_CACHED_WORKFLOWS passes through from the caller's environment; unset, the SDK's
      // default (about 2,300 here). A cache of all 5,000 cases spared replays, but its 2.5 GB heap
      // slowed the whole run more than they cost (see README).
    };
    log('applying database migrations');
    run(process.execPath, ['dist/libs/persistence/migrate.js'], { cwd: ROOT, env });

    // BENCH_PROFILE=1: CPU profiles of the worker and the API (written when they stop) into the run's folder.
    const profile = process.env.BENCH_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${runLogDir}`] : [];
    const workerLog = path.join(runLogDir, 'worker.log');
    // The worker's V8 heap follows its memory budget, as `npm start` and the compose file start it.
    const workerHeap = [`--max-old-space-size=${/^\d+$/.test(env.WORKER_MEMORY_MB ?? '') ? env.WORKER_MEMORY_MB : 512}`];
    const worker = READS_ONLY ? null : startDaemon(process.execPath, [...profile, ...workerHeap, 'dist/apps/worker/src/main.js'], { logFile: workerLog, env, cwd: ROOT });
    if (worker) {
      stack.push({ name: 'worker', stop: () => stopChild(worker, 20000) });
      await waitForLine(workerLog, WORKER_READY_LINE, 120000);
    }
    const api = startDaemon(process.execPath, [...profile, 'dist/apps/api/src/main.js'], { logFile: path.join(runLogDir, 'api.log'), env, cwd: ROOT });
    stack.push({ name: 'API', stop: () => stopChild(api, 20000) });
    await waitForPort(apiPort, 60000, 'API');

    const resultsFile = path.join(benchDir, READS_ONLY ? 'results-reads.json' : 'results.json');
    log(`running the benchmark (logs of the servers: ${path.relative(ROOT, runLogDir)})`);
    run(process.execPath, ['--enable-source-maps', 'dist/bench/province-bench.js'], {
      cwd: ROOT,
      env: {
        ...env,
        API_URL: `http://127.0.0.1:${apiPort}`,
        API_PID: String(api.pid),
        WORKER_PID: worker ? String(worker.pid) : '',
        // For the CPU each operation costs the Temporal server and PostgreSQL (bench/process-cpu.ts).
        TEMPORAL_PID: String(temporal.child.pid ?? ''),
        POSTGRES_PID: postmasterPid(pg.pgData),
        TEMPORAL_TEST_SERVER_PATH: testServer,
        TEMPORAL_METRICS_URL: `http://127.0.0.1:${temporalMetricsPort}/metrics`,
        BENCH_RESULTS_FILE: resultsFile,
        BENCH_RUN_DIR: runLogDir,
        // The report's "whole npm run bench" row counts from here (install check and build included).
        BENCH_STARTED_AT_MS: String(started),
      },
    });
    log(`done in ${Math.round((Date.now() - started) / 1000)} s; figures also in ${path.relative(ROOT, resultsFile)}`);
  } catch (err) {
    console.error(`[bench] ${err instanceof Error ? err.message : String(err)}`);
    status = 1;
  } finally {
    await stack.stopAll();
  }
  const minutes = (Date.now() - started) / 60000;
  log(`the whole npm run bench, servers stopped: ${minutes.toFixed(1)} min${READS_ONLY ? ' (BENCH_ONLY=reads)' : ` (target ≤ 30 min: ${minutes <= 30 ? '✓' : '✗'})`}`);
  process.exit(status);
}

void main();
