import request from 'supertest';
import { AuthService } from '../../apps/api/src/auth/auth.service';
import { CasesService } from '../../apps/api/src/cases/cases.service';
import { DEMO_PASSWORD, DEMO_USERS } from '../../apps/api/src/demo/demo-county';
import { seedDemoCounty } from '../../apps/api/src/demo/seed-demo';
import { StarRatingsService } from '../../apps/api/src/star-ratings/star-ratings.service';
import { OrganizationEntity, RegionEntity } from '../../libs/persistence';
import { caseIdFor } from '../../libs/domain';
import { as, type Personas, type TestUser } from '../support/auth';
import { startHarness, type Harness } from '../support/harness';
import { HttpPlaybook } from '../support/http-playbook';

/** The demo county that `npm start` loads, driven through HTTP alone as its demo users. */
describe('the demo county, as its demo users', () => {
  let h: Harness;
  const users: Record<string, TestUser> = {};

  beforeAll(async () => {
    h = await startHarness();
    const result = await seedDemoCounty(h.dataSource, h.app.get(CasesService), h.app.get(AuthService), h.app.get(StarRatingsService));
    expect(result).toMatchObject({ regionsCreated: 65, organizationsCreated: 58, usersCreated: DEMO_USERS.length, casesDesignated: 6, ratingsStarted: 58 });
    for (const u of DEMO_USERS) {
      const res = await request(h.app.getHttpServer()).post('/api/auth/login').send({ username: u.username, password: DEMO_PASSWORD }).expect(200);
      users[u.username] = { id: res.body.user.id, username: u.username, name: res.body.user.name, role: u.role, regionId: res.body.user.regionId, token: res.body.accessToken };
    }
  });
  afterAll(() => h?.close());

  it('loads once: a second load adds nothing', async () => {
    const again = await seedDemoCounty(h.dataSource, h.app.get(CasesService), h.app.get(AuthService), h.app.get(StarRatingsService));
    expect(again).toEqual({ regionsCreated: 0, organizationsCreated: 0, usersCreated: 0, casesDesignated: 0, ratingsStarted: 0 });
    // One county, at least 5 townships, at least 50 villages and communities.
    const county = await h.dataSource.getRepository(RegionEntity).findOneByOrFail({ code: '990101' });
    const below = await h.dataSource.query(`SELECT level, count(*)::int AS n FROM region WHERE path LIKE $1 GROUP BY level`, [`/${county.id}/%`]);
    expect(Object.fromEntries(below.map((r: { level: string; n: number }) => [r.level, r.n]))).toEqual({ county: 1, township: 6, village: 58 });
  });

  it('has the year-end star rating under way: every organization started, three on public notice', async () => {
    const res = await as(h.app, users.zzb_admin).get('/api/star-ratings?year=2026&limit=100').expect(200);
    expect(res.body.total).toBe(58);
    expect(res.body.summary.byStage).toEqual({ applying: 53, evaluating: 2, public_notice: 3, objection: 0, named: 0 });
    // The township secretary of 禾丰 sees only 禾丰's.
    const township = await as(h.app, users.hefeng_shuji).get('/api/star-ratings?year=2026&limit=100').expect(200);
    expect(township.body.total).toBe(10);
  });

  it('drives 石桥村 from designation to conversion through HTTP, each step by the demo user whose job it is', async () => {
    const org = await h.dataSource.getRepository(OrganizationEntity).findOneByOrFail({ code: 'ORG-990101001004' });
    const people: Personas = {
      countyAdmin: users.zzb_admin,
      countySecretary: users.xw_shuji,
      countyLeader: users.xj_lingdao,
      townshipSecretary: users.hefeng_shuji,
      teamLeader: users.shiqiao_duizhang,
      teamMember: users.shiqiao_duiyuan,
      inspector: users.ducha,
    };
    const caseId = caseIdFor(org.id, 2026);
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
