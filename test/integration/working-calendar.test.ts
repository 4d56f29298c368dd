import request from 'supertest';
import { createNoticePlanningActivities } from '../../activities/notice-planning';
import { loadStatutoryCalendar, statutoryCalendar } from '../../libs/calendar';
import { as, signedInUser, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';

/**
 * China's working calendar in PostgreSQL: the statutory holidays and make-up working days loaded at
 * worker start-up, and a county organization department correcting a day (GET/PUT/DELETE /api/calendar).
 * Corrections here are made in 2025 only, so the notice-planning tests (2026, 2040) never see them.
 */
describe('working calendar', () => {
  let h: Harness;
  let admin: TestUser;
  let secretary: TestUser;

  beforeAll(async () => {
    h = await startHarness();
    const { county, township } = await createRegionWithOrganizations(h.dataSource, 0);
    admin = await signedInUser(h.app, h.dataSource, 'county_org_admin', county.id, { name: '李部长' });
    secretary = await signedInUser(h.app, h.dataSource, 'township_party_secretary', township.id, { name: '镇党委书记' });
  });
  afterAll(() => h?.close());

  const row = async (date: string) =>
    (
      await h.dataSource.query(`SELECT is_workday, name, source, updated_by_id FROM calendar_day WHERE date = $1`, [date])
    )[0] as { is_workday: boolean; name: string | null; source: string; updated_by_id: string | null } | undefined;
  /**
   * The calendar is one for every county, and other test files correct days of it meanwhile (e.g.
   * bad-input.property.test.ts puts and removes 2026-10-09): `all_days` counts the rows the statutory
   * load wrote (no one's correction) and this file's own corrections, not theirs.
   */
  const counts = async () => {
    const { days } = statutoryCalendar();
    const [r] = await h.dataSource.query(
      `SELECT (SELECT count(*) FROM calendar_day WHERE date = ANY($1::date[]))::int AS days,
              (SELECT count(*) FROM calendar_day WHERE updated_by_id IS NULL OR updated_by_id = $2)::int AS all_days,
              (SELECT count(*) FROM calendar_year)::int AS years`,
      [days.map((d) => d.date), admin.id],
    );
    return r as { days: number; all_days: number; years: number };
  };

  describe('loading the statutory data (loadStatutoryCalendar)', () => {
    it('loads every holiday and make-up working day of every year it has; loading again changes nothing', async () => {
      const first = await loadStatutoryCalendar(h.dataSource);
      expect(first.years).toEqual(expect.arrayContaining([2024, 2025, 2026]));
      const after1 = await counts();
      expect(after1.days).toBe(first.days);
      expect(first.days).toBeGreaterThan(700);

      const second = await loadStatutoryCalendar(h.dataSource);
      expect(second).toMatchObject({ insertedDays: 0, insertedYears: 0, days: first.days, years: first.years });
      expect(await counts()).toEqual(after1);

      expect(await row('2026-10-01')).toEqual({ is_workday: false, name: '国庆节', source: 'chinese-days', updated_by_id: null });
      expect(await row('2026-10-10')).toMatchObject({ is_workday: true, name: '国庆节调休上班', source: 'chinese-days' });
      const years: { year: number }[] = await h.dataSource.query(`SELECT year FROM calendar_year ORDER BY year`);
      expect(years.map((y) => y.year)).toEqual(expect.arrayContaining(first.years));
    });

    it('does not overwrite a county’s correction', async () => {
      // 2025-05-05 (Monday) is a Labour Day holiday; the county makes it a working day.
      await as(h.app, admin).put('/api/calendar/days/2025-05-05').send({ isWorkday: true, name: '本县上班' }).expect(200);
      const reload = await loadStatutoryCalendar(h.dataSource);
      expect(reload.insertedDays).toBe(0);
      expect(await row('2025-05-05')).toEqual({ is_workday: true, name: '本县上班', source: 'manual', updated_by_id: admin.id });

      // Removing the correction puts the statutory holiday back.
      const res = await as(h.app, admin).delete('/api/calendar/days/2025-05-05').expect(200);
      expect(res.body).toMatchObject({ date: '2025-05-05', isWorkday: false, day: { date: '2025-05-05', isWorkday: false, name: '劳动节', source: 'chinese-days', updatedBy: null } });
      expect(await row('2025-05-05')).toMatchObject({ is_workday: false, name: '劳动节', source: 'chinese-days' });
    });
  });

  describe('GET /api/calendar/:year', () => {
    it('answers any signed-in user the year’s explicit days and whether the year has data', async () => {
      const res = await as(h.app, secretary).get('/api/calendar/2026').expect(200);
      expect(res.body).toMatchObject({ year: 2026, hasData: true });
      expect(Date.parse(res.body.loadedAt)).not.toBeNaN();
      const byDate = new Map<string, { isWorkday: boolean; name: string; source: string }>(res.body.days.map((d: { date: string }) => [d.date, d]));
      for (let d = 1; d <= 7; d++) expect(byDate.get(`2026-10-0${d}`)).toMatchObject({ isWorkday: false, name: '国庆节', source: 'chinese-days' });
      expect(byDate.get('2026-10-10')).toMatchObject({ isWorkday: true, name: '国庆节调休上班' });
      expect(byDate.has('2026-03-07')).toBe(false); // a plain Saturday is not listed
      const dates = res.body.days.map((d: { date: string }) => d.date);
      expect(dates).toEqual([...dates].sort());
      expect(dates.every((d: string) => d.startsWith('2026-'))).toBe(true);
    });

    it('a year without data: hasData false, no days', async () => {
      const res = await as(h.app, secretary).get('/api/calendar/2040').expect(200);
      expect(res.body).toEqual({ year: 2040, hasData: false, loadedAt: null, days: [] });
    });

    it('refuses a malformed year, naming the field; refuses anyone not signed in', async () => {
      const res = await as(h.app, secretary).get('/api/calendar/twenty').expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.message).toContain('年度（year）');
      await request(h.app.getHttpServer()).get('/api/calendar/2026').expect(401);
    });
  });

  describe('the policy’s notice settings (POST /api/counties/:countyId/policy)', () => {
    it('publishes countWorkingDays, shiftNoticesToWorkingDay and noticeHour; refuses an hour out of range, naming the field', async () => {
      const countyId = (await h.dataSource.query(`SELECT region_id FROM app_user WHERE id = $1`, [admin.id]))[0].region_id as string;
      const published = await as(h.app, admin)
        .post(`/api/counties/${countyId}/policy`)
        .send({ countWorkingDays: true, shiftNoticesToWorkingDay: false, noticeHour: 8 })
        .expect(201);
      expect(published.body.policy).toMatchObject({ countWorkingDays: true, shiftNoticesToWorkingDay: false, noticeHour: 8 });
      const bad = await as(h.app, admin).post(`/api/counties/${countyId}/policy`).send({ noticeHour: 24, countWorkingDays: 'yes' }).expect(400);
      expect(bad.body.message).toContain('发送时刻（noticeHour）');
      expect(bad.body.message).toContain('按工作日计算（countWorkingDays）');
    });
  });

  describe('PUT/DELETE /api/calendar/days/:date', () => {
    it('only the county organization department corrects or removes a day (403 for others)', async () => {
      await as(h.app, secretary).put('/api/calendar/days/2025-03-14').send({ isWorkday: false }).expect(403);
      await as(h.app, secretary).delete('/api/calendar/days/2025-03-14').expect(403);
      expect(await row('2025-03-14')).toBeUndefined();
    });

    it('refuses a date that is not a calendar date, and a body that is not a correction, naming the field', async () => {
      for (const bad of ['2025-02-30', '20250505', '2025-5-5', 'tomorrow']) {
        const res = await as(h.app, admin).put(`/api/calendar/days/${bad}`).send({ isWorkday: false }).expect(400);
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(res.body.message).toContain('日期（date）');
      }
      const res = await as(h.app, admin).put('/api/calendar/days/2025-03-14').send({ isWorkday: 'no', extra: 1 }).expect(400);
      expect(res.body.message).toContain('是否工作日（isWorkday）');
      expect(res.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['extra', 'isWorkday']);
      await as(h.app, admin).delete('/api/calendar/days/2025-02-30').expect(400);
      expect(await row('2025-03-14')).toBeUndefined();
    });

    it('a correction is visible in the calendar, audited, and moves the notices planned on it', async () => {
      // Friday 2025-03-14 becomes a day off for the county.
      const res = await as(h.app, admin).put('/api/calendar/days/2025-03-14').send({ isWorkday: false, name: '本县停工' }).expect(200);
      expect(res.body).toMatchObject({ date: '2025-03-14', isWorkday: false, name: '本县停工', source: 'manual', updatedBy: { id: admin.id, name: '李部长' } });

      const year = await as(h.app, secretary).get('/api/calendar/2025').expect(200);
      expect(year.body.days).toContainEqual(expect.objectContaining({ date: '2025-03-14', isWorkday: false, name: '本县停工', source: 'manual' }));

      const audit: { actor: string; actor_role: string; payload: Record<string, unknown> }[] = await h.dataSource.query(
        `SELECT actor, actor_role, payload FROM audit_entry WHERE action = 'calendar.corrected' AND actor_id = $1`,
        [admin.id],
      );
      expect(audit).toContainEqual({
        actor: '李部长',
        actor_role: 'county_org_admin',
        payload: { date: '2025-03-14', isWorkday: false, name: '本县停工', before: null },
      });

      // A reminder 14 days before Friday 2025-03-28 falls on the corrected day: it goes out Monday 03-17.
      const { planNotices } = createNoticePlanningActivities({ dataSource: h.dataSource });
      const notices = await planNotices({
        caseId: 'case-cal',
        deadlines: [{ key: 'secretary', kind: 'secretary', title: '选配党支部书记', dueOn: '2025-03-28', responsible: [], rungs: [] }],
        reminderDaysBefore: [14],
        escalationDaysOverdue: { supervision: 1, publicNotice: 15, interview: 30 },
        countWorkingDays: false,
        shiftToWorkingDay: true,
        noticeHour: 9,
        escalationRecipients: { supervision: [], public_notice: [], interview: [] },
      });
      expect(notices.map((n) => n.on)).toEqual(['2025-03-17']);

      // Correcting it again replaces the correction; the audit records what it was.
      await as(h.app, admin).put('/api/calendar/days/2025-03-14').send({ isWorkday: true }).expect(200);
      expect(await row('2025-03-14')).toMatchObject({ is_workday: true, name: null, source: 'manual' });
      const again: { payload: { before: unknown } }[] = await h.dataSource.query(
        `SELECT payload FROM audit_entry WHERE action = 'calendar.corrected' AND actor_id = $1 AND payload->>'date' = '2025-03-14' ORDER BY id`,
        [admin.id],
      );
      expect(again.map((a) => a.payload.before)).toEqual([null, { isWorkday: false, name: '本县停工', source: 'manual' }]);
    });

    it('removing a correction without statutory entry leaves a plain weekday; nothing to remove is 404; statutory days are 409', async () => {
      const res = await as(h.app, admin).delete('/api/calendar/days/2025-03-14').expect(200);
      expect(res.body).toEqual({ date: '2025-03-14', isWorkday: true, day: null });
      expect(await row('2025-03-14')).toBeUndefined();
      const removed: unknown[] = await h.dataSource.query(
        `SELECT 1 FROM audit_entry WHERE action = 'calendar.correction_removed' AND actor_id = $1 AND payload->>'date' = '2025-03-14'`,
        [admin.id],
      );
      expect(removed).toHaveLength(1);

      const none = await as(h.app, admin).delete('/api/calendar/days/2025-03-14').expect(404);
      expect(none.body).toMatchObject({ code: 'CALENDAR_CORRECTION_NOT_FOUND' });
      const statutory = await as(h.app, admin).delete('/api/calendar/days/2025-10-01').expect(409);
      expect(statutory.body).toMatchObject({ code: 'CALENDAR_DAY_STATUTORY' });
      expect(statutory.body.message).toContain('2025-10-01');
      expect(await row('2025-10-01')).toMatchObject({ is_workday: false, source: 'chinese-days' });
    });
  });
});
