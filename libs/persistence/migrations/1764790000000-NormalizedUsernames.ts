import { MigrationInterface, QueryRunner } from 'typeorm';
import { normalizeUsername } from '../../domain/username';

/**
 * Usernames in their one form (libs/domain/username.ts), looked up with `=`. The unique index on
 * PostgreSQL's lower(username) folded some letters differently from the sign-in limit's JavaScript
 * (İ, U+0130, found the account under another lock-out key). Existing usernames are rewritten to the
 * form; two accounts that would share one stop the migration, naming them, for a person to rename one.
 */
export class NormalizedUsernames1764790000000 implements MigrationInterface {
  name = 'NormalizedUsernames1764790000000';

  public async up(q: QueryRunner): Promise<void> {
    const rows: { id: string; username: string }[] = await q.query(`SELECT id, username FROM app_user ORDER BY username, id`);
    const byForm = new Map<string, string[]>();
    for (const r of rows) {
      const form = normalizeUsername(r.username);
      byForm.set(form, [...(byForm.get(form) ?? []), r.username]);
    }
    const problems = [...byForm]
      .filter(([form, names]) => names.length > 1 || form.length > 50 || form === '')
      .map(([form, names]) => `${names.join(', ')} → "${form}"`);
    if (problems.length > 0) {
      throw new Error(`Usernames that share one normalized form, or whose form is empty or longer than 50 characters; rename them first: ${problems.join('; ')}`);
    }
    await q.query(`DROP INDEX "UQ_app_user_username"`);
    for (const r of rows) {
      const form = normalizeUsername(r.username);
      if (form !== r.username) await q.query(`UPDATE app_user SET username = $1 WHERE id = $2`, [form, r.id]);
    }
    await q.query(`CREATE UNIQUE INDEX "UQ_app_user_username" ON app_user (username)`);
    // A path that stores a username without normalizeUsername fails here rather than making an account
    // no one can sign in to (the full rule is in JavaScript; this catches its usual slips).
    await q.query(`
      ALTER TABLE app_user ADD CONSTRAINT "CK_app_user_username_normalized"
        CHECK (username <> '' AND username = btrim(username) AND username COLLATE "C" !~ '[A-Z]')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // The usernames stay in their normalized form: their former spellings are not kept.
    await q.query(`ALTER TABLE app_user DROP CONSTRAINT "CK_app_user_username_normalized"`);
    await q.query(`DROP INDEX "UQ_app_user_username"`);
    await q.query(`CREATE UNIQUE INDEX "UQ_app_user_username" ON app_user (lower(username))`);
  }
}
