import {
  applyRatingCommand,
  DEFAULT_POLICY,
  newCaseState,
  newStarRatingState,
  RATING_RULES,
  RatingRuleViolation,
  RULES,
  RuleViolation,
  startOfShanghaiDay,
  validateCommand,
  validateRatingCommand,
  type Actor,
  type CaseCommandName,
  type RatingCommandName,
} from '../../libs/domain';
import { ProcessRuleViolation, violationDetails } from '../../libs/domain/process';

/**
 * The case and the star rating stand on one command kit (libs/domain/process): a call that is no
 * command is refused in each process's own words, and a refusal carries the same shape to the client.
 */
const county: Actor = { id: 'c', name: '县委组织部', role: 'county_org_admin' };
const township: Actor = { id: 't', name: '乡镇党委书记', role: 'township_party_secretary' };
const at = startOfShanghaiDay('2030-02-01') + 10 * 3600_000;

const aCase = () =>
  newCaseState({
    caseId: 'case-x',
    organization: { id: 'o', name: '某村党支部', townshipId: 'tw', countyId: 'cy' },
    batchYear: 2030,
    reasons: ['C1'],
    designatedBy: county,
    designatedAt: new Date(at).toISOString(),
    policy: DEFAULT_POLICY,
  });

const aRating = () =>
  newStarRatingState({
    ratingId: 'star-rating-2030-o',
    organization: { id: 'o', name: '某村党支部', domain: 'village', townshipId: 'tw', countyId: 'cy', regionId: 'v' },
    year: 2030,
    publicNoticeDays: 5,
    startedBy: county,
    startedAt: new Date(at).toISOString(),
  });

function refusal(fn: () => unknown): ProcessRuleViolation {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProcessRuleViolation) return err;
    throw err;
  }
  throw new Error('not refused');
}

describe('the process kit both processes stand on', () => {
  it('refuses an unknown command and a missing input in the case\'s words', () => {
    const unknown = refusal(() => validateCommand(aCase(), 'toString' as CaseCommandName, { actor: county } as never, at));
    expect(unknown).toBeInstanceOf(RuleViolation);
    expect(unknown).toMatchObject({ rule: 'INVALID_INPUT', detailZh: '未知操作 toString' });
    const empty = refusal(() => validateCommand(aCase(), 'assignContactLeader', undefined as never, at));
    expect(empty).toMatchObject({ rule: 'INVALID_INPUT', detailZh: '缺少操作内容' });
  });

  it('refuses an unknown step and a missing input in the rating\'s words', () => {
    const unknown = refusal(() => validateRatingCommand(aRating(), 'constructor' as RatingCommandName, { actor: township } as never, at));
    expect(unknown).toBeInstanceOf(RatingRuleViolation);
    expect(unknown).toMatchObject({ rule: 'RATING_INVALID_INPUT', detailZh: '未知操作 constructor' });
    const empty = refusal(() => applyRatingCommand(aRating(), 'applyForRating', null as never, at));
    expect(empty).toMatchObject({ rule: 'RATING_INVALID_INPUT', detailZh: '请求内容为空' });
  });

  it('words a refusal the same way in both: code, Chinese, detail, English; and gives the client the rule\'s source', () => {
    const caseRefusal = refusal(() => validateCommand(aCase(), 'assignContactLeader', { actor: township, leader: { id: 'l', name: '甲', title: '副县长', isCountyPartySecretary: false } }, at));
    expect(caseRefusal.message).toBe(`[ROLE_NOT_ALLOWED] ${RULES.ROLE_NOT_ALLOWED.zh}：township_party_secretary 不能进行此操作，限 county_org_admin (${RULES.ROLE_NOT_ALLOWED.en})`);
    expect(violationDetails(RULES, caseRefusal as RuleViolation)).toEqual({
      rule: 'ROLE_NOT_ALLOWED',
      zh: RULES.ROLE_NOT_ALLOWED.zh,
      en: RULES.ROLE_NOT_ALLOWED.en,
      source: RULES.ROLE_NOT_ALLOWED.source,
      detail: 'township_party_secretary 不能进行此操作，限 county_org_admin',
      role: 'township_party_secretary',
      allowed: ['county_org_admin'],
    });
    const ratingRefusal = refusal(() => validateRatingCommand(aRating(), 'downgradeRating', { actor: township, stars: 1, reason: '条件不再具备，予以降级' }, at));
    expect(ratingRefusal.message).toBe(`[RATING_ROLE_NOT_ALLOWED] ${RATING_RULES.RATING_ROLE_NOT_ALLOWED.zh}：township_party_secretary 不能进行此操作，限 county_org_admin (${RATING_RULES.RATING_ROLE_NOT_ALLOWED.en})`);
    expect(violationDetails(RATING_RULES, ratingRefusal as RatingRuleViolation)).toMatchObject({ rule: 'RATING_ROLE_NOT_ALLOWED', source: 'seed 000 §三(二)' });
  });
});
