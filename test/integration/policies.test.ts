import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { DEFAULT_POLICY } from '../../libs/domain';
import { CountyPolicyEntity } from '../../libs/persistence';
import { PoliciesService } from '../../apps/api/src/policies/policies.service';
import { as, signedInUser, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';

/** A county publishes its own rectification policy (整顿政策); cases designated later take it. */
describe('county policy (GET/POST /api/counties/:countyId/policy)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    const { county } = await createRegionWithOrganizations(h.dataSource, 0);
    outsider = await signedInUser(h.app, h.dataSource, 'county_org_admin', county.id);
  });
  afterAll(() => h?.close());

  /** The county organization department of each county the tests create. */
  const admins = new Map<string, TestUser>();
  let outsider: TestUser;
  const http = (countyId?: string) => as(h.app, countyId ? admins.get(countyId)! : outsider);
  const newCounty = async () => {
    const { county } = await createRegionWithOrganizations(h.dataSource, 0);
    admins.set(county.id, await signedInUser(h.app, h.dataSource, 'county_org_admin', county.id, { name: '张部长' }));
    return county.id;
  };
  const stored = (countyId: string) => h.dataSource.getRepository(CountyPolicyEntity).find({ where: { countyId }, order: { version: 'ASC' } });

  it('answers the built-in defaults (version 0) for a county that has published nothing', async () => {
    const countyId = await newCounty();
    const res = await http(countyId).get(`/api/counties/${countyId}/policy`).expect(200);
    expect(res.body).toEqual({ countyId, version: 0, policy: DEFAULT_POLICY, publishedAt: null, publishedBy: null, note: null });
    expect(await h.app.get(PoliciesService).currentPolicy(countyId)).toEqual(DEFAULT_POLICY);
  });

  it('publishes version 1 with the override, then version 2 built on version 1', async () => {
    const countyId = await newCounty();
    const first = await http(countyId)
      .post(`/api/counties/${countyId}/policy`)
      .send({ teamMinSize: 5, note: '本县要求每支队伍至少 5 人' })
      .expect(201);
    expect(first.body).toMatchObject({
      countyId,
      version: 1,
      policy: { ...DEFAULT_POLICY, version: 1, teamMinSize: 5 },
      note: '本县要求每支队伍至少 5 人',
      publishedBy: { id: admins.get(countyId)!.id, name: '张部长' },
    });
    expect(Date.parse(first.body.publishedAt)).not.toBeNaN();

    const second = await http(countyId)
      .post(`/api/counties/${countyId}/policy`)
      .send({ secretaryDeadlineMonths: 2, escalationDaysOverdue: { interview: 20 }, reminderDaysBefore: [7, 1] })
      .expect(201);
    const expected = {
      ...DEFAULT_POLICY,
      version: 2,
      teamMinSize: 5,
      secretaryDeadlineMonths: 2,
      reminderDaysBefore: [7, 1],
      escalationDaysOverdue: { supervision: 1, publicNotice: 15, interview: 20 },
    };
    expect(second.body).toMatchObject({ version: 2, policy: expected, publishedBy: { id: admins.get(countyId)!.id, name: '张部长' }, note: null });

    expect((await http(countyId).get(`/api/counties/${countyId}/policy`).expect(200)).body).toMatchObject({ version: 2, policy: expected });
    expect(await h.app.get(PoliciesService).currentPolicy(countyId)).toEqual(expected);
    expect((await stored(countyId)).map((r) => r.version)).toEqual([1, 2]);
  });

  it('refuses an out-of-range override, naming the field, and stores nothing', async () => {
    const countyId = await newCounty();
    const res = await http(countyId).post(`/api/counties/${countyId}/policy`).send({ teamMinSize: 0, teamLeaderRanks: ['general'] }).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.message).toContain('整建队伍最少人数（teamMinSize）');
    expect(res.body.message).toContain('队长职级（teamLeaderRanks）');
    expect(res.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['teamLeaderRanks', 'teamMinSize']);
    expect(await stored(countyId)).toEqual([]);
  });

  it('refuses an override that makes the policy inconsistent (POLICY_INVALID with the problems)', async () => {
    const countyId = await newCounty();
    const res = await http(countyId)
      .post(`/api/counties/${countyId}/policy`)
      .send({ escalationDaysOverdue: { publicNotice: 40 } })
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'POLICY_INVALID' });
    expect(res.body.details.problems).toEqual([expect.stringContaining('escalationDaysOverdue')]);
    expect(res.body.message).toContain('escalationDaysOverdue');
    expect(await stored(countyId)).toEqual([]);
  });

  it('refuses a policy looser than the seeds (POLICY_BELOW_SEED_FLOOR naming each rule and its seed section) and stores nothing', async () => {
    const countyId = await newCounty();
    const res = await http(countyId)
      .post(`/api/counties/${countyId}/policy`)
      .send({ teamMinSize: 1, visitsPerQuarter: 0, minCollectiveProjects: 0, countyPartySecretaryMaxCases: 2, teamLeaderRanks: ['staff'] })
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'POLICY_BELOW_SEED_FLOOR' });
    expect(res.body.message).toContain('整建队伍不少于3人（seed 000 §四(二)）');
    expect(res.body.message).toContain('联系领导调研指导每季度不少于1次（seed 000 §四(一)）');
    expect(res.body.message).toContain('至少发展一个集体经济项目（seed 000 §四(四)）');
    expect(res.body.details.floors.map((f: { field: string }) => f.field).sort()).toEqual(
      ['countyPartySecretaryMaxCases', 'minCollectiveProjects', 'teamLeaderRanks', 'teamMinSize', 'visitsPerQuarter'],
    );
    expect(await stored(countyId)).toEqual([]);
    const notice = await http(countyId).post(`/api/counties/${countyId}/policy`).send({ publicNoticeDays: 3 }).expect(400);
    expect(notice.body).toMatchObject({ code: 'POLICY_BELOW_SEED_FLOOR', message: expect.stringContaining('星级评定公示不少于5天（seed 000 §三(二)）') });
    // Tightening is the county's to choose.
    await http(countyId).post(`/api/counties/${countyId}/policy`).send({ teamMinSize: 4, visitsPerQuarter: 2 }).expect(201);
  });

  it('refuses unknown fields, also inside nested objects', async () => {
    const countyId = await newCounty();
    for (const body of [{ teamMinSize: 4, version: 9 }, { escalationDaysOverdue: { supervision: 2, weekly: 1 } }, { bogus: true }]) {
      const res = await http(countyId).post(`/api/counties/${countyId}/policy`).send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect(await stored(countyId)).toEqual([]);
  });

  it('answers 404 for an unknown county and for a region that is not a county', async () => {
    const { township } = await createRegionWithOrganizations(h.dataSource, 0);
    for (const id of [randomUUID(), township.id]) {
      const got = await http().get(`/api/counties/${id}/policy`).expect(404);
      expect(got.body).toMatchObject({ code: 'COUNTY_NOT_FOUND', details: { countyId: id } });
      const posted = await http().post(`/api/counties/${id}/policy`).send({ teamMinSize: 4 }).expect(404);
      expect(posted.body.code).toBe('COUNTY_NOT_FOUND');
    }
    // A malformed id names no county either: 404, before any validation, like every out-of-scope id.
    const bad = await http().get('/api/counties/not-a-uuid/policy').expect(404);
    expect(bad.body).toMatchObject({ code: 'COUNTY_NOT_FOUND' });
  });

  it('lets only the county organization department of that county publish, and records it in the audit trail', async () => {
    const countyId = await newCounty();
    const leader = await signedInUser(h.app, h.dataSource, 'county_leader', countyId);
    expect((await as(h.app, leader).post(`/api/counties/${countyId}/policy`).send({ teamMinSize: 4 }).expect(403)).body.code).toBe('FORBIDDEN');
    await as(h.app, leader).get(`/api/counties/${countyId}/policy`).expect(200);
    expect((await http().post(`/api/counties/${countyId}/policy`).send({ teamMinSize: 4 }).expect(404)).body.code).toBe('COUNTY_NOT_FOUND');
    await request(h.app.getHttpServer()).get(`/api/counties/${countyId}/policy`).expect(401);
    expect(await stored(countyId)).toEqual([]);
    await http(countyId).post(`/api/counties/${countyId}/policy`).send({ teamMinSize: 4 }).expect(201);
    const audit = await h.dataSource.query(`SELECT actor_id, action, payload FROM audit_entry WHERE idempotency_key = $1`, [`policy:${countyId}:v1`]);
    expect(audit).toEqual([{ actor_id: admins.get(countyId)!.id, action: 'policy.published', payload: expect.objectContaining({ version: 1 }) }]);
  });

  it('never stores one version twice when publishes race (the loser gets 409)', async () => {
    const countyId = await newCounty();
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => http(countyId).post(`/api/counties/${countyId}/policy`).send({ teamMinSize: 3 + i })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const won = responses.filter((r) => r.status === 201).map((r) => r.body.version).sort();
    for (const lost of responses.filter((r) => r.status === 409)) expect(lost.body.code).toBe('POLICY_VERSION_CONFLICT');
    const rows = await stored(countyId);
    expect(rows.map((r) => r.version)).toEqual(won);
    expect(rows.map((r) => r.version)).toEqual(rows.map((_, i) => i + 1));
  });
});
