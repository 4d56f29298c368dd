import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the dashboard and the exports: a batch's cases in a county or a township, and the open
 * tasks of those cases by due date (overdue counts). Open escalations per case are already indexed
 * (IDX_escalation_open).
 */
export class DashboardIndexes1764400000000 implements MigrationInterface {
  name = 'DashboardIndexes1764400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_case_county_batch" ON rectification_case (county_id, batch_year)`);
    await q.query(`CREATE INDEX "IDX_case_township_batch" ON rectification_case (township_id, batch_year)`);
    await q.query(`CREATE INDEX "IDX_task_open_case_due" ON task (case_id, due_on) WHERE status = 'open'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_task_open_case_due"`);
    await q.query(`DROP INDEX "IDX_case_township_batch"`);
    await q.query(`DROP INDEX "IDX_case_county_batch"`);
  }
}
