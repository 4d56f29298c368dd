import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { DEMO_BATCH_YEAR, DEMO_DESIGNATIONS, DEMO_PASSWORD } from '../../apps/api/src/demo/demo-county';
import { CASE_STAGE_LABELS, caseIdFor, type CaseState } from '../../libs/domain';
import { OrganizationEntity } from '../../libs/persistence';
import { as, type TestUser } from '../support/auth';
import { eventually, type Harness } from '../support/harness';
import { HTTP_TEAM, todayInShanghai } from '../support/http-playbook';
import { expectText, launchChromium, signIn } from './browser';
import { startDemoSite, type DemoSite } from './demo-site';

jest.setTimeout(240_000);

interface OverviewBody {
  total: number;
  converted: number;
  outlook: { expectedByYearEnd: number };
  openEscalations: Record<'supervision' | 'public_notice' | 'interview', number>;
  removed: { count: number };
  scope: { name: string; level: string };
  townships: { townshipId: string; name: string; cases: number; converted: number; matrix: { caseId: string; organizationName: string; tracks: Record<string, string> }[] }[];
}

/**
 * The county dashboard in a real browser: the API serving the built app on a real port, over the
 * run's PostgreSQL (a database of this file's own, so the demo county is loaded here alone) and
 * Temporal dev server, with Debian's chromium driven by playwright-core.
 */
