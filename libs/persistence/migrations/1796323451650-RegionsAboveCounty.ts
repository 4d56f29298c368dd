import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: the region tree reaches above the county — province (省) and city (市/州) — with their
 * organization departments' accounts (province_org_admin, city_org_admin). A county keeps its own path
 * ("/<county>/…"); its parent_id names its city or province, and a city's its province.
 */
export class RegionsAboveCounty1796323451650 implements MigrationInterface {
  name = 'RegionsAboveCounty1796323451650';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE region DROP CONSTRAINT region_level_check`);
    await q.query(`ALTER TABLE region ADD CONSTRAINT region_level_check CHECK (level IN ('province', 'city', 'county', 'township', 'village'))`);
    await q.query(`ALTER TABLE app_user DROP CONSTRAINT app_user_role_check`);
    await q.query(
      `ALTER TABLE app_user ADD CONSTRAINT app_user_role_check CHECK (role IN ('province_org_admin', 'city_org_admin', 'county_org_admin', 'county_party_secretary', 'county_leader', 'township_party_secretary', 'team_leader', 'team_member', 'inspector'))`,
    );
    // The counties of a city or province: found by parent.
    await q.query(`CREATE INDEX "IDX_region_parent_level" ON region (parent_id, level)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_region_parent_level"`);
    await q.query(`ALTER TABLE app_user DROP CONSTRAINT app_user_role_check`);
    await q.query(
      `ALTER TABLE app_user ADD CONSTRAINT app_user_role_check CHECK (role IN ('county_org_admin', 'county_party_secretary', 'county_leader', 'township_party_secretary', 'team_leader', 'team_member', 'inspector'))`,
    );
    await q.query(`ALTER TABLE region DROP CONSTRAINT region_level_check`);
    await q.query(`ALTER TABLE region ADD CONSTRAINT region_level_check CHECK (level IN ('county', 'township', 'village'))`);
  }
}
