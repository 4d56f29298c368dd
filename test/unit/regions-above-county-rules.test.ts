import { fullCode, levelOfCode, storedForms, upperCodeProblem, upperPrefix } from '../../apps/api/src/regions/region-code';
import { grantProblem } from '../../apps/api/src/users/user-rules';

describe('codes above the county (issue 17)', () => {
  it('reads a province in ten zeros and a city in eight, padding the demo short forms', () => {
    expect(levelOfCode('530000000000')).toBe('province');
    expect(levelOfCode('530100000000')).toBe('city');
    expect(levelOfCode('530102000000')).toBe('county');
    expect(levelOfCode('000000000000')).toBeNull();
    expect(upperPrefix('530000000000')).toBe('53');
    expect(upperPrefix('990100')).toBe('9901');
    expect(upperPrefix('530102000000')).toBeNull();
    expect(fullCode('990000')).toBe('990000000000');
    expect(storedForms('990100000000')).toEqual(['990100000000', '990100']);
  });

  it('refuses a code of another level or outside its parent, in Chinese', () => {
    expect(upperCodeProblem('530100000000', 'city', '530000000000')).toBeNull();
    expect(upperCodeProblem('530102000000', 'county', '530100000000')).toBeNull();
    expect(upperCodeProblem('530102000000', 'county', '530000000000')).toBeNull();
    expect(upperCodeProblem('530100000000', 'province')).toContain('不是省（自治区、直辖市）代码');
    expect(upperCodeProblem('530102000000', 'city', '530000000000')).toContain('而是县（区）代码');
    expect(upperCodeProblem('520100000000', 'city', '530000000000')).toContain('不在上级区划');
    expect(upperCodeProblem('530202000000', 'county', '530100000000')).toContain('以 5301 开头');
    expect(upperCodeProblem('5301', 'city')).toContain('12 位数字');
  });
});

describe('who above the county manages accounts', () => {
  const province = { role: 'province_org_admin' as const, countyId: 'P', townshipId: null };
  const city = { role: 'city_org_admin' as const, countyId: 'C', townshipId: null };
  it('a province its own department and its cities’, a city its own; nothing else', () => {
    expect(grantProblem(province, { role: 'province_org_admin', level: 'province', countyId: 'P', townshipId: null })).toBeNull();
    expect(grantProblem(province, { role: 'city_org_admin', level: 'city', countyId: 'C', townshipId: null, parentId: 'P' })).toBeNull();
    expect(grantProblem(province, { role: 'city_org_admin', level: 'city', countyId: 'C2', townshipId: null, parentId: 'P2' })).toContain('省委组织部只能管理');
    expect(grantProblem(province, { role: 'county_org_admin', level: 'county', countyId: 'K', townshipId: null })).not.toBeNull();
    expect(grantProblem(city, { role: 'city_org_admin', level: 'city', countyId: 'C', townshipId: null, parentId: 'P' })).toBeNull();
    expect(grantProblem(city, { role: 'province_org_admin', level: 'province', countyId: 'P', townshipId: null })).toContain('市（州）委组织部只能管理');
    expect(grantProblem({ role: 'county_org_admin', countyId: 'K', townshipId: null }, { role: 'city_org_admin', level: 'city', countyId: 'C', townshipId: null })).not.toBeNull();
  });
});
