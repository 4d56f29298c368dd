// @ts-check
'use strict';
/** Installs the npm dependencies when they are missing or older than package-lock.json. */
const fs = require('node:fs');
const path = require('node:path');
const { log, run } = require('./proc');
const { ROOT } = require('./paths');

function ensureNpmDependencies() {
  const lock = path.join(ROOT, 'package-lock.json');
  const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
  const stale = !fs.existsSync(installed) || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(installed).mtimeMs + 1000);
  if (!stale) return;
  // `npm install` with the committed lock, not `npm ci`: the registry these machines reach serves only
  // the Linux builds of platform packages (e.g. @swc/core-darwin-*), so the lock cannot list the
  // others and `npm ci` refuses it as out of sync. With the lock present, versions stay pinned.
  log('installing npm dependencies (npm install, pinned by package-lock.json)');
  run('npm', ['install', '--no-audit', '--no-fund'], { cwd: ROOT });
}

/** Compiles the TypeScript sources into dist/. */
function build() {
  log('compiling TypeScript (tsc -p tsconfig.build.json)');
  run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT });
}

/** Builds the dashboard (apps/web, Vue 3) with vite into dist/web, where the API serves it. */
function buildWeb() {
  log('building the dashboard (vite build apps/web → dist/web)');
  run(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(ROOT, 'apps', 'web', 'vite.config.ts'), '--logLevel', 'warn'], { cwd: ROOT });
}

module.exports = { ensureNpmDependencies, build, buildWeb };
