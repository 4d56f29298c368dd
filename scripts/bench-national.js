#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run bench:national`: the read side at national scale (bench/national-bench.ts, issue 17).
 * Installs what is missing, compiles, starts a PostgreSQL cluster of its own (beside the project's, which
 * tests and `npm start` stop and start at will; removed after the run), migrates a database in it and
 * starts the API as `npm start` runs it, then runs the benchmark: 500,000 organizations and 50,000 cases
 * written straight into PostgreSQL through the projection code (no workflows, so no Temporal: the API's
 * Temporal connection is lazy and no roll-up touches it), and the roll-ups under load. Prints a table and
 * JSON (.data/bench/national.json). Everything it started is stopped and removed after.
 * BENCH_NATIONAL_SCALE (default 1) scales the organizations and cases; BENCH_NATIONAL_KEEP=1 keeps the
 * cluster and its database (the URL is printed) to look into a query with EXPLAIN ANALYZE afterwards.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ensureNpmDependencies, build } = require('./lib/npm-deps');
const { log, run, freePort, waitForPort, startDaemon, stopChild, stopStack } = require('./lib/proc');
const { ROOT, DATA_DIR, LOG_DIR } = require('./lib/paths');

async function main() {
  const started = Date.now();
  ensureNpmDependencies();
  const { startDedicatedCluster, ensureDatabase, withDatabase } = require('./lib/postgres');
  build();

  const stack = stopStack();

  const benchDir = path.join(DATA_DIR, 'bench');
  const runLogDir = path.join(benchDir, `national-${started}`);
  fs.mkdirSync(runLogDir, { recursive: true });
  fs.mkdirSync(LOG_DIR, { recursive: true });
  let status = 0;
  try {
    const pg = await startDedicatedCluster('bench-national');
    const databaseUrl = withDatabase(pg.url, 'rectification_national');
    await ensureDatabase(withDatabase(pg.url, 'postgres'), 'rectification_national');
    if (process.env.BENCH_NATIONAL_KEEP === '1') log(`keeping the cluster and its database afterwards: ${databaseUrl} (log ${pg.logFile})`);
    else stack.push({ name: 'PostgreSQL', stop: pg.remove });

    const apiPort = await freePort();
    const env = {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      // Nothing listens here: the API connects to Temporal lazily, and the roll-ups never ask it.
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
      API_PORT: String(apiPort),
      JWT_SECRET: `bench-national-secret-${started}-0123456789abcdef0123456789`,
    };
    log('applying database migrations');
    run(process.execPath, ['dist/libs/persistence/migrate.js'], { cwd: ROOT, env });

    const api = startDaemon(process.execPath, ['dist/apps/api/src/main.js'], { logFile: path.join(runLogDir, 'api.log'), env, cwd: ROOT });
    stack.push({ name: 'API', stop: () => stopChild(api, 20000) });
    await waitForPort(apiPort, 60000, 'API', () => api.exitCode === null);

    const resultsFile = path.join(benchDir, 'national.json');
    log(`running the national read-side benchmark (API log: ${path.relative(ROOT, runLogDir)}/api.log)`);
    run(process.execPath, ['--enable-source-maps', 'dist/bench/national-bench.js'], {
      cwd: ROOT,
      env: { ...env, API_URL: `http://127.0.0.1:${apiPort}`, BENCH_RESULTS_FILE: resultsFile },
    });
    log(`done in ${Math.round((Date.now() - started) / 1000)} s; figures also in ${path.relative(ROOT, resultsFile)}`);
  } catch (err) {
    console.error(`[bench:national] ${err instanceof Error ? err.message : String(err)}`);
    status = 1;
  } finally {
    await stack.stopAll();
  }
  process.exit(status);
}

void main();
