// @ts-check
'use strict';
/**
 * Schemathesis (an OpenAPI fuzzer from PyPI) for the contract test (test/integration/openapi-contract.test.ts):
 * a virtualenv of its own under .tools/schemathesis, created with python3 -m venv and a pinned version,
 * so the test does not depend on what the machine's Python has installed.
 */
const fs = require('node:fs');
const path = require('node:path');
const { log, run, capture } = require('./proc');
const { TOOLS_DIR } = require('./paths');

const SCHEMATHESIS_VERSION = '4.32.5';
const VENV_DIR = path.join(TOOLS_DIR, 'schemathesis');
const ST_BIN = path.join(VENV_DIR, 'bin', 'st');

/** The `st` binary when the pinned version is installed, else undefined. */
function schemathesisPath() {
  if (!fs.existsSync(ST_BIN)) return undefined;
  const version = capture(path.join(VENV_DIR, 'bin', 'python'), ['-c', 'import importlib.metadata as m; print(m.version("schemathesis"))']);
  return version === SCHEMATHESIS_VERSION ? ST_BIN : undefined;
}

/** Creates the virtualenv and installs the pinned schemathesis when missing; returns the `st` binary. */
function ensureSchemathesis() {
  const found = schemathesisPath();
  if (found) return found;
  const python = process.env.PYTHON || 'python3';
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${VENV_DIR} (the OpenAPI contract test)`);
  fs.rmSync(VENV_DIR, { recursive: true, force: true });
  fs.mkdirSync(TOOLS_DIR, { recursive: true });
  run(python, ['-m', 'venv', VENV_DIR]);
  run(path.join(VENV_DIR, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`]);
  if (!schemathesisPath()) throw new Error(`pip installed schemathesis but ${ST_BIN} (version ${SCHEMATHESIS_VERSION}) is missing`);
  return ST_BIN;
}

module.exports = { SCHEMATHESIS_VERSION, ST_BIN, schemathesisPath, ensureSchemathesis };

if (require.main === module) ensureSchemathesis();
