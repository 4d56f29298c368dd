import { Workbook } from 'exceljs';
import { RATING_STAGE_LABELS, type RatingStage } from '../../libs/domain';
import { AuditEntryEntity, StarRatingEntity } from '../../libs/persistence';
import { as, personas, type Personas } from '../support/auth';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';

/**
 * The star rating through the API (issue 7 item 2): starting a year's ratings, the steps a township
 * and the county take, and every refusal in Chinese and English. The notice's days passing are in
 * test/workflows/star-rating.workflow.test.ts (time-skipping); here the clock is the real one.
 */
describe('star ratings (/api/star-ratings)', () => {
  let h: Harness;
  let home: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let other: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let people: Personas;
  let otherAdmin: Personas['countyAdmin'];
  const YEAR = 2026;

  beforeAll(async () => {
    h = await startHarness();
    home = await createRegionWithOrganizations(h.dataSource, 4);
    other = await createRegionWithOrganizations(h.dataSource, 1);
    people = await personas(h.app, h.dataSource, { countyId: home.county.id, townshipId: home.township.id, villageId: home.organizations[0].regionId });
    otherAdmin = (await personas(h.app, h.dataSource, { countyId: other.county.id, townshipId: other.township.id, villageId: other.organizations[0].regionId })).countyAdmin;
  });
  afterAll(() => h?.close());

  const admin = () => as(h.app, people.countyAdmin);
  const township = () => as(h.app, people.townshipSecretary);
  const idOf = (orgId: string, year = YEAR) => `star-rating-${year}-${orgId}`;

  it('starts the year for every organization of the county once; a second launch starts nothing', async () => {
    const first = await admin().post('/api/star-ratings/launch').send({ year: YEAR }).expect(200);
    expect(first.body).toEqual({ year: YEAR, organizations: 4, started: 4, alreadyStarted: 0 });
    const again = await admin().post('/api/star-ratings/launch').send({ year: YEAR }).expect(200);
    expect(again.body).toEqual({ year: YEAR, organizations: 4, started: 0, alreadyStarted: 4 });

    const list = await admin().get(`/api/star-ratings?year=${YEAR}`).expect(200);
    expect(list.body.total).toBe(4);
    expect(list.body.summary.byStage.applying).toBe(4);
    expect(list.body.items[0]).not.toHaveProperty('state');
    // Another county sees none of it.
    const theirs = await as(h.app, otherAdmin).get(`/api/star-ratings?year=${YEAR}`).expect(200);
    expect(theirs.body.total).toBe(0);
    await as(h.app, otherAdmin).get(`/api/star-ratings/${idOf(home.organizations[0].id)}`).expect(404);

    const one = await admin().post('/api/star-ratings').send({ organizationId: home.organizations[0].id, year: YEAR }).expect(409);
    expect(one.body).toMatchObject({ code: 'STAR_RATING_ALREADY_STARTED' });
    expect(one.body.message).toContain('已启动');
  });

  it('takes the application and a township evaluation, and opens the public notice', async () => {
    const id = idOf(home.organizations[0].id);
    const applied = await township().post(`/api/star-ratings/${id}/application`).send({ selfScore: 78, appliedStars: 2, selfCheck: '对照六个基本逐项自查' }).expect(200);
    expect(applied.body.state.stage).toBe('evaluating');
    const evaluated = await township()
      .post(`/api/star-ratings/${id}/evaluation`)
      .send({ score: 79.9, opinion: '考核组实地考核，组织生活基本规范', disqualifiers: { seriousViolation: false } })
      .expect(200);
    expect(evaluated.body.state).toMatchObject({ stage: 'public_notice', evaluation: { score: 79.9, stars: 2, level: 'township' } });

    const row = await h.dataSource.getRepository(StarRatingEntity).findOneByOrFail({ id });
    expect(row).toMatchObject({ stage: 'public_notice', score: '79.90', stars: 2, evaluationLevel: 'township' });
    expect(row.noticeEndsAt!.getTime() - Date.parse(evaluated.body.state.notice.startedAt)).toBe(5 * 24 * 3600_000);

    // An objection pauses the notice; dismissing it in writing resumes it.
    const objected = await township().post(`/api/star-ratings/${id}/objections`).send({ objector: '村民王某', content: '反映主题党日未按时开展' }).expect(200);
    expect(objected.body.state.stage).toBe('objection');
    const oid = objected.body.state.objections[0].id;
    const short = await township().post(`/api/star-ratings/${id}/objections/${oid}/resolution`).send({ upheld: false, resolution: '不成立' }).expect(400);
    expect(short.body.message).toContain('处理意见（resolution）');
    const resumed = await township().post(`/api/star-ratings/${id}/objections/${oid}/resolution`).send({ upheld: false, resolution: '经核查，活动记录和照片齐全，异议不成立' }).expect(200);
    expect(resumed.body.state.stage).toBe('public_notice');
    const twice = await township().post(`/api/star-ratings/${id}/objections/${oid}/resolution`).send({ upheld: false, resolution: '经核查，活动记录和照片齐全，异议不成立' }).expect(409);
    expect(twice.body.code).toBe('RATING_STAGE_DOES_NOT_ALLOW');

    const trail = await township().get(`/api/star-ratings/${id}/audit`).expect(200);
    expect(trail.body.map((a: AuditEntryEntity) => a.action)).toEqual([
      'star_rating.started',
      'star_rating.applied',
      'star_rating.evaluated',
      'star_rating.objection_raised',
      'star_rating.objection_resolved',
    ]);
    expect(trail.body[4]).toMatchObject({ actor: people.townshipSecretary.name, payload: { upheld: false, outcome: 'notice_resumed' } });
  });

  it('refuses a township evaluation of four or five stars: the county evaluates those (409)', async () => {
    const id = idOf(home.organizations[1].id);
    await township().post(`/api/star-ratings/${id}/application`).send({ selfScore: 96, appliedStars: 5, selfCheck: '各项工作走在全县前列' }).expect(200);
    const refused = await township().post(`/api/star-ratings/${id}/evaluation`).send({ score: 95, opinion: '达到五星级标准' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'RATING_FOUR_FIVE_STARS_BY_COUNTY' });
    expect(refused.body.message).toContain('四星级、五星级党组织由县委组织部考核');
    expect(refused.body.messageEn).toContain('county organization department');
    expect((await h.dataSource.getRepository(StarRatingEntity).findOneByOrFail({ id })).stage).toBe('evaluating');

    // The county evaluates: a poor village not yet lifted out is four stars at most.
    const ok = await admin().post(`/api/star-ratings/${id}/evaluation`).send({ score: 95, opinion: '达到五星级标准', disqualifiers: { unliftedPoorVillage: true } }).expect(200);
    expect(ok.body.state.evaluation).toMatchObject({ stars: 4, scoreStars: 5, level: 'county', cappedBy: ['未脱贫的贫困村不能评定为五星级'] });
  });

  it('answers malformed steps with 400 naming the field in Chinese and English, and changes nothing', async () => {
    const id = idOf(home.organizations[2].id);
    const bad = await township().post(`/api/star-ratings/${id}/application`).send({ selfScore: 101, appliedStars: 6, selfCheck: '' }).expect(400);
    expect(bad.body.message).toContain('自查得分（selfScore）');
    expect(bad.body.message).toContain('申报星级（appliedStars）');
    const badFlag = await township().post(`/api/star-ratings/${id}/evaluation`).send({ score: 50, opinion: '差', disqualifiers: { seriousViolation: 'yes' } }).expect(400);
    expect(badFlag.body.message).toContain('seriousViolation');
    // Evaluation before the application: a conflict with the rating's stage.
    const early = await township().post(`/api/star-ratings/${id}/evaluation`).send({ score: 50, opinion: '组织生活不正常' }).expect(409);
    expect(early.body).toMatchObject({ code: 'RATING_STAGE_DOES_NOT_ALLOW' });
    expect(early.body.message).toContain('待自查申报');
    expect((await h.dataSource.getRepository(StarRatingEntity).findOneByOrFail({ id })).version).toBe(1);

    // Only the county organization department starts ratings or downgrades them.
    await township().post('/api/star-ratings/launch').send({ year: YEAR }).expect(403);
    await township().post(`/api/star-ratings/${id}/downgrade`).send({ stars: 1, reason: '支部书记受到严重违纪处分' }).expect(403);
    const notNamed = await admin().post(`/api/star-ratings/${id}/downgrade`).send({ stars: 1, reason: '支部书记受到严重违纪处分' }).expect(409);
    expect(notNamed.body.code).toBe('RATING_STAGE_DOES_NOT_ALLOW');
    const noReason = await admin().post(`/api/star-ratings/${id}/downgrade`).send({ stars: 1 }).expect(400);
    expect(noReason.body.message).toContain('reason');
  });

  it('keeps each county to its own organizations', async () => {
    const res = await as(h.app, otherAdmin).post('/api/star-ratings').send({ organizationId: home.organizations[3].id, year: YEAR + 1 }).expect(404);
    expect(res.body.code).toBe('ORGANIZATION_NOT_FOUND');
    await as(h.app, otherAdmin).post(`/api/star-ratings/${idOf(home.organizations[3].id)}/application`).send({ selfScore: 70, appliedStars: 2, selfCheck: '自查' }).expect(404);
    await as(h.app, otherAdmin).post('/api/star-ratings/launch').send({ year: YEAR, townshipId: home.township.id }).expect(404);
    const mine = await as(h.app, otherAdmin).post('/api/star-ratings').send({ organizationId: other.organizations[0].id, year: YEAR }).expect(201);
    expect(mine.body.record).toMatchObject({ stage: 'applying', organizationId: other.organizations[0].id });
  });
  it('exports the list as shown: the same rows in the same order for the same filters, every page, in words', async () => {
    const binary = (r: import('supertest').Test) =>
      r.buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    const sheet = async (body: Buffer) => {
      const wb = new Workbook();
      await wb.xlsx.load(body as unknown as Parameters<typeof wb.xlsx.load>[0]);
      const ws = wb.worksheets[0];
      const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
      return Array.from({ length: ws.rowCount - 1 }, (_, i) => {
        const values = (ws.getRow(i + 2).values as unknown[]).slice(1);
        return Object.fromEntries(headers.map((hd, j) => [hd, values[j] ?? null]));
      });
    };
    for (const filter of [`year=${YEAR}`, `year=${YEAR}&stage=applying`, `year=${YEAR}&townshipId=${home.township.id}&stage=public_notice&stars=2`, `year=${YEAR}&stars=5`]) {
      // The list pages (limit 1); the export holds every row of the filters, in the list's order.
      const pages: { organizationName: string; stage: RatingStage }[] = [];
      for (let offset = 0; ; offset++) {
        const page = await admin().get(`/api/star-ratings?${filter}&limit=1&offset=${offset}`).expect(200);
        pages.push(...page.body.items);
        if (pages.length >= page.body.total) break;
      }
      const res = await binary(admin().get(`/api/star-ratings/export.xlsx?${filter}`)).expect(200);
      expect(res.headers['content-disposition']).toContain(encodeURIComponent(`${YEAR}年度星级评定.xlsx`));
      const rows = await sheet(res.body as Buffer);
      expect(rows.map((r) => [r['组织名称'], r['评定阶段'], r['乡镇（街道）']])).toEqual(pages.map((p) => [p.organizationName, RATING_STAGE_LABELS[p.stage], home.township.name]));
    }
    const twoStars = await sheet((await binary(admin().get(`/api/star-ratings/export.xlsx?year=${YEAR}&stars=2`)).expect(200)).body as Buffer);
    expect(twoStars).toHaveLength(1);
    expect(twoStars[0]).toMatchObject({ 评定星级: '二星级', 考核得分: 79.9, 考核层级: '乡镇考核' });
    // Another county's export holds none of this county's ratings; a bad filter is refused.
    const theirs = await sheet((await binary(as(h.app, otherAdmin).get(`/api/star-ratings/export.xlsx?year=${YEAR}`)).expect(200)).body as Buffer);
    expect(theirs.map((r) => r['乡镇（街道）'])).toEqual([other.township.name]);
    const bad = await admin().get('/api/star-ratings/export.xlsx?year=1999').expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});
