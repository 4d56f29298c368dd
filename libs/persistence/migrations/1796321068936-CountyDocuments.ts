import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18 items 4 and 5: the county's letterhead, the numbers of the documents it issues (one sequence
 * per county, kind and year; one number per subject), and what it publishes of its league of townships.
 */
export class CountyDocuments1796321068936 implements MigrationInterface {
  name = 'CountyDocuments1796321068936';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE county_letterhead (
        county_id uuid PRIMARY KEY,
        issuing_body varchar(50) NOT NULL,
        number_prefix varchar(20) NOT NULL,
        red_header_title varchar(50),
        contact_person varchar(50),
        contact_phone varchar(30),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by_name varchar(100)
      )`);
    await q.query(`
      CREATE TABLE document_number (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        county_id uuid NOT NULL,
        kind varchar(30) NOT NULL CHECK (kind IN ('supervision_order', 'bulletin', 'interview_notice')),
        year integer NOT NULL,
        number integer NOT NULL CHECK (number > 0),
        subject_key varchar(100) NOT NULL,
        escalation_ids jsonb NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT now(),
        issued_by_name varchar(100) NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_document_number_seq" ON document_number (county_id, year, number)`);
    await q.query(`CREATE UNIQUE INDEX "UQ_document_number_subject" ON document_number (county_id, kind, subject_key)`);
    await q.query(`
      CREATE TABLE league_publication (
        county_id uuid NOT NULL,
        year integer NOT NULL,
        published boolean NOT NULL DEFAULT false,
        columns jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by_name varchar(100),
        PRIMARY KEY (county_id, year)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE league_publication`);
    await q.query(`DROP TABLE document_number`);
    await q.query(`DROP TABLE county_letterhead`);
  }
}
