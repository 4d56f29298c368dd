// @ts-check
'use strict';
/** Installs the npm dependencies when they are missing or older than package-lock.json; builds dist/ when its sources changed. */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { log, run } = require('./proc');
const { ROOT } = require('./paths');
const { cleanCompiledServer } = require('../clean-dist');

function ensureNpmDependencies() {
  const lock = path.join(ROOT, 'package-lock.json');
  const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
  const stale = !fs.existsSync(installed) || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(installed).mtimeMs + 1000);
  if (stale) {
    // `npm install` with the committed lock, not `npm ci`: the registry these machines reach serves only
    // the Linux builds of platform packages (e.g. @swc/core-darwin-*), so the lock cannot list the
    // others and `npm ci` refuses it as out of sync. With the lock present, versions stay pinned.
    log('installing npm dependencies (npm install, pinned by package-lock.json)');
    run('npm', ['install', '--no-audit', '--no-fund'], { cwd: ROOT });
  }
  applyDependencyPatches(stale);
}

const PATCHES_DIR = path.join(ROOT, 'patches');
const PATCHES_STAMP = path.join(ROOT, 'node_modules', '.patches-applied');

/**
 * patches/ (patch-package): changes to dependencies, applied after every install and whenever a patch is
 * newer than the last application — package.json's postinstall does the same for a plain `npm install`,
 * but npm may be told to skip scripts.
 * @param {boolean} installed the dependencies were just (re)installed
 */
function applyDependencyPatches(installed) {
  if (!fs.existsSync(PATCHES_DIR)) return;
  const newest = Math.max(0, ...fs.readdirSync(PATCHES_DIR).map((f) => fs.statSync(path.join(PATCHES_DIR, f)).mtimeMs));
  if (!installed && fs.existsSync(PATCHES_STAMP) && fs.statSync(PATCHES_STAMP).mtimeMs >= newest) return;
  log('applying patches/ to node_modules (patch-package)');
  run(process.execPath, [path.join(ROOT, 'node_modules', 'patch-package', 'index.js'), '--error-on-fail'], { cwd: ROOT });
  fs.writeFileSync(PATCHES_STAMP, `${new Date().toISOString()}\n`);
}

/** Compiles the TypeScript sources into dist/. */
function build() {
  log('compiling TypeScript (tsc -p tsconfig.build.json)');
  cleanCompiledServer();
  run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT });
}

/** Builds the dashboard (apps/web, Vue 3) with vite into dist/web, where the API serves it. */
function buildWeb() {
  log('building the dashboard (vite build apps/web → dist/web)');
  run(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(ROOT, 'apps', 'web', 'vite.config.ts'), '--logLevel', 'warn'], { cwd: ROOT });
}

/** Where the fingerprints of the sources of the last successful builds are kept. */
const BUILD_STAMP = path.join(ROOT, 'dist', '.build-sources.json');

/** What each build reads, relative to ROOT (directories are walked; apps/web is the dashboard's alone). */
const BUILD_INPUTS = {
  app: { paths: ['apps', 'libs', 'workflows', 'activities', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'], skip: ['apps/web'], output: 'dist/apps/api/src/main.js' },
  web: { paths: ['apps/web', 'libs', 'tsconfig.json', 'package-lock.json'], skip: [], output: 'dist/web/index.html' },
};

/**
 * Path, size and modification time of every input file, hashed: any edit, addition or removal changes it.
 * @param {{ paths: string[], skip: string[] }} inputs
 */
function sourceFingerprint(inputs) {
  const hash = crypto.createHash('sha256');
  /** @param {string} rel */
  const visit = (rel) => {
    if (inputs.skip.includes(rel)) return;
    const abs = path.join(ROOT, rel);
    let stat;
    try {
      stat = fs.statSync(abs);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(abs).sort()) if (entry !== 'node_modules' && !entry.startsWith('.')) visit(path.join(rel, entry));
    } else {
      hash.update(`${rel}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  };
  for (const p of inputs.paths) visit(p);
  return hash.digest('hex');
}

/** @returns {Record<string, string>} */
function readStamp() {
  try {
    return JSON.parse(fs.readFileSync(BUILD_STAMP, 'utf8'));
  } catch {
    return {};
  }
}

/**
 * Builds dist/ (TypeScript, then the dashboard) only where its sources changed since the last successful
 * build, so `npm start` after a stop or a crash starts in seconds; `force` (npm start -- --build) always builds.
 * @param {{ force?: boolean }} [opts]
 */
function buildIfChanged(opts = {}) {
  const stamp = readStamp();
  /** @type {[keyof typeof BUILD_INPUTS, () => void][]} */
  const steps = [
    ['app', build],
    ['web', buildWeb],
  ];
  for (const [name, step] of steps) {
    const inputs = BUILD_INPUTS[name];
    const fingerprint = sourceFingerprint(inputs);
    if (!opts.force && stamp[name] === fingerprint && fs.existsSync(path.join(ROOT, inputs.output))) {
      log(`${name === 'app' ? 'compiled TypeScript' : 'dashboard'} in dist/ is up to date with its sources (npm start -- --build rebuilds)`);
      continue;
    }
    step();
    stamp[name] = fingerprint;
    fs.mkdirSync(path.dirname(BUILD_STAMP), { recursive: true });
    fs.writeFileSync(BUILD_STAMP, `${JSON.stringify(stamp, null, 2)}\n`);
  }
}

module.exports = { ensureNpmDependencies, build, buildWeb, buildIfChanged, sourceFingerprint, BUILD_INPUTS };
