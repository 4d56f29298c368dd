import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case's state (some 15 kB of JSON) is rewritten by every action's projection, and PostgreSQL compresses a
 * value that size before it stores it out of line: with its default pglz that was about 0.1 ms of the server's
 * CPU a projection more than with lz4, which also reads back faster. Values written before stay pglz until
 * rewritten. A server built without lz4 keeps pglz (the statement fails there, and nothing else depends on it).
 */
export class StateLz41796420000000 implements MigrationInterface {
  name = 'StateLz41796420000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        ALTER TABLE rectification_case ALTER COLUMN state SET COMPRESSION lz4;
      EXCEPTION WHEN feature_not_supported THEN
        RAISE NOTICE 'lz4 is not available on this server: rectification_case.state stays pglz';
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rectification_case ALTER COLUMN state SET COMPRESSION pglz`);
  }
}
