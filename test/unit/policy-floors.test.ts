import { DEFAULT_POLICY, policyFloorViolations, SEED_FLOORS, type RectificationPolicy } from '../../libs/domain';

/** DOMAIN.md: where the seeds fix a number it is a floor a county may tighten, never loosen. */
describe('seed floors of a county policy', () => {
  const p = (o: Partial<RectificationPolicy>): RectificationPolicy => ({ ...DEFAULT_POLICY, ...o });

  it('keeps the defaults and any tightening', () => {
    expect(policyFloorViolations(DEFAULT_POLICY)).toEqual([]);
    expect(policyFloorViolations(p({ teamMinSize: 5, teamLeaderRanks: ['county'], visitsPerQuarter: 2, minCollectiveProjects: 2, secretaryDeadlineMonths: 2, publicNoticeDays: 7, practicalThingsExpected: 2 }))).toEqual([]);
  });

  it.each<[string, Partial<RectificationPolicy>, string, string]>([
    ['a team of 1', { teamMinSize: 1 }, '整建队伍不少于3人', 'seed 000 §四(二)'],
    ['a staff-rank team leader', { teamLeaderRanks: ['section', 'staff'] }, '科级干部担任队长', 'seed 000 §四(二)'],
    ['0 visits a quarter', { visitsPerQuarter: 0 }, '每季度不少于1次', 'seed 000 §四(一)'],
    ['0 practical things', { practicalThingsExpected: 0 }, '实事好事', 'seed 000 §四(一)'],
    ['0 collective projects', { minCollectiveProjects: 0 }, '至少发展一个集体经济项目', 'seed 000 §四(四)'],
    ['three of the four consultations', { requiredConsultations: ['party_members_meeting', 'household_visits', 'heart_to_heart_talks'] }, '村民（居民）代表会议', 'seed 000 §四(二)'],
    ['a county secretary with 3 cases', { countyPartySecretaryMaxCases: 3 }, '县委书记每批次带头挂点联系1个', 'seed 000 §四(一)'],
    ['a county secretary with none', { countyPartySecretaryMaxCases: 0 }, '县委书记每批次带头挂点联系1个', 'seed 000 §四(一)'],
    ['6 months to a secretary', { secretaryDeadlineMonths: 6 }, '3个月内', 'seed 000 §四(三)'],
    ['no secretary for an unfit one', { secretaryRequiredForReasons: ['C1'] }, '不胜任（C2）', 'seed 000 §四(三)'],
    ['a 3-day public notice', { publicNoticeDays: 3 }, '公示不少于5天', 'seed 000 §三(二)'],
  ])('refuses %s, naming the rule and its seed section', (_, override, rule, source) => {
    const floors = policyFloorViolations(p(override));
    expect(floors).toHaveLength(1);
    expect(floors[0].message).toContain(rule);
    expect(floors[0].message).toContain(`（${source}`);
  });

  it('covers every number DOMAIN.md names as a floor', () => {
    expect(SEED_FLOORS.map((f) => f.field).sort()).toEqual(
      ['countyPartySecretaryMaxCases', 'minCollectiveProjects', 'practicalThingsExpected', 'publicNoticeDays', 'requiredConsultations', 'secretaryDeadlineMonths', 'secretaryRequiredForReasons', 'teamLeaderRanks', 'teamMinSize', 'visitsPerQuarter'].sort(),
    );
  });
});
