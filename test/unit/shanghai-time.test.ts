import {
  addCalendarMonths,
  endOfShanghaiDay,
  isLocalDate,
  quarterEnd,
  quarterKey,
  quarterOf,
  quartersBetween,
  shanghaiDateOf,
  startOfShanghaiDay,
} from '../../libs/domain';

describe('calendar arithmetic in Asia/Shanghai', () => {
  it('reads the date as a person in China does, not as UTC', () => {
    // 16:30 UTC on 31 Dec is already 00:30 on 1 Jan in Shanghai.
    expect(shanghaiDateOf(Date.parse('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
    expect(shanghaiDateOf(Date.parse('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
  });

  it('ends a day at midnight Shanghai time', () => {
    expect(new Date(startOfShanghaiDay('2026-03-01')).toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(new Date(endOfShanghaiDay('2026-12-31')).toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('adds calendar months, clamping to the end of shorter months', () => {
    expect(addCalendarMonths('2026-01-15', 3)).toBe('2026-04-15');
    expect(addCalendarMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addCalendarMonths('2027-11-30', 3)).toBe('2028-02-29');
    expect(addCalendarMonths('2026-10-31', 6)).toBe('2027-04-30');
  });

  it('counts calendar quarters', () => {
    expect(quarterKey(quarterOf('2026-03-31'))).toBe('2026-Q1');
    expect(quarterKey(quarterOf('2026-04-01'))).toBe('2026-Q2');
    expect(quarterEnd({ year: 2026, quarter: 4 })).toBe('2026-12-31');
    expect(quartersBetween('2026-11-20', '2027-04-02').map(quarterKey)).toEqual(['2026-Q4', '2027-Q1', '2027-Q2']);
  });

  it('accepts only real calendar dates', () => {
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-13-01')).toBe(false);
    expect(isLocalDate('2026-1-01')).toBe(false);
    // No year 0 in the Gregorian calendar (PostgreSQL refuses it); year 1 and 9999 exist.
    expect(isLocalDate('0000-01-01')).toBe(false);
    expect(isLocalDate('0001-01-01')).toBe(true);
    expect(isLocalDate('9999-12-31')).toBe(true);
  });
});
