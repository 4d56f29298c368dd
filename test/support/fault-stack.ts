import { Client, defaultGrpcRetryOptions } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { loadStatutoryCalendar } from '../../libs/calendar';
import { dataSourceOptions } from '../../libs/persistence';
import { runMigrations } from '../../libs/persistence/migrate';
import { TemporalClientConnection } from '../../libs/temporal';

const postgres = require('../../scripts/lib/postgres');
const temporal = require('../../scripts/lib/temporal');
const { DATA_DIR, LOG_DIR } = require('../../scripts/lib/paths');
const { isAlive } = require('../../scripts/lib/proc');

const ROOT = path.join(__dirname, '..', '..');
/** The compiled worker app, exactly as production runs it (`npm test` compiles before Jest runs). */
export const WORKER_ENTRY = path.join(ROOT, 'dist', 'apps', 'worker', 'src', 'main.js');
/** apps/worker/src/main.ts prints this once it polls its task queue. */
const WORKER_READY = '[worker] polling task queue';

/** A worker app running as a child process of the test. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  exited: Promise<void>;
}

interface DevServer {
  child: ChildProcess;
  address: string;
}

/**
 * Servers of the fault tests' own, which they may kill and restart without disturbing the test files
 * running beside them on the shared servers of global setup: a throwaway PostgreSQL cluster (its own
 * port and data folder) with a migrated database; a Temporal dev server on a database file (so a
 * restart keeps every workflow) on a fixed port; and worker apps as real child processes.
 */
export class FaultStack {
  client!: Client;
  private connection?: TemporalClientConnection;
  dataSource!: DataSource;
  databaseUrl!: string;
  readonly taskQueue = `faults-${randomUUID()}`;
  worker?: WorkerProcess;

  private cluster!: { url: string; start(): void; stop(mode?: string): void; remove(): void };
  private dev?: DevServer;
  private temporalPort!: number;
  private readonly dbFile = path.join(DATA_DIR, 'faults', `temporal-${process.pid}-${Date.now()}.db`);
  private readonly workerLog = path.join(LOG_DIR, 'faults-worker.log');
  private workers: WorkerProcess[] = [];

  get temporalAddress(): string {
    return `127.0.0.1:${this.temporalPort}`;
  }

  static async start(): Promise<FaultStack> {
    const stack = new FaultStack();
    await stack.init();
    return stack;
  }

  private async init(): Promise<void> {
    this.cluster = await postgres.startDedicatedCluster('faults');
    await postgres.ensureDatabase(postgres.withDatabase(this.cluster.url, 'postgres'), 'rectification');
    this.databaseUrl = this.cluster.url;
    await runMigrations(this.databaseUrl);
    this.dataSource = new DataSource(dataSourceOptions(this.databaseUrl));
    await this.dataSource.initialize();
    await loadStatutoryCalendar(this.dataSource);

    fs.mkdirSync(path.dirname(this.dbFile), { recursive: true });
    // Database files of runs that were killed before they could delete theirs.
    for (const f of fs.readdirSync(path.dirname(this.dbFile))) {
      const owner = /^temporal-(\d+)-/.exec(f);
      if (owner && !isAlive(Number(owner[1]))) fs.rmSync(path.join(path.dirname(this.dbFile), f), { force: true });
    }
    fs.mkdirSync(LOG_DIR, { recursive: true });
    await this.startTemporal();
    // The test's client gives up on an unreachable server after three tries (the SDK's default keeps
    // trying for about 20 s), so a restart reaches the callers: they must send the action again.
    this.connection = await TemporalClientConnection.connect({ address: this.temporalAddress }, defaultGrpcRetryOptions({ maxAttempts: 3 }));
    this.client = new Client({ connection: this.connection.connection });
  }

  /** Starts the dev server on its database file (the same port after a crash, as a restarted server would be). */
  async startTemporal(): Promise<void> {
    const dev = await temporal.startDevServer({ dbFile: this.dbFile, ui: false, logName: 'temporal-faults', ...(this.temporalPort ? { port: this.temporalPort } : {}) });
    this.temporalPort = dev.port;
    this.dev = dev;
  }

