// @ts-check
'use strict';
/**
 * Debian's Prometheus server for the metrics test (test/integration/operations.test.ts): installed
 * with apt-get when missing, as PostgreSQL is (scripts/lib/postgres.js), and run by the test with a
 * scrape configuration of its own in a throw-away data folder. Only the server binary is used: the
 * package's own service is not needed (and is not started in a container without systemd).
 */
const fs = require('node:fs');
const { log, run, which } = require('./proc');

const CANDIDATES = [process.env.PROMETHEUS_BIN, '/usr/bin/prometheus'].filter(Boolean);

/** The prometheus binary, or undefined when it is not installed. @returns {string | undefined} */
function prometheusPath() {
  for (const c of CANDIDATES) {
    try {
      fs.accessSync(/** @type {string} */ (c), fs.constants.X_OK);
      return c;
    } catch {
      /* next */
    }
  }
  return which('prometheus') || undefined;
}

/** Installs Debian's prometheus with apt-get if its binary is missing; returns its path. */
function ensurePrometheus() {
  const found = prometheusPath();
  if (found) return found;
  log('Prometheus not found: installing it with apt-get (prometheus) for the metrics test');
  const asRoot = process.getuid && process.getuid() === 0;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (/** @type {string[]} */ args) => (asRoot ? run('apt-get', args, { env }) : run('sudo', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args]));
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', 'prometheus']);
  const installed = prometheusPath();
  if (!installed) throw new Error('prometheus was installed but its binary cannot be found; set PROMETHEUS_BIN');
  return installed;
}

module.exports = { ensurePrometheus, prometheusPath };
