import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createActivities } from '../../activities';
import { signalDeliveryDispatcher } from '../../libs/temporal';
import type { PlannedNotice } from '../../libs/domain';
import { DeliveryEntity } from '../../libs/persistence';
import { as, signedInUser } from '../support/auth';
import { createRegionWithOrganizations, eventually, startHarness, type Harness } from '../support/harness';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const ROOT = path.join(__dirname, '..', '..');
const WORKER = path.join(ROOT, 'dist', 'apps', 'worker', 'src', 'main.js');

/**
 * A real worker process (the compiled app, as production runs it) killed with SIGKILL while its send
 * is in flight; a second worker takes over. The notice must not go out twice: the interrupted
 * delivery ends 'unknown' (visible, "may or may not have arrived"), never re-sent.
 */
describe('a worker killed mid-delivery', () => {
  let h: Harness;
  let receiver: WebhookReceiver;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(WORKER)) throw new Error(`${WORKER} is missing: run the suite with npm test, which compiles the apps first`);
    h = await startHarness();
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await receiver?.close();
    await h?.close();
  });

  /** Starts the compiled worker on a task queue of its own and waits until it polls. */
  async function startWorker(taskQueue: string): Promise<ChildProcess> {
    const child = spawn(process.execPath, [WORKER], {
      env: { PATH: process.env.PATH, DATABASE_URL: process.env.DATABASE_URL, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE: taskQueue, NODE_ENV: 'test', OUTBOUND_ALLOW: process.env.OUTBOUND_ALLOW },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout?.on('data', (d) => (out += String(d)));
    child.stderr?.on('data', (d) => (out += String(d)));
    await eventually(async () => (out.includes('[worker] polling task queue') ? true : child.exitCode !== null ? Promise.reject(new Error(out)) : undefined), 60000, 'the worker to poll');
    return child;
  }

  it('sends the in-flight notice at most once, and shows it as "unknown"', async () => {
    const taskQueue = `crash-${randomUUID()}`;
    const { county, township, organizations } = await createRegionWithOrganizations(h.dataSource, 1);
    const admin = await signedInUser(h.app, h.dataSource, 'county_org_admin', county.id);
    await signedInUser(h.app, h.dataSource, 'township_party_secretary', township.id);
    const name = `hook-${randomUUID().slice(0, 8)}`;
    const created = await as(h.app, admin).post(`/api/townships/${township.id}/channels`).send({ kind: 'webhook', name: '镇督办群', url: `${receiver.baseUrl}/webhook/${name}` }).expect(201);
    const channelId: string = created.body.id;
    // The receiver holds the request open: the send is in flight when the worker dies.
    receiver.delay(name, 60_000);

    const caseId = `case-2026-${organizations[0].id}`;
    const notice: PlannedNotice = {
      key: `${caseId}:year_end:supervision`,
      caseId,
      deadlineKey: 'year_end',
      kind: 'year_end',
      rung: 'supervision',
      offsetDays: 1,
      title: '年底前转化提升',
      reason: '年底前转化提升已逾期1天，予以督办',
      dueOn: '2026-12-31',
      on: '2027-01-01',
      atMs: Date.now(),
      recipients: [{ role: 'township_party_secretary', regionId: township.id }],
    };
    // Raised without dispatching; the dispatcher is started on the child worker's queue.
    await createActivities({ dataSource: h.dataSource }).raiseNotices({ caseId, organizationName: organizations[0].name, countyId: county.id, townshipId: township.id, notices: [notice] });

    const first = await startWorker(taskQueue);
    await signalDeliveryDispatcher(h.client, taskQueue, channelId, { sendTimeoutMs: 4000, retry: { initialIntervalMs: 500, maximumAttempts: 5 } });
    await eventually(async () => (receiver.requests.some((r) => r.name === name) ? true : undefined), 30000, 'the send to reach the receiver');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    const second = await startWorker(taskQueue);
    const row = await eventually(async () => {
      const d = await h.dataSource.getRepository(DeliveryEntity).findOneBy({ channelId });
      return d && d.status !== 'sending' && d.status !== 'pending' ? d : undefined;
    }, 40000, 'the delivery to settle');
    expect(row.status).toBe('unknown');
    await new Promise((r) => setTimeout(r, 2000));
    expect(receiver.requests.filter((r) => r.name === name)).toHaveLength(1);
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));
  }, 120000);
});
