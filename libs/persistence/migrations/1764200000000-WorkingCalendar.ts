import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * China's working calendar: statutory holidays and make-up working days (calendar_day), and the years
 * whose statutory data is loaded (calendar_year). Rows are filled at worker start-up
 * (activities/statutory-calendar.ts); counties correct days through the API.
 */
export class WorkingCalendar1764200000000 implements MigrationInterface {
  name = 'WorkingCalendar1764200000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_day (
        date date PRIMARY KEY,
        is_workday boolean NOT NULL,
        name varchar(100),
        source varchar(20) NOT NULL CHECK (source IN ('chinese-days', 'manual')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by_id varchar(100),
        updated_by_name varchar(100)
      )`);
    await q.query(`
      CREATE TABLE calendar_year (
        year int PRIMARY KEY CHECK (year BETWEEN 1900 AND 2999),
        source varchar(20) NOT NULL CHECK (source IN ('chinese-days', 'manual')),
        loaded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_year`);
    await q.query(`DROP TABLE calendar_day`);
  }
}
