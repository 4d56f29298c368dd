import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence people can see (issue 20): an attachment's metadata, scoped like its case (county,
 * township, organization), and its content in 256 kB rows written as the upload streams, so no file
 * is ever whole in memory. Removal is soft: the row stays with who removed it, when and why.
 */
export class Attachments1796321081983 implements MigrationInterface {
  name = 'Attachments1796321081983';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE attachment (
        id uuid PRIMARY KEY,
        case_id varchar(100) NOT NULL,
        county_id uuid NOT NULL,
        township_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        subject_kind varchar(32) NOT NULL,
        subject_key varchar(150) NOT NULL,
        original_name varchar(255) NOT NULL,
        mime varchar(120) NOT NULL,
        ext varchar(10) NOT NULL,
        size bigint NOT NULL,
        sha256 char(64) NOT NULL,
        store varchar(16) NOT NULL,
        thumbnail bytea,
        uploaded_by_id varchar(100) NOT NULL,
        uploaded_by_name varchar(100) NOT NULL,
        uploaded_by_role varchar(40),
        uploaded_at timestamptz NOT NULL,
        removed_by_id varchar(100),
        removed_by_name varchar(100),
        removed_at timestamptz,
        removal_reason varchar(500)
      )`);
    await q.query(`CREATE INDEX "IDX_attachment_case" ON attachment (case_id, uploaded_at)`);
    await q.query(`
      CREATE TABLE attachment_chunk (
        attachment_id uuid NOT NULL REFERENCES attachment (id) ON DELETE CASCADE,
        seq int NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (attachment_id, seq)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attachment_chunk`);
    await q.query(`DROP TABLE attachment`);
  }
}
