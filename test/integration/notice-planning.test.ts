import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { createNoticePlanningActivities } from '../../activities/notice-planning';
import { loadStatutoryCalendar } from '../../libs/calendar';
import {
  DEFAULT_POLICY,
  noticeSettings,
  startOfShanghaiDay,
  type Deadline,
  type NoticePlanRequest,
  type PlannedNotice,
  type Recipient,
} from '../../libs/domain';
import { dataSourceOptions } from '../../libs/persistence';

/**
 * Planning a case's reminders and escalations (提醒 → 督办 → 通报 → 约谈) on China's working calendar,
 * read from the real PostgreSQL calendar_day table loaded with the statutory data.
 */
describe('planNotices activity', () => {
  let ds: DataSource;
  let planNotices: (request: NoticePlanRequest) => Promise<PlannedNotice[]>;
  let warnings: LogEntry[];

  beforeAll(async () => {
    ds = new DataSource(dataSourceOptions(process.env.DATABASE_URL!));
    await ds.initialize();
    await loadStatutoryCalendar(ds);
    const activities = createNoticePlanningActivities({ dataSource: ds });
    planNotices = async (request) => {
      const logger = new DefaultLogger('WARN', (entry) => warnings.push(entry));
      return new MockActivityEnvironment(undefined, { logger }).run(activities.planNotices, request);
    };
  });
  beforeEach(() => {
    warnings = [];
  });
  afterAll(() => ds?.destroy());

  const township: Recipient = { role: 'township_party_secretary', regionId: 'township-1' };
  const county: Recipient = { role: 'county_org_admin', regionId: 'county-1' };
  const leadership: Recipient = { role: 'county_party_secretary', regionId: 'county-1' };
  const responsible: Recipient[] = [{ role: 'team_leader', regionId: 'village-1', userId: 'u-leader' }];

  const deadline = (dueOn: string, over: Partial<Deadline> = {}): Deadline => ({
    key: 'measure:m4',
    kind: 'measure',
    subjectId: 'm4',
    title: '整改措施：修缮村级活动场所',
    dueOn,
    responsible,
    rungs: ['supervision', 'public_notice', 'interview'],
    ...over,
  });

  /** The default policy's numbers and notice settings, for one case. */
  const request = (deadlines: Deadline[], over: Partial<NoticePlanRequest> = {}): NoticePlanRequest => {
    const s = noticeSettings(DEFAULT_POLICY);
    return {
      caseId: 'case-1',
      deadlines,
      reminderDaysBefore: DEFAULT_POLICY.reminderDaysBefore,
      escalationDaysOverdue: DEFAULT_POLICY.escalationDaysOverdue,
      countWorkingDays: s.countWorkingDays,
      shiftToWorkingDay: s.shiftNoticesToWorkingDay,
      noticeHour: s.noticeHour,
      escalationRecipients: { supervision: [township], public_notice: [county], interview: [leadership] },
      ...over,
    };
  };

  const at = (date: string, hour = 9) => startOfShanghaiDay(date) + hour * 3600_000;
  const days = (notices: PlannedNotice[]) => notices.map((n) => [n.rung, n.offsetDays, n.on]);

  it('default policy: reminders 14 and 3 calendar days before, 督办 +1, 通报 +15, 约谈 +30, at 09:00 Shanghai', async () => {
    // Monday 2026-07-13: every notice day is an ordinary working day, so nothing shifts.
    const notices = await planNotices(request([deadline('2026-07-13')]));
    expect(notices).toEqual([
      {
        key: 'case-1:measure:m4:reminder:14',
        caseId: 'case-1',
        deadlineKey: 'measure:m4',
        kind: 'measure',
        rung: 'reminder',
        offsetDays: 14,
        title: '整改措施：修缮村级活动场所',
        reason: '整改措施：修缮村级活动场所 将于 2026-07-13 到期（还有14天）',
        dueOn: '2026-07-13',
        on: '2026-06-29',
        atMs: at('2026-06-29'),
        recipients: responsible,
      },
      expect.objectContaining({ key: 'case-1:measure:m4:reminder:3', on: '2026-07-10', offsetDays: 3, reason: '整改措施：修缮村级活动场所 将于 2026-07-13 到期（还有3天）' }),
      expect.objectContaining({
        key: 'case-1:measure:m4:supervision',
        rung: 'supervision',
        offsetDays: 1,
        on: '2026-07-14',
        reason: '整改措施：修缮村级活动场所已逾期1天，予以督办',
        recipients: [township],
      }),
      expect.objectContaining({ key: 'case-1:measure:m4:public_notice', offsetDays: 15, on: '2026-07-28', reason: '整改措施：修缮村级活动场所已逾期15天，予以通报', recipients: [county] }),
      expect.objectContaining({ key: 'case-1:measure:m4:interview', offsetDays: 30, on: '2026-08-12', reason: '整改措施：修缮村级活动场所已逾期30天，予以约谈', recipients: [leadership] }),
    ]);
    expect(new Date(notices[0].atMs).toISOString()).toBe('2026-06-29T01:00:00.000Z');
    expect(warnings).toEqual([]);
  });

  it('a notice falling on a holiday or weekend goes out on the next working day', async () => {
    // Due Friday 2026-10-16: 14 days before is 2026-10-02, a National Day holiday → Thursday 10-08.
    const notices = await planNotices(request([deadline('2026-10-16')]));
    expect(days(notices)).toEqual([
      ['reminder', 14, '2026-10-08'],
      ['reminder', 3, '2026-10-13'],
      ['supervision', 1, '2026-10-19'], // Saturday 10-17 → Monday
      ['public_notice', 15, '2026-11-02'], // Saturday 10-31 → Monday
      ['interview', 30, '2026-11-16'], // Sunday 11-15 → Monday
    ]);
    expect(notices[0].reason).toBe('整改措施：修缮村级活动场所 将于 2026-10-16 到期（还有8天）');
    expect(notices[2].reason).toBe('整改措施：修缮村级活动场所已逾期3天，予以督办');
    expect(notices[0].atMs).toBe(at('2026-10-08'));
  });

  it('without shifting, notices keep their calendar day, holiday or not', async () => {
    const notices = await planNotices(request([deadline('2026-10-16')], { shiftToWorkingDay: false, noticeHour: 8 }));
    expect(days(notices)).toEqual([
      ['reminder', 14, '2026-10-02'],
      ['reminder', 3, '2026-10-13'],
      ['supervision', 1, '2026-10-17'],
      ['public_notice', 15, '2026-10-31'],
      ['interview', 30, '2026-11-15'],
    ]);
    expect(notices[0].atMs).toBe(at('2026-10-02', 8));
  });

  it('a shifted reminder never goes out after its deadline: it goes out on the last working day before', async () => {
    // Due 2026-10-07 (a holiday): 3 days before is 10-04, also a holiday; the next working day (10-08) is too late.
    const notices = await planNotices(request([deadline('2026-10-07', { rungs: [] })]));
    expect(days(notices)).toEqual([
      ['reminder', 14, '2026-09-23'],
      ['reminder', 3, '2026-09-30'],
    ]);
    expect(notices[1].reason).toBe('整改措施：修缮村级活动场所 将于 2026-10-07 到期（还有7天）');
  });

  it('countWorkingDays counts the policy days as working days across National Day and Mid-autumn', async () => {
    const notices = await planNotices(request([deadline('2026-09-30')], { countWorkingDays: true }));
    expect(days(notices)).toEqual([
      // Back 14 working days: 09-29..09-28, 09-24..09-21 (Mid-autumn 09-25..27 off), Sunday 09-20 (调休上班), 09-18..09-14, 09-11, 09-10.
      ['reminder', 14, '2026-09-10'],
      ['reminder', 3, '2026-09-24'],
      // Forward: 10-01..07 off; 10-08 is the first working day after the deadline; Saturday 10-10 is a make-up working day.
      ['supervision', 1, '2026-10-08'],
      ['public_notice', 15, '2026-10-27'],
      ['interview', 30, '2026-11-17'],
    ]);
    expect(notices[1].reason).toBe('整改措施：修缮村级活动场所 将于 2026-09-30 到期（还有3个工作日）');
    expect(notices[3].reason).toBe('整改措施：修缮村级活动场所已逾期15个工作日，予以通报');
    expect(warnings).toEqual([]);
  });

  it('a year without calendar data (2040) counts Monday–Friday and warns once, naming the year', async () => {
    // Monday 2040-10-01 would be National Day, but 2040's holidays are not published: plain weekdays.
    const notices = await planNotices(
      request([deadline('2040-10-01'), deadline('2040-10-05', { key: 'secretary', kind: 'secretary', title: '选配党支部书记', rungs: ['supervision'] })], {
        countWorkingDays: true,
      }),
    );
    const of = (key: string) => days(notices.filter((n) => n.deadlineKey === key));
    expect(of('measure:m4')).toEqual([
      ['reminder', 14, '2040-09-11'],
      ['reminder', 3, '2040-09-26'],
      ['supervision', 1, '2040-10-02'],
      ['public_notice', 15, '2040-10-22'],
      ['interview', 30, '2040-11-12'],
    ]);
    expect(of('secretary')).toEqual([
      ['reminder', 14, '2040-09-17'],
      ['reminder', 3, '2040-10-02'],
      ['supervision', 1, '2040-10-08'], // Friday + 1 working day = Monday
    ]);
    expect(notices.find((n) => n.key === 'case-1:secretary:supervision')!.reason).toBe('选配党支部书记已逾期1个工作日，予以督办');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].level).toBe('WARN');
    expect(warnings[0].message).toContain('2040');

    // Another case planning in 2040 counts the same way, but the worker's log is not told again within the hour.
    const again = await planNotices(request([deadline('2040-10-01', { key: 'measure:m9' })], { countWorkingDays: true }));
    expect(days(again)[0]).toEqual(['reminder', 14, '2040-09-11']);
    expect(warnings).toHaveLength(1);
  });

  it('quarter visits climb only the rungs their deadline lists; notices of several deadlines are sorted by time', async () => {
    const visit = deadline('2026-09-30', {
      key: 'quarter_visit:2026-Q3',
      kind: 'quarter_visit',
      title: '季度调研指导（2026年第三季度）',
      responsible: [{ role: 'county_leader', regionId: 'county-1', userId: 'u-contact' }],
      rungs: ['supervision'],
    });
    const notices = await planNotices(request([visit, deadline('2026-07-13')], { reminderDaysBefore: [3] }));
    expect(notices.map((n) => n.key)).toEqual([
      'case-1:measure:m4:reminder:3',
      'case-1:measure:m4:supervision',
      'case-1:measure:m4:public_notice',
      'case-1:measure:m4:interview',
      'case-1:quarter_visit:2026-Q3:reminder:3',
      'case-1:quarter_visit:2026-Q3:supervision',
    ]);
    const [reminder, supervision] = notices.filter((n) => n.kind === 'quarter_visit');
    // 3 days before is Sunday 09-27 (Mid-autumn) → Monday 09-28; the day after is 10-01 (National Day) → 10-08.
    expect(reminder).toMatchObject({ on: '2026-09-28', recipients: [{ role: 'county_leader', regionId: 'county-1', userId: 'u-contact' }] });
    expect(supervision).toMatchObject({ on: '2026-10-08', recipients: [township] });
    expect(notices.map((n) => n.atMs)).toEqual([...notices.map((n) => n.atMs)].sort((a, b) => a - b));
    expect(warnings).toEqual([]);
  });

  it('plans the same notices when retried, and nothing for no deadlines', async () => {
    const r = request([deadline('2026-02-24')], { countWorkingDays: true });
    expect(await planNotices(r)).toEqual(await planNotices(r));
    expect(await planNotices(request([]))).toEqual([]);
  });
});
