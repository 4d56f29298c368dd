import exifr from 'exifr';
import { binary, photoWithGps } from '../support/attachment-files';
import { as, personas, type Personas, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, startHarness, testConfig, type Harness } from '../support/harness';
import { HttpPlaybook } from '../support/http-playbook';

/**
 * What a county's policy asks of attachments (issue 20): a photo loses its location unless the
 * policy keeps it, read at each upload.
 */
describe('attachments under the county policy', () => {
  let h: Harness;
  let people: Personas;
  let play: HttpPlaybook;
  let countyId: string;
  let visitId: string;

  beforeAll(async () => {
    h = await startHarness(testConfig());
    const home = await createRegionWithOrganizations(h.dataSource, 1);
    countyId = home.county.id;
    people = await personas(h.app, h.dataSource, { countyId, townshipId: home.township.id, villageId: home.organizations[0].regionId });
    play = await HttpPlaybook.designate(h.app, h.dataSource, people, home.organizations[0], 2026);
    await play.assignLeader();
    visitId = (await play.visit()).visits[0].id;
  });
  afterAll(() => h?.close());

  const base = () => `/api/cases/${play.caseId}/attachments`;
  const upload = (user: TestUser, file: Buffer, name: string, subjectKind = 'visit', subjectKey = visitId) =>
    as(h.app, user).post(base()).field('subjectKind', subjectKind).field('subjectKey', subjectKey).attach('file', file, name);
  const download = (user: TestUser, id: string, suffix = '') => as(h.app, user).get(`${base()}/${id}${suffix}`).buffer(true).parse(binary);
  const publish = (body: object, status = 201) => as(h.app, people.countyAdmin).post(`/api/counties/${countyId}/policy`).send(body).expect(status);
  const storedGps = async (name: string) => {
    const res = await upload(people.teamLeader, await photoWithGps(), name).expect(201);
    return {
      photo: await exifr.gps((await download(people.countyAdmin, res.body.id).expect(200)).body as Buffer),
      thumbnail: await exifr.gps((await download(people.countyAdmin, res.body.id, '/thumbnail').expect(200)).body as Buffer),
    };
  };

  it('removes a photo\'s GPS position by default, keeps it while the policy says attachments.keepPhotoLocation, and removes it again once it no longer does', async () => {
    expect((await as(h.app, people.countyAdmin).get(`/api/counties/${countyId}/policy`).expect(200)).body.policy.attachments).toBeUndefined();
    expect(await storedGps('默认.jpg')).toEqual({ photo: undefined, thumbnail: undefined });

    const kept = await publish({ attachments: { keepPhotoLocation: true }, note: '保留照片位置' });
    expect(kept.body.policy.attachments).toEqual({ keepPhotoLocation: true });
    const withGps = await storedGps('保留位置.jpg');
    expect(withGps.photo).toMatchObject({ latitude: expect.closeTo(31.23, 2), longitude: expect.closeTo(121.47, 2) });
    // The thumbnail never carries it.
    expect(withGps.thumbnail).toBeUndefined();

    await publish({ attachments: { keepPhotoLocation: false } });
    expect(await storedGps('不再保留.jpg')).toEqual({ photo: undefined, thumbnail: undefined });
  });

  it('refuses a policy whose attachment settings are not booleans or known steps (400)', async () => {
    await publish({ attachments: { keepPhotoLocation: 'yes' } }, 400);
    await publish({ attachments: { requiredFor: ['visit'] } }, 400);
  });
});
