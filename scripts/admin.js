#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run admin -- create-county …`: compiles, and without DATABASE_URL uses the project's own
 * PostgreSQL (.data/postgres, as `npm start` does), then runs dist/apps/api/src/admin/admin-cli.js.
 * In the production container run `node dist/apps/api/src/admin/admin-cli.js …` directly.
 *
 * `npm run admin -- rebuild-read-model [--county <id or code>]` rebuilds the read model from the workflows
 * (dist/apps/worker/src/rebuild-read-model.js: it uses the worker's projection activities, which the API
 * may not import); it needs Temporal too: TEMPORAL_ADDRESS, else the dev server `npm start` runs.
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ensureNpmDependencies, build } = require('./lib/npm-deps');
const { ROOT } = require('./lib/paths');

/** The address of the Temporal dev server `npm start` runs (its port is kept in .data/temporal.ports.json). */
async function runningDevServer() {
  const fs = require('node:fs');
  const { DATA_DIR } = require('./lib/paths');
  const { isPortOpen } = require('./lib/proc');
  /** @type {{ port?: number }} */
  let saved = {};
  try {
    saved = JSON.parse(fs.readFileSync(path.join(DATA_DIR, 'temporal.ports.json'), 'utf8'));
  } catch {
    /* never started */
  }
  if (!saved.port || !(await isPortOpen(saved.port))) throw new Error('Temporal is not running: start it with npm start (or set TEMPORAL_ADDRESS)');
  return `127.0.0.1:${saved.port}`;
}

async function main() {
  ensureNpmDependencies();
  build();
  const env = { ...process.env };
  /** @type {(() => void) | undefined} */
  let stop;
  if (!env.DATABASE_URL) {
    const pg = await require('./lib/postgres').startProjectCluster();
    env.DATABASE_URL = pg.url;
    if (pg.startedHere) stop = pg.stop;
  }
  const rebuild = process.argv[2] === 'rebuild-read-model';
  if (rebuild && !env.TEMPORAL_ADDRESS) env.TEMPORAL_ADDRESS = await runningDevServer();
  const entry = rebuild ? 'dist/apps/worker/src/rebuild-read-model.js' : 'dist/apps/api/src/admin/admin-cli.js';
  const res = spawnSync(process.execPath, [path.join(ROOT, entry), ...process.argv.slice(rebuild ? 3 : 2)], { stdio: 'inherit', env, cwd: ROOT });
  if (stop) stop();
  process.exit(res.status ?? 1);
}

main().catch((err) => {
  console.error(`[admin] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
