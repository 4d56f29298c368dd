import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CalendarDaySource } from '../../domain';

/**
 * A day of China's working calendar that differs from a plain Monday–Friday week: a statutory holiday
 * (is_workday false) or a make-up working day (调休上班, is_workday true). Loaded from the
 * `chinese-days` data at worker start-up without overwriting anything; a county organization
 * department corrects a day through the API (source 'manual').
 */
@Entity({ name: 'calendar_day' })
export class CalendarDayEntity {
  /** 'YYYY-MM-DD' (Asia/Shanghai calendar date). */
  @PrimaryColumn({ type: 'date' })
  date!: string;

  @Column({ name: 'is_workday', type: 'boolean' })
  isWorkday!: boolean;

  @Column({ type: 'varchar', length: 100, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 20 })
  source!: CalendarDaySource;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  /** Null for days loaded from the statutory data. */
  @Column({ name: 'updated_by_id', type: 'varchar', length: 100, nullable: true })
  updatedById!: string | null;

  @Column({ name: 'updated_by_name', type: 'varchar', length: 100, nullable: true })
  updatedByName!: string | null;
}

/** A year whose statutory calendar is loaded: in other years only Monday–Friday (and any correction) applies. */
@Entity({ name: 'calendar_year' })
export class CalendarYearEntity {
  @PrimaryColumn({ type: 'int' })
  year!: number;

  @Column({ type: 'varchar', length: 20 })
  source!: CalendarDaySource;

  @Column({ name: 'loaded_at', type: 'timestamptz', default: () => 'now()' })
  loadedAt!: Date;
}
