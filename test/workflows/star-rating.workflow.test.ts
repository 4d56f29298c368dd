import { ratingIdFor, type Actor, type RatingDisqualifiers, type StarRatingState, type Stars } from '../../libs/domain';
import { AuditEntryEntity, RectificationCaseEntity, StarRatingEntity, TaskEntity, type OrganizationEntity } from '../../libs/persistence';
import { executeRatingCommand, queryStarRating, RatingRuleViolationError, startStarRating } from '../../libs/temporal';
import { COUNTY_ADMIN, skipTo, TOWNSHIP_SECRETARY } from '../support/case-driver';
import { createRegionWithOrganizations, eventually } from '../support/harness';
import { startTimeSkipping, type TimeSkipping } from '../support/time-skipping';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * The yearly star rating (星级评定) as a workflow on the time-skipping server, with the real activities
 * writing to PostgreSQL: the public notice's days, its pause by an objection, naming, and what a
 * one-star grade sets off (the next batch's case; the secretary's adjustment after two such years).
 */
describe('evaluateStarRating: 申报 → 考核 → 公示 → 命名', () => {
  let ts: TimeSkipping;
  afterEach(async () => {
    await ts?.close();
  });

  async function setUp(orgCount = 1, day = '2030-11-02') {
    ts = await startTimeSkipping();
    const region = await createRegionWithOrganizations(ts.dataSource, orgCount);
    await skipTo(ts, day);
    return region.organizations;
  }

  async function start(org: OrganizationEntity, year: number, publicNoticeDays = 5): Promise<string> {
    const ratingId = ratingIdFor(org.id, year);
    await startStarRating(ts.env.client, ts.taskQueue, {
      ratingId,
      organization: { id: org.id, name: org.name, domain: org.domain, townshipId: org.townshipId, countyId: org.countyId, regionId: org.regionId },
      year,
      publicNoticeDays,
      startedBy: COUNTY_ADMIN,
      startedAt: new Date(await ts.env.currentTimeMs()).toISOString(),
    });
    return ratingId;
  }

  const apply = (id: string, appliedStars: Stars, by: Actor = TOWNSHIP_SECRETARY) =>
    executeRatingCommand(ts.env.client, id, 'applyForRating', { actor: by, selfScore: 70, appliedStars, selfCheck: '对照"六个基本"逐项自查' });
  const evaluate = (id: string, score: number, by: Actor = TOWNSHIP_SECRETARY, disqualifiers: Partial<RatingDisqualifiers> = {}) =>
    executeRatingCommand(ts.env.client, id, 'evaluateRating', { actor: by, score, disqualifiers, opinion: '考核组实地考核' });
  const state = async (id: string) => (await queryStarRating(ts.env.client, id)) as StarRatingState;
  const row = (id: string) => ts.dataSource.getRepository(StarRatingEntity).findOneByOrFail({ id });
  const skip = (ms: number) => ts.env.sleep(ms);

  /** Rates an organization one star for a year, through its notice, until named. */
  async function rateOneStar(org: OrganizationEntity, year: number): Promise<string> {
    const id = await start(org, year);
    await apply(id, 2);
    await evaluate(id, 55);
    await skip(5 * DAY + HOUR);
    await eventually(async () => ((await state(id)).stage === 'named' ? true : undefined), 15000, `${id} named`);
    return id;
  }

  it('runs the public notice for its full days without an objection, then names the grade', async () => {
    const [org] = await setUp();
    const id = await start(org, 2030);
    expect((await state(id)).stage).toBe('applying');
    await apply(id, 3);
    const evaluated = await evaluate(id, 85);
    expect(evaluated).toMatchObject({ stage: 'public_notice', evaluation: { score: 85, stars: 3, level: 'township' } });
    const noticeEndsAt = evaluated.notice!.endsAtMs;
    expect(noticeEndsAt - Date.parse(evaluated.notice!.startedAt)).toBe(5 * DAY);

    // A minute short of five days: still on notice.
    await skip(5 * DAY - 60_000);
    expect((await state(id)).stage).toBe('public_notice');
    await skip(2 * 60_000);
    const named = await state(id);
    expect(named).toMatchObject({ stage: 'named', stars: 3 });
    expect(Date.parse(named.namedAt!)).toBeGreaterThanOrEqual(noticeEndsAt);
    await eventually(async () => ((await row(id)).stage === 'named' ? true : undefined));
    expect(await row(id)).toMatchObject({ stars: 3, score: '85.00', evaluationLevel: 'township', designatedCaseId: null });

    const actions = (await ts.dataSource.getRepository(AuditEntryEntity).createQueryBuilder('a').where(`a.payload->>'ratingId' = :id`, { id }).orderBy('a.id').getMany()).map((a) => a.action);
    expect(actions).toEqual(['star_rating.started', 'star_rating.applied', 'star_rating.evaluated', 'star_rating.named']);
  });

  it('pauses the notice while an objection is open and resumes it with the days it still owed', async () => {
    const [org] = await setUp();
    const id = await start(org, 2030);
    await apply(id, 3);
    await evaluate(id, 82);
    await skip(2 * DAY);
    const objected = await executeRatingCommand(ts.env.client, id, 'raiseObjection', { actor: TOWNSHIP_SECRETARY, objector: '村民张某', content: '反映该村"三会一课"未按时开展' });
    expect(objected.stage).toBe('objection');
    // Two of its five days ran: three are owed (less the moments the update itself took).
    expect(objected.notice!.remainingMs).toBeLessThanOrEqual(3 * DAY);
    expect(objected.notice!.remainingMs).toBeGreaterThan(3 * DAY - 60_000);

    // Ten days pass under the objection: nothing is named.
    await skip(10 * DAY);
    expect((await state(id)).stage).toBe('objection');
    expect((await row(id)).openObjections).toBe(1);

    const resumed = await executeRatingCommand(ts.env.client, id, 'resolveObjection', {
      actor: TOWNSHIP_SECRETARY,
      objectionId: objected.objections[0].id,
      upheld: false,
      resolution: '经核查，会议记录齐全，异议不成立',
    });
    expect(resumed.stage).toBe('public_notice');
    expect(resumed.notice!.endsAtMs - (await ts.env.currentTimeMs())).toBeLessThanOrEqual(3 * DAY);
    expect(resumed.notice!.endsAtMs - (await ts.env.currentTimeMs())).toBeGreaterThan(3 * DAY - 60_000);

    await skip(3 * DAY - 60 * 60_000);
    expect((await state(id)).stage).toBe('public_notice');
    await skip(2 * 60 * 60_000);
    expect(await state(id)).toMatchObject({ stage: 'named', stars: 3 });
  });

  it('sets the evaluation aside when an objection is upheld: evaluated again, then a full notice again', async () => {
    const [org] = await setUp();
    const id = await start(org, 2030);
    await apply(id, 3);
    await evaluate(id, 84);
    await skip(4 * DAY);
    const objected = await executeRatingCommand(ts.env.client, id, 'raiseObjection', { actor: TOWNSHIP_SECRETARY, objector: '党员李某', content: '该支部书记年内受到党纪处分' });
    const reopened = await executeRatingCommand(ts.env.client, id, 'resolveObjection', {
      actor: TOWNSHIP_SECRETARY,
      objectionId: objected.objections[0].id,
      upheld: true,
      resolution: '经核查属实，重新考核并扣分',
    });
    expect(reopened).toMatchObject({ stage: 'evaluating', voidedEvaluations: [{ score: 84 }] });
    expect(reopened.evaluation).toBeUndefined();
    const again = await evaluate(id, 70);
    expect(again.notice!.endsAtMs - Date.parse(again.notice!.startedAt)).toBe(5 * DAY);
    expect(Date.parse(again.notice!.startedAt)).toBeGreaterThan(Date.parse(reopened.objections[0].resolution!.at) - 1);
    await skip(5 * DAY + HOUR);
    expect(await state(id)).toMatchObject({ stage: 'named', stars: 2 });
  });

  it('leaves four and five stars to the county, and caps the grade by each disqualifier', async () => {
    const orgs = await setUp(5);
    const ids = await Promise.all(orgs.map((o) => start(o, 2030)));
    await Promise.all(ids.map((id) => apply(id, 5)));
    // The township may not evaluate what applied for five stars.
    await expect(evaluate(ids[0], 96)).rejects.toMatchObject({ rule: 'RATING_FOUR_FIVE_STARS_BY_COUNTY' });
    await expect(evaluate(ids[0], 96)).rejects.toBeInstanceOf(RatingRuleViolationError);
    expect((await state(ids[0])).stage).toBe('evaluating');

    const cases: [Partial<RatingDisqualifiers>, Stars][] = [
      [{}, 5],
      [{ seriousViolation: true }, 3],
      [{ poorPovertyAlleviation: true }, 3],
      [{ dutiesUnfulfilledOrRankedLow: true }, 3],
      [{ unliftedPoorVillage: true }, 4],
    ];
    for (const [i, [disqualifiers, expected]] of cases.entries()) {
      const s = await evaluate(ids[i], 96, COUNTY_ADMIN, disqualifiers);
      expect({ disqualifiers, stars: s.evaluation!.stars, level: s.evaluation!.level }).toEqual({ disqualifiers, stars: expected, level: 'county' });
    }
    await skip(5 * DAY + HOUR);
    const named = await Promise.all(ids.map(async (id) => (await state(id)).stars));
    expect(named).toEqual([5, 3, 3, 3, 4]);
  });

  it('designates a one-star organization into the next batch automatically and starts its case', async () => {
    const [org] = await setUp();
    const id = await rateOneStar(org, 2030);
    const s = await state(id);
    const caseId = `case-2031-${org.id}`;
    expect(s.consequences).toEqual([expect.objectContaining({ stars: 1, designatedCaseId: caseId, previousYearStars: null, secretaryAdjustment: false, caseExisted: false })]);

    const c = await eventually(() => ts.dataSource.getRepository(RectificationCaseEntity).findOneBy({ id: caseId }));
    expect(c).toMatchObject({ batchYear: 2031, reasons: ['S1'], stage: 'designated', designatedBy: '系统' });
    expect(c.state.note).toContain('2030年度星级评定为一星级');
    expect(await row(id)).toMatchObject({ stars: 1, designatedCaseId: caseId, secretaryAdjustment: false });
    // No secretary adjustment after a single one-star year.
    const kinds = (await ts.dataSource.getRepository(TaskEntity).findBy({ caseId, status: 'open' })).map((t) => t.kind);
    expect(kinds).not.toContain('adjust_secretary');
  });

  it('raises the secretary adjustment for the county organization department after two one-star years in a row', async () => {
    const [org, other] = await setUp(2, '2029-11-02');
    await rateOneStar(org, 2029);
    // The other organization was two stars in 2029: its one star in 2030 is the first.
    const otherId = await start(other, 2029);
    await apply(otherId, 2);
    await evaluate(otherId, 65);
    await skip(5 * DAY + HOUR);

    await skipTo(ts, '2030-11-10');
    const id = await rateOneStar(org, 2030);
    const firstTime = await rateOneStar(other, 2030);

    expect((await state(id)).consequences[0]).toMatchObject({ previousYearStars: 1, secretaryAdjustment: true });
    expect((await state(firstTime)).consequences[0]).toMatchObject({ previousYearStars: 2, secretaryAdjustment: false });

    const caseId = `case-2031-${org.id}`;
    const task = await eventually(() => ts.dataSource.getRepository(TaskEntity).findOneBy({ caseId, kind: 'adjust_secretary', status: 'open' }));
    expect(task).toMatchObject({ assigneeRole: 'county_org_admin', regionId: org.countyId });
    expect(task.title).toContain('连续两年评定为一星级（2029、2030年）');
    const c = await ts.dataSource.getRepository(RectificationCaseEntity).findOneByOrFail({ id: caseId });
    expect(c.state.secretary).toMatchObject({ required: true, adjustment: { oneStarYears: [2029, 2030] } });
    expect(await ts.dataSource.getRepository(TaskEntity).findOneBy({ caseId: `case-2031-${other.id}`, kind: 'adjust_secretary' })).toBeNull();
  });

  it('lets the county downgrade a named grade with a reason; a downgrade to one star designates', async () => {
    const [org] = await setUp();
    const id = await start(org, 2030);
    await apply(id, 3);
    await evaluate(id, 88);
    await skip(5 * DAY + HOUR);
    expect((await state(id)).stars).toBe(3);

    await expect(executeRatingCommand(ts.env.client, id, 'downgradeRating', { actor: COUNTY_ADMIN, stars: 1, reason: '太短' })).rejects.toMatchObject({ rule: 'RATING_REASON_REQUIRED' });
    await expect(executeRatingCommand(ts.env.client, id, 'downgradeRating', { actor: TOWNSHIP_SECRETARY, stars: 1, reason: '支部书记受到严重违纪处分，不再符合三星级条件' })).rejects.toMatchObject({ rule: 'RATING_ROLE_NOT_ALLOWED' });
    await expect(executeRatingCommand(ts.env.client, id, 'downgradeRating', { actor: COUNTY_ADMIN, stars: 4, reason: '支部书记受到严重违纪处分，不再符合三星级条件' })).rejects.toMatchObject({ rule: 'RATING_DOWNGRADE_MUST_LOWER' });

    await skipTo(ts, '2031-03-02');
    const s = await executeRatingCommand(ts.env.client, id, 'downgradeRating', { actor: COUNTY_ADMIN, stars: 1, reason: '支部书记受到严重违纪处分，班子瘫痪，降为一星级' });
    expect(s).toMatchObject({ stars: 1, downgrades: [{ from: 3, to: 1 }], consequences: [{ stars: 1, designatedCaseId: `case-2031-${org.id}` }] });
    const c = await eventually(() => ts.dataSource.getRepository(RectificationCaseEntity).findOneBy({ id: `case-2031-${org.id}` }));
    expect(c.state.note).toContain('动态调整降为一星级');
  });
});
