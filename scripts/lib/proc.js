// @ts-check
'use strict';
/** Small process and network helpers for the start and test scripts (no npm dependencies). */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');

/** @param {string} msg */
function log(msg) {
  process.stdout.write(`[setup] ${msg}\n`);
}

/** Runs a command to completion, streaming its output; throws with the command line on failure.
 * @param {string} cmd @param {string[]} args @param {import('node:child_process').SpawnSyncOptions} [opts] */
function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (res.error) throw new Error(`${cmd} ${args.join(' ')} failed: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with status ${res.status}`);
  return res;
}

/** Runs a command and returns its trimmed stdout, or undefined if it fails.
 * @param {string} cmd @param {string[]} args */
function capture(cmd, args) {
  const res = spawnSync(cmd, args, { encoding: 'utf8' });
  if (res.error || res.status !== 0) return undefined;
  return String(res.stdout).trim();
}

/** Finds an executable on PATH. @param {string} name */
function which(name) {
  for (const dir of (process.env.PATH || '').split(':')) {
    if (!dir) continue;
    const candidate = `${dir}/${name}`;
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** Asks the OS for a free TCP port on loopback. @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** @param {number} port @param {string} [host] @returns {Promise<boolean>} */
function isPortOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
    sock.setTimeout(1000, () => {
      sock.destroy();
      resolve(false);
    });
  });
}

/** @param {number} port @param {number} timeoutMs @param {string} what @param {() => boolean} [stillAlive] */
async function waitForPort(port, timeoutMs, what, stillAlive) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isPortOpen(port)) return;
    if (stillAlive && !stillAlive()) throw new Error(`${what} exited before it listened on port ${port}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not listen on port ${port} within ${Math.round(timeoutMs / 1000)} s`);
}

/** Is a process with this pid alive? @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a long-running child in its own process group with output appended to a log file.
 * @param {string} cmd @param {string[]} args
 * @param {{ logFile: string, env?: NodeJS.ProcessEnv, cwd?: string }} opts
 */
function startDaemon(cmd, args, opts) {
  const out = fs.openSync(opts.logFile, 'a');
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: opts.env || process.env,
    stdio: ['ignore', out, out],
    detached: true,
  });
  fs.closeSync(out);
  return child;
}

/**
 * Stops a child process group: SIGTERM, then SIGKILL after the grace period.
 * @param {import('node:child_process').ChildProcess} child @param {number} [graceMs]
 */
async function stopChild(child, graceMs = 10000) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((r) => child.once('exit', r));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
  const timer = setTimeout(() => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * What a script started, stopped in reverse order when it ends or on Ctrl-C (a part that fails to stop is
 * logged and the rest still stop). `push({ name, stop })` as each part starts; `stopAll()` at the end.
 */
function stopStack() {
  /** @type {{ name: string, stop: () => unknown }[]} */
  const parts = [];
  const stopAll = async () => {
    for (const part of parts.splice(0).reverse()) {
      try {
        await part.stop();
      } catch (err) {
        log(`could not stop ${part.name}: ${String(err)}`);
      }
    }
  };
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
  return { push: (/** @type {{ name: string, stop: () => unknown }} */ part) => void parts.push(part), stopAll };
}

module.exports = { log, run, capture, which, freePort, isPortOpen, waitForPort, isAlive, startDaemon, stopChild, stopStack };
