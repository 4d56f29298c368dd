import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The yearly star ratings (星级评定) read model, one row per organization and year, and an index on
 * the audit trail's rating id (a rating's entries carry it in their payload; they have no case).
 */
export class StarRatings1764500000000 implements MigrationInterface {
  name = 'StarRatings1764500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE star_rating (
        id varchar(100) PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organization(id),
        organization_name varchar(100) NOT NULL,
        organization_domain varchar(16) NOT NULL,
        county_id uuid NOT NULL,
        township_id uuid NOT NULL,
        year int NOT NULL,
        stage varchar(20) NOT NULL,
        self_score numeric(5,2),
        applied_stars smallint,
        score numeric(5,2),
        stars smallint CHECK (stars BETWEEN 1 AND 5),
        score_stars smallint CHECK (score_stars BETWEEN 1 AND 5),
        evaluation_level varchar(10),
        notice_ends_at timestamptz,
        open_objections int NOT NULL DEFAULT 0,
        named_at timestamptz,
        downgraded boolean NOT NULL DEFAULT false,
        designated_case_id varchar(100),
        secretary_adjustment boolean NOT NULL DEFAULT false,
        version int NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        state jsonb NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX "IDX_star_rating_org_year" ON star_rating (organization_id, year)`);
    await q.query(`CREATE INDEX "IDX_star_rating_county_year" ON star_rating (county_id, year, stage)`);
    await q.query(`CREATE INDEX "IDX_star_rating_township_year" ON star_rating (township_id, year)`);
    await q.query(`CREATE INDEX "IDX_audit_rating" ON audit_entry ((payload->>'ratingId')) WHERE payload ? 'ratingId'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_audit_rating"`);
    await q.query(`DROP TABLE star_rating`);
  }
}
