import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
/** The compiled apps, exactly as production runs them (`npm test` compiles before Jest runs). */
export const API_ENTRY = path.join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
export const WORKER_ENTRY = path.join(ROOT, 'dist', 'apps', 'worker', 'src', 'main.js');

/** An app running as a child process, with everything it wrote to stdout and stderr. */
export interface AppProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts a compiled app and resolves once its stdout shows `ready` (it fails with its output if it exits first). */
export async function startAppProcess(entry: string, env: NodeJS.ProcessEnv, ready: string, timeoutMs = 120_000): Promise<AppProcess> {
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run npm test (or npm run build) first, which compiles the apps`);
  const child = spawn(process.execPath, [entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += String(d)));
  child.stderr?.on('data', (d: Buffer) => (err += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  while (!out.includes(ready)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${path.basename(entry)} exited before it was ready:\n${out}\n${err}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${path.basename(entry)} was not ready within ${timeoutMs / 1000} s:\n${out}\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The JSON lines of a log (lines that are not JSON are returned as problems). */
export function jsonLines(text: string): { lines: Record<string, unknown>[]; notJson: string[] } {
  const lines: Record<string, unknown>[] = [];
  const notJson: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      notJson.push(line);
    }
  }
  return { lines, notJson };
}
