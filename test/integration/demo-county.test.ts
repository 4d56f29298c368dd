import request from 'supertest';
import { DEMO_BATCH_YEAR, DEMO_DESIGNATIONS, DEMO_PASSWORD, DEMO_USERS } from '../../apps/api/src/demo/demo-county';
import { seedDemoCounty } from '../../apps/api/src/demo/seed-demo';
import { caseIdFor, DEFAULT_PLAYBOOKS, ORGANIZATION_DOMAINS, quarterKey, quarterOf, shanghaiDateOf, type CaseState } from '../../libs/domain';
import { AuditEntryEntity, OrganizationEntity, RegionEntity } from '../../libs/persistence';
import { as, type Personas, type TestUser } from '../support/auth';
import { startHarness, type Harness } from '../support/harness';
import { HttpPlaybook } from '../support/http-playbook';

interface Escalation {
  id: string;
  caseId: string;
  rung: string;
  status: string;
  daysOverdue: number;
  recipients?: { userId?: string; role: string }[];
}

/** The demo county that `npm start` loads, driven through HTTP alone as its demo users. */
describe('the demo county, as its demo users', () => {
  let h: Harness;
  const users: Record<string, TestUser> = {};
  const caseOf = async (villageCode: string) => caseIdFor((await h.dataSource.getRepository(OrganizationEntity).findOneByOrFail({ code: `ORG-${villageCode}` })).id, DEMO_BATCH_YEAR);
  const live = async (caseId: string): Promise<CaseState> => (await as(h.app, users.zzb_admin).get(`/api/cases/${caseId}`).expect(200)).body.live;

  beforeAll(async () => {
    h = await startHarness();
    const result = await seedDemoCounty(h.app);
    expect(result).toMatchObject({ regionsCreated: 67, organizationsCreated: 63, usersCreated: DEMO_USERS.length, casesDesignated: DEMO_DESIGNATIONS.length, ratingsStarted: 63 });
    for (const u of DEMO_USERS) {
      const res = await request(h.app.getHttpServer()).post('/api/auth/login').send({ username: u.username, password: DEMO_PASSWORD }).expect(200);
      users[u.username] = { id: res.body.user.id, username: u.username, name: res.body.user.name, role: u.role, regionId: res.body.user.regionId, token: res.body.accessToken };
    }
  });
  afterAll(() => h?.close());

  it('is a programme in mid-course: a case converted, one in 回头看, one relapsed, one off the list, the rest at work', async () => {
    const stages = Object.fromEntries(
      await Promise.all(DEMO_DESIGNATIONS.map(async (d) => [d.villageCode, (await live(await caseOf(d.villageCode))).stage] as const)),
    );
    expect(stages).toMatchObject({ '990101003003': 'converted', '990101004005': 'follow_up_review', '990101006002': 'rectifying', '990101005007': 'removed', '990101001004': 'designated' });
    const relapsed = await live(await caseOf('990101006002'));
    expect(relapsed.relapses).toHaveLength(1);
    expect(relapsed.relapses[0].reason).toContain('回头看发现');
    const removed = await live(await caseOf('990101005007'));
    expect(removed.reasons.every((r) => r.startsWith('C'))).toBe(true);
    const trail = (await as(h.app, users.zzb_admin).get(`/api/cases/${await caseOf('990101005007')}/audit?action=case.removed`).expect(200)).body.items as { payload: { reason: string } }[];
    expect(trail[0].payload.reason).toContain('移出整顿名单');
    // Designated months before today, its records dated when they happened.
    const designated = await h.dataSource.getRepository(AuditEntryEntity).findOneByOrFail({ caseId: await caseOf('990101003003'), action: 'case.designated' });
    expect(Date.now() - designated.occurredAt.getTime()).toBeGreaterThan(200 * 86_400_000);
  });

  it('has a case of every kind beyond the village, each converted or rectifying under its own playbook (issue 18)', async () => {
    const kinds = new Map<string, CaseState>();
    for (const code of ['990101005901', '990101005002', '990101005902', '990101005903', '990101005904', '990101005905']) {
      const state = await live(await caseOf(code));
      kinds.set(state.practice!.domain, state);
    }
    expect([...kinds.keys()].sort()).toEqual(ORGANIZATION_DOMAINS.filter((d) => d !== 'village').sort());
    for (const domain of ['agency', 'soe', 'private_firm', 'social_org'] as const) {
      const state = kinds.get(domain)!;
      // Converted without a collective-economy project: the kind's own project stood in for it.
      expect({ domain, stage: state.stage, project: state.projects[0]?.name }).toEqual({ domain, stage: 'converted', project: `${DEFAULT_PLAYBOOKS[domain].sixthTrack}（演示数据）` });
      expect(state.practice!.playbook.conditions).not.toContain('COLLECTIVE_PROJECT');
    }
  });

  it('has a school and a community each waiting for the county\'s sign-off (issue 18)', async () => {
    const school = await live(await caseOf('990101005901'));
    expect(school.practice).toMatchObject({ domain: 'school', playbook: { sixthTrack: '“四个认同”教育课堂化项目' } });
    expect(school.practice!.playbook.conditions).not.toContain('COLLECTIVE_PROJECT');
    const community = await live(await caseOf('990101005002'));
    expect(community.practice).toMatchObject({ domain: 'community', playbook: { sixthTrack: '社区服务设施项目' } });
    // Each waits for the county's sign-off (督导把关): the school's problem list, the community's plan after its passed list.
    expect(school.inspections!.map((i) => [i.step, i.status])).toEqual([['problem_list', 'pending']]);
    expect(community.inspections!.map((i) => [i.step, i.status])).toEqual([
      ['problem_list', 'passed'],
      ['plan', 'pending'],
    ]);
    const overview = (await as(h.app, users.zzb_admin).get(`/api/dashboard/overview?batchYear=${DEMO_BATCH_YEAR}`).expect(200)).body;
    expect(overview.inspections.waiting).toBe(2);
    expect(new Set((overview.inspections.items as { caseId: string }[]).map((i) => i.caseId))).toEqual(new Set([school.caseId, community.caseId]));
  });

  it('shows the county\'s sign-off at each key step of the cases with a past, and the scored form of those accepted', async () => {
    const converted = await live(await caseOf('990101003003'));
    expect(converted.practice).toMatchObject({ inspectionSteps: ['problem_list', 'plan', 'acceptance_request'] });
    expect(converted.inspections!.map((i) => [i.step, i.status, i.decidedBy?.name])).toEqual([
      ['problem_list', 'passed', '周督查'],
      ['plan', 'passed', '周督查'],
      ['acceptance_request', 'passed', '周督查'],
    ]);
    expect(converted.acceptanceScorings).toEqual([expect.objectContaining({ forRequestAt: converted.acceptanceRequestedAt, passed: true, vetoed: false })]);
    expect(converted.acceptanceScorings![0].total).toBeGreaterThanOrEqual(converted.practice!.acceptanceForm!.passMark);
    // A case still at work passed its list and plan; nothing of it waits for the county.
    const overdue = await live(await caseOf('990101001007'));
    expect(overdue.inspections!.map((i) => [i.step, i.status])).toEqual([
      ['problem_list', 'passed'],
      ['plan', 'passed'],
    ]);
  });

  it('has work overdue on every rung, a 督办 waiting for 禾丰镇\'s secretary to sign for it, and messages in the inbox', async () => {
    const open = (await as(h.app, users.zzb_admin).get('/api/escalations?status=open&limit=100').expect(200)).body.items as Escalation[];
    expect(new Set(open.map((e) => e.rung))).toEqual(new Set(['supervision', 'public_notice', 'interview']));
    // Each rung is the current one of a deadline overdue that long (the ladder passes over lower rungs).
    // A measure 6 days overdue is at 督办, 22 days at 通报, 50 days at 约谈: the rung of each is the current one.
    const rungsOf = async (villageCode: string) => {
      const caseId = await caseOf(villageCode);
      return open.filter((e) => e.caseId === caseId).map((e) => e.rung);
    };
    expect(await rungsOf('990101001007')).toEqual(['supervision']);
    expect(await rungsOf('990101002003')).toEqual(['public_notice']);
    expect(await rungsOf('990101003006')).toEqual(['interview']);

    const mine = (await as(h.app, users.hefeng_shuji).get('/api/escalations?status=open&rung=supervision&limit=100').expect(200)).body.items as Escalation[];
    expect(mine.length).toBeGreaterThan(0);
    const inbox = (await as(h.app, users.hefeng_shuji).get('/api/notifications?limit=100').expect(200)).body.items as { readAt: string | null }[];
    expect(inbox.filter((n) => !n.readAt).length).toBeGreaterThan(0);
    // hefeng_shuji may sign for it: it is addressed to them.
    const signed = await as(h.app, users.hefeng_shuji).post(`/api/escalations/${mine[0].id}/acknowledge`).send({ note: '已约谈工作队队长，本周内完成整改（演示）' }).expect(200);
    expect(signed.body.status).toBe('acknowledged');
  });

  it('has visits in past quarters', async () => {
    const quarters = new Set<string>();
    for (const d of DEMO_DESIGNATIONS.filter((x) => x.course)) for (const v of (await live(await caseOf(d.villageCode))).visits) quarters.add(quarterKey(quarterOf(v.visitedOn)));
    const now = quarterKey(quarterOf(shanghaiDateOf(Date.now())));
    expect([...quarters].filter((q) => q < now).length).toBeGreaterThanOrEqual(2);
  });

  it('loads once: a second load adds nothing and changes no case', async () => {
    // The demo county's rows only: other test files write cases of their own into the same database meanwhile.
    const county = await h.dataSource.getRepository(RegionEntity).findOneByOrFail({ code: '990101' });
    const cases = () => h.dataSource.query(`SELECT id, version FROM rectification_case WHERE county_id = $1 ORDER BY id`, [county.id]);
    const escalationCount = () => h.dataSource.query(`SELECT count(*)::int AS n FROM escalation WHERE county_id = $1`, [county.id]);
    const before = await cases();
    const escalations = await escalationCount();
    const again = await seedDemoCounty(h.app);
    expect(again).toEqual({ regionsCreated: 0, organizationsCreated: 0, usersCreated: 0, casesDesignated: 0, ratingsStarted: 0 });
    expect(await cases()).toEqual(before);
    expect(await escalationCount()).toEqual(escalations);
    // One county, at least 5 townships, at least 50 villages and communities.
    const below = await h.dataSource.query(`SELECT level, count(*)::int AS n FROM region WHERE path LIKE $1 GROUP BY level`, [`/${county.id}/%`]);
    expect(Object.fromEntries(below.map((r: { level: string; n: number }) => [r.level, r.n]))).toEqual({ county: 1, township: 6, village: 58 });
  });

  it('has the year-end star rating under way: every organization started, three on public notice', async () => {
    const res = await as(h.app, users.zzb_admin).get('/api/star-ratings?year=2026&limit=100').expect(200);
    expect(res.body.total).toBe(63);
    expect(res.body.summary.byStage).toEqual({ applying: 58, evaluating: 2, public_notice: 3, objection: 0, named: 0 });
    // The township secretary of 禾丰 sees only 禾丰's.
    const township = await as(h.app, users.hefeng_shuji).get('/api/star-ratings?year=2026&limit=100').expect(200);
    expect(township.body.total).toBe(10);
  });

  it('drives 石桥村 from designation to conversion through HTTP, each step by the demo user whose job it is', async () => {
    const people: Personas = {
      countyAdmin: users.zzb_admin,
      countySecretary: users.xw_shuji,
      countyLeader: users.xj_lingdao,
      townshipSecretary: users.hefeng_shuji,
      teamLeader: users.shiqiao_duizhang,
      teamMember: users.shiqiao_duiyuan,
      inspector: users.ducha,
    };
    const caseId = await caseOf('990101001004');
    // Each sees it in their own region; the other township's secretary does not.
    for (const who of ['zzb_admin', 'hefeng_shuji', 'shiqiao_duizhang', 'ducha'])
      await as(h.app, users[who]).get(`/api/cases/${caseId}`).expect(200);
    await as(h.app, users.qingshi_shuji).get(`/api/cases/${caseId}`).expect(404);

    const play = new HttpPlaybook(h.app, h.dataSource, people, caseId);
    await play.start();
    await play.completePlaybook();
    const state = await play.accept();
    expect(state.stage).toBe('converted');
    expect(state.contactLeader?.name).toBe(users.xj_lingdao.name);
    // The inspector reads but may not act.
    await as(h.app, users.ducha).post(`/api/cases/${caseId}/team/release`).send({ reason: '转化' }).expect(403);
    const view = await as(h.app, users.ducha).get(`/api/cases/${caseId}`).expect(200);
    expect(view.body.record.stage).toBe('converted');
  });
});
