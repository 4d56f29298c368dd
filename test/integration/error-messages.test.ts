import { randomUUID } from 'node:crypto';
import { as, personas, type Personas } from '../support/auth';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * Issue 13 item 6: a refusal a person reads names the thing in words or not at all — never by its
 * raw key or id (`待办不存在：case-…`). The id stays in `details`, where a developer looks.
 */
describe('error messages without raw keys or ids', () => {
  let h: Harness;
  let people: Personas;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 1);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
  });
  afterAll(() => h?.close());

  it('says a task, case, organization, escalation or township is not there without quoting its key', async () => {
    const taskKey = `case-2026-${randomUUID()}:appoint_team`;
    const caseId = `case-2026-${randomUUID()}`;
    const id = randomUUID();
    const admin = () => as(h.app, people.countyAdmin);
    const refusals = [
      { res: await admin().post(`/api/tasks/${encodeURIComponent(taskKey)}/claim`).expect(404), raw: taskKey, said: '待办不存在' },
      { res: await admin().get(`/api/cases/${caseId}`).expect(404), raw: caseId, said: '整顿案件不存在' },
      { res: await admin().get(`/api/organizations/${id}`).expect(404), raw: id, said: '基层党组织不存在' },
      { res: await admin().post(`/api/escalations/${id}/acknowledge`).send({ note: '正在组织整改' }).expect(404), raw: id, said: '督办问责记录不存在' },
      { res: await admin().get(`/api/dashboard/overview?townshipId=${id}`).expect(404), raw: id, said: '乡镇（街道）不存在' },
    ];
    for (const { res, raw, said } of refusals) {
      expect(res.body.message).toContain(said);
      expect(res.body.message).not.toContain(raw);
      expect(res.body.message).not.toMatch(UUID);
      expect(res.body.messageEn).not.toContain(raw);
      // The id is kept where a developer looks for it.
      expect(JSON.stringify(res.body.details)).toContain(raw);
    }
  });
});
