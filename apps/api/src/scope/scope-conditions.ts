import { isUpperRegionLevel, REGION_LEVELS, type RegionLevel } from '../../../../libs/domain';
import type { AuthUser } from '../auth/auth-user';

/**
 * The counties below a province or city region (the parameter `region`, e.g. :scopeUpper or $1): a county's parent is its city, or the
 * province itself (省直管县); a city's parent is its province. Two indexed look-ups (IDX_region_parent_level),
 * not one join with an OR, and a filter takes them as `= ANY (ARRAY(…))`, worked out once per query: as
 * `IN (…)` with an OR, the planner's row estimate of 1 made it read the region table again for every case,
 * seconds for a province's roll-up at national size (bench/national-bench.ts).
 */
export function countiesUnder(region: string): string {
  return `SELECT k.id FROM region k WHERE k.parent_id = ${region} AND k.level = 'county'
  UNION ALL SELECT k.id FROM region m JOIN region k ON k.parent_id = m.id WHERE m.parent_id = ${region} AND k.level = 'county'`;
}

/** The counties below the region :scopeUpper, for query builders. */
export const COUNTIES_UNDER = countiesUnder(':scopeUpper');

/**
 * What lies in the region `region` (an expression: a parameter, or a column) of a user at `level`, as a
 * condition on rows that carry county_id, township_id and an organization column: the counties below a province
 * or city, the county, the township, or the village's organizations.
 */
function inRegionAt(level: RegionLevel, alias: string, orgColumn: string, region: string): string {
  if (isUpperRegionLevel(level)) return `${alias}.county_id = ANY (ARRAY(${countiesUnder(region)}))`;
  if (level === 'county') return `${alias}.county_id = ${region}`;
  if (level === 'township') return `${alias}.township_id = ${region}`;
  return `${alias}.${orgColumn} IN (SELECT o.id FROM organization o WHERE o.region_id = ${region})`;
}

/**
 * The user's region as a condition on rows that carry county_id, township_id and an organization column, with
 * its one parameter (used once or twice): the county, township or village of the user's level — not their own
 * region, as a township user's league is read as their county's (TownshipRecordsService). The parameter is
 * written `placeholder` when given (a positional `$n`), else as the query builder's `:param`.
 */
export function scopeCondition(user: AuthUser, alias: string, orgColumn: string, placeholder?: string): { sql: string; param: string; value: string | null | undefined } {
  const { param, value } = isUpperRegionLevel(user.regionLevel)
    ? { param: 'scopeUpper', value: user.regionId }
    : user.regionLevel === 'county'
      ? { param: 'scopeCounty', value: user.countyId }
      : user.regionLevel === 'township'
        ? { param: 'scopeTownship', value: user.townshipId }
        : { param: 'scopeVillage', value: user.villageId };
  return { sql: inRegionAt(user.regionLevel, alias, orgColumn, placeholder ?? `:${param}`), param, value };
}

/**
 * The same condition for a user read in the same statement, about one row: their region's level and id as SQL
 * expressions (a county, township or village user's region is their county, township or village itself). A
 * village's row is found by its organization's key: inside the CASE the planner cannot join, and the IN of
 * inRegionAt became a hashed subplan that read the whole organization table (no index on its region) each time.
 */
export function scopeConditionOfRegion(alias: string, orgColumn: string, level: string, region: string): string {
  const at = (l: RegionLevel) => (l === 'village' ? `(SELECT o.region_id FROM organization o WHERE o.id = ${alias}.${orgColumn}) = ${region}` : inRegionAt(l, alias, orgColumn, region));
  return `CASE ${level}${REGION_LEVELS.map((l) => ` WHEN '${l}' THEN ${at(l)}`).join('')} ELSE false END`;
}
