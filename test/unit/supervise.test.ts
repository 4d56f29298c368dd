import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';

/**
 * The supervisor of `npm start` (scripts/lib/supervise.js) with tiny real child processes in the roles
 * of PostgreSQL, Temporal, the worker and the API: a worker killed with SIGKILL is started again while
 * the servers stay up, a crash loop backs off, and stopping the stack (Ctrl-C) ends every process.
 */
type Supervised = { name: string; child: ChildProcess; restarts: number; stop(): Promise<void> };
const { supervise, createStack } = require('../../scripts/lib/supervise') as {
  supervise(opts: { name: string; start: () => ChildProcess; log: (l: string) => void; backoff?: Partial<Record<'initialMs' | 'maxMs' | 'resetAfterMs', number>>; stopGraceMs?: number }): Supervised;
  createStack(log: (l: string) => void): { add(name: string, stop: () => unknown): void; addSupervised(s: Supervised): Supervised; stop(): Promise<void>; stopping: boolean };
};
const { startDaemon, stopChild, isAlive, isPortOpen, freePort } = require('../../scripts/lib/proc') as {
  startDaemon(cmd: string, args: string[], opts: { logFile: string; env?: NodeJS.ProcessEnv }): ChildProcess;
  stopChild(child: ChildProcess, graceMs?: number): Promise<void>;
  isAlive(pid: number): boolean;
  isPortOpen(port: number): Promise<boolean>;
  freePort(): Promise<number>;
};

const dir = mkdtempSync(join(tmpdir(), 'supervise-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A long-running stand-in: listens on a port when given one, writes its pid to a file at each start. */
const SERVER = join(dir, 'server.js');
writeFileSync(
  SERVER,
  `const [pidFile, port] = process.argv.slice(2);
require('node:fs').appendFileSync(pidFile, process.pid + '\\n');
if (port) require('node:net').createServer((s) => s.end()).listen(Number(port), '127.0.0.1');
setInterval(() => {}, 1 << 30);
process.on('SIGTERM', () => process.exit(0));`,
);
/** A process that fails at once, as a worker with a bad configuration would. */
const CRASHER = join(dir, 'crasher.js');
writeFileSync(CRASHER, `require('node:fs').appendFileSync(process.argv[2], process.pid + '\\n'); process.exit(3);`);

const pidsIn = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number) : []);

async function until<T>(fn: () => T | undefined | false, what: string, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('npm start supervision (scripts/lib/supervise.js)', () => {
  it('restarts a worker killed with SIGKILL while PostgreSQL and Temporal stay up; stopping the stack ends them all', async () => {
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    const stack = createStack(log);
    const server = (name: string, port: number) => {
      const pidFile = join(dir, `${name}.pid`);
      const child = startDaemon(process.execPath, [SERVER, pidFile, String(port)], { logFile: join(dir, `${name}.log`) });
      stack.add(name, () => stopChild(child, 5000));
      return { child, pidFile };
    };
    const [pgPort, temporalPort] = [await freePort(), await freePort()];
    const pg = server('PostgreSQL', pgPort);
    const temporal = server('Temporal dev server', temporalPort);
    await until(async () => (await isPortOpen(pgPort)) && (await isPortOpen(temporalPort)), 'the servers');

    const workerPids = join(dir, 'worker.pid');
    const worker = stack.addSupervised(
      supervise({
        name: 'worker',
        log,
        backoff: { initialMs: 100, maxMs: 1000 },
        start: () => startDaemon(process.execPath, [SERVER, workerPids], { logFile: join(dir, 'worker.log') }),
      }),
    );
    const [firstPid] = await until(() => pidsIn(workerPids).length === 1 && pidsIn(workerPids), 'the worker');

    process.kill(firstPid, 'SIGKILL');
    const [, secondPid] = await until(() => pidsIn(workerPids).length === 2 && pidsIn(workerPids), 'the restarted worker');

    expect(secondPid).not.toBe(firstPid);
    expect(isAlive(firstPid)).toBe(false);
    expect(isAlive(secondPid)).toBe(true);
    expect(worker.restarts).toBe(1);
    expect(worker.child.pid).toBe(secondPid);
    expect(lines).toContain('worker exited (signal SIGKILL); restarting it in 100 ms');
    expect(lines).toContain(`worker restarted (pid ${secondPid}, restart 1)`);
    // The rest of the stack never noticed.
    expect(lines.some((l) => /stopping|stopped/.test(l))).toBe(false);
    expect(isAlive(pg.child.pid as number)).toBe(true);
    expect(isAlive(temporal.child.pid as number)).toBe(true);
    expect(await isPortOpen(pgPort)).toBe(true);
    expect(await isPortOpen(temporalPort)).toBe(true);

    // Ctrl-C: everything stops, the worker first (reverse order of start), and is not restarted.
    await stack.stop();
    expect(lines.slice(-4)).toEqual(['stopping…', 'stopped worker', 'stopped Temporal dev server', 'stopped PostgreSQL']);
    for (const pid of [secondPid, pg.child.pid as number, temporal.child.pid as number]) expect(isAlive(pid)).toBe(false);
    expect(await isPortOpen(pgPort)).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(pidsIn(workerPids)).toHaveLength(2);
    expect(worker.restarts).toBe(1);
  });

  it('backs off a process that keeps failing: the wait doubles up to its ceiling, each restart logged', async () => {
    const lines: string[] = [];
    const pids = join(dir, 'crasher.pid');
    const api = supervise({
      name: 'api',
      log: (l) => lines.push(l),
      backoff: { initialMs: 20, maxMs: 80 },
      start: () => startDaemon(process.execPath, [CRASHER, pids], { logFile: join(dir, 'crasher.log') }),
    });
    await until(() => api.restarts >= 4, 'four restarts');
    await api.stop();
    const waits = lines.filter((l) => l.startsWith('api exited')).map((l) => /restarting it in (\d+) ms/.exec(l)?.[1]);
    expect(waits.slice(0, 4)).toEqual(['20', '40', '80', '80']);
    expect(lines[0]).toBe('api exited (status 3); restarting it in 20 ms');
    expect(new Set(pidsIn(pids)).size).toBe(pidsIn(pids).length);
  });
});
