#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm start`: installs what is missing, starts PostgreSQL, the Temporal dev server, the worker and
 * the API, loads the demo county unless it is there (not with DEMO=0 or --no-demo), and prints the URLs. Ctrl-C stops everything;
 * data stays in .data/ for the next start. A worker or API that dies is started again after a back-off
 * (scripts/lib/supervise.js) while PostgreSQL and Temporal stay up; dist/ is rebuilt only when its
 * sources changed (`npm start -- --build` always rebuilds).
 */
const fs = require('node:fs');
const path = require('node:path');
const { ensureNpmDependencies, buildIfChanged } = require('./lib/npm-deps');
const { log, run, freePort, isPortOpen, waitForPort, startDaemon } = require('./lib/proc');
const { supervise, createStack } = require('./lib/supervise');
const { ROOT, LOG_DIR } = require('./lib/paths');

/** The worker prints this once it polls its task queue (apps/worker/src/main.ts). */
const WORKER_READY_LINE = '[worker] polling task queue';

/** Waits until a log file gains a line containing `needle` after this call. */
async function waitForLogLine(/** @type {string} */ file, /** @type {number} */ startSize, /** @type {string} */ needle, /** @type {number} */ timeoutMs, /** @type {() => boolean} */ alive) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').slice(startSize) : '';
    if (text.includes(needle)) return;
    if (!alive()) throw new Error(`${path.basename(file, '.log')} exited during start-up; see ${path.relative(ROOT, file)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${path.basename(file, '.log')} was not ready within ${timeoutMs / 1000} s; see ${path.relative(ROOT, file)}`);
}

