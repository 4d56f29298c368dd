import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { Workbook } from 'exceljs';
import request from 'supertest';
import { In } from 'typeorm';
import { createNoticePlanningActivities } from '../../activities/notice-planning';
import { DEFAULT_POLICY, noticeSettings, type NoticePlanRequest, type PlannedNotice } from '../../libs/domain';
import { AppUserEntity, RegionEntity } from '../../libs/persistence';
import { printedPassword, runAdminCli } from '../support/admin-cli';
import { as } from '../support/auth';
import { startHarness, testConfig, type Harness } from '../support/harness';

const postgres = require('../../scripts/lib/postgres');

/** Collects a binary response body. */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/**
 * A real county from an empty database (issue 14): the documented command, the one-time password, the
 * division list, and a year's holiday schedule — no SQL and no demo seed. The database is this file's
 * own, so the calendar it imports changes no other test's.
 */
describe('a county sets itself up from an empty database', () => {
  const name = `rectification_county_setup_${Date.now()}`;
  const adminUrl = process.env.DATABASE_URL as string;
  const url = postgres.withDatabase(adminUrl, name);
  let h: Harness;
  let admin: { token: string };
  const server = () => h.app.getHttpServer();
  const csv = (text: string) => Buffer.from(`\ufeff${text}`, 'utf8');
  const importRegions = (file: Buffer, fileName = 'regions.csv', mode?: string) =>
    as(h.app, admin)
      .post(`/api/regions/import${mode ? `?mode=${mode}` : ''}`)
      .attach('file', file, fileName);
  const regionCount = () => h.dataSource.getRepository(RegionEntity).count();

  beforeAll(async () => {
    await postgres.ensureDatabase(adminUrl, name);
  });
  afterAll(async () => {
    await h?.close();
    await postgres.dropDatabase(adminUrl, name);
  });

  it('the command creates the county and its first admin with a one-time password, once', async () => {
    const args = ['create-county', '--name', '青禾县', '--code', '990101000000', '--admin-username', 'QH_Admin', '--admin-name', '王组织'];
    const first = await runAdminCli(url, args);
    expect(first).toMatchObject({ status: 0, err: '' });
    expect(first.out).toContain('已创建县（区）：青禾县（990101000000）');
    const password = printedPassword(first.out);
    expect(password).toBeDefined();

    const again = await runAdminCli(url, args);
    expect(again.status).toBe(65);
    expect(again.err).toContain('代码 990101000000 的区划已存在（青禾县）');
    const badCode = await runAdminCli(url, ['create-county', '--name', '外县', '--code', '99010200000', '--admin-username', 'x_admin', '--admin-name', '某']);
    expect(badCode.status).toBe(65);
    expect(badCode.err).toContain('12 位数字');
    expect((await runAdminCli(url, ['create-county', '--name', '外县'])).status).toBe(64);

    h = await startHarness(testConfig({ DATABASE_URL: url }));
    expect(await h.dataSource.getRepository(RegionEntity).find({ select: { code: true, name: true, level: true } })).toEqual([{ code: '990101000000', name: '青禾县', level: 'county' }]);
    const user = await h.dataSource.getRepository(AppUserEntity).findOneByOrFail({ username: 'qh_admin' });
    expect({ role: user.role, mustChangePassword: user.mustChangePassword }).toEqual({ role: 'county_org_admin', mustChangePassword: true });
    const [created] = await h.dataSource.query(`SELECT actor, payload FROM audit_entry WHERE action = 'county.created'`);
    expect(created.payload).toMatchObject({ code: '990101000000', adminUsername: 'qh_admin' });

    // Sign in with it: only changing it is allowed.
    const otp = await request(server()).post('/api/auth/login').send({ username: 'qh_admin', password }).expect(200);
    expect(otp.body.user.mustChangePassword).toBe(true);
    expect((await as(h.app, { token: otp.body.accessToken }).get('/api/regions').expect(403)).body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const changed = await as(h.app, { token: otp.body.accessToken }).post('/api/auth/password').send({ currentPassword: password, newPassword: 'Qinghe-setup-2026' }).expect(200);
    admin = { token: changed.body.accessToken };
    expect((await as(h.app, admin).get('/api/regions').expect(200)).body.root).toMatchObject({ code: '990101000000', level: 'county', children: [] });
  });

  it('a division list with bad rows is refused line by line and writes nothing', async () => {
    const file = csv(
      [
        '统计用区划代码,名称,级别',
        '990101001000,禾丰镇,乡镇',
        '99010100200,青石镇,镇', // 11 digits
        '990102001000,外县镇,乡镇', // another county
        '990101009001,无乡镇村,村', // its township is nowhere
        '990101001001,禾丰村,村',
        '990101001001,禾丰村,村', // twice
        '990101001002,,社区', // no name
        '990101001003,上坪村,省', // no such level
      ].join('\r\n'),
    );
    const res = await importRegions(file).expect(400);
    expect(res.body).toMatchObject({ code: 'IMPORT_INVALID', message: expect.stringContaining('未导入任何数据') });
    expect(res.body.details.rejected).toEqual([
      { line: 3, field: '统计用区划代码', reason: '统计用区划代码应为 12 位数字：99010100200' },
      { line: 4, field: '统计用区划代码', reason: expect.stringContaining('不在本县（区）内') },
      { line: 5, field: '统计用区划代码', reason: '所属乡镇（街道）990101009000 既不在文件中也未登记' },
      { line: 7, field: '统计用区划代码', reason: '统计用区划代码 990101001001 与第 6 行重复' },
      { line: 8, field: '名称', reason: '名称不能为空' },
      { line: 9, field: '级别', reason: expect.stringContaining('级别“省”无法识别') },
    ]);
    expect(await regionCount()).toBe(1);

    // mode=valid takes the good rows and reports the others.
    const partial = await importRegions(file, 'regions.csv', 'valid').expect(201);
    expect(partial.body).toMatchObject({ mode: 'valid', added: 2, rejected: expect.arrayContaining([expect.objectContaining({ line: 3 })]) });
    expect(await regionCount()).toBe(3);
  });

  it('imports the division list, then a re-import renames and adds but keeps what the file leaves out, reporting what it holds', async () => {
    const wb = new Workbook();
    const ws = wb.addWorksheet('区划');
    ws.addRow(['code', 'name', 'level']);
    ws.addRow(['990101001000', '禾丰镇', 'township']);
    ws.addRow(['990101002000', '青石镇', 'township']);
    ws.addRow(['990101002001', '龙潭村', 'village']);
    ws.addRow(['990101002002', '桃园社区', 'community']);
    ws.addRow(['990101001001', '禾丰村', 'village']);
    const first = await importRegions(Buffer.from(await wb.xlsx.writeBuffer()), 'regions.xlsx').expect(201);
    expect(first.body).toMatchObject({ added: 3, renamed: [], unchanged: 2, rejected: [], notInFile: [] });

    // Longtan village gets an organization and a person; then the list drops it.
    const tree = (await as(h.app, admin).get('/api/regions').expect(200)).body.root;
    const qingshi = tree.children.find((t: { code: string }) => t.code === '990101002000');
    const longtan = qingshi.children.find((v: { code: string }) => v.code === '990101002001');
    await as(h.app, admin).post('/api/organizations').send({ code: 'ORG-990101002001', name: '龙潭村党支部', domain: 'village', regionId: longtan.id }).expect(201);
    await as(h.app, admin).post('/api/users').send({ username: 'longtan_team', name: '龙潭队员', role: 'team_member', regionId: longtan.id }).expect(201);

    const second = csv(['统计用区划代码,名称,级别', '990101001000,禾丰镇,乡镇', '990101002000,青石镇人民政府,乡镇', '990101002002,桃园社区,社区', '990101001001,禾丰村,村', '990101003000,柳溪乡,乡'].join('\n'));
    const res = await importRegions(second).expect(201);
    expect(res.body).toMatchObject({
      added: 1,
      renamed: [{ code: '990101002000', before: '青石镇', after: '青石镇人民政府' }],
      unchanged: 3,
      notInFile: [{ code: '990101002001', name: '龙潭村', level: 'village', organizations: 1, users: 1, cases: 0 }],
    });
    expect(await h.dataSource.getRepository(RegionEntity).existsBy({ id: longtan.id })).toBe(true);
    const audit = await h.dataSource.query(`SELECT payload FROM audit_entry WHERE action = 'region.imported' ORDER BY id`);
    expect(audit).toHaveLength(3);
    expect(audit[2].payload).toMatchObject({ added: ['990101003000'], notInFile: 1 });

    const template = await as(h.app, admin).get('/api/regions/import/template.xlsx').buffer(true).parse(binary).expect(200);
    const t = new Workbook();
    await t.xlsx.load(template.body as Parameters<typeof t.xlsx.load>[0]);
    expect(t.worksheets[0].getRow(1).values).toEqual([undefined, '统计用区划代码', '名称', '级别']);
  });

  it('one region by hand: created under its township, renamed, and refused with a clear reason', async () => {
    const created = await as(h.app, admin).post('/api/regions').send({ code: '990101003001', name: '竹林村' }).expect(201);
    expect(created.body).toMatchObject({ code: '990101003001', level: 'village' });
    await as(h.app, admin).patch(`/api/regions/${created.body.id}`).send({ name: '竹林新村' }).expect(200);
    expect((await h.dataSource.getRepository(RegionEntity).findOneByOrFail({ id: created.body.id })).name).toBe('竹林新村');
    expect((await as(h.app, admin).post('/api/regions').send({ code: '990101003001', name: '重复' }).expect(409)).body.code).toBe('REGION_CODE_TAKEN');
    const orphan = await as(h.app, admin).post('/api/regions').send({ code: '990101008001', name: '孤村' }).expect(400);
    expect(orphan.body).toMatchObject({ code: 'REGION_PARENT_NOT_FOUND', message: expect.stringContaining('990101008000') });
    expect((await as(h.app, admin).post('/api/regions').send({ code: '990109001000', name: '外县镇' }).expect(400)).body.message).toContain('不在本县');
    expect((await as(h.app, admin).post('/api/regions').send({ code: '12345', name: '短' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    await as(h.app, admin).patch('/api/regions/00000000-0000-4000-8000-000000000000').send({ name: 'x' }).expect(404);
  });

  it('a holiday schedule imported by the county moves a planned notice off 1 January 2027, and the banner goes', async () => {
    const status = await as(h.app, admin).get('/api/calendar/status').expect(200);
    // This database holds no statutory data at all: the current year is missing, so the banner shows.
    expect(status.body.missingYears).toContain(Number(status.body.today.slice(0, 4)));
    expect(status.body.banner).toContain('工作日历缺少');

    // The year-end deadline 2026-12-31: its 督办 is due the next day, New Year's Day.
    const warnings: LogEntry[] = [];
    const activities = createNoticePlanningActivities({ dataSource: h.dataSource });
    const s = noticeSettings(DEFAULT_POLICY);
    const planRequest: NoticePlanRequest = {
      caseId: 'case-setup',
      deadlines: [{ key: 'year_end', kind: 'year_end', title: '年底转化', dueOn: '2026-12-31', responsible: [], rungs: ['supervision'] }],
      reminderDaysBefore: [],
      escalationDaysOverdue: DEFAULT_POLICY.escalationDaysOverdue,
      countWorkingDays: s.countWorkingDays,
      shiftToWorkingDay: s.shiftNoticesToWorkingDay,
      noticeHour: s.noticeHour,
      escalationRecipients: { supervision: [], public_notice: [], interview: [] },
    };
    const plan = (): Promise<PlannedNotice[]> => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN', (e) => warnings.push(e)) }).run(activities.planNotices, planRequest);
    expect((await plan()).map((n) => n.on)).toEqual(['2027-01-01']);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('2027-01-01（年底转化督办）')]);

    const bad = csv(['date,kind,name', '2027-01-01,休,元旦', '2026-12-31,休,跨年', '2027-02-30,休,春节', '2027-02-07,半天,春节'].join('\n'));
    const refused = await as(h.app, admin).post('/api/calendar/import?year=2027').attach('file', bad, 'holidays.csv').expect(400);
    expect(refused.body.details.rejected).toEqual([
      { line: 3, field: '日期', reason: '2026-12-31 不在 2027 年' },
      { line: 4, field: '日期', reason: expect.stringContaining('无法识别') },
      { line: 5, field: '类型', reason: expect.stringContaining('半天') },
    ]);
    expect(await h.dataSource.query(`SELECT 1 FROM calendar_year WHERE year = 2027`)).toEqual([]);

    const schedule = csv(['日期,类型,名称', '2027-01-01,休,元旦', '2027/1/2,休,元旦', '2027年1月3日,休,元旦', '2027-02-07,班,春节'].join('\n'));
    const imported = await as(h.app, admin).post('/api/calendar/import?year=2027').attach('file', schedule, 'holidays.csv').expect(201);
    expect(imported.body).toMatchObject({ year: 2027, holidays: 3, workdays: 1 });
    expect((await plan()).map((n) => n.on)).toEqual(['2027-01-04']);
    const year = await as(h.app, admin).get('/api/calendar/2027').expect(200);
    expect(year.body).toMatchObject({ hasData: true, days: expect.arrayContaining([expect.objectContaining({ date: '2027-02-07', isWorkday: true, name: '春节调休上班' })]) });
    expect((await as(h.app, admin).get('/api/calendar/status').expect(200)).body.missingYears).not.toContain(2027);
    const [entry] = await h.dataSource.query(`SELECT payload FROM audit_entry WHERE action = 'calendar.imported'`);
    expect(entry.payload).toMatchObject({ year: 2027, holidays: 3, workdays: 1 });
  });

  it('above the county (issue 17): the command creates a province and a city, a county under the city, and attaches the existing county; wrong codes refused', async () => {
    const cli = (...args: string[]) => runAdminCli(url, args);
    const admin = ['--admin-username'];
    const province = await cli('create-region', '--level', 'province', '--name', '云岭省', '--code', '990000000000', ...admin, 'sheng_zzb', '--admin-name', '冯处长');
    expect(province).toMatchObject({ status: 0, err: '' });
    expect(province.out).toContain('已创建省（自治区、直辖市）：云岭省（990000000000）');
    expect(province.out).toContain('省委组织部管理员：冯处长，用户名 sheng_zzb');
    expect(/^ {2}\S{14}$/m.test(province.out)).toBe(true);

    // Wrong codes and levels: refused with the reason, nothing written.
    const refused = async (args: string[], reason: string) => {
      const res = await cli(...args);
      expect(res.status).toBe(65);
      expect(res.err).toContain(reason);
    };
    const city = (code: string, parent?: string) => ['create-region', '--level', 'city', '--name', '青川市', '--code', code, ...(parent ? ['--parent-code', parent] : []), ...admin, 'shi_zzb', '--admin-name', '韩科长'];
    await refused(['create-region', '--level', 'province', '--name', '错省', '--code', '990100000000', ...admin, 'x_zzb', '--admin-name', '某'], '不是省（自治区、直辖市）代码');
    await refused(['create-region', '--level', 'province', '--name', '错省', '--code', '980000000000', '--parent-code', '990000000000', ...admin, 'x_zzb', '--admin-name', '某'], '省级区划没有上级');
    await refused(city('990100000000'), '须指定所属省');
    await refused(city('980100000000', '990000000000'), '不在上级区划');
    await refused(city('990101000000', '990000000000'), '而是县（区）代码');
    await refused(city('990100000000', '990101000000'), '不是省级或市级统计用区划代码');
    expect((await cli('create-region', '--level', 'county', '--name', '县', '--code', '990102000000', ...admin, 'x_zzb', '--admin-name', '某')).status).toBe(64);
    expect((await cli('attach-county', '--code', '990101000000')).status).toBe(64);

    const made = await cli(...city('990100000000', '990000000000'));
    expect(made).toMatchObject({ status: 0, err: '' });
    expect(made.out).toContain('已创建市（州）：青川市（990100000000），上级：云岭省（990000000000）');
    const cityRow = await h.dataSource.getRepository(RegionEntity).findOneByOrFail({ code: '990100000000' });
    const provinceRow = await h.dataSource.getRepository(RegionEntity).findOneByOrFail({ code: '990000000000' });
    expect(cityRow).toMatchObject({ level: 'city', parentId: provinceRow.id, path: `${provinceRow.path}${cityRow.id}/` });
    expect(await h.dataSource.getRepository(AppUserEntity).findOneByOrFail({ username: 'shi_zzb' })).toMatchObject({ role: 'city_org_admin', regionId: cityRow.id, mustChangePassword: true });

    // The county made on its own at the start goes under the city; its path (and everything below it) stays.
    const qinghe = await h.dataSource.getRepository(RegionEntity).findOneByOrFail({ code: '990101000000' });
    await refused(['attach-county', '--code', '990101000000', '--parent-code', '990200000000'], '990101000000 不在上级区划');
    await refused(['attach-county', '--code', '990109000000', '--parent-code', '990100000000'], '县（区）不存在');
    await refused(['attach-county', '--code', '990100000000', '--parent-code', '990000000000'], '不是县（区）');
    const attached = await cli('attach-county', '--code', '990101000000', '--parent-code', '990100000000');
    expect(attached).toMatchObject({ status: 0, err: '' });
    expect(attached.out).toContain('已将青禾县（990101000000）划入青川市');
    expect(await h.dataSource.getRepository(RegionEntity).findOneByOrFail({ id: qinghe.id })).toMatchObject({ parentId: cityRow.id, path: qinghe.path });
    expect((await cli('attach-county', '--code', '990101000000', '--parent-code', '990100000000')).out).toContain('未作改动');
    const entries = await h.dataSource.query(`SELECT actor, payload FROM audit_entry WHERE action = 'county.attached'`);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: '管理命令 attach-county', payload: { countyName: '青禾县', parentName: '青川市' } });

    // A new county straight under the city; one whose code lies outside it is refused.
    await refused(['create-county', '--name', '外县', '--code', '990201000000', '--parent-code', '990100000000', ...admin, 'wai_zzb', '--admin-name', '某'], '不在上级区划');
    const under = await cli('create-county', '--name', '青山县', '--code', '990102000000', '--parent-code', '990100000000', ...admin, 'qs_zzb', '--admin-name', '李组织');
    expect(under.status).toBe(0);
    expect(under.out).toContain('已创建县（区）：青山县（990102000000），上级：青川市（990100000000）');
    const qingshan = await h.dataSource.getRepository(RegionEntity).findOneByOrFail({ code: '990102000000' });
    expect(qingshan).toMatchObject({ level: 'county', parentId: cityRow.id, path: `/${qingshan.id}/` });
    expect(await h.dataSource.getRepository(RegionEntity).countBy({ level: In(['province', 'city', 'county']) })).toBe(4);
  });
});
