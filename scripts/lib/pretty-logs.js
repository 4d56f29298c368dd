// @ts-check
'use strict';
/**
 * The `npm start` console's view of the apps' logs: the API and the worker write JSON lines to their
 * files under .data/logs (for tools and for grep); this follows those files and prints each new line
 * through pino-pretty, prefixed with the app's name, for the person at the terminal. Lines that are
 * not JSON (a crash's stack trace from Node itself) are printed as they are.
 */
const fs = require('node:fs');

/** pino's level numbers and names (the apps write names; pino-pretty colours either). */
const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * Follows `files` from their current end and prints new lines at or above `minLevel` (default info;
 * LOG_CONSOLE_LEVEL overrides it). Returns a function that stops following.
 * @param {{ name: string, file: string }[]} files @param {{ minLevel?: keyof LEVELS, write?: (s: string) => void }} [opts]
 */
function followLogs(files, opts = {}) {
  const minLevel = LEVELS[/** @type {keyof LEVELS} */ (process.env.LOG_CONSOLE_LEVEL || opts.minLevel || 'info')] ?? LEVELS.info;
  const write = opts.write ?? ((/** @type {string} */ s) => process.stdout.write(s));
  /** @type {(obj: object) => string} */
  let pretty;
  try {
    pretty = require('pino-pretty').prettyFactory({ colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,app' });
  } catch {
    pretty = (obj) => `${JSON.stringify(obj)}\n`;
  }
  const state = files.map(({ name, file }) => ({ name, file, offset: fs.existsSync(file) ? fs.statSync(file).size : 0, rest: '' }));
  const poll = () => {
    for (const s of state) {
      let size;
      try {
        size = fs.statSync(s.file).size;
      } catch {
        continue;
      }
      if (size < s.offset) s.offset = 0; // the file was truncated or replaced
      if (size === s.offset) continue;
      const fd = fs.openSync(s.file, 'r');
      const buf = Buffer.alloc(Math.min(size - s.offset, 4 * 1024 * 1024));
      const read = fs.readSync(fd, buf, 0, buf.length, s.offset);
      fs.closeSync(fd);
      s.offset += read;
      const lines = (s.rest + buf.subarray(0, read).toString('utf8')).split('\n');
      s.rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        let obj;
        try {
          obj = JSON.parse(line);
        } catch {
          write(`[${s.name}] ${line}\n`);
          continue;
        }
        const level = typeof obj.level === 'string' ? LEVELS[/** @type {keyof LEVELS} */ (obj.level)] : obj.level;
        if (typeof level === 'number' && level < minLevel) continue;
        // pino-pretty colours by number.
        write(`[${s.name}] ${pretty({ ...obj, level: level ?? obj.level })}`);
      }
    }
  };
  const timer = setInterval(poll, 250);
  timer.unref();
  return () => {
    clearInterval(timer);
    poll();
  };
}

module.exports = { followLogs };