describe('the county dashboard in the browser', () => {
  let h: Harness;
  let base: string;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let site: DemoSite;
  const users: Record<string, TestUser> = {};
  let shiqiaoCaseId: string;
  const year = DEMO_BATCH_YEAR;

  const overviewAs = async (username: string, townshipId?: string): Promise<OverviewBody> =>
    (await as(h.app, users[username]).get(`/api/dashboard/overview?batchYear=${year}${townshipId ? `&townshipId=${townshipId}` : ''}`).expect(200)).body;
  const caseAs = async (username: string, caseId = shiqiaoCaseId): Promise<CaseState> =>
    (await as(h.app, users[username]).get(`/api/cases/${caseId}`).expect(200)).body.live;
  /** The 石桥村 case with its contact leader and team in place (rectifying), whichever test runs first. */
  const ensureShiqiaoRectifying = async (): Promise<void> => {
    const live = await caseAs('zzb_admin');
    if (!live.contactLeader) await as(h.app, users.zzb_admin).post(`/api/cases/${shiqiaoCaseId}/contact-leader`).send({ leaderUserId: users.xj_lingdao.id }).expect(200);
    if (!live.team) await as(h.app, users.hefeng_shuji).post(`/api/cases/${shiqiaoCaseId}/team`).send({ arrivedOn: todayInShanghai(), members: HTTP_TEAM }).expect(201);
  };
  const newPage = async (username: string): Promise<Page> => {
    const page = await browser.context.newPage();
    await signIn(page, base, username, DEMO_PASSWORD);
    return page;
  };

  beforeAll(async () => {
    site = await startDemoSite('rectification_e2e');
    ({ h, base } = site);
    Object.assign(users, site.users);
    const org = await h.dataSource.getRepository(OrganizationEntity).findOneByOrFail({ code: 'ORG-990101001004' });
    shiqiaoCaseId = caseIdFor(org.id, year);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('serves the app at / and its routes, without shadowing /api or /api/docs', async () => {
    const server = h.app.getHttpServer();
    for (const path of ['/', '/tasks', `/cases/${shiqiaoCaseId}`]) {
      const res = await request(server).get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('<div id="app">');
    }
    const missingApi = await request(server).get('/api/no-such-endpoint').expect(404);
    expect(missingApi.body).toMatchObject({ statusCode: 404, code: expect.any(String) });
    expect((await request(server).get('/api/docs-json').expect(200)).body.info.title).toContain('整顿');
    expect((await request(server).get('/api/docs').redirects(1).expect(200)).text).toMatch(/swagger/i);
    await request(server).get('/api/health').expect((res) => expect([200, 503]).toContain(res.status));
    await request(server).get('/assets/no-such-bundle.js').expect(404);
    await request(server).post('/tasks').expect(404);
  });

  it('sends a visitor without a session to the login page and refuses a wrong password in Chinese', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/tasks`);
    await page.waitForURL(/\/login\?redirect=/);
    await page.fill('[data-testid=login-username]', 'zzb_admin');
    await page.fill('[data-testid=login-password]', 'wrong-password');
    await page.click('[data-testid=login-submit]');
    await expectText(page, 'login-error', '用户名或密码错误', 'contains');
    // The right password goes on to where the visitor wanted to be.
    await page.fill('[data-testid=login-password]', DEMO_PASSWORD);
    await page.click('[data-testid=login-submit]');
    // The login page's own URL carries ?redirect=/tasks: wait for the path itself.
    await page.waitForURL((url) => url.pathname === '/tasks');
    expect(await page.evaluate<string | null>("sessionStorage.getItem('rectification.token')")).toBeTruthy();
    await page.close();
  });

  it('shows the county admin the figures the API answers: total, converted, forecast, per township', async () => {
    const api = await overviewAs('zzb_admin');
    // The demo is in mid-course: one case off the list (not counted), one converted, escalations on every rung.
    expect(api.total).toBe(DEMO_DESIGNATIONS.length - 1);
    expect(api.removed.count).toBe(1);
    expect(api.converted).toBeGreaterThanOrEqual(2);
    expect(api.openEscalations).toMatchObject({ supervision: expect.any(Number), public_notice: expect.any(Number), interview: expect.any(Number) });
    for (const rung of ['supervision', 'public_notice', 'interview'] as const) expect(api.openEscalations[rung]).toBeGreaterThan(0);
    const page = await newPage('zzb_admin');
    await page.goto(`${base}/?year=${year}`);
    await page.waitForSelector('[data-testid=stat-total]');
    await expectText(page, 'page-title', '青禾县', 'contains');
    await expectText(page, 'stat-total', String(api.total));
    await expectText(page, 'stat-converted', String(api.converted));
    await expectText(page, 'stat-expected', String(api.outlook.expectedByYearEnd));
    expect(api.townships.length).toBe(6);
    for (const t of api.townships) {
      await expectText(page, `township-cases-${t.name}`, String(t.cases));
      await expectText(page, `township-converted-${t.name}`, String(t.converted));
      for (const m of t.matrix) await expect(page.locator(`[data-testid="case-link-${m.organizationName}"]`).count()).resolves.toBe(1);
    }
    // The charts are drawn (SVG), with the stage names as their labels.
    await page.waitForSelector('[data-testid=chart-stages] svg');
    expect(await page.locator('[data-testid=chart-stages] svg').textContent()).toContain('整顿中');
    await page.close();
  });

  it('drills down from the county to a township to a case', async () => {
    const page = await newPage('zzb_admin');
    await page.goto(`${base}/?year=${year}`);
    await page.click('[data-testid="township-link-禾丰镇"]');
    await page.waitForURL(/\/townships\/[0-9a-f-]{36}/);
    await page.waitForSelector('[data-testid="township-cases-禾丰镇"]');
    await expectText(page, 'page-title', '禾丰镇', 'contains');
    const townshipId = new URL(page.url()).pathname.split('/').pop()!;
    const api = await overviewAs('zzb_admin', townshipId);
    expect(api.scope.name).toBe('禾丰镇');
    await expectText(page, 'stat-total', String(api.total));
    await expectText(page, 'township-cases-禾丰镇', String(api.townships[0].cases));
    // No other township on the drill-down.
    await expect(page.locator('[data-testid="township-cases-青石镇"]').count()).resolves.toBe(0);

    // 东岭村: a case no other test changes (rectifying, a measure overdue), its stage as the API has it.
    const org = await h.dataSource.getRepository(OrganizationEntity).findOneByOrFail({ code: 'ORG-990101001007' });
    const caseId = caseIdFor(org.id, year);
    const stage = (await caseAs('zzb_admin', caseId)).stage;
    await page.click('[data-testid="case-link-禾丰镇东岭村党支部"]');
    await page.waitForURL(new RegExp(`/cases/${caseId}$`));
    await expectText(page, 'case-title', '禾丰镇东岭村党支部');
    await expectText(page, 'case-stage', CASE_STAGE_LABELS[stage]);
    await expectText(page, 'stage-timeline', '已认定', 'contains');
    await page.close();
  });

  it('shows a township party secretary their own township only', async () => {
    const api = await overviewAs('hefeng_shuji');
    expect(api.scope).toMatchObject({ level: 'township', name: '禾丰镇' });
    const page = await newPage('hefeng_shuji');
    await page.goto(`${base}/?year=${year}`);
    await page.waitForSelector('[data-testid=stat-total]');
    await expectText(page, 'page-title', '禾丰镇', 'contains');
    await expectText(page, 'stat-total', String(api.total));
    await expectText(page, 'township-cases-禾丰镇', String(api.townships.find((t) => t.name === '禾丰镇')!.cases));
    for (const other of ['青石镇', '柳溪乡', '云桥镇', '东湖街道', '白沙乡']) await expect(page.locator(`[data-testid="township-cases-${other}"]`).count()).resolves.toBe(0);
    // Another township's case is not found for them, on the page as in the API.
    const other = (await overviewAs('zzb_admin')).townships.find((t) => t.name === '青石镇')!.matrix[0].caseId;
    await page.goto(`${base}/cases/${other}`);
    await expect(page.locator('[data-testid=case-error]').textContent()).resolves.toMatch(/不存在|无权/);
    await page.close();
  });

  it('lets the team leader and the township secretary do their tasks from 我的待办, and the case changes', async () => {
    // The county names the contact leader, the township appoints the team: the case is rectifying.
    await ensureShiqiaoRectifying();

    // The team leader finds the task to build the problem list and does it from the list.
    const leader = await newPage('shiqiao_duizhang');
    await leader.goto(`${base}/tasks`);
    await leader.waitForSelector('[data-testid=task-record_problems]');
    await leader.click('[data-testid=do-record_problems]');
    await leader.waitForURL(/\/cases\/.+action=addProblem/);
    await leader.fill('[data-testid=field-description]', '三会一课长期不正常，支部委员会会议无记录');
    await leader.fill('[data-testid=field-rootCause]', '书记缺位，无人组织');
    await leader.fill('[data-testid=field-evidence]', '会议记录本空白');
    await leader.click('[data-testid=action-submit]');
    await leader.waitForSelector('text=三会一课长期不正常，支部委员会会议无记录');
    const afterProblem = await caseAs('shiqiao_duizhang');
    expect(afterProblem.problems.map((p) => p.description)).toEqual(['三会一课长期不正常，支部委员会会议无记录']);
    await expectText(leader, 'case-stage', '整顿中');
    await leader.close();

    // The township secretary claims the confirmation, then confirms the list from the task.
    const secretary = await newPage('hefeng_shuji');
    await secretary.goto(`${base}/tasks`);
    await secretary.waitForSelector('[data-testid=task-confirm_problem_list]');
    await secretary.click('[data-testid=claim-confirm_problem_list]');
    await expectText(secretary, 'claimed-confirm_problem_list', '王禾丰', 'contains');
    await secretary.click('[data-testid=do-confirm_problem_list]');
    await secretary.waitForURL(/action=confirmProblemList/);
    await secretary.click('[data-testid=action-submit]');
    await secretary.waitForSelector('[data-testid=problem-list-status]:has-text("问题清单已确认")');
    expect((await caseAs('hefeng_shuji')).problemListConfirmedAt).toBeTruthy();
    // Done tasks leave the open list.
    await secretary.goto(`${base}/tasks`);
    await secretary.waitForSelector('[data-testid=task-table]');
    await eventually(async () => ((await secretary.locator('[data-testid=task-confirm_problem_list]').count()) === 0 ? true : undefined), 10_000, 'confirmed task to leave the list');
    await secretary.close();
  });

  it('lets the county organization department choose a contact leader for a case from the page', async () => {
    const org = await h.dataSource.getRepository(OrganizationEntity).findOneByOrFail({ code: 'ORG-990101002006' });
    const caseId = caseIdFor(org.id, year);
    const page = await newPage('zzb_admin');
    await page.goto(`${base}/cases/${caseId}`);
    await page.click('[data-testid=action-assignContactLeader]');
    await page.click('[data-testid=field-leaderUserId]');
    await page.click('.el-select-dropdown__item >> text=孙部长');
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=track-leader] >> text=孙部长');
    await page.close();
    const view = await as(h.app, users.zzb_admin).get(`/api/cases/${caseId}`).expect(200);
    expect(view.body.live.contactLeader).toMatchObject({ name: '孙部长', isCountyPartySecretary: false });
  });

  it('records the contact leader’s visit on the case page, and the county matrix turns green', async () => {
    await ensureShiqiaoRectifying();
    const before = (await overviewAs('zzb_admin')).townships.flatMap((t) => t.matrix).find((m) => m.caseId === shiqiaoCaseId)!;
    expect(before.tracks.leader).not.toBe('done');
    const page = await newPage('xj_lingdao');
    await page.goto(`${base}/cases/${shiqiaoCaseId}`);
    await page.click('[data-testid=action-recordGuidanceVisit]');
    await page.fill('[data-testid=field-summary]', '听取工作队汇报，走访党员群众');
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=track-leader] >> text=听取工作队汇报，走访党员群众');
    await page.close();

    const after = (await overviewAs('zzb_admin')).townships.flatMap((t) => t.matrix).find((m) => m.caseId === shiqiaoCaseId)!;
    expect(after.tracks.leader).toBe('done');
    const admin = await newPage('zzb_admin');
    await admin.goto(`${base}/?year=${year}`);
    await admin.waitForSelector('[data-testid="case-link-禾丰镇石桥村党支部"]');
    const row = admin.locator('tr', { has: admin.locator('[data-testid="case-link-禾丰镇石桥村党支部"]') });
    // The first track cell of the row is 一把手分包.
    await expect(row.locator('.track-cell').first().getAttribute('data-status')).resolves.toBe('done');
    await admin.close();
  });

  it('lets the township secretary rotate a team member from the case page', async () => {
    await ensureShiqiaoRectifying();
    const before = (await as(h.app, users.hefeng_shuji).get(`/api/cases/${shiqiaoCaseId}`).expect(200)).body.live;
    const leaving = before.team.members.find((m: { isLeader: boolean }) => !m.isLeader);
    const page = await newPage('hefeng_shuji');
    await page.goto(`${base}/cases/${shiqiaoCaseId}`);
    await page.click('[data-testid=action-changeTeam]');
    await page.click('[data-testid=field-removeIds]');
    await page.click(`.el-select-dropdown__item >> text=${leaving.name}`);
    await page.keyboard.press('Escape');
    await page.click('[data-testid=action-dialog] >> text=添加成员');
    await page.fill('[data-testid=member-name-0]', '孙新');
    await page.fill('[data-testid=member-unit-0]', '禾丰镇党建办');
    await page.fill('[data-testid=field-reason]', '人员轮换');
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=track-team] >> text=孙新');
    await page.close();
    const after = (await as(h.app, users.hefeng_shuji).get(`/api/cases/${shiqiaoCaseId}`).expect(200)).body.live;
    const names = after.team.members.map((m: { name: string }) => m.name);
    expect(names).toContain('孙新');
    expect(names).not.toContain(leaving.name);
    expect(names).toHaveLength(before.team.members.length);
  });

  it('shows the Chinese message of a rule that refuses an action', async () => {
    await ensureShiqiaoRectifying();
    const page = await newPage('zzb_admin');
    await page.goto(`${base}/cases/${shiqiaoCaseId}`);
    await page.click('[data-testid=action-acceptCase]');
    const answer = page.waitForResponse((r) => r.url().endsWith('/acceptance') && r.request().method() === 'POST');
    await page.click('[data-testid=action-submit]');
    const refusal = await (await answer).json();
    expect(refusal).toMatchObject({ statusCode: 409, code: 'ACCEPTANCE_CONDITIONS_UNMET' });
    const alert = page.locator('[data-testid=action-error]');
    await alert.waitFor();
    expect(await alert.getAttribute('data-code')).toBe('ACCEPTANCE_CONDITIONS_UNMET');
    expect((await alert.textContent())?.trim()).toBe(refusal.message);
    expect(refusal.message).toMatch(/验收/);
    // Nothing changed.
    expect((await caseAs('zzb_admin')).stage).toBe('rectifying');
    await page.close();
  });

  it('prints the case page without navigation or actions', async () => {
    const page = await newPage('hefeng_shuji');
    await page.goto(`${base}/cases/${shiqiaoCaseId}`);
    await page.waitForSelector('[data-testid=case-actions]');
    expect(await page.locator('.layout-header').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.layout-header').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=case-actions]').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=print]').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=case-title]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid=battle-map]').isVisible()).toBe(true);
    await page.close();
  });

  it('downloads the ledger as Excel with Chinese headers and a row per case', async () => {
    const page = await newPage('zzb_admin');
    await page.goto(`${base}/?year=${year}`);
    await page.waitForSelector('[data-testid=export-ledger]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-ledger]')]);
    expect(download.suggestedFilename()).toMatch(/台账.*\.xlsx$/);
    const dir = mkdtempSync(join(tmpdir(), 'rectification-export-'));
    try {
      const file = join(dir, 'ledger.xlsx');
      await download.saveAs(file);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      const ws = wb.worksheets[0];
      const headers = (ws.getRow(1).values as unknown[]).filter((v) => typeof v === 'string');
      expect(headers).toEqual(expect.arrayContaining(['乡镇（街道）', '基层党组织']));
      const orgColumn = headers.indexOf('基层党组织') + 1;
      const names: string[] = [];
      ws.eachRow((row, n) => {
        if (n > 1) names.push(String(row.getCell(orgColumn).value));
      });
      // Every case of the batch, the one taken off the list included (its stage says so).
      const overview = await overviewAs('zzb_admin');
      expect(names).toHaveLength(overview.total + overview.removed.count);
      expect(names).toContain('禾丰镇石桥村党支部');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await page.close();
  });

  it('shows the county admin the batch page (整顿批次): the totals the API answers and every case, linked to its page', async () => {
    const api = (await as(h.app, users.zzb_admin).get(`/api/batches/${year}`).expect(200)).body as {
      totals: { cases: number; converted: number; wouldConvert: number; wouldNot: number };
      daysLeft: number;
      cases: { caseId: string; organizationName: string; stageLabel: string; outlook: { unmet: { code: string }[] } }[];
    };
    expect(api.totals.cases).toBe(DEMO_DESIGNATIONS.length - 1);
    expect(api.totals.converted).toBeGreaterThanOrEqual(2);
    const page = await newPage('zzb_admin');
    await page.goto(`${base}/batches/${year}`);
    await page.waitForSelector('[data-testid=stat-cases]');
    await expectText(page, 'page-title', `${year}年度整顿批次`, 'contains');
    expect(await page.locator('[data-testid=nav-batches]').getAttribute('class')).toContain('is-active');
    await expectText(page, 'stat-cases', String(api.totals.cases));
    await expectText(page, 'stat-converted', String(api.totals.converted));
    await expectText(page, 'stat-would-convert', String(api.totals.wouldConvert));
    await expectText(page, 'stat-would-not', String(api.totals.wouldNot));
    await expectText(page, 'stat-days-left', api.daysLeft >= 0 ? String(api.daysLeft) : `已过 ${-api.daysLeft}`);
    for (const c of api.cases) {
      await expectText(page, `batch-stage-${c.organizationName}`, c.stageLabel);
      const tags = page.locator(`[data-testid="batch-unmet-${c.organizationName}"] [data-code]`);
      expect(await tags.evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual(c.outlook.unmet.map((u) => u.code));
    }
    await page.waitForSelector('[data-testid=chart-stages] svg');
    await page.click('[data-testid="batch-case-禾丰镇石桥村党支部"]');
    await page.waitForURL(new RegExp(`/cases/${shiqiaoCaseId}$`));
    await expectText(page, 'case-title', '禾丰镇石桥村党支部');
    await page.close();
  });

  it('sends the user back to the login page when the API answers 401', async () => {
    const page = await newPage('zzb_admin');
    await page.evaluate("sessionStorage.setItem('rectification.token', 'not-a-valid-token')");
    await page.goto(`${base}/tasks`);
    await page.waitForURL(/\/login\?.*expired=1/);
    await expectText(page, 'login-error', '登录已失效', 'contains');
    expect(await page.evaluate<string | null>("sessionStorage.getItem('rectification.token')")).toBeNull();
    await page.close();
  });
});
