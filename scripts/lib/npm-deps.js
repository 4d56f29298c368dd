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
  log('installing npm dependencies (npm ci)');
  run('npm', [fs.existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: ROOT });
}

/** Compiles the TypeScript sources into dist/. */
function build() {
  log('compiling TypeScript (tsc -p tsconfig.build.json)');
  run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT });
}

module.exports = { ensureNpmDependencies, build };
