import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A task may belong to a county's batch rather than to one case: "the county party secretary has taken
 * no case of this batch" (seed 000 §四(一), issue 16) is the county organization department's to act on,
 * and no single case owns it. Such a task has no case and no township, and names its batch year.
 */
export class BatchTasks1796321126534 implements MigrationInterface {
  name = 'BatchTasks1796321126534';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE task ALTER COLUMN case_id DROP NOT NULL, ALTER COLUMN township_id DROP NOT NULL, ADD COLUMN batch_year int`);
    await q.query(`ALTER TABLE task ADD CONSTRAINT "CHK_task_case_or_batch" CHECK ((case_id IS NULL) = (batch_year IS NOT NULL) AND (case_id IS NOT NULL OR township_id IS NULL))`);
    await q.query(`CREATE INDEX "IDX_task_county_batch" ON task (county_id, batch_year) WHERE case_id IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM task WHERE case_id IS NULL`);
    await q.query(`DROP INDEX "IDX_task_county_batch"`);
    await q.query(`ALTER TABLE task DROP CONSTRAINT "CHK_task_case_or_batch", DROP COLUMN batch_year`);
    await q.query(`ALTER TABLE task ALTER COLUMN case_id SET NOT NULL, ALTER COLUMN township_id SET NOT NULL`);
  }
}
