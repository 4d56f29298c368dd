import { dayOfWeek, WorkingCalendar, type CalendarDay } from '../../libs/domain';
import { statutoryCalendar } from '../../libs/calendar';

/** China's working calendar on the real statutory data of the `chinese-days` package (2026: 国务院办公厅通知). */
describe('WorkingCalendar', () => {
  const { days, years } = statutoryCalendar();
  const calendar = new WorkingCalendar(days, years);

  it('has the statutory data of 2026 (and not of 2040)', () => {
    expect(years).toContain(2026);
    expect(calendar.hasDataFor(2026)).toBe(true);
    expect(calendar.hasDataFor(2040)).toBe(false);
  });

  it('National Day 2026-10-01..07 are holidays, even the weekdays among them', () => {
    for (let d = 1; d <= 7; d++) {
      const date = `2026-10-0${d}`;
      expect(calendar.isWorkingDay(date)).toBe(false);
      expect(calendar.dayOf(date)).toMatchObject({ isWorkday: false, name: '国庆节' });
    }
    expect(dayOfWeek('2026-10-05')).toBe(1); // a Monday off
    expect(calendar.isWorkingDay('2026-10-08')).toBe(true);
  });

  it('a make-up working day (调休上班) on a weekend is a working day', () => {
    // Saturday 2026-10-10 and Sunday 2026-09-20 make up for National Day; Saturday 2026-02-14 for the Spring Festival.
    expect(dayOfWeek('2026-10-10')).toBe(6);
    expect(dayOfWeek('2026-09-20')).toBe(0);
    for (const date of ['2026-10-10', '2026-09-20', '2026-02-14', '2026-02-28']) expect(calendar.isWorkingDay(date)).toBe(true);
    expect(calendar.dayOf('2026-10-10')).toMatchObject({ isWorkday: true, name: '国庆节调休上班' });
  });

  it('a plain weekend is not a working day; a plain weekday is', () => {
    expect(calendar.isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-03-08')).toBe(false); // Sunday
    expect(calendar.isWorkingDay('2026-03-09')).toBe(true); // Monday
    expect(calendar.dayOf('2026-03-07')).toBeUndefined();
  });

  it('nextWorkingDay: the day itself when working, else the first working day after', () => {
    expect(calendar.nextWorkingDay('2026-09-30')).toBe('2026-09-30');
    expect(calendar.nextWorkingDay('2026-10-01')).toBe('2026-10-08');
    expect(calendar.nextWorkingDay('2026-03-07')).toBe('2026-03-09');
    expect(calendar.nextWorkingDay('2026-02-15')).toBe('2026-02-24');
    expect(calendar.previousWorkingDay('2026-10-04')).toBe('2026-09-30');
  });

  it('adds working days across the Spring Festival (2026-02-15..23 off, Saturday 02-14 on)', () => {
    expect(calendar.addWorkingDays('2026-02-12', 1)).toBe('2026-02-13');
    expect(calendar.addWorkingDays('2026-02-12', 2)).toBe('2026-02-14');
    expect(calendar.addWorkingDays('2026-02-12', 3)).toBe('2026-02-24');
    expect(calendar.addWorkingDays('2026-02-24', -1)).toBe('2026-02-14');
    expect(calendar.addWorkingDays('2026-02-24', -2)).toBe('2026-02-13');
    expect(calendar.addWorkingDays('2026-02-13', 0)).toBe('2026-02-13');
    // From a holiday: the day itself is not counted.
    expect(calendar.addWorkingDays('2026-02-18', 1)).toBe('2026-02-24');
  });

  it('adds working days across National Day, forwards and backwards', () => {
    expect(calendar.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(calendar.addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    expect(calendar.addWorkingDays('2026-10-08', -3)).toBe('2026-09-28');
    // 15 working days after 2026-09-21 (Mon): 09-22..09-24 (3), 09-28..09-30 (6), 10-08..10-10 (9), 10-12..10-16 (14), 10-19 (15).
    expect(calendar.addWorkingDays('2026-09-21', 15)).toBe('2026-10-19');
  });

  it('addPolicyDays counts calendar days unless asked for working days; shiftToWorkingDay only when asked', () => {
    expect(calendar.addPolicyDays('2026-09-30', 1, false)).toBe('2026-10-01');
    expect(calendar.addPolicyDays('2026-09-30', 1, true)).toBe('2026-10-08');
    expect(calendar.shiftToWorkingDay('2026-10-01', true)).toBe('2026-10-08');
    expect(calendar.shiftToWorkingDay('2026-10-01', false)).toBe('2026-10-01');
  });

  it('a year without data is Monday–Friday, apart from days listed explicitly', () => {
    expect(calendar.isWorkingDay('2040-10-01')).toBe(true); // Monday, no data for 2040
    expect(calendar.isWorkingDay('2040-10-06')).toBe(false); // Saturday
    expect(calendar.addWorkingDays('2040-10-05', 1)).toBe('2040-10-08');
    const corrected = new WorkingCalendar([{ date: '2040-10-01', isWorkday: false, name: '国庆节' }], []);
    expect(corrected.hasDataFor(2040)).toBe(false);
    expect(corrected.isWorkingDay('2040-10-01')).toBe(false);
  });

  it('a later explicit entry for the same date wins (a correction over the statutory day)', () => {
    const corrected: CalendarDay[] = [...days, { date: '2026-10-10', isWorkday: false, name: '本县更正' }];
    const c = new WorkingCalendar(corrected, years);
    expect(c.isWorkingDay('2026-10-10')).toBe(false);
    expect(c.addWorkingDays('2026-09-30', 3)).toBe('2026-10-12');
  });

  it('refuses a day that is not a date', () => {
    expect(() => new WorkingCalendar([{ date: '2026-02-30', isWorkday: false }], [])).toThrow(/not a date/);
    expect(() => calendar.addWorkingDays('2026-01-05', 1.5)).toThrow(/whole number/);
  });
});
