import { MigrationInterface, QueryRunner } from 'typeorm';

/** Regions, organizations, the case read model and the audit trail. */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE region (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(32) NOT NULL,
        name varchar(100) NOT NULL,
        level varchar(16) NOT NULL CHECK (level IN ('county', 'township', 'village')),
        parent_id uuid REFERENCES region(id),
        path text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_region_code" ON region (code)`);
    await q.query(`CREATE INDEX "IDX_region_path" ON region (path text_pattern_ops)`);

    await q.query(`
      CREATE TABLE organization (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(32) NOT NULL,
        name varchar(100) NOT NULL,
        domain varchar(16) NOT NULL
          CHECK (domain IN ('village', 'community', 'agency', 'soe', 'private_firm', 'social_org', 'school')),
        region_id uuid NOT NULL REFERENCES region(id),
        township_id uuid NOT NULL REFERENCES region(id),
        county_id uuid NOT NULL REFERENCES region(id),
        secretary_name varchar(50),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_organization_code" ON organization (code)`);
    await q.query(`CREATE INDEX "IDX_organization_township" ON organization (township_id)`);
    await q.query(`CREATE INDEX "IDX_organization_county" ON organization (county_id)`);

    await q.query(`
      CREATE TABLE rectification_case (
        id varchar(100) PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organization(id),
        organization_name varchar(100) NOT NULL,
        county_id uuid NOT NULL REFERENCES region(id),
        township_id uuid NOT NULL REFERENCES region(id),
        batch_year int NOT NULL,
        reasons text[] NOT NULL,
        stage varchar(32) NOT NULL,
        designated_at timestamptz NOT NULL,
        designated_by varchar(100) NOT NULL,
        version int NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_case_org_year" ON rectification_case (organization_id, batch_year)`);
    await q.query(`CREATE INDEX "IDX_case_county" ON rectification_case (county_id)`);
    await q.query(`CREATE INDEX "IDX_case_township" ON rectification_case (township_id)`);
    await q.query(`CREATE INDEX "IDX_case_batch_year" ON rectification_case (batch_year)`);
    await q.query(`CREATE INDEX "IDX_case_stage" ON rectification_case (stage)`);

    await q.query(`
      CREATE TABLE audit_entry (
        id bigserial PRIMARY KEY,
        idempotency_key varchar(200) NOT NULL,
        case_id varchar(100),
        actor varchar(100) NOT NULL,
        action varchar(64) NOT NULL,
        occurred_at timestamptz NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_audit_idempotency_key" ON audit_entry (idempotency_key)`);
    await q.query(`CREATE INDEX "IDX_audit_case" ON audit_entry (case_id)`);
    await q.query(`CREATE INDEX "IDX_audit_actor" ON audit_entry (actor)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_entry`);
    await q.query(`DROP TABLE rectification_case`);
    await q.query(`DROP TABLE organization`);
    await q.query(`DROP TABLE region`);
  }
}
