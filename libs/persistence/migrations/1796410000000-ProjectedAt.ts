import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where in its workflow's history a case row was projected from: the run and the length of its history at
 * the workflow task that wrote it (libs/read-model/case-projection.ts). A projection runs as a local activity
 * inside its workflow task, so a task that Temporal then discards (timed out, failed) has already written;
 * the task that replaces it comes later in the history and must win over it, whatever the versions say.
 * Rows written before this stay without (the version decides for them, as before).
 */
export class ProjectedAt1796410000000 implements MigrationInterface {
  name = 'ProjectedAt1796410000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rectification_case ADD COLUMN projected_run_id varchar(64), ADD COLUMN projected_history_length integer`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rectification_case DROP COLUMN projected_run_id, DROP COLUMN projected_history_length`);
  }
}
