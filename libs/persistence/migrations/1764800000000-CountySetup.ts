import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A county runs its own people (issue 14): an account's phone and cadre rank (科级 or not), a
 * one-time password that must be changed at the first sign-in, and a session version that signing
 * out or changing the password raises, so the tokens issued before are refused.
 */
export class CountySetup1764800000000 implements MigrationInterface {
  name = 'CountySetup1764800000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN phone varchar(20)`);
    await q.query(`ALTER TABLE app_user ADD COLUMN cadre_rank varchar(16) CHECK (cadre_rank IN ('county', 'section', 'staff'))`);
    await q.query(`ALTER TABLE app_user ADD COLUMN must_change_password boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE app_user ADD COLUMN session_version integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE app_user ADD COLUMN password_changed_at timestamptz`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const column of ['password_changed_at', 'session_version', 'must_change_password', 'cadre_rank', 'phone']) {
      await q.query(`ALTER TABLE app_user DROP COLUMN ${column}`);
    }
  }
}
