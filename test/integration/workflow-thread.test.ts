import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { shanghaiDateOf, type Actor } from '../../libs/domain';
import { startRectifyCase } from '../../libs/temporal';
import { startAppProcess, WORKER_ENTRY, type AppProcess } from '../support/app-processes';
import { createRegionWithOrganizations, designationOf, eventually, startHarness, type Harness } from '../support/harness';

/**
 * The worker's workflow thread as patches/@temporalio+worker+1.24.0.patch leaves it: no stack trace kept
 * for every promise a workflow makes unless the operator asks for them (TEMPORAL_WORKFLOW_STACK_TRACES=1),
 * and the time limit of an activation kept by one timer on the main thread instead of a watchdog thread per
 * call into the workflow — a workflow stuck in an activation still stops the worker, loudly.
 */
describe("the worker's workflow thread", () => {
  let h: Harness;
  const workers: AppProcess[] = [];

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await h?.close();
  });

  /** The compiled worker (as production runs it) on a task queue of its own, once it polls. */
  async function startWorker(taskQueue: string, extraEnv: NodeJS.ProcessEnv): Promise<void> {
    const env = { PATH: process.env.PATH, DATABASE_URL: process.env.DATABASE_URL, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE: taskQueue, NODE_ENV: 'test', ...extraEnv };
    workers.push(await startAppProcess(WORKER_ENTRY, env, '[worker] polling task queue', 60000));
  }

  it("answers Temporal's stack-trace query (the UI's Stack Trace tab) only on a worker started with TEMPORAL_WORKFLOW_STACK_TRACES=1", async () => {
    const { organizations } = await createRegionWithOrganizations(h.dataSource, 2);
    const batchYear = Number(shanghaiDateOf(Date.now()).slice(0, 4));
    const admin: Actor = { id: `admin-${randomUUID()}`, name: '组织部干部', role: 'county_org_admin' };
    const plain = `plain-${randomUUID()}`;
    const traced = `traced-${randomUUID()}`;
    await Promise.all([startWorker(plain, {}), startWorker(traced, { TEMPORAL_WORKFLOW_STACK_TRACES: '1' })]);

    const [plainCase, tracedCase] = await Promise.all(
      [plain, traced].map(async (taskQueue, i) => {
        const designation = designationOf(organizations[i], batchYear, admin);
        await startRectifyCase(h.client, taskQueue, designation);
        return designation.caseId;
      }),
    );
    const stack = await eventually(async () => h.client.workflow.getHandle(tracedCase).query<string>('__stack_trace').catch(() => undefined), 30000, 'the stack trace');
    expect(stack).toContain('rectifyCase');
    await expect(h.client.workflow.getHandle(plainCase).query('__stack_trace')).rejects.toThrow(/stack traces are not enabled/);
  });

  it('stops a workflow that does not give its activation back within the time limit, and shuts the worker down', async () => {
    const taskQueue = `runaway-${randomUUID()}`;
    const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS as string });
    try {
      const worker = await Worker.create({
        connection,
        taskQueue,
        workflowsPath: require.resolve('../support/runaway-workflow'),
        // Taken from the options although WorkerOptions' type does not list it (as apps/worker sets it).
        ...({ isolateExecutionTimeout: '2s' } as object),
      });
      const stopped = worker.run().then(
        () => new Error('the worker stopped without an error'),
        (err: unknown) => err,
      );
      await h.client.workflow.start('loopForever', { taskQueue, workflowId: `runaway-${randomUUID()}` });
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([stopped, new Promise<string>((r) => (timer = setTimeout(() => r('still running after 30 s'), 30000)))]);
      clearTimeout(timer);
      expect(String(outcome)).toMatch(/did not complete an activation within 2000 ms/);
    } finally {
      await connection.close();
    }
  });
});
