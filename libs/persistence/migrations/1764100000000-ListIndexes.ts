import { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes for the task lists (by region, soonest due first) and the audit lists (newest first). */
export class ListIndexes1764100000000 implements MigrationInterface {
  name = 'ListIndexes1764100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_task_county_due" ON task (county_id, due_on, key)`);
    await q.query(`CREATE INDEX "IDX_task_township_due" ON task (township_id, due_on, key)`);
    await q.query(`CREATE INDEX "IDX_audit_case_time" ON audit_entry (case_id, occurred_at DESC, id DESC)`);
    await q.query(`CREATE INDEX "IDX_audit_actor_time" ON audit_entry (actor_id, occurred_at DESC, id DESC)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_audit_actor_time"`);
    await q.query(`DROP INDEX "IDX_audit_case_time"`);
    await q.query(`DROP INDEX "IDX_task_township_due"`);
    await q.query(`DROP INDEX "IDX_task_county_due"`);
  }
}
