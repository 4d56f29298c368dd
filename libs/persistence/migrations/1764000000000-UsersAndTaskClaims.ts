import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users bound to regions, and who has claimed or been assigned a task. */
export class UsersAndTaskClaims1764000000000 implements MigrationInterface {
  name = 'UsersAndTaskClaims1764000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(50) NOT NULL,
        display_name varchar(50) NOT NULL,
        title varchar(100) NOT NULL DEFAULT '',
        password_hash varchar(100) NOT NULL,
        role varchar(32) NOT NULL CHECK (role IN ('county_org_admin', 'county_party_secretary', 'county_leader',
          'township_party_secretary', 'team_leader', 'team_member', 'inspector')),
        region_id uuid NOT NULL REFERENCES region(id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_app_user_username" ON app_user (lower(username))`);
    await q.query(`CREATE INDEX "IDX_app_user_region" ON app_user (region_id)`);
    await q.query(`ALTER TABLE task ADD COLUMN claimed_by_id uuid REFERENCES app_user(id), ADD COLUMN claimed_by_name varchar(50), ADD COLUMN claimed_at timestamptz, ADD COLUMN assigned_by_id uuid REFERENCES app_user(id)`);
    await q.query(`CREATE INDEX "IDX_task_claimed_by" ON task (claimed_by_id, status)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_task_claimed_by"`);
    await q.query(`ALTER TABLE task DROP COLUMN assigned_by_id, DROP COLUMN claimed_at, DROP COLUMN claimed_by_name, DROP COLUMN claimed_by_id`);
    await q.query(`DROP TABLE app_user`);
  }
}
