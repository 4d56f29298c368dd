import { Client, Connection, WithStartWorkflowOperation, WorkflowIdConflictPolicy } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createActivities } from '../../activities';
import { caseUpdates, getCaseStateQuery, RECTIFY_CASE_WORKFLOW_TYPE, rectifyCaseWorkflowId, type RectifyCaseWorkflow } from '../../libs/contracts/rectify-case';
import { EVALUATE_STAR_RATING_WORKFLOW_TYPE, ratingUpdates, starRatingWorkflowId, type EvaluateStarRatingWorkflow } from '../../libs/contracts/evaluate-star-rating';
import { addDays, ratingIdFor, shanghaiDateOf, startOfShanghaiDay, type Actor } from '../../libs/domain';
import { dataSourceOptions } from '../../libs/persistence';
import { designationStart } from '../../libs/temporal';
import { recordHistoryFixture } from '../support/history-events';
import { createRegionWithOrganizations, designationOf, eventually, quietTemporalRuntime } from '../support/harness';

/**
 * An action that reaches a case before its workflow's first task — sent with its start (Update-with-Start), or
 * while the workers were down or slow — is handed to the workflow together with the start. It waits for the
 * run's first look: the designation projected, then the deadlines already missed, then the action; the same
 * trail as when the action comes later. A star rating's command likewise waits for the rating's start. On the
 * Temporal dev server of the run, with a worker of this file's own.
 */
describe('an action handed over with the start of its workflow', () => {
  let ds: DataSource;
  let connection: Connection;
  let client: Client;
  let nativeConnection: NativeConnection;
  let bundle: WorkflowBundle;

  beforeAll(async () => {
    quietTemporalRuntime();
    ds = new DataSource(dataSourceOptions(process.env.DATABASE_URL as string));
    await ds.initialize();
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    client = new Client({ connection });
    nativeConnection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
    bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } as never,
    });
  }, 60_000);

  afterAll(async () => {
    await nativeConnection?.close();
    await connection?.close();
    await ds?.destroy();
  });

  /** Runs `fn` with a worker of its own, polling a task queue of its own. */
  async function withWorker(fn: (taskQueue: string) => Promise<void>): Promise<void> {
    const taskQueue = `first-look-${randomUUID()}`;
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: createActivities({ dataSource: ds, temporal: { client, taskQueue } }),
    });
    const running = worker.run();
    try {
      await fn(taskQueue);
    } finally {
      worker.shutdown();
      await running;
    }
  }

  it('a case: waits for the designation and the deadlines already missed: none is left out of the audit trail, and the history replays', async () => {
    await withWorker(async (taskQueue) => {
      const { organizations } = await createRegionWithOrganizations(ds, 1);
      const org = organizations[0];
      const countyAdmin: Actor = { id: randomUUID(), name: '组织部干部', role: 'county_org_admin' };
      // Designated two years back: its year end is long missed when the run first looks at the clock.
      const designatedOn = addDays(shanghaiDateOf(Date.now()), -800);
      const batchYear = Number(designatedOn.slice(0, 4));
      const designation = { ...designationOf(org, batchYear, countyAdmin), designatedAt: new Date(startOfShanghaiDay(designatedOn) + 12 * 3600_000).toISOString() };
      const workflowId = rectifyCaseWorkflowId(designation.caseId);

      const leader = { id: randomUUID(), name: '李副县长', title: '副县长', isCountyPartySecretary: false };
      const answer = await client.workflow.executeUpdateWithStart(caseUpdates.assignContactLeader, {
        args: [{ actor: countyAdmin, leader }],
        startWorkflowOperation: new WithStartWorkflowOperation<RectifyCaseWorkflow>(RECTIFY_CASE_WORKFLOW_TYPE, {
          ...designationStart(taskQueue, designation),
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        }),
      });
      expect(answer.contactLeader?.name).toBe('李副县长');
      // An action after the first look goes as it always did.
      const contactLeader: Actor = { id: leader.id, name: leader.name, role: 'county_leader' };
      await client.workflow.getHandle(workflowId).executeUpdate(caseUpdates.recordGuidanceVisit, {
        args: [{ actor: contactLeader, visitedOn: shanghaiDateOf(Date.now()), place: '村党群服务中心', summary: '听取汇报，走访党员群众', problemsFound: ['组织生活不经常'] }],
      });

      const state = await client.workflow.getHandle(workflowId).query(getCaseStateQuery);
      const trail = ['case.designated', 'deadline.year_end_missed', 'leader.assigned', 'visit.recorded'];
      expect(state.version).toBe(trail.length);
      const audit = await eventually(async () => {
        const rows: { idempotency_key: string; action: string }[] = await ds.query(`SELECT idempotency_key, action FROM audit_entry WHERE case_id = $1`, [designation.caseId]);
        return rows.some((r) => r.action === 'visit.recorded') ? rows : undefined;
      }, 15_000, 'the actions in the audit trail');
      // Each row's key ends with its number in the case's trail (…:e<n>).
      const numbered = audit.map((a) => ({ n: Number(a.idempotency_key.slice(a.idempotency_key.lastIndexOf(':e') + 2)), action: a.action })).sort((x, y) => x.n - y.n);
      expect(numbered).toEqual(trail.map((action, i) => ({ n: i + 1, action })));

      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId)).resolves.toBeUndefined();
      recordHistoryFixture('action-with-start', history);
    });
  }, 60_000);

  it('a star rating: an application handed over with its start comes after the rating is started in its trail', async () => {
    await withWorker(async (taskQueue) => {
      const { organizations } = await createRegionWithOrganizations(ds, 1);
      const org = organizations[0];
      const countyAdmin: Actor = { id: randomUUID(), name: '组织部干部', role: 'county_org_admin' };
      const townshipSecretary: Actor = { id: randomUUID(), name: '镇党委书记', role: 'township_party_secretary' };
      const year = Number(shanghaiDateOf(Date.now()).slice(0, 4));
      const ratingId = ratingIdFor(org.id, year);
      const workflowId = starRatingWorkflowId(ratingId);
      const start = {
        ratingId,
        organization: { id: org.id, name: org.name, domain: org.domain, townshipId: org.townshipId, countyId: org.countyId, regionId: org.regionId },
        year,
        publicNoticeDays: 5,
        startedBy: countyAdmin,
        startedAt: new Date().toISOString(),
      };
      const answer = await client.workflow.executeUpdateWithStart(ratingUpdates.applyForRating, {
        args: [{ actor: townshipSecretary, selfScore: 70, appliedStars: 2, selfCheck: '对照"六个基本"逐项自查' }],
        startWorkflowOperation: new WithStartWorkflowOperation<EvaluateStarRatingWorkflow>(EVALUATE_STAR_RATING_WORKFLOW_TYPE, {
          taskQueue,
          workflowId,
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
          args: [{ start }],
        }),
      });
      expect(answer.version).toBe(2);

      const audit = await eventually(async () => {
        const rows: { idempotency_key: string; action: string }[] = await ds.query(`SELECT idempotency_key, action FROM audit_entry WHERE idempotency_key LIKE $1`, [`${ratingId}:%`]);
        return rows.length >= 2 ? rows : undefined;
      }, 15_000, "the rating's trail");
      const numbered = audit.map((a) => ({ n: Number(a.idempotency_key.slice(a.idempotency_key.lastIndexOf(':') + 1)), action: a.action })).sort((x, y) => x.n - y.n);
      expect(numbered).toEqual([
        { n: 1, action: 'star_rating.started' },
        { n: 2, action: 'star_rating.applied' },
      ]);

      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId)).resolves.toBeUndefined();
    });
  }, 60_000);
});
