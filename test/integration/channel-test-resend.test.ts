import { randomUUID } from 'node:crypto';
import { createActivities } from '../../activities';
import { signalDeliveryDispatcher } from '../../libs/temporal';
import type { PlannedNotice } from '../../libs/domain';
import { DeliveryEntity } from '../../libs/persistence';
import { as, signedInUser, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, eventually, startHarness, type Harness } from '../support/harness';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

/**
 * What the 通知渠道 and 推送记录 pages do: a test message sent at once with its result (taken or why not),
 * and a failed delivery sent again — only a failed one, only in one's own region, audited.
 */
describe('channel test send and delivery re-send', () => {
  let h: Harness;
  let receiver: WebhookReceiver;
  let acts: ReturnType<typeof createActivities>;

  beforeAll(async () => {
    h = await startHarness();
    receiver = await startWebhookReceiver();
    acts = createActivities({ dataSource: h.dataSource, temporal: { client: h.client, taskQueue: h.config.temporal.taskQueue } });
  }, 120000);
  afterAll(async () => {
    await receiver?.close();
    await h?.close();
  });

  async function place() {
    const { county, township, organizations } = await createRegionWithOrganizations(h.dataSource, 1);
    const admin = await signedInUser(h.app, h.dataSource, 'county_org_admin', county.id, { name: '组织部干部' });
    return { countyId: county.id, townshipId: township.id, townshipName: township.name, admin, caseId: `case-2026-${organizations[0].id}`, organizationName: organizations[0].name };
  }

  async function webhook(admin: TestUser, townshipId: string) {
    const name = `hook-${randomUUID().slice(0, 8)}`;
    const res = await as(h.app, admin)
      .post(`/api/townships/${townshipId}/channels`)
      .send({ kind: 'webhook', name: '整顿工作群', url: `${receiver.baseUrl}/webhook/${name}` })
      .expect(201);
    return { id: res.body.id as string, name };
  }

  const auditOf = async (action: string, channelId: string) =>
    (await h.dataSource.query(`SELECT actor, payload FROM audit_entry WHERE action = $1 AND payload->>'channelId' = $2`, [action, channelId])) as {
      actor: string;
      payload: Record<string, unknown>;
    }[];

  it('sends a test message now and answers whether the channel took it, or why not', async () => {
    const p = await place();
    const hook = await webhook(p.admin, p.townshipId);

    const ok = await as(h.app, p.admin).post(`/api/channels/${hook.id}/test`).expect(200);
    expect(ok.body).toMatchObject({ channelId: hook.id, ok: true, error: null });
    const got = receiver.accepted('webhook', hook.name);
    expect(got).toHaveLength(1);
    const text = (got[0].body as { notices: { text: string }[] }).notices[0].text;
    expect(text).toContain('测试消息');
    expect(text).toContain(p.townshipName);

    receiver.failNext(1, hook.name);
    const refused = await as(h.app, p.admin).post(`/api/channels/${hook.id}/test`).expect(200);
    expect(refused.body).toMatchObject({ ok: false, messageId: null });
    expect(refused.body.error).toContain('HTTP 500');
    // A test send leaves no delivery behind (nothing to retry), and both are audited with their outcome.
    expect(await h.dataSource.getRepository(DeliveryEntity).countBy({ channelId: hook.id })).toBe(0);
    expect((await auditOf('channel.tested', hook.id)).map((a) => a.payload.ok).sort()).toEqual([false, true]);

    // Another county's organization department does not reach the channel.
    const other = await place();
    const res = await as(h.app, other.admin).post(`/api/channels/${hook.id}/test`).expect(404);
    expect(res.body.code).toBe('CHANNEL_NOT_FOUND');
  });

  it('re-sends a failed delivery once it is fixed; a sent one or another county’s is refused', async () => {
    const p = await place();
    const hook = await webhook(p.admin, p.townshipId);
    await signalDeliveryDispatcher(h.client, h.config.temporal.taskQueue, hook.id, { retry: { initialIntervalMs: 100, maximumIntervalMs: 100, backoffCoefficient: 1, maximumAttempts: 2 } });
    receiver.failAlways(hook.name);
    const notice: PlannedNotice = {
      key: `${p.caseId}:measure:m1:supervision`,
      caseId: p.caseId,
      deadlineKey: 'measure:m1',
      kind: 'measure',
      rung: 'supervision',
      offsetDays: 1,
      title: '整改措施：第1项',
      reason: '整改措施：第1项已逾期1天，予以督办',
      dueOn: '2026-05-31',
      on: '2026-06-01',
      atMs: Date.now(),
      recipients: [{ role: 'township_party_secretary', regionId: p.townshipId }],
    };
    await acts.raiseNotices({ caseId: p.caseId, organizationName: p.organizationName, countyId: p.countyId, townshipId: p.townshipId, notices: [notice] });
    const failed = await eventually(
      async () => (await h.dataSource.getRepository(DeliveryEntity).findOneBy({ channelId: hook.id, status: 'failed' })) ?? undefined,
      30000,
      'the delivery failed',
    );
    receiver.failAlways(hook.name, false);

    const other = await place();
    expect((await as(h.app, other.admin).post(`/api/deliveries/${failed.id}/resend`).expect(404)).body.code).toBe('DELIVERY_NOT_FOUND');

    const resent = await as(h.app, p.admin).post(`/api/deliveries/${failed.id}/resend`).expect(200);
    expect(resent.body).toMatchObject({ id: failed.id, lastError: null });
    expect(['pending', 'sending', 'sent']).toContain(resent.body.status);
    await eventually(async () => ((await h.dataSource.getRepository(DeliveryEntity).findOneBy({ id: failed.id }))?.status === 'sent' ? true : undefined), 30000, 'sent');
    expect(receiver.accepted('webhook', hook.name)).toHaveLength(1);
    expect(await auditOf('delivery.resent', hook.id)).toHaveLength(1);

    const again = await as(h.app, p.admin).post(`/api/deliveries/${failed.id}/resend`).expect(409);
    expect(again.body).toMatchObject({ code: 'DELIVERY_NOT_FAILED', message: expect.stringContaining('已发送') });
    expect(receiver.accepted('webhook', hook.name)).toHaveLength(1);
  });
});
