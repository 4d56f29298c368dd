import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: a case row carries the due days of its open tasks (`open_tasks_due`), written by the projection
 * with the tasks themselves, so the dashboards count overdue tasks from the case rows they already read
 * instead of probing the task table once per case. Filled here from the open tasks already projected.
 */
export class OpenTaskDues1796400000000 implements MigrationInterface {
  name = 'OpenTaskDues1796400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rectification_case ADD COLUMN open_tasks_due date[] NOT NULL DEFAULT '{}'`);
    await q.query(`
      UPDATE rectification_case c SET open_tasks_due = t.dues
      FROM (SELECT case_id, array_agg(due_on ORDER BY due_on) AS dues FROM task
            WHERE case_id IS NOT NULL AND status = 'open' AND due_on IS NOT NULL GROUP BY case_id) t
      WHERE t.case_id = c.id`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rectification_case DROP COLUMN open_tasks_due`);
  }
}
