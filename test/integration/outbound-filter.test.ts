import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { createActivities } from '../../activities';
import { signalDeliveryDispatcher } from '../../libs/temporal';
import type { PlannedNotice } from '../../libs/domain';
import { DeliveryEntity, NotificationChannelEntity } from '../../libs/persistence';
import { SanitizedDeliveryErrors1764760000000 } from '../../libs/persistence/migrations/1764760000000-SanitizedDeliveryErrors';
import { as, signedInUser, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, eventually, startHarness, testConfig, type Harness } from '../support/harness';

/** What a peer inside the network might answer: it must never reach the delivery record. */
const PEER_SECRET = 'SECRET-aws-key-AKIAEXAMPLE-db-password-hunter2';

interface Place {
  countyId: string;
  townshipId: string;
  secretary: TestUser;
  caseId: string;
  organizationName: string;
}

const listen = <S extends HttpServer | TcpServer>(server: S) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

describe('outbound requests of notification channels (SSRF) and the channel limit', () => {
  let h: Harness;
  /** A local peer standing in for something inside the network that answers with secrets. */
  let peer: HttpServer;
  let peerUrl: string;
  /** A bare TCP listener: counts connections, to show a refused address is never connected to. */
  let tcp: TcpServer;
  let tcpPort: number;
  let tcpConnections = 0;
  let acts: ReturnType<typeof createActivities>;

  beforeAll(async () => {
    peer = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url?.startsWith('/dingtalk/')) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ errcode: 310000, errmsg: `keywords not in content; ${PEER_SECRET}` }));
        } else {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(`Internal error. config dump: ${PEER_SECRET}`);
        }
      });
    });
    const peerPort = await listen(peer);
    peerUrl = `http://127.0.0.1:${peerPort}`;
    tcp = createTcpServer((socket) => {
      tcpConnections++;
      socket.destroy();
    });
    tcpPort = await listen(tcp);
    // Only the peer's own origin is allowed (as the test set-up allows its receiver): 127.0.0.1 on
    // any other port, and every other internal address, stays refused.
    h = await startHarness(testConfig({ OUTBOUND_ALLOW: peerUrl }));
    acts = createActivities({ dataSource: h.dataSource, temporal: { client: h.client, taskQueue: h.config.temporal.taskQueue } });
  }, 120000);
  afterAll(async () => {
    await h?.close();
    await new Promise((r) => peer?.close(r));
    await new Promise((r) => tcp?.close(r));
  });

  async function place(): Promise<Place> {
    const { county, township, organizations } = await createRegionWithOrganizations(h.dataSource, 1);
    const secretary = await signedInUser(h.app, h.dataSource, 'township_party_secretary', township.id, { name: '王书记' });
    return { countyId: county.id, townshipId: township.id, secretary, caseId: `case-2026-${organizations[0].id}`, organizationName: organizations[0].name };
  }

  const createChannel = (p: Place, body: Record<string, unknown>) => as(h.app, p.secretary).post(`/api/townships/${p.townshipId}/channels`).send({ name: `渠道${randomUUID().slice(0, 6)}`, ...body });
  const liveChannels = async (p: Place) => h.dataSource.getRepository(NotificationChannelEntity).count({ where: { townshipId: p.townshipId } });

  function notice(p: Place, n = 1): PlannedNotice {
    return {
      key: `${p.caseId}:measure:m${n}:supervision`,
      caseId: p.caseId,
      deadlineKey: `measure:m${n}`,
      kind: 'measure',
      rung: 'supervision',
      offsetDays: 1,
      title: `整改措施：第${n}项`,
      reason: `整改措施：第${n}项已逾期1天，予以督办`,
      dueOn: '2026-05-31',
      on: '2026-06-01',
      atMs: Date.now(),
      recipients: [{ role: 'township_party_secretary', regionId: p.townshipId }],
    };
  }
  const raise = (p: Place, activities = acts) =>
    activities.raiseNotices({ caseId: p.caseId, organizationName: p.organizationName, countyId: p.countyId, townshipId: p.townshipId, notices: [notice(p)] });
  const settled = (channelId: string) =>
    eventually(async () => {
      const d = await h.dataSource.getRepository(DeliveryEntity).findOneBy({ channelId });
      return d && d.status !== 'pending' && d.status !== 'sending' ? d : undefined;
    }, 30000, 'the delivery to settle');

  describe('at save', () => {
    it.each([
      ['http://127.0.0.1:5432/', 'not_https'],
      ['http://169.254.169.254/latest/meta-data/iam/security-credentials/', 'not_https'],
      ['http://10.0.0.1/', 'not_https'],
      ['http://0x7f000001/', 'not_https'],
      ['http://[::1]:7233/', 'not_https'],
      ['https://127.0.0.1:5432/', 'forbidden_address'],
      ['https://169.254.169.254/latest/meta-data/iam/security-credentials/', 'forbidden_address'],
      ['https://10.0.0.1/', 'forbidden_address'],
      ['https://0x7f000001/', 'forbidden_address'],
      ['https://2130706433/', 'forbidden_address'],
      ['https://0177.0.0.1/', 'forbidden_address'],
      ['https://[::1]:7233/', 'forbidden_address'],
      ['https://[::ffff:127.0.0.1]/', 'forbidden_address'],
      ['https://100.64.0.1/hook', 'forbidden_address'],
      ['https://224.0.0.1/hook', 'forbidden_address'],
      ['https://0.0.0.0/hook', 'forbidden_address'],
      // A name that resolves (for real, no mock) to 127.0.0.1 / ::1.
      ['https://localhost:8443/hook', 'forbidden_address'],
    ])('refuses a webhook to %s (%s: 400 for plain http, 403 for a destination inside the network) and writes nothing', async (url, reason) => {
      const p = await place();
      const status = reason === 'not_https' ? 400 : 403;
      const res = await createChannel(p, { kind: 'webhook', url }).expect(status);
      expect(res.body).toMatchObject({ statusCode: status, code: 'CHANNEL_URL_NOT_ALLOWED', details: { field: 'url', reason } });
      expect(res.body.message).toMatch(/^推送地址（url）不允许：/);
      expect(await liveChannels(p)).toBe(0);
    });

    it('refuses robots anywhere but their official hosts, and a change of URL to an internal address', async () => {
      const p = await place();
      const ding = await createChannel(p, { kind: 'dingtalk', url: 'https://oapi.dingtalk.com.attacker.example/robot/send?access_token=x' }).expect(403);
      expect(ding.body).toMatchObject({ code: 'CHANNEL_URL_NOT_ALLOWED', details: { reason: 'not_official_host' } });
      expect(ding.body.message).toContain('https://oapi.dingtalk.com/');
      const wecom = await createChannel(p, { kind: 'wecom', url: 'https://10.0.0.8/cgi-bin/webhook/send?key=x' }).expect(403);
      expect(wecom.body).toMatchObject({ details: { reason: 'not_official_host' } });
      expect(wecom.body.message).toContain('https://qyapi.weixin.qq.com/');

      const ok = await createChannel(p, { kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=abc' }).expect(201);
      const moved = await as(h.app, p.secretary).patch(`/api/channels/${ok.body.id}`).send({ url: 'https://169.254.169.254/latest/meta-data/' }).expect(403);
      expect(moved.body).toMatchObject({ code: 'CHANNEL_URL_NOT_ALLOWED' });
      const row = await h.dataSource.getRepository(NotificationChannelEntity).findOneByOrFail({ id: ok.body.id });
      expect(row.url).toBe('https://oapi.dingtalk.com/robot/send?access_token=abc');
    });
  });

  describe('at send', () => {
    it('refuses at connect time a name that resolves to 127.0.0.1, without connecting, and records only a short reason', async () => {
      const p = await place();
      // The API refuses this URL, so the row is written directly: as a channel saved before the rule
      // was, or a name whose DNS answer changed after it was saved.
      const channels = h.dataSource.getRepository(NotificationChannelEntity);
      const channel = await channels.save(
        channels.create({ countyId: p.countyId, townshipId: p.townshipId, kind: 'webhook', name: '改指向的地址', url: `https://localhost:${tcpPort}/hook`, secret: null, enabled: true, maxPerMinute: 60, batchSize: 10 }),
      );
      const before = tcpConnections;
      await raise(p);
      const row = await settled(channel.id);
      expect(row).toMatchObject({ status: 'failed', lastError: '发送失败：目标地址不允许', attempts: 1 });
      expect(tcpConnections).toBe(before);

      const listed = await as(h.app, p.secretary).get(`/api/deliveries?channelId=${channel.id}`).expect(200);
      expect(listed.body.items).toEqual([expect.objectContaining({ status: 'failed', statusLabel: '发送失败', lastError: '发送失败：目标地址不允许' })]);
    });

    it('refuses a channel saved under the allowance once the allowance is gone', async () => {
      const p = await place();
      const created = await createChannel(p, { kind: 'webhook', url: `${peerUrl}/webhook/hook` }).expect(201);
      // Raised without a Temporal client (nothing dispatches), then sent by a worker without the allowance.
      await raise(p, createActivities({ dataSource: h.dataSource }));
      const strict = createActivities({ dataSource: h.dataSource, outbound: { allow: [] } });
      const result = await strict.sendNextDigest({ channelId: created.body.id });
      expect(result).toMatchObject({ outcome: 'failed', deliveries: 1, remaining: 0 });
      const row = await h.dataSource.getRepository(DeliveryEntity).findOneByOrFail({ channelId: created.body.id });
      expect(row.status).toBe('failed');
      expect(row.lastError).toMatch(/^发送失败：目标地址不允许/);
    });

    it('a peer answering 500 with secrets ends "failed" with "HTTP 500", never its body', async () => {
      const p = await place();
      const hook = await createChannel(p, { kind: 'webhook', url: `${peerUrl}/webhook/leaky` }).expect(201);
      await signalDeliveryDispatcher(h.client, h.config.temporal.taskQueue, hook.body.id, { retry: { initialIntervalMs: 200, maximumIntervalMs: 200, backoffCoefficient: 1, maximumAttempts: 2 } });
      await raise(p);
      const row = await settled(hook.body.id);
      expect(row.status).toBe('failed');
      expect(row.lastError).toContain('Webhook 应答 HTTP 500');
      expect(row.lastError).not.toContain('SECRET');
      expect(row.lastError).not.toContain('config dump');

      const listed = await as(h.app, p.secretary).get(`/api/deliveries?channelId=${hook.body.id}`).expect(200);
      expect(listed.body.items).toHaveLength(1);
      expect(JSON.stringify(listed.body)).not.toContain('SECRET');
    });

    it("a robot's refusal keeps its errcode, not its errmsg", async () => {
      const p = await place();
      const ding = await createChannel(p, { kind: 'dingtalk', url: `${peerUrl}/dingtalk/leaky?access_token=tok` }).expect(201);
      await signalDeliveryDispatcher(h.client, h.config.temporal.taskQueue, ding.body.id, { retry: { initialIntervalMs: 200, maximumIntervalMs: 200, backoffCoefficient: 1, maximumAttempts: 2 } });
      await raise(p);
      const row = await settled(ding.body.id);
      expect(row.status).toBe('failed');
      expect(row.lastError).toContain('errcode 310000');
      expect(row.lastError).not.toContain('SECRET');
      expect(row.lastError).not.toContain('keywords not in content');
    });
  });

  it('the migration clears the peer answers earlier deliveries stored, keeping the reason', async () => {
    const p = await place();
    const hook = await createChannel(p, { kind: 'webhook', url: `${peerUrl}/webhook/old` }).expect(201);
    const raiseOnly = createActivities({ dataSource: h.dataSource });
    await raiseOnly.raiseNotices({ caseId: p.caseId, organizationName: p.organizationName, countyId: p.countyId, townshipId: p.townshipId, notices: [1, 2, 3, 4, 5, 6].map((n) => notice(p, n)) });
    // What the sender wrote before: the peer's answer, or the address it tried, after the reason.
    const before = [
      `多次重试后仍发送失败：镇督办群：Webhook 应答 HTTP 500：{"error":"${PEER_SECRET}"}\nstack…`,
      `多次重试后仍发送失败：镇群：钉钉机器人应答格式不正确：<html>${PEER_SECRET}</html>`,
      `多次重试后仍发送失败：镇群：企业微信机器人拒绝消息：errcode 93000，invalid webhook url ${PEER_SECRET}`,
      `多次重试后仍发送失败：镇群：无法连接渠道（ECONNREFUSED）：connect ECONNREFUSED 10.0.0.7:5432`,
      `发送过程中连接中断（socket hang up at 10.0.0.7），消息可能已送达也可能未送达`,
      `发送过程中连接中断（ECONNRESET），消息可能已送达也可能未送达`,
    ];
    const rows = await h.dataSource.getRepository(DeliveryEntity).find({ where: { channelId: hook.body.id }, order: { key: 'ASC' } });
    expect(rows).toHaveLength(before.length);
    for (const [i, row] of rows.entries()) await h.dataSource.query(`UPDATE delivery SET status = 'failed', last_error = $2 WHERE id = $1`, [row.id, before[i]]);

    const runner = h.dataSource.createQueryRunner();
    try {
      await new SanitizedDeliveryErrors1764760000000().up(runner);
    } finally {
      await runner.release();
    }
    const after = (await h.dataSource.getRepository(DeliveryEntity).find({ where: { channelId: hook.body.id }, order: { key: 'ASC' } })).map((d) => d.lastError);
    expect(after).toEqual([
      '多次重试后仍发送失败：镇督办群：Webhook 应答 HTTP 500',
      '多次重试后仍发送失败：镇群：钉钉机器人应答格式不正确',
      '多次重试后仍发送失败：镇群：企业微信机器人拒绝消息：errcode 93000',
      '多次重试后仍发送失败：镇群：无法连接渠道（ECONNREFUSED）',
      '发送过程中连接中断，消息可能已送达也可能未送达',
      '发送过程中连接中断（ECONNRESET），消息可能已送达也可能未送达',
    ]);
  });

  describe('channels per township', () => {
    it('allows MAX_CHANNELS_PER_TOWNSHIP (5) live channels; the next answers 409 naming the limit, even when sent at once', async () => {
      expect(h.config.outbound.maxChannelsPerTownship).toBe(5);
      const p = await place();
      const answers = await Promise.all(Array.from({ length: 7 }, (_, i) => createChannel(p, { kind: 'webhook', url: `${peerUrl}/webhook/n${i}` })));
      expect(answers.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 201, 409, 409]);
      const refused = answers.find((r) => r.status === 409)!;
      expect(refused.body).toMatchObject({ statusCode: 409, code: 'CHANNEL_LIMIT_REACHED', details: { limit: 5 } });
      expect(refused.body.message).toContain('最多可设置 5 个推送渠道');
      expect(await liveChannels(p)).toBe(5);

      // A deleted channel no longer counts.
      const first = answers.find((r) => r.status === 201)!;
      await as(h.app, p.secretary).delete(`/api/channels/${first.body.id}`).expect(204);
      await createChannel(p, { kind: 'webhook', url: `${peerUrl}/webhook/again` }).expect(201);
      await createChannel(p, { kind: 'webhook', url: `${peerUrl}/webhook/over` }).expect(409);
    });
  });
});
