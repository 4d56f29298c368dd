import request from 'supertest';
import { as, personas, signedInUser, type Personas } from '../support/auth';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';

/** GET /api/users: whom a county or township may pick (a contact leader, an assignee), in its own region. */
describe('GET /api/users', () => {
  let h: Harness;
  let people: Personas;
  beforeAll(async () => {
    h = await startHarness();
    const r = await createRegionWithOrganizations(h.dataSource, 1);
    people = await personas(h.app, h.dataSource, { countyId: r.county.id, townshipId: r.township.id, villageId: r.organizations[0].regionId });
  });
  afterAll(() => h?.close());

  it("lists the county's leaders to the county organization department, by role", async () => {
    const res = await as(h.app, people.countyAdmin).get('/api/users?roles=county_leader,county_party_secretary').expect(200);
    expect(res.body.items.map((u: { id: string }) => u.id).sort()).toEqual([people.countyLeader.id, people.countySecretary.id].sort());
    expect(res.body.items[0]).toEqual(expect.objectContaining({ name: expect.any(String), title: expect.any(String), role: expect.any(String) }));
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
  });

  it('shows a township only its own people, and never another county', async () => {
    const township = await as(h.app, people.townshipSecretary).get('/api/users').expect(200);
    const ids = township.body.items.map((u: { id: string }) => u.id);
    expect(ids).toEqual(expect.arrayContaining([people.townshipSecretary.id, people.teamLeader.id, people.teamMember.id]));
    expect(ids).not.toContain(people.countyAdmin.id);
    const other = await createRegionWithOrganizations(h.dataSource, 1);
    const stranger = await signedInUser(h.app, h.dataSource, 'county_org_admin', other.county.id);
    const theirs = await as(h.app, stranger).get('/api/users').expect(200);
    expect(theirs.body.items.map((u: { id: string }) => u.id)).toEqual([stranger.id]);
  });

  it('refuses other roles, unknown roles and callers without a token', async () => {
    await as(h.app, people.teamMember).get('/api/users').expect(403);
    expect((await as(h.app, people.countyAdmin).get('/api/users?roles=emperor').expect(400)).body.code).toBe('VALIDATION_FAILED');
    await request(h.app.getHttpServer()).get('/api/users').expect(401);
  });
});
