// @ts-check
'use strict';
/**
 * The Temporal CLI and its dev server. The CLI is resolved from $TEMPORAL_CLI, then the git-ignored
 * tools folder, then PATH, and otherwise built once from the Go module proxy into the tools folder.
 */
const fs = require('node:fs');
const path = require('node:path');
const { log, run, capture, which, freePort, isPortOpen, waitForPort, startDaemon, stopChild } = require('./proc');
const { TOOLS_BIN, TEMPORAL_DATA_DIR, LOG_DIR, DATA_DIR } = require('./paths');

/** v1.6.0 and later carry a `replace` directive in go.mod, which `go install pkg@version` refuses. */
const TEMPORAL_CLI_VERSION = 'v1.5.1';
const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

/**
 * Custom search attributes the case workflow sets; registered at every dev server start.
 * Keep in step with libs/contracts/search-attributes.ts (a unit test compares them).
 */
const SEARCH_ATTRIBUTES = {
  CountyId: 'Keyword',
  TownshipId: 'Keyword',
  BatchYear: 'Int',
  CaseStage: 'Keyword',
};

function resolveTemporalCli() {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`TEMPORAL_CLI points to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const inTools = path.join(TOOLS_BIN, 'temporal');
  if (fs.existsSync(inTools)) return inTools;
  const onPath = which('temporal');
  if (onPath) return onPath;
  return buildTemporalCli();
}

function buildTemporalCli() {
  const go = which('go') || (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) throw new Error('The temporal CLI is missing and Go is not installed to build it (set TEMPORAL_CLI, or install Go)');
  fs.mkdirSync(TOOLS_BIN, { recursive: true });
  log(`building the temporal CLI ${TEMPORAL_CLI_VERSION} with go install (first run only; takes a few minutes)`);
  run(go, ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
    env: { ...process.env, GOBIN: TOOLS_BIN, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
  });
  const built = path.join(TOOLS_BIN, 'temporal');
  if (!fs.existsSync(built)) throw new Error(`go install finished but ${built} is missing`);
  return built;
}

function searchAttributeArgs() {
  return Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}

/**
 * Starts `temporal server start-dev`. With `dbFile` the state survives restarts; without it, it lives
 * in memory (tests). Returns the frontend address and UI URL.
 * @param {{ dbFile?: string, port?: number, uiPort?: number, ui?: boolean, logName?: string, metricsPort?: number }} opts
 */
async function startDevServer(opts = {}) {
  const cli = resolveTemporalCli();
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const port = opts.port || (await freePort());
  const ui = opts.ui !== false;
  const uiPort = ui ? opts.uiPort || (await freePort()) : undefined;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', 'default', '--log-level', 'warn'];
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  if (ui) args.push('--ui-port', String(uiPort));
  else args.push('--headless');
  args.push(...searchAttributeArgs());
  // Designation is an Update-with-Start (libs/temporal/rectify-case.client.ts): on, as in production's dynamic config.
  args.push('--dynamic-config-value', 'frontend.enableExecuteMultiOperation=true');
  // The CLI turns the search-attribute cache off by default, so that attributes added while it runs show at
  // once; every read of them then reads the cluster's metadata and the namespace from SQLite, under a lock
  // (several reads per workflow start). Ours are registered before the server starts (above), so the cache
  // stays on, as in production (deploy/temporal/dynamicconfig/production-sql.yaml leaves it at its default).
  args.push('--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=false');
  // The server's own Prometheus metrics (persistence requests by operation), for `npm run bench`.
  if (opts.metricsPort) args.push('--metrics-port', String(opts.metricsPort));
  const logFile = path.join(LOG_DIR, `${opts.logName || 'temporal'}.log`);
  const child = startDaemon(cli, args, { logFile });
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    await waitForPort(port, 60000, `Temporal dev server (log: ${logFile})`, () => !exited);
  } catch (err) {
    await stopChild(child, 2000);
    throw err;
  }
  return {
    address: `127.0.0.1:${port}`,
    port,
    uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : undefined,
    child,
    stop: () => stopChild(child, 15000),
  };
}

/** Ports for the persistent dev server of `npm start`: 7233/8233 when free, kept across restarts. */
async function persistentDevServerPorts() {
  const file = path.join(DATA_DIR, 'temporal.ports.json');
  /** @type {{port?: number, uiPort?: number}} */
  let saved = {};
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    /* first start */
  }
  const pick = async (/** @type {number | undefined} */ wanted, /** @type {number} */ fallback) => {
    for (const p of [wanted, fallback]) if (p && !(await isPortOpen(p))) return p;
    return freePort();
  };
  const port = await pick(saved.port, 7233);
  const uiPort = await pick(saved.uiPort, 8233);
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ port, uiPort }));
  return { port, uiPort, dbFile: path.join(TEMPORAL_DATA_DIR, 'temporal.db') };
}

module.exports = {
  TEMPORAL_CLI_VERSION,
  SEARCH_ATTRIBUTES,
  resolveTemporalCli,
  startDevServer,
  persistentDevServerPorts,
  capture,
};
