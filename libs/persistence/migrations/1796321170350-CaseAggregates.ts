import { MigrationInterface, QueryRunner } from 'typeorm';
import { refreshCaseAggregates } from '../case-aggregates-backfill';

/**
 * Issue 17: the dashboards, the batch view and the exports are SQL over columns of the case row. The
 * projection writes them (libs/persistence/case-aggregates.ts); this fills them for every case already
 * projected, from its stored state (the rebuild, `npm run rebuild-read-model`, does the same).
 */
export class CaseAggregates1796321170350 implements MigrationInterface {
  name = 'CaseAggregates1796321170350';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rectification_case
      ADD COLUMN year_end_deadline date,
      ADD COLUMN team_done boolean NOT NULL DEFAULT false,
      ADD COLUMN problems_done boolean NOT NULL DEFAULT false,
      ADD COLUMN project_done boolean NOT NULL DEFAULT false,
      ADD COLUMN plan_done boolean NOT NULL DEFAULT false,
      ADD COLUMN measures_next_due date,
      ADD COLUMN measures_undone_due date[] NOT NULL DEFAULT '{}',
      ADD COLUMN secretary_done boolean NOT NULL DEFAULT true,
      ADD COLUMN secretary_term_ends_on date,
      ADD COLUMN leader_gap_end date,
      ADD COLUMN visit_first_quarter date,
      ADD COLUMN visit_owed_until date,
      ADD COLUMN visits_per_quarter int NOT NULL DEFAULT 1,
      ADD COLUMN visit_quarters jsonb NOT NULL DEFAULT '{}'::jsonb,
      ADD COLUMN accept_total int NOT NULL DEFAULT 0,
      ADD COLUMN accept_unmet text[] NOT NULL DEFAULT '{}',
      ADD COLUMN course_days int NOT NULL DEFAULT 90,
      ADD COLUMN org_handling_awaiting int NOT NULL DEFAULT 0,
      ADD COLUMN org_handling_decided int NOT NULL DEFAULT 0,
      ADD COLUMN org_handling_measures text[] NOT NULL DEFAULT '{}',
      ADD COLUMN deadlines_extended int NOT NULL DEFAULT 0,
      ADD COLUMN extensions_pending int NOT NULL DEFAULT 0,
      ADD COLUMN card jsonb NOT NULL DEFAULT '{}'::jsonb`);
    // The roll-ups read a batch's cases of many counties at once, with the columns they count.
    await q.query(`CREATE INDEX "IDX_case_batch_county_stage" ON rectification_case (batch_year, county_id, stage)`);
    await q.query(`CREATE INDEX "IDX_case_leader_gap_end" ON rectification_case (leader_gap_end) WHERE contact_leader_id IS NOT NULL`);
    await q.query(`CREATE INDEX "IDX_case_measures_next_due" ON rectification_case (measures_next_due) WHERE measures_next_due IS NOT NULL`);
    await refreshCaseAggregates(q);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_case_measures_next_due"`);
    await q.query(`DROP INDEX "IDX_case_leader_gap_end"`);
    await q.query(`DROP INDEX "IDX_case_batch_county_stage"`);
    await q.query(`ALTER TABLE rectification_case
      DROP COLUMN year_end_deadline, DROP COLUMN team_done, DROP COLUMN problems_done, DROP COLUMN project_done,
      DROP COLUMN plan_done, DROP COLUMN measures_next_due, DROP COLUMN measures_undone_due, DROP COLUMN secretary_done,
      DROP COLUMN secretary_term_ends_on, DROP COLUMN leader_gap_end, DROP COLUMN visit_first_quarter, DROP COLUMN visit_owed_until,
      DROP COLUMN visits_per_quarter, DROP COLUMN visit_quarters, DROP COLUMN accept_total, DROP COLUMN accept_unmet,
      DROP COLUMN course_days, DROP COLUMN org_handling_awaiting, DROP COLUMN org_handling_decided,
      DROP COLUMN org_handling_measures, DROP COLUMN deadlines_extended, DROP COLUMN extensions_pending, DROP COLUMN card`);
  }
}
