#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run admin -- create-county …`: compiles, and without DATABASE_URL uses the project's own
 * PostgreSQL (.data/postgres, as `npm start` does), then runs dist/apps/api/src/admin/admin-cli.js.
 * In the production container run `node dist/apps/api/src/admin/admin-cli.js …` directly.
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ensureNpmDependencies, build } = require('./lib/npm-deps');
const { ROOT } = require('./lib/paths');

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
  const res = spawnSync(process.execPath, [path.join(ROOT, 'dist/apps/api/src/admin/admin-cli.js'), ...process.argv.slice(2)], { stdio: 'inherit', env, cwd: ROOT });
  if (stop) stop();
  process.exit(res.status ?? 1);
}

main().catch((err) => {
  console.error(`[admin] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
