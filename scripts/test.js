#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm test`: installs what is missing, lints, type-checks and compiles, then runs the whole Jest
 * suite. Jest's global setup starts PostgreSQL (or uses DATABASE_URL) with a database of its own and
 * an in-memory Temporal dev server, and stops them after. Extra arguments go to Jest.
 * Jest's JSON report is written to .data/jest-results.json (read by .ci/run).
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ensureNpmDependencies, build, buildWeb } = require('./lib/npm-deps');
const { ensureChromium } = require('./lib/chromium');
const { log, run } = require('./lib/proc');
const { ROOT, DATA_DIR } = require('./lib/paths');

async function main() {
  ensureNpmDependencies();
  const { resolveTemporalCli } = require('./lib/temporal');
  const { ensureTestServer } = require('./lib/test-server');
  const { ensurePostgresBinaries } = require('./lib/postgres');
  resolveTemporalCli();
  await ensureTestServer();
  if (!process.env.DATABASE_URL) ensurePostgresBinaries();
  // The browser tests (test/e2e) drive Debian's chromium through playwright-core.
  ensureChromium();
  // The metrics test (test/integration/operations.test.ts) scrapes the API and the worker with Debian's Prometheus.
  require('./lib/prometheus').ensurePrometheus();
  // The OpenAPI contract test (test/integration/openapi-contract.test.ts) runs Schemathesis from a virtualenv.
  require('./lib/schemathesis').ensureSchemathesis();

  log('linting (eslint)');
  run(process.execPath, [path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.'], { cwd: ROOT });
  log('type-checking the sources and the tests (tsc --noEmit)');
  run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.json'), '--noEmit'], { cwd: ROOT });
  log('type-checking the web app (vue-tsc --noEmit)');
  run(process.execPath, [path.join(ROOT, 'node_modules', 'vue-tsc', 'bin', 'vue-tsc.js'), '-p', path.join(ROOT, 'apps', 'web', 'tsconfig.json'), '--noEmit'], { cwd: ROOT });
  build();
  buildWeb();

  fs.mkdirSync(DATA_DIR, { recursive: true });
  const report = path.join(DATA_DIR, 'jest-results.json');
  fs.rmSync(report, { force: true });
  const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const res = spawnSync(process.execPath, [jest, '--json', `--outputFile=${report}`, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
  process.exit(res.status ?? 1);
}

main().catch((err) => {
  console.error(`[test] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
