import { randomUUID } from 'node:crypto';
import { createActivities } from '../../activities';
import { INTERRUPTED_ERROR } from '../../activities/delivery';
import { signalDeliveryDispatcher } from '../../libs/temporal';
import type { PlannedNotice } from '../../libs/domain';
import { DeliveryEntity } from '../../libs/persistence';
import { deliverNoticesWorkflowId, type DeliverNoticesInput } from '../../libs/contracts/deliver-notices';
import { as, signedInUser, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, eventually, startHarness, type Harness } from '../support/harness';
import { recordHistoryFixture } from '../support/history-events';
import { startWebhookReceiver, verifyDingTalk, type ReceivedRequest, type WebhookReceiver } from '../support/webhook-receiver';

/**
 * The name under which RECORD_HISTORIES=1 saves the rate-window test's dispatcher history as a replay fixture
 * (test/workflows/replay.test.ts). A new name for each change of the dispatcher that must stay replayable.
 */
const DISPATCHER_FIXTURE = 'deliver-notices-rate-window-local-digest';

/** Retries fast enough for a test: 200 ms apart. */
const FAST_RETRY = { initialIntervalMs: 200, maximumIntervalMs: 200, backoffCoefficient: 1 };

interface Place {
  countyId: string;
  townshipId: string;
  admin: TestUser;
  caseId: string;
  organizationName: string;
}

