import { RATING_LIMITS, ratingIdFor, type StarRatingState } from '../../libs/domain';
import { StarRatingEntity } from '../../libs/persistence';
import { executeRatingCommand, queryStarRating, RatingRuleViolationError, startStarRating } from '../../libs/temporal';
import { COUNTY_ADMIN, skipTo, TOWNSHIP_SECRETARY } from '../support/case-driver';
import { createRegionWithOrganizations, eventually } from '../support/harness';
import { startTimeSkipping, type TimeSkipping } from '../support/time-skipping';

const DAY = 24 * 3600_000;

/**
 * Issue 17, a bounded state, on the star rating's workflow (time-skipping server, real activities): the
 * rating never continues as new, so its objections are counted — the 21st is refused naming the limit,
 * and the rating's state does not grow; the notice still runs once the objections are resolved.
 */
describe('evaluateStarRating: a bounded state', () => {
  let ts: TimeSkipping;
  afterEach(async () => {
    await ts?.close();
  });

  it('refuses the 21st objection of a rating with the limit in Chinese, and the state does not grow', async () => {
    ts = await startTimeSkipping();
    const [org] = (await createRegionWithOrganizations(ts.dataSource, 1)).organizations;
    await skipTo(ts, '2030-11-02');
    const id = ratingIdFor(org.id, 2030);
    await startStarRating(ts.env.client, ts.taskQueue, {
      ratingId: id,
      organization: { id: org.id, name: org.name, domain: org.domain, townshipId: org.townshipId, countyId: org.countyId, regionId: org.regionId },
      year: 2030,
      publicNoticeDays: 5,
      startedBy: COUNTY_ADMIN,
      startedAt: new Date(await ts.env.currentTimeMs()).toISOString(),
    });
    await executeRatingCommand(ts.env.client, id, 'applyForRating', { actor: TOWNSHIP_SECRETARY, selfScore: 85, appliedStars: 3, selfCheck: '对照"六个基本"逐项自查' });
    await executeRatingCommand(ts.env.client, id, 'evaluateRating', { actor: TOWNSHIP_SECRETARY, score: 85, opinion: '考核组实地考核' });
    await ts.env.sleep(DAY);

    expect(RATING_LIMITS.counts.objections).toBe(20);
    const raise = (n: number) => executeRatingCommand(ts.env.client, id, 'raiseObjection', { actor: TOWNSHIP_SECRETARY, objector: `村民${n}`, content: `第${n}条异议：反映该村"三会一课"未按时开展` });
    let last: StarRatingState | undefined;
    for (let n = 1; n <= 20; n++) last = await raise(n);
    expect(last!.objections).toHaveLength(20);
    expect(last!.stage).toBe('objection');

    const refusal = await raise(21).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refusal).toBeInstanceOf(RatingRuleViolationError);
    expect(refusal).toMatchObject({ rule: 'RATING_LIMIT_REACHED', details: expect.objectContaining({ limit: 'objections', max: 20, count: 20 }) });
    expect((refusal as Error).message).toContain('公示期间的异议最多20条');

    const after = (await queryStarRating(ts.env.client, id)) as StarRatingState;
    expect(after.objections).toHaveLength(20);
    expect(after.version).toBe(last!.version);
    expect(after.objections.map((o) => o.objector)).not.toContain('村民21');

    // The rating goes on: the twenty are resolved, the notice resumes and the grade is named.
    for (const o of after.objections) {
      await executeRatingCommand(ts.env.client, id, 'resolveObjection', { actor: TOWNSHIP_SECRETARY, objectionId: o.id, upheld: false, resolution: '经核查，会议记录齐全，异议不成立' });
    }
    await ts.env.sleep(5 * DAY);
    await eventually(async () => ((await ts.dataSource.getRepository(StarRatingEntity).findOneByOrFail({ id })).stage === 'named' ? true : undefined), 15000, `${id} named`);
    expect(((await queryStarRating(ts.env.client, id)) as StarRatingState).objections).toHaveLength(20);
  });
});
