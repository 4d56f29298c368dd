#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run test:node-lts`: runs part of the suite on the Node.js LTS line the Docker image runs (Node 24),
 * while the machine keeps its own Node for everything else. The binary comes from the npm registry's
 * `node` package (npx -p node@24, cached in ~/.npm/_npx). First it loads the native modules the processes
 * need (@node-rs/bcrypt, the Temporal core bridge and its runtime) under that Node, then runs Jest with
 * it: the unit tests, the replay of recorded workflow histories, the patched workflow thread and a few
 * integration tests of the API, worker and health checks. Extra arguments replace the default test paths
 * (Jest arguments).
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ensureNpmDependencies } = require('./lib/npm-deps');
const { log } = require('./lib/proc');
const { ROOT } = require('./lib/paths');

/** The npm package (and so the Node.js major line) of the Dockerfile's base image. */
const NODE_LTS = 'node@24';

const DEFAULT_TESTS = [
  'test/unit',
  'test/workflows/replay.test.ts',
  // The patched workflow thread (patches/@temporalio+worker+1.24.0.patch) on the image's Node line.
  'test/integration/workflow-thread.test.ts',
  'test/integration/health.test.ts',
  'test/integration/container-health.test.ts',
  'test/integration/cases.test.ts',
  'test/integration/web-fallback.test.ts',
];

/** Loads what has native code, as the API and the worker would, and proves it works. */
const NATIVE_CHECK = `
const bcrypt = require('@node-rs/bcrypt');
if (!bcrypt.verifySync('整顿', bcrypt.hashSync('整顿', 4))) throw new Error('@node-rs/bcrypt does not verify its own hash');
require('@temporalio/core-bridge');
const { Runtime } = require('@temporalio/worker');
Runtime.instance();
console.log('native modules load on ' + process.version + ': @node-rs/bcrypt, @temporalio/core-bridge, Temporal runtime');
`;

/** The path of the LTS binary, downloaded into npx's cache on first use. */
function resolveLtsNode() {
  log(`fetching ${NODE_LTS} from the npm registry (npx -p ${NODE_LTS}; cached after the first run)`);
  const res = spawnSync('npx', ['--yes', '-p', NODE_LTS, 'node', '-p', 'process.execPath'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const execPath = String(res.stdout ?? '').trim().split('\n').pop();
  if (res.status !== 0 || !execPath) throw new Error(`npx -p ${NODE_LTS} node failed (status ${res.status})`);
  return execPath;
}

function main() {
  ensureNpmDependencies();
  const node = resolveLtsNode();
  // Its directory first on PATH: whatever the tests start as `node` runs on the LTS too.
  const env = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}` };
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  log(`machine's Node ${process.version}; testing on ${version} (${node})`);
  const check = spawnSync(node, ['-e', NATIVE_CHECK], { cwd: ROOT, env, stdio: 'inherit' });
  if (check.status !== 0) {
    log(`native modules do not load on ${version}`);
    process.exit(check.status ?? 1);
  }
  const args = process.argv.slice(2);
  const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const res = spawnSync(node, [jest, ...(args.length ? args : DEFAULT_TESTS)], { cwd: ROOT, env, stdio: 'inherit' });
  log(`Jest on ${version} exited with status ${res.status}`);
  process.exit(res.status ?? 1);
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(`[setup] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

module.exports = { NODE_LTS, DEFAULT_TESTS };
