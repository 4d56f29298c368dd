import { missingCalendarYears, parseDayKind, parseImportDate } from '../../apps/api/src/calendar/calendar-import';
import { codeProblem, countyPrefix, fullCode, levelOfCode, parentCodeOf, storedForms } from '../../apps/api/src/regions/region-code';
import { parseRegionLevel } from '../../apps/api/src/regions/region-import';
import { passwordProblem } from '../../apps/api/src/users/passwords';
import { grantProblem, roleLevelProblem, usernameProblem } from '../../apps/api/src/users/user-rules';

describe('statistical division codes (统计用区划代码)', () => {
  it('tell county, township and village apart by their digits', () => {
    expect(levelOfCode('990101000000')).toBe('county');
    expect(levelOfCode('990101001000')).toBe('township');
    expect(levelOfCode('990101001004')).toBe('village');
    // Not 12 digits, no county digits, a village under township 000.
    for (const bad of ['99010100100', '9901010010001', '99010100100a', '990100001000', '990101000004', '000101001000']) expect(levelOfCode(bad)).toBeNull();
  });

  it('name the parent: a village its township, a township its county', () => {
    expect(parentCodeOf('990101001004')).toBe('990101001000');
    expect(parentCodeOf('990101001000')).toBe('990101000000');
    expect(parentCodeOf('990101000000')).toBeNull();
  });

  it("take the demo's short codes as their 12-digit forms", () => {
    expect(fullCode('990101')).toBe('990101000000');
    expect(fullCode('990101001')).toBe('990101001000');
    expect(fullCode('C-test')).toBeNull();
    expect(countyPrefix('990101')).toBe('990101');
    expect(countyPrefix('990101000000')).toBe('990101');
    expect(countyPrefix('990101001000')).toBeNull();
    expect(storedForms('990101001000')).toEqual(['990101001000', '990101001']);
  });

  it('refuse a code of another length, outside the county, of the county itself or of the other level', () => {
    expect(codeProblem('990101001000', 'township', '990101')).toBeNull();
    expect(codeProblem('990101001004', 'village', '990101')).toBeNull();
    expect(codeProblem('99010100100', 'township', '990101')).toContain('12 位数字');
    expect(codeProblem('990102001000', 'township', '990101')).toContain('不在本县');
    expect(codeProblem('990101000000', 'township', '990101')).toContain('县（区）代码');
    expect(codeProblem('990101001004', 'township', '990101')).toContain('后 3 位应为 000');
    expect(codeProblem('990101001000', 'village', '990101')).toContain('不能为 000');
  });

  it('read levels in Chinese or English', () => {
    expect(['乡镇', '街道', 'Township', 'street'].map(parseRegionLevel)).toEqual(['township', 'township', 'township', 'township']);
    expect(['村', '社区', 'village', 'Community'].map(parseRegionLevel)).toEqual(['village', 'village', 'village', 'village']);
    expect(parseRegionLevel('县')).toBeNull();
  });
});

describe('people rules', () => {
  const county = { role: 'county_org_admin' as const, countyId: 'c', townshipId: null };
  const secretary = { role: 'township_party_secretary' as const, countyId: 'c', townshipId: 't1' };
  it('nobody grants a role above their own or outside their region', () => {
    expect(grantProblem(county, { role: 'county_org_admin', level: 'county', countyId: 'c', townshipId: null })).toBeNull();
    expect(grantProblem(county, { role: 'team_member', level: 'village', countyId: 'other', townshipId: 'x' })).toContain('不在本县');
    expect(grantProblem(secretary, { role: 'team_leader', level: 'village', countyId: 'c', townshipId: 't1' })).toBeNull();
    expect(grantProblem(secretary, { role: 'team_leader', level: 'village', countyId: 'c', townshipId: 't2' })).toContain('本乡镇');
    expect(grantProblem(secretary, { role: 'township_party_secretary', level: 'township', countyId: 'c', townshipId: 't1' })).toContain('不能授予');
    expect(grantProblem({ role: 'county_leader', countyId: 'c', townshipId: null }, { role: 'team_member', level: 'village', countyId: 'c', townshipId: 't1' })).toContain('不能管理人员');
  });

  it('a role sits at its level of region', () => {
    expect(roleLevelProblem('team_member', 'village')).toBeNull();
    expect(roleLevelProblem('team_member', 'township')).toContain('村（社区）');
    expect(roleLevelProblem('inspector', 'township')).toBeNull();
  });

  it('usernames and passwords', () => {
    expect(usernameProblem('zhang_san')).toBeNull();
    expect(usernameProblem('z')).not.toBeNull();
    expect(usernameProblem('zhang san')).not.toBeNull();
    expect(passwordProblem('Qinghe-2027x', 'zhang')).toBeNull();
    expect(passwordProblem('short-1', 'zhang')?.zh).toContain('至少 10 个字符');
    expect(passwordProblem('Zhang_San_01', 'zhang_san_01')?.zh).toContain('用户名');
    expect(passwordProblem('密'.repeat(25), 'zhang')?.zh).toContain('过长');
    // Common passwords of ten characters or more, whatever their letter case.
    for (const common of ['1234567890', 'QwertyUiop', 'password123']) expect(passwordProblem(common, 'zhang')?.zh).toContain('过于常见');
  });
});

describe('holiday schedule files', () => {
  it('read the dates and kinds that official schedules and Excel write', () => {
    expect(['2027-01-01', '2027/1/1', '2027.1.1', '2027年1月1日'].map(parseImportDate)).toEqual(['2027-01-01', '2027-01-01', '2027-01-01', '2027-01-01']);
    expect(parseImportDate('2027-02-30')).toBeNull();
    expect(['休', '放假', 'holiday'].map(parseDayKind)).toEqual(['holiday', 'holiday', 'holiday']);
    expect(['班', '上班', 'Workday'].map(parseDayKind)).toEqual(['workday', 'workday', 'workday']);
    expect(parseDayKind('半天')).toBeNull();
  });

  it('from 1 November the next year without data is missing, and the current year always', () => {
    expect(missingCalendarYears('2026-10-31', new Set([2026]))).toEqual([]);
    expect(missingCalendarYears('2026-11-01', new Set([2026]))).toEqual([2027]);
    expect(missingCalendarYears('2026-12-03', new Set([2026, 2027]))).toEqual([]);
    expect(missingCalendarYears('2027-01-02', new Set([2026]))).toEqual([2027]);
  });
});