describe('delivery to DingTalk, WeCom and webhooks (dispatcher workflow on the dev server)', () => {
  let h: Harness;
  let receiver: WebhookReceiver;
  /** Activities with the harness's Temporal client: raiseNotices starts/signals the dispatchers. */
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

  /** A fresh county and township (channels are per township), its county organization department user and a case id. */
  async function place(): Promise<Place> {
    const { county, township, organizations } = await createRegionWithOrganizations(h.dataSource, 1);
    const admin = await signedInUser(h.app, h.dataSource, 'county_org_admin', county.id, { name: '组织部干部' });
    await signedInUser(h.app, h.dataSource, 'township_party_secretary', township.id, { name: '王书记' });
    return { countyId: county.id, townshipId: township.id, admin, caseId: `case-2026-${organizations[0].id}`, organizationName: organizations[0].name };
  }

  /** A channel pointing at the receiver, created through the API; `name` routes the receiver. */
  async function channel(p: Place, kind: 'dingtalk' | 'wecom' | 'webhook', extra: { secret?: string; maxPerMinute?: number; batchSize?: number } = {}) {
    const name = `${kind}-${randomUUID().slice(0, 8)}`;
    const url = kind === 'webhook' ? `${receiver.baseUrl}/webhook/${name}` : `${receiver.baseUrl}/${kind}/${name}?${kind === 'dingtalk' ? 'access_token' : 'key'}=tok${name}`;
    const res = await as(h.app, p.admin).post(`/api/townships/${p.townshipId}/channels`).send({ kind, name: `${kind}测试群`, url, ...extra }).expect(201);
    if (extra.secret) receiver.setSecret(name, extra.secret);
    return { id: res.body.id as string, name };
  }

  /** Starts a channel's dispatcher with test settings before anything is raised (production starts it from raiseNotices). */
  const startDispatcher = (channelId: string, settings: DeliverNoticesInput['settings']) =>
    signalDeliveryDispatcher(h.client, h.config.temporal.taskQueue, channelId, settings);

  function notices(p: Place, count: number, rung: PlannedNotice['rung'] = 'supervision'): PlannedNotice[] {
    return Array.from({ length: count }, (_, i) => ({
      key: `${p.caseId}:measure:m${i + 1}:${rung}${rung === 'reminder' ? ':3' : ''}`,
      caseId: p.caseId,
      deadlineKey: `measure:m${i + 1}`,
      kind: 'measure' as const,
      rung,
      offsetDays: rung === 'reminder' ? 3 : 1,
      title: `整改措施：第${i + 1}项`,
      reason: rung === 'reminder' ? `整改措施：第${i + 1}项 将于 2026-05-31 到期（还有3天）` : `整改措施：第${i + 1}项已逾期1天，予以督办`,
      dueOn: '2026-05-31',
      on: '2026-06-01',
      atMs: Date.now(),
      recipients: [{ role: 'township_party_secretary' as const, regionId: p.townshipId }],
    }));
  }

  const raise = (p: Place, list: PlannedNotice[], activities = acts) =>
    activities.raiseNotices({ caseId: p.caseId, organizationName: p.organizationName, countyId: p.countyId, townshipId: p.townshipId, notices: list });

  const deliveriesOf = (channelId: string) => h.dataSource.getRepository(DeliveryEntity).find({ where: { channelId }, order: { createdAt: 'ASC', key: 'ASC' } });
  const allInStatus = (channelId: string, count: number, status: string) =>
    eventually(
      async () => {
        const rows = await deliveriesOf(channelId);
        return rows.length === count && rows.every((d) => d.status === status) ? rows : undefined;
      },
      30000,
      `${count} deliveries ${status} on ${channelId}`,
    );

  const dingTalkText = (r: ReceivedRequest) => (r.body as { markdown: { text: string } }).markdown.text;
  /** How often each notice (by its reason, which names it once) appears across the messages. */
  function noticeCounts(texts: string[], count: number): number[] {
    return Array.from({ length: count }, (_, i) => texts.reduce((n, t) => n + t.split(`第${i + 1}项已逾期`).length - 1, 0));
  }

  it('sends correctly signed DingTalk, WeCom and webhook messages with the notices in Chinese', async () => {
    const p = await place();
    const dingSecret = `SEC${randomUUID().replace(/-/g, '')}`;
    const hookSecret = randomUUID();
    const ding = await channel(p, 'dingtalk', { secret: dingSecret });
    const wecom = await channel(p, 'wecom');
    const hook = await channel(p, 'webhook', { secret: hookSecret });

    const list = [...notices(p, 1, 'reminder'), ...notices(p, 1, 'supervision')];
    await raise(p, list);
    for (const c of [ding, wecom, hook]) await allInStatus(c.id, 2, 'sent');

    // DingTalk: signed (timestamp + sign recomputed by the receiver), markdown, Chinese text, one message a notice.
    const dt = receiver.requests.filter((r) => r.name === ding.name);
    expect(dt).toHaveLength(2);
    expect(dt.every((r) => r.status === 200 && !r.rejected)).toBe(true);
    for (const r of dt) {
      expect(r.query.access_token).toBe(`tok${ding.name}`);
      expect(r.query.timestamp).toMatch(/^\d{13}$/);
      expect(verifyDingTalk(r.query, dingSecret)).toBeUndefined();
      expect(verifyDingTalk(r.query, 'SECwrong')).toBe('bad signature');
      expect(verifyDingTalk(r.query, dingSecret, Number(r.query.timestamp) + 2 * 3600_000)).toBe('stale timestamp');
      expect(r.body).toMatchObject({ msgtype: 'markdown', markdown: { title: expect.any(String), text: expect.any(String) } });
    }
    const dtTexts = dt.map(dingTalkText).join('\n');
    expect(dtTexts).toContain(`【提醒】${p.organizationName}：整改措施：第1项`);
    expect(dtTexts).toContain('将于 2026-05-31 到期（还有3天）');
    expect(dtTexts).toContain('已逾期1天，予以督办');
    expect(dtTexts).toContain('接收人：王书记');
    expect(dt.map((r) => (r.body as { markdown: { title: string } }).markdown.title).sort()).toEqual(
      [`【提醒】${p.organizationName}：整改措施：第1项`, `【督办】${p.organizationName}：整改措施：第1项`].sort(),
    );

    // WeCom: markdown content.
    const wc = receiver.accepted('wecom', wecom.name);
    expect(wc).toHaveLength(2);
    const wcTexts = wc.map((r) => (r.body as { msgtype: string; markdown: { content: string } }).markdown.content).join('\n');
    expect(wcTexts).toContain('【督办】');
    expect(wcTexts).toContain('已逾期1天，予以督办');

    // Webhook: { notices }, HMAC of the body, Idempotency-Key = the batch id recorded on the delivery.
    const wh = receiver.requests.filter((r) => r.name === hook.name);
    expect(wh).toHaveLength(2);
    expect(wh.every((r) => r.status === 200 && !r.rejected)).toBe(true);
    const rows = await deliveriesOf(hook.id);
    expect(wh.map((r) => r.headers['idempotency-key']).sort()).toEqual(rows.map((d) => d.batchId).sort());
    expect(wh.every((r) => String(r.headers['x-rectification-signature']).startsWith('sha256='))).toBe(true);
    const sent = wh.flatMap((r) => (r.body as { notices: { key: string; rungLabel: string; reason: string; text: string }[] }).notices);
    expect(sent.map((n) => n.key).sort()).toEqual(list.map((n) => n.key).sort());
    expect(sent.find((n) => n.rungLabel === '督办')!.reason).toBe('整改措施：第1项已逾期1天，予以督办');
    expect(rows.every((d) => d.sentAt !== null && d.attempts === 1 && d.messageId)).toBe(true);

    // One dispatcher workflow per channel, waiting for the next signal.
    const described = await h.client.workflow.getHandle(deliverNoticesWorkflowId(ding.id)).describe();
    expect(described.status.name).toBe('RUNNING');

    // Raising the same notices again (a retried activity) sends nothing more.
    await raise(p, list);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.requests.filter((r) => r.name === ding.name)).toHaveLength(2);
    const listed = await as(h.app, p.admin).get(`/api/deliveries?status=sent&channelId=${ding.id}`).expect(200);
    expect(listed.body.items).toHaveLength(2);
    expect(listed.body.totals).toMatchObject({ sent: 2, pending: 0, failed: 0, unknown: 0 });
  });

  it('batches 45 notices on a DingTalk channel (20 a minute) into digests, never more than 20 messages in a rolling minute', async () => {
    const p = await place();
    const ding = await channel(p, 'dingtalk', { secret: 'SECrate' });
    await raise(p, notices(p, 45));
    await allInStatus(ding.id, 45, 'sent');

    const messages = receiver.accepted('dingtalk', ding.name);
    const times = messages.map((r) => r.receivedAt).sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) expect(times.filter((t) => t >= times[i] && t < times[i] + 60_000).length).toBeLessThanOrEqual(20);
    expect(messages.length).toBeLessThanOrEqual(20);
    // Every notice arrived exactly once; messages carrying several notices are digests.
    expect(noticeCounts(messages.map(dingTalkText), 45)).toEqual(Array(45).fill(1));
    const digest = messages.map(dingTalkText).find((t) => t.includes('提醒督办汇总'));
    expect(digest).toBeDefined();
    expect(messages.some((r) => (r.body as { markdown: { title: string } }).markdown.title.startsWith('整顿工作提醒汇总'))).toBe(true);
  });

  it('waits for the rate window when the budget is used up (3 messages per window, window shortened for the test)', async () => {
    const p = await place();
    const ding = await channel(p, 'dingtalk', { maxPerMinute: 3, batchSize: 10 });
    const windowMs = 3000;
    await startDispatcher(ding.id, { rateWindowMs: windowMs });
    await raise(p, notices(p, 45));
    await allInStatus(ding.id, 45, 'sent');

    const messages = receiver.accepted('dingtalk', ding.name);
    const times = messages.map((r) => r.receivedAt).sort((a, b) => a - b);
    // 45 notices, at most 10 a digest, 3 messages a window: 30 go in the first window, the rest only
    // once it has passed — never 4 messages within one window.
    expect(messages.length).toBeGreaterThanOrEqual(5);
    expect(messages.length).toBeLessThanOrEqual(6);
    for (let i = 0; i + 3 < times.length; i++) expect(times[i + 3] - times[i]).toBeGreaterThanOrEqual(windowMs);
    expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(windowMs);
    expect(messages.every((r) => (dingTalkText(r).match(/已逾期/g) ?? []).length <= 10)).toBe(true);
    expect(noticeCounts(messages.map(dingTalkText), 45)).toEqual(Array(45).fill(1));
    recordHistoryFixture(DISPATCHER_FIXTURE, await h.client.workflow.getHandle(deliverNoticesWorkflowId(ding.id)).fetchHistory());
  });

  it('retries a channel that fails twice and delivers the digest once, under the same Idempotency-Key', async () => {
    const p = await place();
    const hook = await channel(p, 'webhook', { secret: 'hook-secret' });
    await startDispatcher(hook.id, { retry: { ...FAST_RETRY, maximumAttempts: 5 } });
    receiver.failNext(2, hook.name);
    await raise(p, notices(p, 1));
    const [row] = await allInStatus(hook.id, 1, 'sent');

    const got = receiver.requests.filter((r) => r.name === hook.name);
    expect(got.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(receiver.accepted('webhook', hook.name)).toHaveLength(1);
    expect(new Set(got.map((r) => r.headers['idempotency-key']))).toEqual(new Set([row.batchId]));
    expect(row).toMatchObject({ attempts: 3, lastError: null });
  });

  it('marks deliveries failed after the last attempt and lists them in GET /api/deliveries?status=failed', async () => {
    const p = await place();
    const wecom = await channel(p, 'wecom');
    await startDispatcher(wecom.id, { retry: { ...FAST_RETRY, maximumAttempts: 3 } });
    receiver.failAlways(wecom.name);
    await raise(p, notices(p, 2));
    const rows = await allInStatus(wecom.id, 2, 'failed');
    receiver.failAlways(wecom.name, false);

    expect(rows.every((d) => d.attempts === 3 && /多次重试后仍发送失败/.test(d.lastError ?? '') && /HTTP 500/.test(d.lastError ?? ''))).toBe(true);
    expect(receiver.requests.filter((r) => r.name === wecom.name)).toHaveLength(6);
    const listed = await as(h.app, p.admin).get('/api/deliveries?status=failed').expect(200);
    expect(listed.body.items.map((d: { id: string }) => d.id).sort()).toEqual(rows.map((d) => d.id).sort());
    expect(listed.body.items[0]).toMatchObject({
      status: 'failed',
      statusLabel: '发送失败',
      channel: { id: wecom.id, kind: 'wecom' },
      notice: { rungLabel: '督办', organizationName: p.organizationName },
    });
    expect(listed.body.items[0].lastError).toContain('HTTP 500');
  });

  it('never sends twice after a send was interrupted: deliveries left "sending" end "unknown", the rest go out', async () => {
    const p = await place();
    const ding = await channel(p, 'dingtalk');
    // Raised without a Temporal client: nothing dispatches yet.
    await raise(p, notices(p, 3), createActivities({ dataSource: h.dataSource }));
    const [a, b, c] = await deliveriesOf(ding.id);
    // A worker died after committing 'sending' and before recording the result.
    await h.dataSource.query(`UPDATE delivery SET status = 'sending', batch_id = $2, attempts = 1 WHERE id = ANY($1::uuid[])`, [[a.id, b.id], randomUUID()]);

    await signalDeliveryDispatcher(h.client, h.config.temporal.taskQueue, ding.id);
    await eventually(async () => ((await h.dataSource.getRepository(DeliveryEntity).findOneByOrFail({ id: c.id })).status === 'sent' ? true : undefined), 20000, 'the third delivery sent');

    const rows = await deliveriesOf(ding.id);
    expect(rows.find((d) => d.id === a.id)).toMatchObject({ status: 'unknown', lastError: INTERRUPTED_ERROR, attempts: 1 });
    expect(rows.find((d) => d.id === b.id)).toMatchObject({ status: 'unknown', lastError: INTERRUPTED_ERROR, attempts: 1 });
    const got = receiver.requests.filter((r) => r.name === ding.name);
    expect(got).toHaveLength(1);
    expect(noticeCounts([dingTalkText(got[0])], 3)).toEqual([0, 0, 1]);

    const unknown = await as(h.app, p.admin).get(`/api/deliveries?status=unknown&channelId=${ding.id}`).expect(200);
    expect(unknown.body.items.map((d: { id: string }) => d.id).sort()).toEqual([a.id, b.id].sort());
    expect(unknown.body.items[0].statusLabel).toContain('可能已送达也可能未送达');
  });

  it('does not resend a digest whose send timed out after it went out: it ends "unknown"', async () => {
    const p = await place();
    const hook = await channel(p, 'webhook');
    receiver.delay(hook.name, 10_500);
    await raise(p, notices(p, 1));
    const [row] = await allInStatus(hook.id, 1, 'unknown');
    receiver.delay(hook.name, 0);
    expect(row.lastError).toContain('可能已送达也可能未送达');
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.requests.filter((r) => r.name === hook.name)).toHaveLength(1);
  }, 60000);
});
