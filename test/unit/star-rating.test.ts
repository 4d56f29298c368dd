import { NO_DISQUALIFIERS, rateOrganization, requiresSecretaryAdjustment, starsForScore, designatesForRectification } from '../../libs/domain';

describe('star rating (星级评定, seed 000 §三)', () => {
  it.each([
    [100, 5],
    [95, 5],
    [94.9, 4],
    [90, 4],
    [89.9, 3],
    [80, 3],
    [79.9, 2],
    [60, 2],
    [59.9, 1],
    [0, 1],
  ])('a score of %p gives %p stars', (score, stars) => {
    expect(starsForScore(score)).toBe(stars);
  });

  it('refuses a score outside 0–100', () => {
    expect(() => starsForScore(100.1)).toThrow(RangeError);
    expect(() => starsForScore(-1)).toThrow(RangeError);
    expect(() => starsForScore(Number.NaN)).toThrow(RangeError);
  });

  it.each(['seriousViolation', 'poorPovertyAlleviation', 'dutiesUnfulfilledOrRankedLow'] as const)('%s caps the grade below four stars', (key) => {
    const r = rateOrganization(97, { ...NO_DISQUALIFIERS, [key]: true });
    expect(r).toMatchObject({ stars: 3, scoreStars: 5 });
    expect(r.cappedBy).toHaveLength(1);
    // A grade already below four is not touched.
    expect(rateOrganization(85, { ...NO_DISQUALIFIERS, [key]: true })).toMatchObject({ stars: 3, cappedBy: [] });
  });

  it('keeps an unlifted poor village from five stars, but not from four', () => {
    expect(rateOrganization(96, { ...NO_DISQUALIFIERS, unliftedPoorVillage: true })).toMatchObject({ stars: 4, cappedBy: ['未脱贫的贫困村不能评定为五星级'] });
    expect(rateOrganization(92, { ...NO_DISQUALIFIERS, unliftedPoorVillage: true })).toMatchObject({ stars: 4, cappedBy: [] });
  });

  it('has four- and five-star grades evaluated by the county, the rest by the township', () => {
    expect(rateOrganization(90).evaluatedBy).toBe('county');
    expect(rateOrganization(89.9).evaluatedBy).toBe('township');
  });

  it('designates one-star organizations, and adjusts the secretary after two one-star years', () => {
    expect(designatesForRectification(1)).toBe(true);
    expect(designatesForRectification(2)).toBe(false);
    expect(requiresSecretaryAdjustment(1, 1)).toBe(true);
    expect(requiresSecretaryAdjustment(1, 2)).toBe(false);
    expect(requiresSecretaryAdjustment(1, undefined)).toBe(false);
  });
});
