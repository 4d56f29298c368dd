import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: a province's or city's policy template (政策模板), versioned like a county's policy. The
 * counties below take the nearest one (city before province) as their defaults and may only tighten it.
 */
export class PolicyTemplates1796333159661 implements MigrationInterface {
  name = 'PolicyTemplates1796333159661';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE policy_template (
        region_id uuid NOT NULL REFERENCES region(id),
        version int NOT NULL CHECK (version >= 1),
        policy jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        published_by_id varchar(100) NOT NULL,
        published_by_name varchar(100) NOT NULL,
        note text,
        PRIMARY KEY (region_id, version)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE policy_template`);
  }
}
