import exifr from 'exifr';
import { binary, pdf, photoWithGps } from '../support/attachment-files';
import { as, personas, signedInUser, type Personas, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, startHarness, testConfig, type Harness } from '../support/harness';
import { HttpPlaybook, todayInShanghai } from '../support/http-playbook';

/**
 * What a county's policy asks of attachments (issue 20): a photo loses its location unless the
 * policy keeps it, read at each upload; a 销号 or an acceptance needs at least one attachment of that
 * step where the policy the case was designated under says so.
 */
describe('attachments under the county policy', () => {
  let h: Harness;
  let people: Personas;
  let play: HttpPlaybook;
  let countyId: string;
  let visitId: string;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;

  beforeAll(async () => {
    h = await startHarness(testConfig());
    const home = (orgs = await createRegionWithOrganizations(h.dataSource, 2));
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

  it('refuses a 销号 and an acceptance without an attachment where the policy requires one, accepts them with their own, and answers 422 for another step\'s or another case\'s', async () => {
    // Designated before the county asked for attachments: the case keeps the policy it started with.
    const before = play;
    await publish({ attachments: { requiredFor: ['problem_close', 'acceptance'] } });
    // The village's own team: a team is scoped to its village.
    const village = orgs.organizations[1].regionId;
    const team = {
      ...people,
      teamLeader: await signedInUser(h.app, h.dataSource, 'team_leader', village, { name: '二村队长' }),
      teamMember: await signedInUser(h.app, h.dataSource, 'team_member', village, { name: '二村队员' }),
    };
    const gated = await HttpPlaybook.designate(h.app, h.dataSource, team, orgs.organizations[1], 2026);
    expect((await gated.get()).live.policy.attachments).toEqual({ keepPhotoLocation: false, requiredFor: ['problem_close', 'acceptance'] });
    expect((await before.get()).live.policy.attachments).toBeUndefined();

    const today = todayInShanghai();
    await gated.start();
    await gated.visit(today);
    const [p1, p2] = await gated.addProblems(2);
    await gated.confirmProblemList();
    const attach = async (on: HttpPlaybook, subjectKind: string, subjectKey: string, name: string) =>
      (await as(h.app, on.people.teamLeader).post(`/api/cases/${on.caseId}/attachments`).field('subjectKind', subjectKind).field('subjectKey', subjectKey).attach('file', pdf(), name).expect(201)).body
        .id as string;
    const close = (problemId: string, body: object, status: number) => gated.post(team.teamLeader, `/problems/${problemId}/close`, { fixEvidence: '会议记录3份、整改前后照片12张', ...body }, status);

    // Required and none given: refused with the rule, and nothing moves.
    const none = await close(p1, {}, 400);
    expect(none.body).toMatchObject({ code: 'ATTACHMENT_REQUIRED', details: { rule: 'ATTACHMENT_REQUIRED', field: 'attachmentIds' } });
    expect(none.body.message).toContain('问题销号须至少附一个附件');
    expect((await close(p1, { attachmentIds: [] }, 400)).body.code).toBe('ATTACHMENT_REQUIRED');

    const ofP1 = await attach(gated, 'problem_closed', p1, '整改照片.pdf');
    const ofP2 = await attach(gated, 'problem_closed', p2, '另一问题.pdf');
    const foundP1 = await attach(gated, 'problem_found', p1, '问题佐证.pdf');
    const elsewhere = await attach(before, 'acceptance', 'acceptance', '别的案件.pdf');
    // Another problem's, the finding's instead of the closing's, another case's, a removed one: 422 naming them.
    for (const wrong of [ofP2, foundP1, elsewhere]) {
      const res = await close(p1, { attachmentIds: [ofP1, wrong] }, 422);
      expect(res.body).toMatchObject({ code: 'ATTACHMENT_NOT_OF_STEP', details: { field: 'attachmentIds', attachmentIds: [wrong] } });
    }
    const removed = await attach(gated, 'problem_closed', p1, '传错了.pdf');
    await as(h.app, team.teamLeader).delete(`/api/cases/${gated.caseId}/attachments/${removed}`).send({ reason: '传错了文件' }).expect(204);
    await close(p1, { attachmentIds: [removed] }, 422);
    expect((await gated.get()).live.problems.find((p) => p.id === p1)?.status).not.toBe('closed');

    const closed = await close(p1, { attachmentIds: [ofP1] }, 200);
    expect((closed.body.state as { problems: { id: string; status: string }[] }).problems.find((p) => p.id === p1)?.status).toBe('closed');
    const [entry] = await h.dataSource.query(`SELECT payload FROM audit_entry WHERE case_id = $1 AND action = 'problem.closed'`, [gated.caseId]);
    expect(entry.payload.attachmentIds).toEqual([ofP1]);

    // The rest of the playbook, then the acceptance: none → the rule; the case's acceptance attachment → converted.
    await gated.consultAll(today);
    const measures = await gated.planFor([p1, p2], '2030-06-30');
    await gated.approvePlan();
    for (const m of measures) await gated.progress(m, 100);
    await close(p2, { attachmentIds: [ofP2] }, 200);
    await gated.appointSecretary(today);
    await gated.addProject(today);
    await gated.training(today);
    await gated.practicalThing(today);
    // The request passed by the county's inspector and the acceptance form scored (the default practice).
    await gated.requestAcceptance();
    await gated.score();
    const acceptBody = { opinion: '经验收，已转化提升' };
    const refused = await gated.post(people.countyAdmin, '/acceptance', acceptBody, 400);
    expect(refused.body.code).toBe('ATTACHMENT_REQUIRED');
    expect(refused.body.message).toContain('验收须至少附一个附件');
    await gated.post(people.countyAdmin, '/acceptance', { ...acceptBody, attachmentIds: [elsewhere] }, 422);
    await gated.post(people.countyAdmin, '/acceptance', { ...acceptBody, attachmentIds: [ofP1] }, 422);
    const form = await attach(gated, 'acceptance', 'acceptance', '验收签字表.pdf');
    const accepted = await gated.post(people.countyAdmin, '/acceptance', { ...acceptBody, attachmentIds: [form] }, 201);
    expect(accepted.body.state.stage).toBe('converted');
  });
});
