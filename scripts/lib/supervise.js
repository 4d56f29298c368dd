// @ts-check
'use strict';
/**
 * Keeps the local stack of `npm start` running: a supervised process (the worker, the API) that dies is
 * started again after a back-off, with a log line, while the rest of the stack (PostgreSQL, Temporal)
 * stays up; stopping the stack stops everything in reverse order of start. No npm dependencies.
 */
const { stopChild } = require('./proc');

/** Back-off between restarts: doubles from `initialMs` to `maxMs`; a run longer than `resetAfterMs` starts over at `initialMs`. */
const DEFAULT_BACKOFF = { initialMs: 1000, maxMs: 30000, resetAfterMs: 60000 };

/** @param {number} ms */
const seconds = (ms) => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);

/**
 * @typedef {import('node:child_process').ChildProcess} ChildProcess
 * @typedef {{ initialMs: number, maxMs: number, resetAfterMs: number }} Backoff
 * @typedef {{
 *   name: string,
 *   start: () => ChildProcess,
 *   log: (line: string) => void,
 *   backoff?: Partial<Backoff>,
 *   stopGraceMs?: number,
 *   where?: string,
 *   onRestart?: (child: ChildProcess, restarts: number) => void,
 * }} SuperviseOptions
 * @typedef {{
 *   readonly name: string,
 *   readonly child: ChildProcess,
 *   readonly restarts: number,
 *   stop: () => Promise<void>,
 * }} Supervised
 */

/**
 * Starts `start()` now and again whenever its process exits, until `stop()`.
 * @param {SuperviseOptions} opts @returns {Supervised}
 */
function supervise(opts) {
  const backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
  let stopping = false;
  let restarts = 0;
  let delayMs = backoff.initialMs;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  /** @type {ChildProcess} */
  let child;

  const launch = () => {
    const startedAt = Date.now();
    child = opts.start();
    child.once('exit', (code, signal) => {
      if (stopping) return;
      // A run that lasted is a fresh failure, not part of a crash loop.
      if (Date.now() - startedAt >= backoff.resetAfterMs) delayMs = backoff.initialMs;
      const why = signal ? `signal ${signal}` : `status ${code}`;
      opts.log(`${opts.name} exited (${why}); restarting it in ${seconds(delayMs)}${opts.where ? `; see ${opts.where}` : ''}`);
      timer = setTimeout(() => {
        timer = undefined;
        if (stopping) return;
        restarts += 1;
        launch();
        opts.log(`${opts.name} restarted (pid ${child.pid}, restart ${restarts})`);
        opts.onRestart?.(child, restarts);
      }, delayMs);
      delayMs = Math.min(delayMs * 2, backoff.maxMs);
    });
  };
  launch();

  return {
    name: opts.name,
    get child() {
      return child;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await stopChild(child, opts.stopGraceMs ?? 20000);
    },
  };
}

/**
 * What `npm start` has started, stopped in reverse order once (Ctrl-C, SIGTERM or a failed start-up).
 * @param {(line: string) => void} log
 */
function createStack(log) {
  /** @type {{ name: string, stop: () => unknown }[]} */
  const parts = [];
  /** @type {Promise<void> | undefined} */
  let stopped;
  return {
    /** @param {string} name @param {() => unknown} stop */
    add(name, stop) {
      parts.push({ name, stop });
    },
    /** @param {Supervised} s */
    addSupervised(s) {
      parts.push({ name: s.name, stop: () => s.stop() });
      return s;
    },
    get stopping() {
      return stopped !== undefined;
    },
    /** @returns {Promise<void>} */
    stop() {
      stopped ??= (async () => {
        log('stopping…');
        for (const part of [...parts].reverse()) {
          try {
            await part.stop();
            log(`stopped ${part.name}`);
          } catch (err) {
            log(`could not stop ${part.name}: ${String(err)}`);
          }
        }
      })();
      return stopped;
    },
  };
}

module.exports = { supervise, createStack, DEFAULT_BACKOFF };