  /** Kills the dev server with SIGKILL, as a crash would. */
  async crashTemporal(): Promise<void> {
    const dev = this.dev;
    if (!dev?.child.pid || dev.child.exitCode !== null) return;
    const exited = new Promise((r) => dev.child.once('exit', r));
    process.kill(-dev.child.pid, 'SIGKILL');
    await exited;
    this.dev = undefined;
  }

  /** Stops PostgreSQL with pg_ctl's 'immediate' mode: every connection is cut, no checkpoint, recovery at start. */
  crashPostgres(): void {
    this.cluster.stop('immediate');
  }

  startPostgres(): void {
    this.cluster.start();
  }

  /** Starts a worker app on this stack's servers and task queue; resolves once it polls. */
  async startWorker(): Promise<WorkerProcess> {
    if (!fs.existsSync(WORKER_ENTRY)) throw new Error(`${WORKER_ENTRY} is missing: run npm test (or npm run build) first, which compiles the apps`);
    const child = spawn(process.execPath, ['--enable-source-maps', WORKER_ENTRY], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        DATABASE_URL: this.databaseUrl,
        TEMPORAL_ADDRESS: this.temporalAddress,
        TEMPORAL_TASK_QUEUE: this.taskQueue,
        // The batch's webhook channel posts to the local receiver (plain http on 127.0.0.1).
        OUTBOUND_ALLOW: 'http://127.0.0.1:*',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const log = fs.createWriteStream(this.workerLog, { flags: 'a' });
    log.write(`\n==== worker ${child.pid} started ${new Date().toISOString()} ====\n`);
    const collect = (d: Buffer) => {
      out += String(d);
      log.write(d);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        log.end(`==== worker ${child.pid} exited (${signal ?? `status ${code}`}) ====\n`);
        resolve();
      }),
    );
    const worker: WorkerProcess = { child, output: () => out, exited };
    this.workers.push(worker);
    const deadline = Date.now() + 120_000;
    while (!out.includes(WORKER_READY)) {
      if (child.exitCode !== null) throw new Error(`the worker exited during start-up:\n${out}`);
      if (Date.now() > deadline) throw new Error(`the worker did not poll within 120 s:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    this.worker = worker;
    return worker;
  }

  /** Kills the current worker with SIGKILL: no graceful shutdown, in-flight tasks are simply lost. */
  async killWorker(): Promise<void> {
    const w = this.worker;
    if (!w || w.child.exitCode !== null || w.child.signalCode !== null) return;
    w.child.kill('SIGKILL');
    await w.exited;
    this.worker = undefined;
  }

  /**
   * Freezes the current worker (SIGSTOP) for `ms`, then lets it go on (SIGCONT): a worker stalled by its
   * host past the workflow task timeout, whose tasks Temporal hands out again while it sleeps and whose late
   * answers it then refuses.
   */
  async freezeWorker(ms: number): Promise<void> {
    const w = this.worker;
    if (!w || w.child.exitCode !== null || w.child.signalCode !== null) throw new Error('no worker to freeze');
    w.child.kill('SIGSTOP');
    try {
      await new Promise((r) => setTimeout(r, ms));
    } finally {
      w.child.kill('SIGCONT');
    }
  }

  async close(): Promise<void> {
    for (const w of this.workers) {
      if (w.child.exitCode === null && w.child.signalCode === null) {
        w.child.kill('SIGTERM');
        const timer = setTimeout(() => w.child.kill('SIGKILL'), 10_000);
        await w.exited;
        clearTimeout(timer);
      }
    }
    await this.connection?.close();
    await this.crashTemporal().catch(() => undefined);
    fs.rmSync(this.dbFile, { force: true });
    for (const suffix of ['-shm', '-wal', '-journal']) fs.rmSync(`${this.dbFile}${suffix}`, { force: true });
    // The cluster is this file's alone: stopped and deleted with its database.
    if (this.dataSource?.isInitialized) await this.dataSource.destroy().catch(() => undefined);
    this.cluster?.remove();
  }
}
