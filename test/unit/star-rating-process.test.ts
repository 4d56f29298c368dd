import {
  applyRatingClock,
  applyRatingCommand,
  evaluationLevel,
  newStarRatingState,
  RatingRuleViolation,
  type Actor,
  type StarRatingState,
} from '../../libs/domain';

const COUNTY: Actor = { id: 'c1', name: '组织部', role: 'county_org_admin' };
const TOWNSHIP: Actor = { id: 't1', name: '镇党委书记', role: 'township_party_secretary' };
const DAY = 24 * 3600_000;
const T0 = Date.parse('2030-11-02T02:00:00Z');

function onNotice(): StarRatingState {
  const s = newStarRatingState({
    ratingId: 'star-rating-2030-o1',
    organization: { id: 'o1', name: '东村党支部', domain: 'village', townshipId: 't', countyId: 'c', regionId: 'v' },
    year: 2030,
    publicNoticeDays: 7,
    startedBy: COUNTY,
    startedAt: new Date(T0).toISOString(),
  });
  applyRatingCommand(s, 'applyForRating', { actor: TOWNSHIP, selfScore: 82, appliedStars: 3, selfCheck: '自查' }, T0);
  applyRatingCommand(s, 'evaluateRating', { actor: TOWNSHIP, score: 81, opinion: '考核' }, T0);
  return s;
}

describe('star rating process (pure rules)', () => {
  it('runs the notice for the county policy\'s days and names the grade only when they have passed', () => {
    const s = onNotice();
    expect(s.notice!.endsAtMs - T0).toBe(7 * DAY);
    expect(applyRatingClock(s, T0 + 7 * DAY - 1)).toEqual([]);
    expect(applyRatingClock(s, T0 + 7 * DAY).map((e) => e.action)).toEqual(['star_rating.named']);
    expect(s).toMatchObject({ stage: 'named', stars: 3 });
  });

  it('stays paused until every open objection is resolved', () => {
    const s = onNotice();
    applyRatingCommand(s, 'raiseObjection', { actor: TOWNSHIP, objector: '甲', content: '异议一' }, T0 + DAY);
    applyRatingCommand(s, 'raiseObjection', { actor: TOWNSHIP, objector: '乙', content: '异议二' }, T0 + 2 * DAY);
    expect(s.notice!.remainingMs).toBe(6 * DAY);
    applyRatingCommand(s, 'resolveObjection', { actor: TOWNSHIP, objectionId: s.objections[0].id, upheld: false, resolution: '经核查异议不成立，予以说明' }, T0 + 3 * DAY);
    expect(s.stage).toBe('objection');
    expect(applyRatingClock(s, T0 + 30 * DAY)).toEqual([]);
    applyRatingCommand(s, 'resolveObjection', { actor: TOWNSHIP, objectionId: s.objections[1].id, upheld: false, resolution: '经核查异议不成立，予以说明' }, T0 + 10 * DAY);
    expect(s).toMatchObject({ stage: 'public_notice' });
    expect(s.notice!.endsAtMs).toBe(T0 + 16 * DAY);
  });

  it('leaves the evaluation to the county when four or five stars were applied for or scored', () => {
    expect(evaluationLevel(3, 3)).toBe('township');
    expect(evaluationLevel(4, 3)).toBe('county');
    expect(evaluationLevel(2, 4)).toBe('county');
    expect(evaluationLevel(undefined, 5)).toBe('county');
  });

  it('refuses a downgrade that does not lower the grade, or one without a written reason', () => {
    const s = onNotice();
    applyRatingClock(s, T0 + 7 * DAY);
    expect(() => applyRatingCommand(s, 'downgradeRating', { actor: COUNTY, stars: 3, reason: '条件发生变化需要调整' }, T0 + 8 * DAY)).toThrow(RatingRuleViolation);
    expect(() => applyRatingCommand(s, 'downgradeRating', { actor: COUNTY, stars: 2, reason: '  ' }, T0 + 8 * DAY)).toThrow(/理由/);
    applyRatingCommand(s, 'downgradeRating', { actor: COUNTY, stars: 2, reason: '班子成员受到党纪处分，不再符合三星级条件' }, T0 + 8 * DAY);
    expect(s).toMatchObject({ stars: 2, downgrades: [{ from: 3, to: 2 }] });
  });
});
