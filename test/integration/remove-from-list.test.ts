import { caseIdFor, DEFAULT_POLICY, type CaseState } from '../../libs/domain';
import { AuditEntryEntity, RectificationCaseEntity, TaskEntity } from '../../libs/persistence';
import { startRectifyCase } from '../../libs/temporal';
import { as, personas, signedInUser, type Personas } from '../support/auth';
import { createRegionWithOrganizations, eventually, startHarness, type Harness } from '../support/harness';
import { HttpPlaybook } from '../support/http-playbook';

/**
 * "No hiding" (DOMAIN.md "How an org becomes a case"; issue 7, item 3): the county organization
 * department designates by hand only for C1–C6 and with written evidence — one star (S1) is the star
 * rating's automatic designation — and takes an organization off the list only with a written reason,
 * never a one-star one; the removal stays in the audit trail and shows on the dashboard.
 */
describe('no hiding: manual designation and taking a case off the list', () => {
  let h: Harness;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let people: Personas;
  const YEAR = 2026;
  const REASON = '经县委组织部复核，认定所依据的信访问题系误报，班子运转正常';
  const EVIDENCE = '书记长期缺职，2025年以来未召开支部委员会会议';

  beforeAll(async () => {
    h = await startHarness();
    // This file's own county: every count below is of its cases alone.
    orgs = await createRegionWithOrganizations(h.dataSource, 6);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
  }, 120000);
  afterAll(() => h?.close());

  const http = () => as(h.app, people.countyAdmin);
  const removeAs = (user: { token: string }, caseId: string, body: object) => as(h.app, user).post(`/api/cases/${caseId}/remove-from-list`).send(body);
  const removals = (caseId: string) => h.dataSource.getRepository(AuditEntryEntity).countBy({ caseId, action: 'case.removed' });
  const openTasks = (caseId: string) => h.dataSource.getRepository(TaskEntity).countBy({ caseId, status: 'open' });
  const overview = async () => (await http().get(`/api/dashboard/overview?batchYear=${YEAR}`).expect(200)).body;

  /** Nothing changed: the same version in the row and the live state, the same audit rows, no removal. */
  const expectUntouched = async (play: HttpPlaybook, before: Awaited<ReturnType<HttpPlaybook['footprint']>>, stage: string) => {
    expect(await play.footprint()).toEqual(before);
    const got = await play.get();
    expect(got.record.stage).toBe(stage);
    expect(got.live.stage).toBe(stage);
    expect(got.live.removal).toBeUndefined();
    expect(await removals(play.caseId)).toBe(0);
  };

  describe('manual designation (POST /api/cases)', () => {
    it('refuses S1 with 400: one-star designation happens automatically from the star rating', async () => {
      const org = orgs.organizations[5];
      for (const reasons of [['S1'], ['C1', 'S1']]) {
        const res = await http().post('/api/cases').send({ organizationId: org.id, batchYear: YEAR, reasons, note: EVIDENCE }).expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, code: 'ONE_STAR_DESIGNATED_AUTOMATICALLY', details: { field: 'reasons' } });
        expect(res.body.message).toContain('星级评定为一星级的由系统自动认定');
        expect(res.body.messageEn).toContain('designated automatically from the star rating');
      }
      expect(await h.dataSource.getRepository(RectificationCaseEntity).countBy({ organizationId: org.id })).toBe(0);
      await expect(h.client.workflow.getHandle(caseIdFor(org.id, YEAR)).describe()).rejects.toThrow();
    });

    it.each([
      ['no evidence at all', {}],
      ['blank evidence', { note: '          　 ' }],
      ['evidence too short to say anything', { note: '群众意见大' }],
    ])('refuses a C-reason with %s (400, naming 认定依据), starting nothing', async (_label, extra) => {
      const org = orgs.organizations[5];
      const res = await http().post('/api/cases').send({ organizationId: org.id, batchYear: YEAR, reasons: ['C6'], ...extra }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['note']);
      expect(res.body.message).toContain('认定依据');
      expect(res.body.messageEn).toContain('written evidence');
      expect(await h.dataSource.getRepository(RectificationCaseEntity).countBy({ organizationId: org.id })).toBe(0);
    });

    it('designates for C1–C6 with written evidence, which the case keeps', async () => {
      const org = orgs.organizations[5];
      const res = await http().post('/api/cases').send({ organizationId: org.id, batchYear: YEAR, reasons: ['C6'], note: `  ${EVIDENCE}  ` }).expect(201);
      expect(res.body.live).toMatchObject({ reasons: ['C6'], note: EVIDENCE, stage: 'designated' });
      const audit = await h.dataSource.getRepository(AuditEntryEntity).findOneByOrFail({ caseId: res.body.id, action: 'case.designated' });
      expect(audit.payload).toMatchObject({ reasons: ['C6'], note: EVIDENCE });
    });
  });

  describe('taking a case off the list (POST /api/cases/:id/remove-from-list)', () => {
    it('with a written reason: the case ends as removed, in the audit trail, with no open task, on the dashboard', async () => {
      const play = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[0], YEAR);
      // The county party secretary takes this case; the removal frees them for another.
      await play.assignLeader(people.countySecretary);
      await play.appointTeam();
      expect(await openTasks(play.caseId)).toBeGreaterThan(0);

      const res = await removeAs(people.countyAdmin, play.caseId, { reason: `  ${REASON}  ` }).expect(200);
      const state = res.body.state as CaseState;
      expect(state.stage).toBe('removed');
      expect(state.removal).toMatchObject({ reason: REASON, fromStage: 'rectifying', by: { id: people.countyAdmin.id, name: people.countyAdmin.name, role: 'county_org_admin' } });
      expect(state.stageHistory.at(-1)).toMatchObject({ from: 'rectifying', to: 'removed', reason: `移出整顿名单：${REASON}` });

      // The read model has it at once; the workflow has ended.
      const got = await play.get();
      expect(got.record.stage).toBe('removed');
      expect(got.live.stage).toBe('removed');
      expect(await openTasks(play.caseId)).toBe(0);
      await eventually(async () => ((await h.client.workflow.getHandle(play.caseId).describe()).status.name === 'COMPLETED' ? true : undefined), 15000, 'workflow completed');

      // The audit trail: who, what, when, why.
      const audit = (await http().get(`/api/cases/${play.caseId}/audit`).expect(200)).body.items as {
        action: string;
        occurredAt: string;
        payload: Record<string, unknown>;
        actor: { id: string; name: string; role: string };
      }[];
      const removal = audit.find((e) => e.action === 'case.removed')!;
      expect(removal).toMatchObject({
        actor: { id: people.countyAdmin.id, name: people.countyAdmin.name, role: 'county_org_admin' },
        payload: { reason: REASON, fromStage: 'rectifying' },
      });
      expect(Date.parse(removal.occurredAt)).toBe(Date.parse(state.removal!.at));
      expect(audit.find((e) => e.action === 'stage.changed' && e.payload.to === 'removed')).toBeDefined();
      expect(await removals(play.caseId)).toBe(1);

      // The dashboard lists it apart, with the reason: not in total, the forecast or the matrix.
      const o = await overview();
      expect(o.removed.items).toEqual([
        {
          caseId: play.caseId,
          organizationName: orgs.organizations[0].name,
          townshipId: orgs.township.id,
          townshipName: orgs.township.name,
          batchYear: YEAR,
          reason: REASON,
          removedBy: { id: people.countyAdmin.id, name: people.countyAdmin.name, role: 'county_org_admin' },
          removedAt: state.removal!.at,
          fromStage: 'rectifying',
        },
      ]);
      expect(o.removed.count).toBe(1);
      expect(o.stages.removed).toBe(1);
      const stageSum = Object.values(o.stages as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(o.total).toBe(stageSum - 1);
      const f = o.forecast;
      expect(f.converted + f.onTrack + f.atRisk + f.overdue).toBe(o.total);
      const matrix = (o.townships as { matrix: { caseId: string }[]; cases: number }[]).flatMap((t) => t.matrix.map((m) => m.caseId));
      expect(matrix).not.toContain(play.caseId);
      expect(o.visitCompliance.find((l: { leaderId: string }) => l.leaderId === people.countySecretary.id)).toBeUndefined();
      // The township's own view shows it too (scoped like the rest).
      const township = (await as(h.app, people.townshipSecretary).get(`/api/dashboard/overview?batchYear=${YEAR}`).expect(200)).body;
      expect(township.removed.items.map((r: { caseId: string }) => r.caseId)).toEqual([play.caseId]);

      // The county party secretary is free again for another case of the batch.
      const other = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[1], YEAR);
      const s = await other.assignLeader(people.countySecretary);
      expect(s.contactLeader?.id).toBe(people.countySecretary.id);

      // Off the list is final: the case takes no more actions.
      const again = await removeAs(people.countyAdmin, play.caseId, { reason: REASON }).expect(409);
      expect(again.body.code).toBe('CASE_NOT_RUNNING');
    });

    it('without a reason, or with one too short: 400 in Chinese and English, and nothing changes', async () => {
      const play = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[2], YEAR);
      const before = await play.footprint();

      for (const body of [{}, { reason: '   ' }]) {
        const res = await removeAs(people.countyAdmin, play.caseId, body).expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
        expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
        expect(res.body.message).toContain('理由（reason）');
        expect(res.body.messageEn).toContain('reason');
      }
      const short = await removeAs(people.countyAdmin, play.caseId, { reason: '  不是软弱涣散  ' }).expect(400);
      expect(short.body).toMatchObject({ statusCode: 400, code: 'REMOVAL_REASON_REQUIRED', details: { rule: 'REMOVAL_REASON_REQUIRED', field: 'reason', minLength: 10, length: 6 } });
      expect(short.body.message).toContain('移出整顿名单须由县委组织部书面说明理由');
      expect(short.body.messageEn).toContain('written reason');
      await expectUntouched(play, before, 'designated');
    });

    it('refuses a township user (403) and a county organization department of another county (404)', async () => {
      const play = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[3], YEAR);
      const before = await play.footprint();
      const township = await removeAs(people.townshipSecretary, play.caseId, { reason: REASON }).expect(403);
      expect(township.body.code).toBe('FORBIDDEN');
      expect(township.body.messageEn).toBeTruthy();

      const elsewhere = await createRegionWithOrganizations(h.dataSource, 1);
      const otherAdmin = await signedInUser(h.app, h.dataSource, 'county_org_admin', elsewhere.county.id);
      const outside = await removeAs(otherAdmin, play.caseId, { reason: REASON }).expect(404);
      expect(outside.body.code).toBe('CASE_NOT_FOUND');
      await expectUntouched(play, before, 'designated');
    });

    it('never takes a one-star (S1) case off the list: 409', async () => {
      // S1 cases come from the star rating, which starts them through the client module directly.
      const org = orgs.organizations[4];
      const caseId = caseIdFor(org.id, YEAR);
      await startRectifyCase(h.client, h.config.temporal.taskQueue, {
        caseId,
        organization: { id: org.id, name: org.name, townshipId: org.townshipId, countyId: org.countyId, regionId: org.regionId },
        batchYear: YEAR,
        reasons: ['S1'],
        note: '2025年度星级评定为一星级',
        designatedBy: { id: 'system', name: '星级评定', role: 'system' },
        designatedAt: new Date().toISOString(),
        policy: DEFAULT_POLICY,
      });
      const play = new HttpPlaybook(h.app, h.dataSource, people, caseId);
      await eventually(async () => (await play.version()) ?? undefined, 15000, 'case row');
      const before = await play.footprint();

      const res = await removeAs(people.countyAdmin, caseId, { reason: REASON }).expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'ONE_STAR_CANNOT_BE_REMOVED' });
      expect(res.body.message).toContain('一星级的党组织不能移出整顿名单');
      expect(res.body.messageEn).toContain('rated one star cannot be taken off the list');
      await expectUntouched(play, before, 'designated');
    });
  });
});
