import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read model of the whole playbook: the case row gains the full CaseState and the summary
 * columns a dashboard filters on, actors carry ids, and three tables arrive — tasks (待办), county
 * policy versions, and the county party secretary's reserved cases.
 */
export class PlaybookReadModel1763900000000 implements MigrationInterface {
  name = 'PlaybookReadModel1763900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE rectification_case
        ADD COLUMN state jsonb NOT NULL DEFAULT '{}'::jsonb,
        ADD COLUMN designated_by_id varchar(100),
        ADD COLUMN contact_leader_id varchar(100),
        ADD COLUMN contact_leader_name varchar(100),
        ADD COLUMN team_arrived_on date,
        ADD COLUMN secretary_required boolean NOT NULL DEFAULT false,
        ADD COLUMN secretary_deadline date,
        ADD COLUMN secretary_overdue boolean NOT NULL DEFAULT false,
        ADD COLUMN year_end_overdue boolean NOT NULL DEFAULT false,
        ADD COLUMN problems_open int NOT NULL DEFAULT 0,
        ADD COLUMN problems_closed int NOT NULL DEFAULT 0,
        ADD COLUMN measures_total int NOT NULL DEFAULT 0,
        ADD COLUMN measures_done int NOT NULL DEFAULT 0,
        ADD COLUMN visits_count int NOT NULL DEFAULT 0,
        ADD COLUMN projects_count int NOT NULL DEFAULT 0,
        ADD COLUMN accepted_at timestamptz,
        ADD COLUMN closed_at timestamptz,
        ADD COLUMN policy_version int NOT NULL DEFAULT 0`);
    await q.query(`CREATE INDEX "IDX_case_contact_leader" ON rectification_case (contact_leader_id)`);
    await q.query(`CREATE INDEX "IDX_case_team_arrived_on" ON rectification_case (team_arrived_on)`);
    await q.query(`CREATE INDEX "IDX_case_secretary_deadline" ON rectification_case (secretary_deadline)`);
    // Booleans and counts are filtered for the few rows that need attention: partial indexes.
    await q.query(`CREATE INDEX "IDX_case_secretary_overdue" ON rectification_case (secretary_overdue) WHERE secretary_overdue`);
    await q.query(`CREATE INDEX "IDX_case_year_end_overdue" ON rectification_case (year_end_overdue) WHERE year_end_overdue`);
    await q.query(`CREATE INDEX "IDX_case_problems_open" ON rectification_case (problems_open) WHERE problems_open > 0`);
    await q.query(`CREATE INDEX "IDX_case_accepted_at" ON rectification_case (accepted_at)`);
    await q.query(`CREATE INDEX "IDX_case_closed_at" ON rectification_case (closed_at)`);
    await q.query(`CREATE INDEX "IDX_case_policy_version" ON rectification_case (policy_version)`);

    // `actor` keeps the actor's name; old rows have no id or role.
    await q.query(`ALTER TABLE audit_entry ADD COLUMN actor_id varchar(100), ADD COLUMN actor_role varchar(32)`);
    await q.query(`CREATE INDEX "IDX_audit_actor_id" ON audit_entry (actor_id)`);

    await q.query(`
      CREATE TABLE task (
        key varchar(200) PRIMARY KEY,
        case_id varchar(100) NOT NULL REFERENCES rectification_case(id) ON DELETE CASCADE,
        county_id uuid NOT NULL,
        township_id uuid NOT NULL,
        kind varchar(40) NOT NULL,
        title varchar(300) NOT NULL,
        assignee_role varchar(40) NOT NULL,
        region_id uuid NOT NULL,
        assignee_id varchar(100),
        subject_id varchar(100),
        due_on date,
        status varchar(8) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
        opened_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        case_version int NOT NULL,
        CHECK ((status = 'done') = (closed_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX "IDX_task_region_status_due" ON task (region_id, status, due_on)`);
    await q.query(`CREATE INDEX "IDX_task_assignee_status" ON task (assignee_id, status)`);
    await q.query(`CREATE INDEX "IDX_task_case" ON task (case_id)`);

    await q.query(`
      CREATE TABLE county_policy (
        county_id uuid NOT NULL REFERENCES region(id),
        version int NOT NULL CHECK (version >= 1),
        policy jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        published_by_id varchar(100),
        published_by_name varchar(100) NOT NULL,
        note text,
        PRIMARY KEY (county_id, version)
      )`);

    await q.query(`
      CREATE TABLE county_secretary_case (
        county_id uuid NOT NULL REFERENCES region(id),
        batch_year int NOT NULL,
        case_id varchar(100) NOT NULL,
        leader_id varchar(100) NOT NULL,
        reserved_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (county_id, batch_year, case_id)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE county_secretary_case`);
    await q.query(`DROP TABLE county_policy`);
    await q.query(`DROP TABLE task`);
    await q.query(`DROP INDEX "IDX_audit_actor_id"`);
    await q.query(`ALTER TABLE audit_entry DROP COLUMN actor_role, DROP COLUMN actor_id`);
    for (const index of [
      'IDX_case_policy_version',
      'IDX_case_closed_at',
      'IDX_case_accepted_at',
      'IDX_case_problems_open',
      'IDX_case_year_end_overdue',
      'IDX_case_secretary_overdue',
      'IDX_case_secretary_deadline',
      'IDX_case_team_arrived_on',
      'IDX_case_contact_leader',
    ]) {
      await q.query(`DROP INDEX "${index}"`);
    }
    await q.query(`
      ALTER TABLE rectification_case
        DROP COLUMN policy_version,
        DROP COLUMN closed_at,
        DROP COLUMN accepted_at,
        DROP COLUMN projects_count,
        DROP COLUMN visits_count,
        DROP COLUMN measures_done,
        DROP COLUMN measures_total,
        DROP COLUMN problems_closed,
        DROP COLUMN problems_open,
        DROP COLUMN year_end_overdue,
        DROP COLUMN secretary_overdue,
        DROP COLUMN secretary_deadline,
        DROP COLUMN secretary_required,
        DROP COLUMN team_arrived_on,
        DROP COLUMN contact_leader_name,
        DROP COLUMN contact_leader_id,
        DROP COLUMN designated_by_id,
        DROP COLUMN state`);
  }
}
