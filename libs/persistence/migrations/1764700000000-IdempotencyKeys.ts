import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Idempotency-Key of each case action a user sent, with a hash of what it asked: a repeat with
 * the same key and the same request runs once; the same key with another request is refused (422)
 * instead of silently answering the first one. Keys are remembered for 7 days (reused after that).
 */
export class IdempotencyKeys1764700000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764700000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_key (
        user_id uuid NOT NULL,
        key varchar(100) NOT NULL,
        request_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
    await q.query(`CREATE INDEX "IDX_idempotency_key_created_at" ON idempotency_key (created_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_key`);
  }
}
