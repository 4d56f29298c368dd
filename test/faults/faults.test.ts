import { randomUUID } from 'node:crypto';
import type { CaseState } from '../../libs/domain';
import { FaultStack } from '../support/fault-stack';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { deliveryOutcome, footprintsOf, settle, totalsOf, type CaseFootprint } from './footprint';
import { createBatchCounty, designatedAtMs, ScriptedBatch } from './scripted-batch';

/**
 * Fault tolerance, on servers of this file's own (test/support/fault-stack.ts) and a worker app run as
 * a child process: the same scripted batch of cases is run once on healthy servers (the reference),
 * then again while the worker is killed with SIGKILL, while the Temporal dev server is killed and
 * restarted on its database file, and while PostgreSQL crashes and restarts. Afterwards every case must
 * stand exactly where the reference's does — stage, version, audit trail, tasks, inbox notifications,
 * escalations, deliveries — and no notice may reach the channel twice.
 */
/** Cases a batch (FAULT_CASES to change it): enough for a dozen Updates in flight whenever a fault strikes. */
const CASES = Number(process.env.FAULT_CASES ?? 12);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Temporal's default workflow task timeout, which the case workflows keep. */
const WORKFLOW_TASK_TIMEOUT_MS = 10_000;

describe('fault tolerance: a batch of cases through worker, Temporal and PostgreSQL crashes', () => {
  let stack: FaultStack;
  let receiver: WebhookReceiver;
  const designatedAt = designatedAtMs();
  let reference: Run;

  interface Run {
    batch: ScriptedBatch;
    states: CaseState[];
    footprints: CaseFootprint[];
    delivery: Awaited<ReturnType<typeof deliveryOutcome>>;
    ms: number;
  }

  /** Runs a fresh county's batch, with `fault` injected alongside, and waits until everything is at rest. */
  async function runBatch(name: string, fault?: (batch: ScriptedBatch, note: (what: string) => void) => Promise<void>): Promise<Run> {
    const started = Date.now();
    const notes: string[] = [];
    const note = (what: string) => notes.push(`${what} at ${Math.round((Date.now() - started) / 1000)} s`);
    const hook = `${name}-${randomUUID().slice(0, 8)}`;
    const county = await createBatchCounty(stack.dataSource, CASES, `${receiver.baseUrl}/webhook/${hook}`);
    const batch = new ScriptedBatch(stack.client, stack.taskQueue, county, designatedAt);
    const [states] = await Promise.all([batch.run(), fault ? fault(batch, note) : Promise.resolve()]);
    const waitedFor = await settle(stack.client, stack.dataSource, batch);
    const run: Run = {
      batch,
      states,
      footprints: await footprintsOf(stack.client, stack.dataSource, batch),
      delivery: await deliveryOutcome(stack.dataSource, receiver, hook, county.channelId),
      ms: Date.now() - started,
    };
    console.log(
      `[faults] ${name}: ${notes.length ? `${notes.join(', ')}; ` : ''}${CASES} cases, ${batch.report.steps} steps in ${Math.round(batch.report.ms / 1000)} s (settled after ${Math.round(run.ms / 1000)} s), ` +
        `${batch.report.retries} retries ${JSON.stringify(batch.report.errors)}; settling waited for ${JSON.stringify(waitedFor)}; totals ${JSON.stringify(totalsOf(run.footprints))}; deliveries ${JSON.stringify(run.delivery.byStatus)}`,
    );
    return run;
  }

  /** Every case where the reference's is, row for row; no notice sent twice; every delivery settled. */
  function expectAsReference(run: Run): void {
    expect(run.states.map((s) => s.stage)).toEqual(run.batch.expectedStages);
    const byCase = (r: Run) => Object.fromEntries(r.footprints.map((f, n) => [`case ${n}`, f]));
    expect(byCase(run)).toEqual(byCase(reference));
    expect(totalsOf(run.footprints)).toEqual(totalsOf(reference.footprints));
    // A send cut off by the fault may end 'unknown' (it may or may not have arrived); none 'failed', none sent twice.
    const { sent = 0, unknown = 0, ...other } = run.delivery.byStatus;
    expect(other).toEqual({});
    expect(sent + unknown).toBe(reference.delivery.byStatus.sent);
    expect(run.delivery.duplicates).toEqual([]);
    expect(run.delivery.sentButNotReceived).toEqual([]);
  }

  beforeAll(async () => {
    stack = await FaultStack.start();
    receiver = await startWebhookReceiver();
    await stack.startWorker();
    reference = await runBatch('reference');
  }, 300_000);

  afterAll(async () => {
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  it('the reference batch, on healthy servers, ends each case where its script leads, with its escalations raised and delivered once', () => {
    expect(reference.states.map((s) => s.stage)).toEqual(reference.batch.expectedStages);
    for (const [n, f] of reference.footprints.entries()) {
      expect(f.record).toEqual({ stage: f.stage, version: f.version });
      // Year end, secretary and the first measure: each long overdue when planned, so 约谈 at once.
      const escalations = f.escalations.map((e) => e.replace(/^measure:m\d+/, 'measure'));
      const state = ['converted', 'rectifying', 'removed', 'awaiting_acceptance'][n % 4];
      const expected = {
        converted: ['measure interview resolved', 'secretary interview resolved', 'year_end interview resolved'],
        rectifying: ['measure interview open', 'secretary interview open', 'year_end interview open'],
        removed: ['measure interview resolved', 'secretary interview resolved', 'year_end interview resolved'],
        awaiting_acceptance: ['measure interview resolved', 'secretary interview resolved', 'year_end interview open'],
      }[state];
      expect({ n, state: f.stage, escalations }).toEqual({ n, state, escalations: expected });
      // Two county party secretaries: each 约谈 in two inboxes; one webhook channel: one delivery each.
      expect(f.notifications).toHaveLength(6);
      expect(f.deliveries).toHaveLength(3);
      expect(f.audit.map((a) => Number(a.split(' ')[0]))).toEqual(f.audit.map((_, i) => i + 1));
    }
    expect(reference.delivery.byStatus).toEqual({ sent: CASES * 3 });
    expect(reference.delivery.duplicates).toEqual([]);
    expect(reference.delivery.received).toBe(CASES * 3);
  });

  it('a worker killed with SIGKILL in the middle of the batch, and its successor killed while it recovers: a third worker finishes every case exactly as without the faults', async () => {
    const inFlight: number[] = [];
    const run = await runBatch('worker-kill', async (batch, note) => {
      await batch.reached(0.3);
      inFlight.push(batch.inFlight);
      await stack.killWorker();
      note(`worker killed with ${batch.inFlight} actions in flight`);
      await stack.startWorker();
      note('second worker polling');
      // The new worker replays the cases it picks up and answers a few actions; then it dies too.
      await batch.answersFrom(3);
      inFlight.push(batch.inFlight);
      await stack.killWorker();
      note(`second worker killed with ${batch.inFlight} actions in flight`);
      await stack.startWorker();
      note('third worker polling');
    });
    // Each kill struck while actions were waiting on the worker.
    expect(inFlight.every((n) => n > 0)).toBe(true);
    expectAsReference(run);
  }, 400_000);

  it('a worker frozen past the workflow task timeout with actions waiting on it, then resumed: Temporal hands its tasks out again, and every case ends exactly as without the fault', async () => {
    let inFlight = 0;
    let workerOutputBefore = 0;
    const run = await runBatch('worker-freeze', async (batch, note) => {
      await batch.reached(0.3);
      inFlight = batch.inFlight;
      workerOutputBefore = stack.worker!.output().length;
      note(`worker frozen with ${inFlight} actions in flight`);
      // The workflow task timeout is 10 s: every task it holds times out while it sleeps.
      await stack.freezeWorker(WORKFLOW_TASK_TIMEOUT_MS + 5000);
      note('worker resumed');
    });
    expect(inFlight).toBeGreaterThan(0);
    // The worker came back to tasks Temporal had already taken from it.
    expect(stack.worker!.output().slice(workerOutputBefore)).toContain('Task not found when completing');
    expectAsReference(run);
  }, 400_000);

  it('the Temporal dev server killed and restarted on its database file mid-batch: the worker and the clients reconnect, every case continues exactly', async () => {
    let inFlight = 0;
    const run = await runBatch('temporal-restart', async (batch, note) => {
      await batch.reached(0.4);
      inFlight = batch.inFlight;
      await stack.crashTemporal();
      note(`Temporal killed with ${inFlight} actions in flight`);
      await pause(3000);
      await stack.startTemporal();
      note('Temporal back');
    });
    expect(inFlight).toBeGreaterThan(0);
    // The callers lost answers and sent those actions again (same update ids): still nothing applied twice.
    expect(run.batch.report.retries).toBeGreaterThan(0);
    expectAsReference(run);
  }, 400_000);

  it('PostgreSQL crashed (immediate shutdown) and restarted mid-batch: projections fail, Temporal retries them, and nothing is written twice', async () => {
    let inFlight = 0;
    let workerOutputBefore = 0;
    const run = await runBatch('postgres-restart', async (batch, note) => {
      await batch.reached(0.4);
      inFlight = batch.inFlight;
      workerOutputBefore = stack.worker!.output().length;
      stack.crashPostgres();
      note(`PostgreSQL crashed with ${inFlight} actions in flight`);
      await pause(5000);
      stack.startPostgres();
      note('PostgreSQL back');
    });
    expect(inFlight).toBeGreaterThan(0);
    // Activities failed on the dead connections and were retried by Temporal.
    expect(stack.worker!.output().slice(workerOutputBefore)).toContain('Activity failed');
    expectAsReference(run);
  }, 400_000);
});
