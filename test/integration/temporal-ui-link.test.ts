import { caseIdFor, ratingIdFor } from '../../libs/domain';
import { as, personas, type Personas } from '../support/auth';
import { createRegionWithOrganizations, eventually, startHarness, testConfig, type Harness } from '../support/harness';
import { StarRatingEntity } from '../../libs/persistence';

/**
 * TEMPORAL_UI_URL in use: the county organization department's case view and star rating view link the
 * workflow's page in the Temporal Web UI, so a stuck case's history is one click away; nobody else gets
 * the link (the UI has no login of its own), nor does anyone when the address is not configured.
 */
describe('links to the Temporal Web UI', () => {
  const UI = 'https://temporal-ui.county.example/';
  let h: Harness;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let people: Personas;
  let caseId: string;
  let ratingId: string;

  beforeAll(async () => {
    h = await startHarness(testConfig({ TEMPORAL_UI_URL: UI }));
    orgs = await createRegionWithOrganizations(h.dataSource, 2);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
    const admin = as(h.app, people.countyAdmin);
    await admin.post('/api/cases').send({ organizationId: orgs.organizations[0].id, batchYear: 2026, reasons: ['C4'], note: '书记缺职一年，组织生活停滞' }).expect(201);
    caseId = caseIdFor(orgs.organizations[0].id, 2026);
    await as(h.app, people.countyAdmin).post('/api/star-ratings').send({ organizationId: orgs.organizations[1].id, year: 2026 }).expect(201);
    ratingId = ratingIdFor(orgs.organizations[1].id, 2026);
    await eventually(() => h.dataSource.getRepository(StarRatingEntity).findOneBy({ id: ratingId }), 15000, 'rating row');
  });
  afterAll(() => h?.close());

  const workflowPage = (id: string) => `https://temporal-ui.county.example/namespaces/${h.config.temporal.namespace}/workflows/${encodeURIComponent(id)}`;

  it('gives the county organization department the case workflow\'s page and the star rating\'s', async () => {
    const view = await as(h.app, people.countyAdmin).get(`/api/cases/${caseId}`).expect(200);
    expect(view.body.temporalUiUrl).toBe(workflowPage(caseId));
    const rating = await as(h.app, people.countyAdmin).get(`/api/star-ratings/${ratingId}`).expect(200);
    expect(rating.body.temporalUiUrl).toBe(workflowPage(ratingId));
  });

  it('gives the link to nobody else who may see the case', async () => {
    for (const who of [people.countySecretary, people.countyLeader, people.townshipSecretary, people.inspector]) {
      const view = await as(h.app, who).get(`/api/cases/${caseId}`).expect(200);
      expect(view.body).not.toHaveProperty('temporalUiUrl');
      const rating = await as(h.app, who).get(`/api/star-ratings/${ratingId}`);
      if (rating.status === 200) expect(rating.body).not.toHaveProperty('temporalUiUrl');
    }
  });
});

describe('without TEMPORAL_UI_URL', () => {
  let h: Harness;
  afterAll(() => h?.close());

  it('gives no link at all', async () => {
    h = await startHarness(testConfig({ TEMPORAL_UI_URL: '' }));
    expect(h.config.temporalUiUrl).toBeFalsy();
    const orgs = await createRegionWithOrganizations(h.dataSource, 1);
    const people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
    await as(h.app, people.countyAdmin).post('/api/cases').send({ organizationId: orgs.organizations[0].id, batchYear: 2026, reasons: ['C4'], note: '书记缺职一年，组织生活停滞' }).expect(201);
    const view = await as(h.app, people.countyAdmin).get(`/api/cases/${caseIdFor(orgs.organizations[0].id, 2026)}`).expect(200);
    expect(view.body).not.toHaveProperty('temporalUiUrl');
  });
});