async function main() {
  ensureNpmDependencies();
  const { startProjectCluster } = require('./lib/postgres');
  const { startDevServer, persistentDevServerPorts, resolveTemporalCli } = require('./lib/temporal');

  const stack = createStack(log);
  const stopAll = async (/** @type {number} */ code) => {
    if (stack.stopping) return;
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    if (!process.env.TEMPORAL_ADDRESS) resolveTemporalCli(); // builds the CLI on the first run
    buildIfChanged({ force: process.argv.includes('--build') });
    fs.mkdirSync(LOG_DIR, { recursive: true });

    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      const pg = await startProjectCluster();
      databaseUrl = pg.url;
      if (pg.startedHere) stack.add('PostgreSQL', pg.stop);
      log(`PostgreSQL ready at 127.0.0.1:${pg.port}`);
    }

    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    let temporalUiUrl = process.env.TEMPORAL_UI_URL;
    if (!temporalAddress) {
      const ports = await persistentDevServerPorts();
      log(`starting the Temporal dev server on 127.0.0.1:${ports.port} (state in ${path.relative(ROOT, ports.dbFile)})`);
      const temporal = await startDevServer({ dbFile: ports.dbFile, port: ports.port, uiPort: ports.uiPort, logName: 'temporal' });
      stack.add('Temporal dev server', temporal.stop);
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
    }

    const wantedApiPort = Number(process.env.API_PORT || 3000);
    const apiPort = (await isPortOpen(wantedApiPort)) ? await freePort() : wantedApiPort;
    // The metrics endpoints (loopback only), moved like the API's port when another process holds theirs.
    const freeOr = async (/** @type {string | undefined} */ given, /** @type {number} */ wanted) => (given ? given : String((await isPortOpen(wanted)) ? await freePort() : wanted));
    const metricsPort = await freeOr(process.env.METRICS_PORT, 9464);
    const workerMetricsPort = await freeOr(process.env.WORKER_METRICS_PORT, 9465);
    const env = {
      ...process.env,
      NODE_ENV: process.env.NODE_ENV || 'development',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      API_PORT: String(apiPort),
      METRICS_PORT: metricsPort,
      WORKER_METRICS_PORT: workerMetricsPort,
      // JSON lines in the log files; this console shows them pretty (scripts/lib/pretty-logs.js).
      LOG_FORMAT: process.env.LOG_FORMAT || 'json',
      ...(temporalUiUrl ? { TEMPORAL_UI_URL: temporalUiUrl } : {}),
    };

    log('applying database migrations');
    run(process.execPath, ['dist/libs/persistence/migrate.js'], { cwd: ROOT, env });

    /**
     * The worker and the API run supervised: one that dies is started again (same command, no rebuild)
     * after a back-off, and PostgreSQL and Temporal stay up.
     * @param {string} name @param {string} entry @param {string[]} [nodeArgs]
     */
    const startApp = (name, entry, nodeArgs = []) => {
      const logFile = path.join(LOG_DIR, `${name}.log`);
      return stack.addSupervised(
        supervise({
          name,
          log,
          where: path.relative(ROOT, logFile),
          stopGraceMs: 20000,
          start: () => startDaemon(process.execPath, ['--enable-source-maps', ...nodeArgs, entry], { logFile, env, cwd: ROOT }),
        }),
      );
    };
    // A first start that fails (bad configuration, a port in use) stops the stack with its reason
    // instead of restarting in a loop.
    const firstRunAlive = (/** @type {ReturnType<typeof startApp>} */ app) => () => app.restarts === 0 && app.child.exitCode === null && app.child.signalCode === null;
    log('starting the worker');
    const workerLog = path.join(LOG_DIR, 'worker.log');
    const workerLogSize = fs.existsSync(workerLog) ? fs.statSync(workerLog).size : 0;
    // The worker's V8 heap limit is its memory budget (WORKER_MEMORY_MB, apps/worker/src/memory.ts); a bad
    // value gets no flag, and the worker's own check of its configuration names it.
    const workerMemoryMb = process.env.WORKER_MEMORY_MB || '512';
    const workerHeap = /^\d+$/.test(workerMemoryMb) ? [`--max-old-space-size=${workerMemoryMb}`] : [];
    const worker = startApp('worker', 'dist/apps/worker/src/main.js', workerHeap);
    await waitForLogLine(workerLog, workerLogSize, WORKER_READY_LINE, 120000, firstRunAlive(worker));
    log('starting the API');
    const apiApp = startApp('api', 'dist/apps/api/src/main.js');
    await waitForPort(apiPort, 60000, `API (log: ${path.relative(ROOT, path.join(LOG_DIR, 'api.log'))})`, firstRunAlive(apiApp));

    // DEMO=0 or `npm start -- --no-demo`: an empty county list, set up with `npm run admin -- create-county`.
    const withDemo = !process.argv.includes('--no-demo') && !['0', 'false', 'no'].includes(String(process.env.DEMO ?? '').toLowerCase());
    if (withDemo) {
      log('loading the demo county (skipped if already there)');
      run(process.execPath, ['dist/apps/api/src/demo/seed-demo.js'], { cwd: ROOT, env });
    } else {
      log('no demo county (DEMO=0 / --no-demo); create a county with: npm run admin -- create-county --name … --code … --admin-username … --admin-name …');
    }

    const api = `http://127.0.0.1:${apiPort}/api`;
    process.stdout.write(
      [
        '',
        '软弱涣散基层党组织整顿 — running. Press Ctrl-C to stop (data is kept in .data/).',
        `  Dashboard     http://127.0.0.1:${apiPort}/   ${withDemo ? '(sign in as zzb_admin / Demo@2026)' : '(sign in with the account of npm run admin -- create-county)'}`,
        `  API           ${api}`,
        `  Health        ${api}/health`,
        `  OpenAPI docs  ${api}/docs   (JSON: ${api}/docs-json)`,
        `  Temporal UI   ${temporalUiUrl ?? '(not started here)'}`,
        `  Temporal      ${temporalAddress}`,
        `  Metrics       http://127.0.0.1:${metricsPort}/metrics (API)   http://127.0.0.1:${workerMetricsPort}/metrics (worker)`,
        `  Logs          ${path.relative(ROOT, LOG_DIR)}/ (JSON lines; shown below pretty, from info up: LOG_CONSOLE_LEVEL=warn for less)`,
        '',
      ].join('\n'),
    );
    require('./lib/pretty-logs').followLogs(['worker', 'api'].map((name) => ({ name, file: path.join(LOG_DIR, `${name}.log`) })));
  } catch (err) {
    console.error(`[setup] ${err instanceof Error ? err.message : String(err)}`);
    await stopAll(1);
  }
}

void main();
