import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An escalation keeps why it closed when the reason is not the work itself: a visit dated back into a
 * quarter already escalated needs a reason (issue 16, honest dates), and the escalation record shows it.
 */
export class EscalationResolutionNote1764900000000 implements MigrationInterface {
  name = 'EscalationResolutionNote1764900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE escalation ADD COLUMN resolution_note varchar(500)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE escalation DROP COLUMN resolution_note`);
  }
}
