import { Workbook, type Worksheet } from 'exceljs';
import request from 'supertest';
import { addDays, type EscalationRung } from '../../libs/domain';
import { EscalationEntity, OrganizationEntity } from '../../libs/persistence';
import { as, personas, signedInUser, type Personas, type TestUser } from '../support/auth';
import { addTownship, createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';
import { HttpPlaybook, todayInShanghai } from '../support/http-playbook';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Collects a binary response body. */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** The sheet's header texts. */
const headers = (ws: Worksheet) => (ws.getRow(1).values as unknown[]).slice(1).map(String);

/** Rows below the header, as objects keyed by header. */
function records(ws: Worksheet): Record<string, unknown>[] {
  const names = headers(ws);
  const out: Record<string, unknown>[] = [];
  for (let i = 2; i <= ws.rowCount; i++) {
    const row = ws.getRow(i);
    out.push(Object.fromEntries(names.map((n, j) => [n, row.getCell(j + 1).value])));
  }
  return out;
}

/** The date an Excel date cell shows. */
const shown = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : `not a date: ${String(v)}`);

describe('Excel exports (GET /api/exports/*.xlsx)', () => {
  let h: Harness;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let other: Awaited<ReturnType<typeof addTownship>>;
  let people: Personas;
  let strangerAdmin: TestUser;
  const year = Number(todayInShanghai().slice(0, 4));
  const today = todayInShanghai();
  let converted: HttpPlaybook;
  let rectifying: HttpPlaybook;
  let otherCase: HttpPlaybook;

  const download = async (user: TestUser, path: string) => {
    const res = await as(h.app, user).get(path).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe(XLSX);
    const wb = new Workbook();
    await wb.xlsx.load(res.body as Parameters<typeof wb.xlsx.load>[0]);
    return { res, wb, ws: wb.worksheets[0] };
  };

  const escalate = async (c: HttpPlaybook, org: OrganizationEntity, rung: EscalationRung, acknowledged: boolean) => {
    const repo = h.dataSource.getRepository(EscalationEntity);
    await repo.save(
      repo.create({
        key: `${c.caseId}:secretary:${rung}:test`,
        caseId: c.caseId,
        countyId: org.countyId,
        townshipId: org.townshipId,
        organizationName: org.name,
        deadlineKey: 'secretary',
        kind: 'secretary',
        rung,
        title: `为${org.name}选配合格的党支部书记`,
        reason: '选配党支部书记已逾期15天，予以通报',
        deadline: addDays(today, -15),
        daysOverdue: 15,
        recipients: { recipients: [], userIds: [] },
        raisedAt: new Date(),
        ...(acknowledged ? { acknowledgedAt: new Date(), acknowledgedById: people.townshipSecretary.id, acknowledgedByName: people.townshipSecretary.name } : {}),
      }),
    );
  };

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 2);
    other = await addTownship(h.dataSource, orgs.county);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
    const stranger = await createRegionWithOrganizations(h.dataSource, 1);
    strangerAdmin = await signedInUser(h.app, h.dataSource, 'county_org_admin', stranger.county.id, { name: '外县组织部' });

    converted = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[0], year);
    await converted.start();
    await converted.completePlaybook(); // 1 visit, 2 problems
    await converted.requestAcceptance();
    await converted.accept();
    rectifying = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[1], year, ['C1']);
    await rectifying.start();
    await rectifying.visit();
    await rectifying.addProblems(1, await signedInUser(h.app, h.dataSource, 'team_leader', orgs.organizations[1].regionId, { name: '二村队长' }));
    otherCase = await HttpPlaybook.designate(h.app, h.dataSource, people, other.organization, year);
    await escalate(rectifying, orgs.organizations[1], 'public_notice', true);
    await escalate(otherCase, other.organization, 'supervision', false);
  }, 240000);
  afterAll(() => h?.close());

  describe('the ledger (整顿台账)', () => {
    it('has one row per case with Chinese headers, a bold frozen header row, an autofilter and a Chinese file name', async () => {
      const { res, ws } = await download(people.countyAdmin, `/api/exports/ledger.xlsx?batchYear=${year}`);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="ledger.xlsx"; filename*=UTF-8''${encodeURIComponent(`整顿台账-${year}.xlsx`)}`);
      expect(ws.name).toBe('整顿台账');
      expect(headers(ws)).toEqual(
        expect.arrayContaining(['乡镇（街道）', '基层党组织', '认定原因', '阶段', '联系领导', '走访次数', '队伍人数', '进驻日期', '问题总数', '问题已销号', '措施总数', '措施已完成']),
      );
      expect(headers(ws)).toEqual(expect.arrayContaining(['书记需选配', '书记选配期限', '书记已到位', '集体经济项目', '一把手分包', '一个关键', '验收日期', '年底逾期']));
      expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter).toBeTruthy();
      expect(ws.rowCount).toBe(1 + 3);

      const rows = records(ws);
      const byOrg = (name: string) => rows.find((r) => r['基层党组织'] === name)!;
      const done = byOrg(orgs.organizations[0].name);
      expect(done).toMatchObject({ '乡镇（街道）': orgs.township.name, 阶段: '已转化', 联系领导: people.countyLeader.name, 走访次数: 1, 队伍人数: 3, 问题总数: 2, 问题已销号: 2, 书记已到位: '是', 一把手分包: '已完成', 年底逾期: '否' });
      expect(shown(done['进驻日期'])).toBe(today);
      expect(shown(done['验收日期'])).toBe(today);
      expect(shown(done['认定日期'])).toBe(today);
      const open = byOrg(orgs.organizations[1].name);
      expect(open).toMatchObject({ 阶段: '整顿中', 问题总数: 1, 问题已销号: 0, 书记需选配: '是', 书记已到位: '否', 验收日期: null });
      expect(String(open['认定原因'])).toContain('C1');
      expect(open['书记选配期限']).toBeInstanceOf(Date);
      expect(byOrg(other.organization.name)).toMatchObject({ '乡镇（街道）': other.township.name, 阶段: '已认定' });

      // Widths fit the content, CJK characters counting double.
      const col = (header: string) => ws.getColumn(headers(ws).indexOf(header) + 1);
      expect(col('书记选配期限').width).toBeGreaterThanOrEqual(12);
      expect(col('基层党组织').width).toBeGreaterThanOrEqual(2 * orgs.organizations[0].name.length);
      expect(col('走访次数').width).toBeLessThan(col('基层党组织').width!);
    });

    it("gives a township party secretary their township's cases only, and 404 for another township", async () => {
      const { ws } = await download(people.townshipSecretary, `/api/exports/ledger.xlsx?batchYear=${year}`);
      expect(records(ws).map((r) => r['基层党组织']).sort()).toEqual([orgs.organizations[0].name, orgs.organizations[1].name].sort());
      const res = await as(h.app, people.townshipSecretary).get(`/api/exports/ledger.xlsx?townshipId=${other.township.id}`).expect(404);
      expect(res.body.code).toBe('TOWNSHIP_NOT_FOUND');
    });

    it('drills down to one township, named in the file name', async () => {
      const { res, ws } = await download(people.countyAdmin, `/api/exports/ledger.xlsx?batchYear=${year}&townshipId=${other.township.id}`);
      expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`整顿台账-${year}-${other.township.name}.xlsx`)}`);
      expect(records(ws).map((r) => r['基层党组织'])).toEqual([other.organization.name]);
    });

    it("is empty (headers only) for another county's administrator, and for a batch without cases", async () => {
      const { ws } = await download(strangerAdmin, `/api/exports/ledger.xlsx?batchYear=${year}`);
      expect(ws.rowCount).toBe(1);
      expect(headers(ws)).toContain('基层党组织');
      expect((await download(people.countyAdmin, '/api/exports/ledger.xlsx?batchYear=2001')).ws.rowCount).toBe(1);
    });
  });

  it('lists every problem (问题清单) with its reason, cure, root cause and status', async () => {
    const { res, ws } = await download(people.countyAdmin, `/api/exports/problems.xlsx?batchYear=${year}`);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent(`问题清单-${year}.xlsx`));
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(headers(ws)).toEqual(expect.arrayContaining(['基层党组织', '原因代码', '整治方向', '问题描述', '病灶（根源）', '状态', '销号时间']));
    const rows = records(ws);
    expect(rows).toHaveLength(3);
    const closed = rows.filter((r) => r['状态'] === '已销号');
    expect(closed).toHaveLength(2);
    for (const r of closed) {
      expect(r).toMatchObject({ 基层党组织: orgs.organizations[0].name, 原因代码: 'C4', 整治方向: '治散', '病灶（根源）': '支部书记缺位，无人组织' });
      expect(shown(r['销号时间'])).toBe(today);
    }
    expect(rows.find((r) => r['状态'] === '未销号')).toMatchObject({ 基层党组织: orgs.organizations[1].name, 销号时间: null });
    expect(rows.every((r) => r['发现时间'] instanceof Date)).toBe(true);
  });

  it('lists every guidance visit (调研指导) with its leader, date and quarter', async () => {
    const { ws } = await download(people.countyAdmin, `/api/exports/visits.xlsx?batchYear=${year}`);
    expect(headers(ws)).toEqual(['乡镇（街道）', '基层党组织', '联系领导', '调研日期', '季度', '地点', '调研指导内容', '发现问题', '记录人']);
    const rows = records(ws);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r).toMatchObject({ 联系领导: people.countyLeader.name, 地点: '村党群服务中心' });
      expect(shown(r['调研日期'])).toBe(today);
      expect(r['季度']).toMatch(new RegExp(`^${year}年第[一二三四]季度$`));
    }
    const team = await download(people.teamLeader, `/api/exports/visits.xlsx?batchYear=${year}`);
    expect(records(team.ws).map((r) => r['基层党组织'])).toEqual([orgs.organizations[0].name]);
  });

  it('lists every escalation (督办台账) with its rung in Chinese, deadline and acknowledgement', async () => {
    const { res, ws } = await download(people.countyAdmin, `/api/exports/escalations.xlsx?batchYear=${year}`);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="escalations.xlsx"; filename\*=UTF-8''/);
    const rows = records(ws);
    expect(rows).toHaveLength(2);
    const notice = rows.find((r) => r['基层党组织'] === orgs.organizations[1].name)!;
    expect(notice).toMatchObject({ 问责层级: '通报', 事项类别: '选配党支部书记', 逾期天数: 15, 已签收: '是', 签收人: people.townshipSecretary.name, 状态: '已签收', 办结时间: null });
    expect(shown(notice['期限'])).toBe(addDays(today, -15));
    expect(notice['发起时间']).toBeInstanceOf(Date);
    expect(rows.find((r) => r['基层党组织'] === other.organization.name)).toMatchObject({ 问责层级: '督办', 已签收: '否', 状态: '待签收' });

    const township = await download(people.townshipSecretary, `/api/exports/escalations.xlsx?batchYear=${year}`);
    expect(records(township.ws).map((r) => r['问责层级'])).toEqual(['通报']);
  });

  it('reads 已延期 for an escalation closed because its deadline was extended, not 已办结', async () => {
    const repo = h.dataSource.getRepository(EscalationEntity);
    const key = `${rectifying.caseId}:secretary:supervision:extended-test`;
    await repo.save(
      repo.create({
        key,
        caseId: rectifying.caseId,
        countyId: orgs.organizations[1].countyId,
        townshipId: orgs.organizations[1].townshipId,
        organizationName: orgs.organizations[1].name,
        deadlineKey: 'secretary',
        kind: 'secretary',
        rung: 'supervision',
        title: `为${orgs.organizations[1].name}选配合格的党支部书记（延期前）`,
        reason: '选配党支部书记已逾期3天，予以督办',
        deadline: addDays(today, -3),
        daysOverdue: 3,
        recipients: { recipients: [], userIds: [] },
        raisedAt: new Date(),
        resolvedAt: new Date(),
        resolutionNote: `已延期：原期限${addDays(today, -3)}，经${people.countyAdmin.name}批准延至${addDays(today, 20)}（延期1次）`,
      }),
    );
    try {
      const { ws } = await download(people.countyAdmin, `/api/exports/escalations.xlsx?batchYear=${year}`);
      const row = records(ws).find((r) => String(r['事项']).endsWith('（延期前）'))!;
      expect(row).toMatchObject({ 问责层级: '督办', 状态: '已延期' });
      expect(String(row['办结说明'])).toContain(`原期限${addDays(today, -3)}`);
    } finally {
      await repo.delete({ key });
    }
  });

  it('answers 401 without a token and 400 for a malformed query', async () => {
    for (const kind of ['ledger', 'problems', 'visits', 'escalations']) {
      const res = await request(h.app.getHttpServer()).get(`/api/exports/${kind}.xlsx`).expect(401);
      expect(res.body.statusCode).toBe(401);
    }
    const res = await as(h.app, people.countyAdmin).get('/api/exports/ledger.xlsx?batchYear=3000').expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});
