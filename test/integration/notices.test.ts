import { randomUUID } from 'node:crypto';
import { createActivities } from '../../activities';
import type { PlannedNotice, RaiseNoticesInput, Recipient } from '../../libs/domain';
import { AppUserEntity, AuditEntryEntity, DeliveryEntity, EscalationEntity, NotificationEntity, OrganizationEntity } from '../../libs/persistence';
import { as, personas, signedInUser, type Personas, type TestUser } from '../support/auth';
import { buildCaseState, buildEvent } from '../support/case-state';
import { addTownship, createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';

describe('notices: raiseNotices / resolveEscalations and the inbox, escalation and channel endpoints', () => {
  let h: Harness;
  let acts: ReturnType<typeof createActivities>;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let other: Awaited<ReturnType<typeof addTownship>>;
  let people: Personas;
  let deputy: TestUser;
  let otherSecretary: TestUser;
  let caseId: string;
  let otherCaseId: string;

  const org = () => orgs.organizations[0];
  const notice = (overrides: Partial<PlannedNotice> & Pick<PlannedNotice, 'deadlineKey' | 'rung'>, forCase = caseId): PlannedNotice => {
    const key = `${forCase}:${overrides.deadlineKey}:${overrides.rung}${overrides.rung === 'reminder' ? `:${overrides.offsetDays ?? 3}` : ''}`;
    return {
      key,
      caseId: forCase,
      kind: 'secretary',
      offsetDays: 3,
      title: '选配党支部书记',
      reason: overrides.rung === 'reminder' ? '选配党支部书记 将于 2026-06-30 到期（还有3天）' : '选配党支部书记已逾期15天，予以通报',
      dueOn: '2026-06-30',
      on: '2026-06-27',
      atMs: Date.now(),
      recipients: [],
      ...overrides,
    };
  };
  const input = (notices: PlannedNotice[], at: { caseId?: string; townshipId?: string; organizationName?: string } = {}): RaiseNoticesInput => ({
    caseId: at.caseId ?? caseId,
    organizationName: at.organizationName ?? org().name,
    countyId: orgs.county.id,
    townshipId: at.townshipId ?? orgs.township.id,
    notices,
  });
  const townshipSecretaries = (): Recipient => ({ role: 'township_party_secretary', regionId: orgs.township.id });
  const countyAdmins = (): Recipient => ({ role: 'county_org_admin', regionId: orgs.county.id });

  /** Projects a minimal case row, as the case workflow does on designation (escalations of a village are scoped through it). */
  async function projectCase(organization: OrganizationEntity): Promise<string> {
    const state = buildCaseState(organization);
    await acts.projectCase(state, [buildEvent(state, 1)], []);
    return state.caseId;
  }

  beforeAll(async () => {
    h = await startHarness();
    // No Temporal client: nothing is sent outbound from this file.
    acts = createActivities({ dataSource: h.dataSource });
    orgs = await createRegionWithOrganizations(h.dataSource, 2);
    other = await addTownship(h.dataSource, orgs.county);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: org().regionId });
    deputy = await signedInUser(h.app, h.dataSource, 'township_party_secretary', orgs.township.id, { name: '镇党委副书记' });
    otherSecretary = await signedInUser(h.app, h.dataSource, 'township_party_secretary', other.township.id, { name: '另一镇党委书记' });
    caseId = await projectCase(org());
    otherCaseId = await projectCase(other.organization);
  }, 120000);
  afterAll(() => h?.close());

  describe('raiseNotices', () => {
    it('is idempotent: raised twice, one notification per recipient user, one escalation, one delivery per enabled channel', async () => {
      const { county, township } = await createRegionWithOrganizations(h.dataSource, 1);
      const secretary = await signedInUser(h.app, h.dataSource, 'township_party_secretary', township.id, { name: '镇书记甲' });
      const secretary2 = await signedInUser(h.app, h.dataSource, 'township_party_secretary', township.id, { name: '镇书记乙' });
      const admin = await signedInUser(h.app, h.dataSource, 'county_org_admin', county.id, { name: '组织部甲' });
      const leader = await signedInUser(h.app, h.dataSource, 'county_leader', county.id, { name: '联系领导' });
      for (const kind of ['dingtalk', 'webhook']) {
        await as(h.app, admin).post(`/api/townships/${township.id}/channels`).send({ kind, name: `${kind}渠道`, url: `http://127.0.0.1:9/${kind}` }).expect(201);
      }
      await as(h.app, admin).post(`/api/townships/${township.id}/channels`).send({ kind: 'wecom', name: '停用的渠道', url: 'http://127.0.0.1:9/wecom', enabled: false }).expect(201);

      const c = `case-2026-${randomUUID()}`;
      const notices = [
        notice({ deadlineKey: 'secretary', rung: 'reminder', offsetDays: 3, recipients: [{ role: 'county_leader', regionId: county.id, userId: leader.id }] }, c),
        notice({ deadlineKey: 'secretary', rung: 'supervision', offsetDays: 1, recipients: [{ role: 'township_party_secretary', regionId: township.id }] }, c),
        notice({ deadlineKey: 'secretary', rung: 'public_notice', offsetDays: 15, recipients: [{ role: 'county_org_admin', regionId: county.id }] }, c),
      ];
      const raise = { caseId: c, organizationName: '甲村党支部', countyId: county.id, townshipId: township.id, notices };
      await acts.raiseNotices(raise);
      await acts.raiseNotices(raise);

      const inbox = await h.dataSource.getRepository(NotificationEntity).findBy({ caseId: c });
      const byUser = (id: string) => inbox.filter((n) => n.userId === id).map((n) => n.rung).sort();
      expect(inbox).toHaveLength(4);
      expect(byUser(leader.id)).toEqual(['reminder']);
      expect(byUser(secretary.id)).toEqual(['supervision']);
      expect(byUser(secretary2.id)).toEqual(['supervision']);
      expect(byUser(admin.id)).toEqual(['public_notice']);
      expect(inbox.find((n) => n.rung === 'supervision')).toMatchObject({ title: '【督办】甲村党支部：选配党支部书记', readAt: null });
      expect(inbox.find((n) => n.rung === 'supervision')!.body).toContain('已逾期15天');

      const escalations = await h.dataSource.getRepository(EscalationEntity).findBy({ caseId: c });
      expect(escalations.map((e) => e.rung).sort()).toEqual(['public_notice', 'supervision']);
      const supervision = escalations.find((e) => e.rung === 'supervision')!;
      expect(supervision).toMatchObject({ key: notices[1].key, deadlineKey: 'secretary', kind: 'secretary', deadline: '2026-06-30', resolvedAt: null, townshipId: township.id });
      expect(supervision.recipients.recipients).toEqual([{ role: 'township_party_secretary', regionId: township.id }]);
      expect(supervision.recipients.userIds.sort()).toEqual([secretary.id, secretary2.id].sort());

      const deliveries = await h.dataSource.getRepository(DeliveryEntity).findBy({ caseId: c });
      expect(deliveries).toHaveLength(6); // 3 notices × 2 enabled channels
      expect(new Set(deliveries.map((d) => d.channelId)).size).toBe(2);
      expect(deliveries.every((d) => d.status === 'pending' && d.attempts === 0)).toBe(true);
      expect(deliveries.find((d) => d.notice.rung === 'supervision')!.notice).toMatchObject({
        rungLabel: '督办',
        organizationName: '甲村党支部',
        recipientNames: expect.arrayContaining(['镇书记甲', '镇书记乙']),
      });
    });

    it('resolves recipients by role bound exactly to the region, and by user id; inactive users get nothing', async () => {
      const { county, township, organizations } = await createRegionWithOrganizations(h.dataSource, 1);
      const active = await signedInUser(h.app, h.dataSource, 'township_party_secretary', township.id);
      const inactive = await signedInUser(h.app, h.dataSource, 'township_party_secretary', township.id);
      await h.dataSource.getRepository(AppUserEntity).update({ id: inactive.id }, { active: false });
      // Same role, another region (the county): not a holder "bound exactly to" the township.
      const elsewhere = await signedInUser(h.app, h.dataSource, 'township_party_secretary', county.id);
      const teamLeader = await signedInUser(h.app, h.dataSource, 'team_leader', organizations[0].regionId);
      const named = await signedInUser(h.app, h.dataSource, 'county_leader', county.id);
      const namedInactive = await signedInUser(h.app, h.dataSource, 'county_leader', county.id);
      await h.dataSource.getRepository(AppUserEntity).update({ id: namedInactive.id }, { active: false });

      const c = `case-2026-${randomUUID()}`;
      await acts.raiseNotices({
        caseId: c,
        organizationName: '乙村党支部',
        countyId: county.id,
        townshipId: township.id,
        notices: [
          notice({ deadlineKey: 'measure:m1', kind: 'measure', rung: 'reminder', offsetDays: 14, recipients: [{ role: 'township_party_secretary', regionId: township.id }] }, c),
          // A named person: only them, not every county leader; a named inactive person: nobody.
          notice({ deadlineKey: 'measure:m1', kind: 'measure', rung: 'reminder', offsetDays: 3, recipients: [{ role: 'county_leader', regionId: county.id, userId: named.id }] }, c),
          notice({ deadlineKey: 'measure:m2', kind: 'measure', rung: 'reminder', offsetDays: 3, recipients: [{ role: 'county_leader', regionId: county.id, userId: namedInactive.id }] }, c),
          // Two recipients naming the same person: one notification.
          notice(
            {
              deadlineKey: 'measure:m1',
              kind: 'measure',
              rung: 'supervision',
              recipients: [
                { role: 'team_leader', regionId: organizations[0].regionId },
                { role: 'team_leader', regionId: organizations[0].regionId, userId: teamLeader.id },
              ],
            },
            c,
          ),
        ],
      });
      const rows = await h.dataSource.getRepository(NotificationEntity).findBy({ caseId: c });
      const who = (rung: string, deadlineKey: string) => rows.filter((r) => r.rung === rung && r.deadlineKey === deadlineKey).map((r) => r.userId).sort();
      expect(rows.filter((r) => r.noticeKey.endsWith(':reminder:14')).map((r) => r.userId)).toEqual([active.id]);
      expect(rows.filter((r) => r.noticeKey === `${c}:measure:m1:reminder:3`).map((r) => r.userId)).toEqual([named.id]);
      expect(who('reminder', 'measure:m2')).toEqual([]);
      expect(who('supervision', 'measure:m1')).toEqual([teamLeader.id]);
      expect(rows.map((r) => r.userId)).not.toContain(inactive.id);
      expect(rows.map((r) => r.userId)).not.toContain(elsewhere.id);
      // The escalation is recorded even so, with the planned recipients.
      const escalation = await h.dataSource.getRepository(EscalationEntity).findOneByOrFail({ key: `${c}:measure:m1:supervision` });
      expect(escalation.recipients.userIds).toEqual([teamLeader.id]);
      // No channels in this township: no deliveries.
      expect(await h.dataSource.getRepository(DeliveryEntity).countBy({ caseId: c })).toBe(0);
    });
  });

  describe('resolveEscalations', () => {
    it('closes only the open escalations of the given deadlines, once; "all" closes the rest', async () => {
      const c = `case-2026-${randomUUID()}`;
      const raise = (notices: PlannedNotice[]) => acts.raiseNotices(input(notices, { caseId: c }));
      await raise([
        notice({ deadlineKey: 'secretary', rung: 'supervision', recipients: [townshipSecretaries()] }, c),
        notice({ deadlineKey: 'secretary', rung: 'public_notice', recipients: [countyAdmins()] }, c),
        notice({ deadlineKey: 'measure:m1', kind: 'measure', rung: 'supervision', recipients: [townshipSecretaries()] }, c),
        notice({ deadlineKey: 'year_end', kind: 'year_end', rung: 'supervision', recipients: [countyAdmins()] }, c),
      ]);
      const repo = h.dataSource.getRepository(EscalationEntity);
      const resolvedOf = async () => Object.fromEntries((await repo.findBy({ caseId: c })).map((e) => [`${e.deadlineKey}/${e.rung}`, e.resolvedAt?.toISOString() ?? null]));

      await acts.resolveEscalations({ caseId: c, deadlineKeys: ['secretary'], at: '2026-07-20T02:00:00.000Z' });
      expect(await resolvedOf()).toEqual({
        'secretary/supervision': '2026-07-20T02:00:00.000Z',
        'secretary/public_notice': '2026-07-20T02:00:00.000Z',
        'measure:m1/supervision': null,
        'year_end/supervision': null,
      });
      // Again, later: the first resolution stands.
      await acts.resolveEscalations({ caseId: c, deadlineKeys: ['secretary'], at: '2026-08-01T02:00:00.000Z' });
      expect((await resolvedOf())['secretary/supervision']).toBe('2026-07-20T02:00:00.000Z');
      // Another case's escalations of the same deadline are untouched.
      await acts.raiseNotices(input([notice({ deadlineKey: 'secretary', rung: 'supervision', recipients: [] }, otherCaseId)], { caseId: otherCaseId, townshipId: other.township.id }));
      await acts.resolveEscalations({ caseId: c, deadlineKeys: 'all', at: '2026-12-31T02:00:00.000Z' });
      expect(await resolvedOf()).toEqual({
        'secretary/supervision': '2026-07-20T02:00:00.000Z',
        'secretary/public_notice': '2026-07-20T02:00:00.000Z',
        'measure:m1/supervision': '2026-12-31T02:00:00.000Z',
        'year_end/supervision': '2026-12-31T02:00:00.000Z',
      });
      expect((await repo.findOneByOrFail({ key: `${otherCaseId}:secretary:supervision` })).resolvedAt).toBeNull();
    });
  });

  describe('inbox endpoints', () => {
    it('lists my notifications unread first and newest first, pages, counts unread, and marks them read', async () => {
      const me = await signedInUser(h.app, h.dataSource, 'township_party_secretary', orgs.township.id, { name: '新任书记' });
      const c = `case-2026-${randomUUID()}`;
      const mine: Recipient = { role: 'township_party_secretary', regionId: orgs.township.id, userId: me.id };
      for (const [i, deadlineKey] of ['measure:a', 'measure:b', 'measure:c'].entries()) {
        await acts.raiseNotices(input([notice({ deadlineKey, kind: 'measure', title: `整改措施${i + 1}`, rung: 'reminder', recipients: [mine] }, c)], { caseId: c }));
      }
      const first = await as(h.app, me).get('/api/notifications').expect(200);
      expect(first.body.unreadCount).toBe(3);
      expect(first.body.items.map((n: { title: string }) => n.title)).toEqual([
        `【提醒】${org().name}：整改措施3`,
        `【提醒】${org().name}：整改措施2`,
        `【提醒】${org().name}：整改措施1`,
      ]);
      expect(first.body.items[0]).toMatchObject({ caseId: c, rung: 'reminder', rungLabel: '提醒', kind: 'measure', kindLabel: '整改措施', readAt: null });

      // Read the newest: it moves below the unread ones.
      const newest = first.body.items[0].id;
      const read = await as(h.app, me).post(`/api/notifications/${newest}/read`).expect(200);
      expect(read.body.readAt).not.toBeNull();
      const again = await as(h.app, me).post(`/api/notifications/${newest}/read`).expect(200);
      expect(again.body.readAt).toBe(read.body.readAt);
      const after = await as(h.app, me).get('/api/notifications').expect(200);
      expect(after.body.unreadCount).toBe(2);
      expect(after.body.items.map((n: { title: string }) => n.title.slice(-5))).toEqual(['整改措施2', '整改措施1', '整改措施3']);

      // Pages of one, in the same order.
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await as(h.app, me)
          .get(`/api/notifications?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
          .expect(200);
        paged.push(...res.body.items.map((n) => n.id));
        cursor = res.body.nextCursor;
      } while (cursor && paged.length < 10);
      expect(paged).toEqual(after.body.items.map((n: { id: string }) => n.id));

      const unread = await as(h.app, me).get('/api/notifications?unread=true').expect(200);
      expect(unread.body.items).toHaveLength(2);
      expect((await as(h.app, me).get('/api/notifications?unread=false').expect(200)).body.items.map((n: { id: string }) => n.id)).toEqual([newest]);

      // Someone else's notification is not mine to read.
      await as(h.app, people.countyAdmin).post(`/api/notifications/${newest}/read`).expect(404);
      await as(h.app, me).post(`/api/notifications/not-a-uuid/read`).expect(404);
      await as(h.app, me).get('/api/notifications?unread=maybe').expect(400);
      await as(h.app, me).get('/api/notifications?cursor=abc').expect(400);

      const all = await as(h.app, me).post('/api/notifications/read-all').expect(200);
      expect(all.body).toEqual({ updated: 2, unreadCount: 0 });
      expect((await as(h.app, me).get('/api/notifications').expect(200)).body.unreadCount).toBe(0);
    });
  });

  describe('escalation endpoints', () => {
    let supervisionId: string;
    let publicNoticeId: string;
    let otherId: string;

    beforeAll(async () => {
      await acts.raiseNotices(
        input([
          notice({ deadlineKey: 'quarter_visit:2026-Q1', kind: 'quarter_visit', rung: 'supervision', title: '第一季度调研指导', recipients: [townshipSecretaries()] }),
          notice({ deadlineKey: 'secretary', rung: 'public_notice', recipients: [countyAdmins()] }),
        ]),
      );
      await acts.raiseNotices(
        input([notice({ deadlineKey: 'secretary', rung: 'supervision', recipients: [{ role: 'township_party_secretary', regionId: other.township.id }] }, otherCaseId)], {
          caseId: otherCaseId,
          townshipId: other.township.id,
          organizationName: other.organization.name,
        }),
      );
      const repo = h.dataSource.getRepository(EscalationEntity);
      supervisionId = (await repo.findOneByOrFail({ key: `${caseId}:quarter_visit:2026-Q1:supervision` })).id;
      publicNoticeId = (await repo.findOneByOrFail({ key: `${caseId}:secretary:public_notice` })).id;
      otherId = (await repo.findOneByOrFail({ key: `${otherCaseId}:secretary:supervision` })).id;
    });

    it('lists the escalations of my region only, with filters and totals', async () => {
      const ids = (body: { items: { id: string }[] }) => body.items.map((e) => e.id);
      const county = await as(h.app, people.countyAdmin).get('/api/escalations?limit=100').expect(200);
      expect(ids(county.body)).toEqual(expect.arrayContaining([supervisionId, publicNoticeId, otherId]));
      const township = await as(h.app, people.townshipSecretary).get(`/api/escalations?caseId=${encodeURIComponent(caseId)}`).expect(200);
      expect(ids(township.body).sort()).toEqual([supervisionId, publicNoticeId].sort());
      expect(township.body.totals).toEqual({ open: 2, acknowledged: 0, resolved: 0 });
      const item = township.body.items.find((e: { id: string }) => e.id === supervisionId);
      expect(item).toMatchObject({
        caseId,
        organizationName: org().name,
        kind: 'quarter_visit',
        kindLabel: '季度调研指导',
        rung: 'supervision',
        rungLabel: '督办',
        deadline: '2026-06-30',
        status: 'open',
        acknowledgement: null,
        recipients: [townshipSecretaries()],
      });
      expect(ids((await as(h.app, people.townshipSecretary).get('/api/escalations?limit=100').expect(200)).body)).not.toContain(otherId);
      expect(ids((await as(h.app, otherSecretary).get('/api/escalations?limit=100').expect(200)).body)).toEqual([otherId]);
      // The village team sees its own case's escalations.
      expect(ids((await as(h.app, people.teamLeader).get('/api/escalations?limit=100').expect(200)).body).sort()).toEqual([supervisionId, publicNoticeId].sort());

      const byRung = await as(h.app, people.countyAdmin).get(`/api/escalations?rung=public_notice&caseId=${encodeURIComponent(caseId)}`).expect(200);
      expect(ids(byRung.body)).toEqual([publicNoticeId]);
      const byKind = await as(h.app, people.countyAdmin).get(`/api/escalations?kind=quarter_visit&caseId=${encodeURIComponent(caseId)}`).expect(200);
      expect(ids(byKind.body)).toEqual([supervisionId]);
      const page1 = await as(h.app, people.townshipSecretary).get(`/api/escalations?limit=1&caseId=${encodeURIComponent(caseId)}`).expect(200);
      const page2 = await as(h.app, people.townshipSecretary).get(`/api/escalations?limit=1&caseId=${encodeURIComponent(caseId)}&cursor=${page1.body.nextCursor}`).expect(200);
      expect([...ids(page1.body), ...ids(page2.body)].sort()).toEqual([supervisionId, publicNoticeId].sort());
      expect(page2.body.nextCursor).toBeNull();
      await as(h.app, people.countyAdmin).get('/api/escalations?rung=reminder').expect(400);
      await as(h.app, people.countyAdmin).get('/api/escalations?status=closed').expect(400);
    });

    it('lets a recipient in scope acknowledge, once, audited; others get 404 (outside scope) or 403 (not a recipient)', async () => {
      await as(h.app, otherSecretary).post(`/api/escalations/${supervisionId}/acknowledge`).send({}).expect(404);
      await as(h.app, people.countyAdmin).post(`/api/escalations/${supervisionId}/acknowledge`).send({}).expect(403);
      const forbidden = await as(h.app, people.teamLeader).post(`/api/escalations/${supervisionId}/acknowledge`).send({}).expect(403);
      expect(forbidden.body.code).toBe('ESCALATION_NOT_RECIPIENT');

      const ack = await as(h.app, people.townshipSecretary).post(`/api/escalations/${supervisionId}/acknowledge`).send({ note: '已部署联系领导本周内调研' }).expect(200);
      expect(ack.body).toMatchObject({
        id: supervisionId,
        status: 'acknowledged',
        acknowledgement: { userId: people.townshipSecretary.id, name: people.townshipSecretary.name, note: '已部署联系领导本周内调研' },
      });
      // The same person again: the same record; another recipient: 409.
      await as(h.app, people.townshipSecretary).post(`/api/escalations/${supervisionId}/acknowledge`).send({}).expect(200);
      const conflict = await as(h.app, deputy).post(`/api/escalations/${supervisionId}/acknowledge`).send({}).expect(409);
      expect(conflict.body.code).toBe('ESCALATION_ALREADY_ACKNOWLEDGED');

      const audit = await h.dataSource.getRepository(AuditEntryEntity).findBy({ caseId, action: 'escalation.acknowledged' });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorId: people.townshipSecretary.id, actorRole: 'township_party_secretary' });
      expect(audit[0].payload).toMatchObject({ escalationId: supervisionId, rung: 'supervision' });

      const acknowledged = await as(h.app, people.townshipSecretary).get(`/api/escalations?status=acknowledged&caseId=${encodeURIComponent(caseId)}`).expect(200);
      expect(acknowledged.body.items.map((e: { id: string }) => e.id)).toEqual([supervisionId]);

      // A resolved escalation needs no acknowledgement.
      await acts.resolveEscalations({ caseId, deadlineKeys: ['secretary'], at: new Date().toISOString() });
      const resolved = await as(h.app, people.countyAdmin).post(`/api/escalations/${publicNoticeId}/acknowledge`).send({}).expect(409);
      expect(resolved.body.code).toBe('ESCALATION_RESOLVED');
      await as(h.app, people.countyAdmin).post(`/api/escalations/${randomUUID()}/acknowledge`).send({}).expect(404);
      await as(h.app, people.countyAdmin).post(`/api/escalations/${supervisionId}/acknowledge`).send({ note: 'x'.repeat(501) }).expect(400);
    });
  });

  describe('channel endpoints', () => {
    it('creates, lists, changes and deletes a township\'s channels without ever returning the secret', async () => {
      const res = await as(h.app, people.townshipSecretary)
        .post(`/api/townships/${orgs.township.id}/channels`)
        .send({ kind: 'dingtalk', name: '镇整顿工作群', url: 'https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789', secret: 'SECdeadbeef' })
        .expect(201);
      expect(res.body).toMatchObject({ townshipId: orgs.township.id, kind: 'dingtalk', kindLabel: '钉钉群机器人', hasSecret: true, enabled: true, maxPerMinute: 20, batchSize: 10 });
      expect(res.body).not.toHaveProperty('secret');
      expect(JSON.stringify(res.body)).not.toContain('SECdeadbeef');
      expect(JSON.stringify(res.body)).not.toContain('abcdef0123456789');
      expect(res.body.url).toContain('access_token=****6789');
      const id = res.body.id;

      const webhook = await as(h.app, people.countyAdmin)
        .post(`/api/townships/${orgs.township.id}/channels`)
        .send({ kind: 'webhook', name: '县平台', url: 'http://127.0.0.1:9/hook' })
        .expect(201);
      expect(webhook.body).toMatchObject({ hasSecret: false, maxPerMinute: 60 });
      const wecom = await as(h.app, people.countyAdmin).post(`/api/townships/${orgs.township.id}/channels`).send({ kind: 'wecom', name: '企微群', url: 'http://127.0.0.1:9/wecom', maxPerMinute: 5 }).expect(201);
      expect(wecom.body.maxPerMinute).toBe(5);

      const list = await as(h.app, people.countyAdmin).get(`/api/townships/${orgs.township.id}/channels`).expect(200);
      expect(list.body.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([id, webhook.body.id, wecom.body.id]));
      expect(JSON.stringify(list.body)).not.toContain('SECdeadbeef');

      // Scope and roles.
      await as(h.app, otherSecretary).get(`/api/townships/${orgs.township.id}/channels`).expect(404);
      await as(h.app, otherSecretary).patch(`/api/channels/${id}`).send({ enabled: false }).expect(404);
      await as(h.app, otherSecretary).delete(`/api/channels/${id}`).expect(404);
      await as(h.app, people.teamLeader).get(`/api/townships/${orgs.township.id}/channels`).expect(403);
      await as(h.app, people.countyLeader).post(`/api/townships/${orgs.township.id}/channels`).send({ kind: 'webhook', name: 'x', url: 'http://127.0.0.1:9/x' }).expect(403);
      await as(h.app, people.countyAdmin).get(`/api/townships/${orgs.county.id}/channels`).expect(404);
      const outsider = await signedInUser(h.app, h.dataSource, 'county_org_admin', (await createRegionWithOrganizations(h.dataSource, 1)).county.id);
      await as(h.app, outsider).get(`/api/townships/${orgs.township.id}/channels`).expect(404);

      // Validation names the field.
      const bad = await as(h.app, people.countyAdmin).post(`/api/townships/${orgs.township.id}/channels`).send({ kind: 'sms', name: '', url: 'ftp://x' }).expect(400);
      expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['kind', 'name', 'url']);
      expect(bad.body.message).toContain('渠道地址');

      // Change: secret removed, disabled.
      const patched = await as(h.app, people.countyAdmin).patch(`/api/channels/${id}`).send({ secret: null, enabled: false, name: '镇整顿工作群（新）' }).expect(200);
      expect(patched.body).toMatchObject({ hasSecret: false, enabled: false, name: '镇整顿工作群（新）' });
      await as(h.app, people.countyAdmin).patch(`/api/channels/${id}`).send({ kind: 'webhook' }).expect(400);
      await as(h.app, people.countyAdmin).patch(`/api/channels/${id}`).send({ url: null }).expect(400);
      const audit = await h.dataSource.getRepository(AuditEntryEntity).findBy({ action: 'channel.updated', actorId: people.countyAdmin.id });
      expect(audit.length).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(audit.map((a) => a.payload))).not.toContain('SECdeadbeef');

      // Deleting: pending deliveries become failed and stay visible.
      const c = `case-2026-${randomUUID()}`;
      await acts.raiseNotices(input([notice({ deadlineKey: 'secretary', rung: 'supervision', recipients: [townshipSecretaries()] }, c)], { caseId: c }));
      const pending = await h.dataSource.getRepository(DeliveryEntity).findBy({ caseId: c });
      expect(pending.map((d) => d.channelId).sort()).toEqual([webhook.body.id, wecom.body.id].sort());
      await as(h.app, people.townshipSecretary).delete(`/api/channels/${webhook.body.id}`).expect(204);
      await as(h.app, people.townshipSecretary).delete(`/api/channels/${webhook.body.id}`).expect(404);
      const after = await as(h.app, people.countyAdmin).get(`/api/townships/${orgs.township.id}/channels`).expect(200);
      expect(after.body.map((x: { id: string }) => x.id)).not.toContain(webhook.body.id);
      const failed = await as(h.app, people.townshipSecretary).get(`/api/deliveries?status=failed&caseId=${encodeURIComponent(c)}`).expect(200);
      expect(failed.body.items).toEqual([
        expect.objectContaining({ status: 'failed', lastError: '渠道已删除，未发送', channel: expect.objectContaining({ id: webhook.body.id, deleted: true }) }),
      ]);
      expect(failed.body.totals).toMatchObject({ failed: 1, pending: 1 });
      // Deliveries are for the township's and county's managers only, in scope.
      await as(h.app, people.teamLeader).get('/api/deliveries').expect(403);
      expect((await as(h.app, otherSecretary).get(`/api/deliveries?caseId=${encodeURIComponent(c)}`).expect(200)).body.items).toEqual([]);
    });
  });
});
