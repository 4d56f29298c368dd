import { Workbook } from 'exceljs';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { main as adminCli } from '../../apps/api/src/admin/admin-cli';
import { eventually, startHarness, testConfig, type Harness } from '../support/harness';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { ROOT, ensureWebBuilt, expectText, launchChromium, requireChromium, signIn, PHONE, DESK } from './browser';

jest.setTimeout(420_000);

const postgres: {
  ensureDatabase(adminUrl: string, name: string): Promise<void>;
  dropDatabase(adminUrl: string, name: string): Promise<void>;
  withDatabase(url: string, name: string): string;
} = require('../../scripts/lib/postgres');

/** A made-up county's 12-digit statistical code (99…: no real division uses it). */
const COUNTY_CODE = '990301000000';
const TOWNSHIPS = [
  { code: '990301001000', name: '青石镇', villages: ['青石村', '下河村', '石桥村'] },
  { code: '990301002000', name: '柳林镇', villages: ['柳林村', '东坡村', '西坡村'] },
];
const villageCode = (t: number, v: number) => `${TOWNSHIPS[t].code.slice(0, 9)}${String(v + 1).padStart(3, '0')}`;

/**
 * Runs the documented first step as a user would: the compiled command (`node dist/apps/api/src/admin/
 * admin-cli.js create-county …`, after `npm run build`) with DATABASE_URL, or, when dist is not built,
 * the same function in this process. Answers what it printed.
 */
async function createCounty(databaseUrl: string, args: string[]): Promise<string> {
  const compiled = join(ROOT, 'dist', 'apps', 'api', 'src', 'admin', 'admin-cli.js');
  if (existsSync(compiled)) {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [compiled, 'create-county', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl }, cwd: ROOT });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`create-county exited ${code}: ${err}`))));
    });
  }
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const before = process.env.DATABASE_URL;
  process.env.DATABASE_URL = databaseUrl;
  try {
    const status = await adminCli(['create-county', ...args]);
    if (status !== 0) throw new Error(`create-county answered ${status}`);
    return lines.join('\n');
  } finally {
    process.env.DATABASE_URL = before;
    log.mockRestore();
  }
}

/** The one-time password the command prints on the line after its heading. */
function oneTimePasswordOf(output: string): string {
  const lines = output.split('\n');
  const at = lines.findIndex((l) => l.includes('一次性密码'));
  const password = lines[at + 1]?.trim();
  if (!password) throw new Error(`no one-time password in:\n${output}`);
  return password;
}

const csv = (rows: string[][]) => Buffer.from(`\ufeff${rows.map((r) => r.join(',')).join('\n')}\n`, 'utf8');

/** 50 people: a secretary for each township, two contact leaders, a 科级 team leader and members in every village. */
function peopleRows(): string[][] {
  const rows: string[][] = [];
  TOWNSHIPS.forEach((t, ti) => rows.push([`${t.name}书记`, `sj_${ti + 1}`, `1390000${String(ti).padStart(4, '0')}`, '乡镇党委书记', t.code, `${t.name}党委书记`, '科级']));
  rows.push(['王县长', 'ld_1', '13911110001', '县级领导', COUNTY_CODE, '副县长', '县处级']);
  rows.push(['赵部长', 'ld_2', '13911110002', '县级领导', COUNTY_CODE, '县委常委', '县处级']);
  let n = 0;
  while (rows.length < 50) {
    const t = n % 2;
    const v = Math.floor(n / 2) % 3;
    const leader = n < 6;
    rows.push([`队员${n + 1}`, `dy_${n + 1}`, '', leader ? '整建队伍队长' : '整建队伍队员', villageCode(t, v), leader ? '驻村第一书记' : '队员', leader ? '科级' : '科级以下']);
    n++;
  }
  return rows;
}

async function peopleWorkbook(): Promise<Buffer> {
  const book = new Workbook();
  const sheet = book.addWorksheet('人员');
  sheet.addRow(['姓名', '用户名', '手机号', '角色', '所在区划代码', '职务', '职级']);
  for (const r of peopleRows()) sheet.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * Issue 14's browser test: a real county sets itself up from an empty database, with no demo data and no
 * SQL — the documented command, the first sign-in with its one-time password (made to change it), the
 * division list and 50 people from files, organizations, a policy, a year's holiday schedule, a webhook
 * channel with a test message to a receiver of this test, a designated case, and a township secretary at a
 * phone's size who sees the case's task.
 */
describe('a real county sets itself up in the browser', () => {
  const adminUrl = process.env.DATABASE_URL as string;
  const databaseName = `rectification_county_e2e_${Date.now()}_${process.pid}`;
  const databaseUrl = postgres.withDatabase(adminUrl, databaseName);
  let h: Harness | undefined;
  let base: string;
  let receiver: WebhookReceiver;
  const browsers: { close(): Promise<void> }[] = [];

  const open = async (viewport: { width: number; height: number }): Promise<Page> => {
    const browser: { context: BrowserContext; close(): Promise<void> } = await launchChromium({ viewport });
    browsers.push(browser);
    return browser.context.newPage();
  };
  /** The token the page holds, for the one step the web has no page for (designation) and for checks. */
  const tokenOf = async (page: Page) => (await page.evaluate<string | null>(`sessionStorage.getItem('rectification.token') ?? localStorage.getItem('rectification.token')`))!;
  const api = (token: string) => ({
    get: (path: string) => request(h!.app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: object) => request(h!.app.getHttpServer()).post(path).set('Authorization', `Bearer ${token}`).send(body),
  });
  /** Picks a file in the open import dialog and imports it. */
  const importFile = async (page: Page, name: string, buffer: Buffer, mimeType: string) => {
    const dialog = page.locator('[data-testid=import-dialog]');
    await dialog.waitFor();
    await dialog.locator('[data-testid=import-file]').setInputFiles({ name, mimeType, buffer });
    await dialog.locator('[data-testid=import-submit]').click();
  };
  const closeImport = async (page: Page) => {
    await page.locator('[data-testid=import-dialog] .el-dialog__footer button', { hasText: '完成' }).click();
    await page.locator('[data-testid=import-dialog]').waitFor({ state: 'hidden' });
  };
  /** A new password has to be chosen: the page asks for it and lets nothing else through until it is. */
  const changeOneTimePassword = async (page: Page, oneTime: string, next: string) => {
    await page.waitForURL(/\/password/);
    await page.waitForSelector('[data-testid=password-forced]');
    await page.fill('[data-testid=password-current]', oneTime);
    await page.fill('[data-testid=password-new]', next);
    await page.fill('[data-testid=password-again]', next);
    await page.click('[data-testid=password-submit]');
    await page.waitForURL((url) => !url.pathname.startsWith('/password'));
  };

  beforeAll(async () => {
    requireChromium();
    ensureWebBuilt();
    await postgres.ensureDatabase(adminUrl, databaseName);
    receiver = await startWebhookReceiver();
  });

  afterAll(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    await receiver?.close();
    await h?.close();
    await postgres.dropDatabase(adminUrl, databaseName);
  });

  it('from the command to a township secretary seeing the case’s task on the phone', async () => {
    // 1. The documented command on the empty database: the county and its first admin, a one-time password printed once.
    const printed = await createCounty(databaseUrl, ['--name', '青峰县', '--code', COUNTY_CODE, '--admin-username', 'zzb_qf', '--admin-name', '李组织']);
    expect(printed).toContain('已创建县（区）：青峰县');
    const adminOneTime = oneTimePasswordOf(printed);

    // The API on a real port over that database, no demo seeded.
    h = await startHarness(testConfig({ DATABASE_URL: databaseUrl }));
    await h.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(h.app.getHttpServer().address() as AddressInfo).port}`;

    // 2. First sign-in: the one-time password leads to 修改密码 and nowhere else.
    const page = await open(DESK);
    await signIn(page, base, 'zzb_qf', adminOneTime);
    expect(new URL(page.url()).pathname).toBe('/password');
    await page.goto(`${base}/admin/regions`);
    await page.waitForURL(/\/password/);
    const adminPassword = 'Qingfeng-2026-zzb';
    await changeOneTimePassword(page, adminOneTime, adminPassword);
    const adminToken = await tokenOf(page);
    // The one-time password no longer signs in; the new one does (the page holds its token).
    expect((await api(adminToken).get('/api/auth/me')).status).toBe(200);

    // The calendar banner (no holiday data at all in this database) on every page, and the 管理 entry.
    await expectText(page, 'calendar-banner', '工作日历缺少', 'contains');
    await page.click('[data-testid=nav-admin]');
    await page.waitForURL(/\/admin$/);
    await page.click('[data-testid=admin-regions]');
    await page.waitForURL(/\/admin\/regions/);
    await page.waitForSelector('[data-testid=region-empty]');

    // 3. The division list: a file with a bad row is refused whole, naming the line and the reason.
    const regionRows = TOWNSHIPS.flatMap((t, ti) => [[t.code, t.name, '乡镇'], ...t.villages.map((v, vi) => [villageCode(ti, vi), v, '村'])]);
    await page.click('[data-testid=region-import]');
    await importFile(page, '区划.csv', csv([['统计用区划代码', '名称', '级别'], ...regionRows, ['99030100300', '短码村', '村']]), 'text/csv');
    await expectText(page, 'import-error', '未导入任何数据', 'contains');
    const problemRow = page.locator('[data-testid=import-problems] tbody tr').first();
    await problemRow.waitFor();
    expect(await problemRow.textContent()).toContain(String(regionRows.length + 2));
    await importFile(page, '区划.csv', csv([['统计用区划代码', '名称', '级别'], ...regionRows]), 'text/csv');
    await expectText(page, 'region-import-summary', `新增 ${regionRows.length} 个`, 'contains');
    await closeImport(page);
    await expectText(page, 'region-township-count', '2');
    await expectText(page, 'region-village-count', '6');
    await page.fill('[data-testid=region-search]', '东坡');
    await expectText(page, 'region-table', '东坡村', 'contains');

    // 4. 50 people from an .xlsx; their one-time passwords are shown once, in the import's answer.
    await page.goto(`${base}/admin/people`);
    await page.click('[data-testid=people-import]');
    await importFile(page, '人员.xlsx', await peopleWorkbook(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await expectText(page, 'people-import-summary', '导入 50 人', 'contains');
    const secretaryRow = page.locator('[data-testid=people-import-created] tbody tr', { hasText: 'sj_2' });
    const secretaryOneTime = ((await secretaryRow.locator('td').nth(3).textContent()) ?? '').trim();
    expect(secretaryOneTime.length).toBeGreaterThanOrEqual(10);
    await closeImport(page);
    await expectText(page, 'people-total', '51');
    await page.fill('[data-testid=people-search]', 'sj_2');
    await expectText(page, 'people-table', '柳林镇书记', 'contains');

    // 5. Organizations registered from a file, one for each village.
    await page.goto(`${base}/admin/organizations`);
    await page.waitForSelector('[data-testid=org-empty]');
    const orgRows = TOWNSHIPS.flatMap((t, ti) => t.villages.map((v, vi) => [`QF-${ti + 1}${vi + 1}`, `中共${v}支部委员会`, '农村', villageCode(ti, vi), '']));
    await page.click('[data-testid=org-import]');
    await importFile(page, '党组织.csv', csv([['编码', '名称', '类型', '所在村（社区）或乡镇编码', '书记'], ...orgRows]), 'text/csv');
    await expectText(page, 'org-import-summary', '导入 6 个', 'contains');
    await closeImport(page);
    await expectText(page, 'org-total', '6');

    // 6. A policy published: the page shows what changed against the version before.
    await page.goto(`${base}/admin/policy`);
    await expectText(page, 'policy-version', '版本 0', 'contains');
    await page.click('[data-testid=policy-edit]');
    const teamSize = page.locator('[data-testid=policy-field-teamMinSize] input');
    await teamSize.fill('4');
    await teamSize.blur();
    await page.fill('[data-testid=policy-note]', '整建队伍不少于4人');
    await page.click('[data-testid=policy-publish]');
    await expectText(page, 'policy-diff', '整建队伍最少人数', 'contains');
    await expectText(page, 'policy-diff', '已发布第 1 版', 'contains');

    // 7. The holiday schedule of every year the banner names, imported from a file; then the banner goes.
    const missing = (await api(adminToken).get('/api/calendar/status').expect(200)).body.missingYears as number[];
    expect(missing.length).toBeGreaterThan(0);
    await page.goto(`${base}/admin/calendar`);
    const banner = page.locator('[data-testid=calendar-banner]');
    await banner.waitFor();
    for (const year of missing) {
      await page.click('[data-testid=calendar-import]');
      await page.locator('[data-testid=calendar-import-year] label', { hasText: String(year) }).click();
      const schedule = csv([
        ['日期', '类型', '名称'],
        [`${year}-01-01`, '休', '元旦'],
        [`${year}-10-01`, '休', '国庆节'],
        [`${year}-10-11`, '班', '国庆节调休上班'],
      ]);
      await importFile(page, `${year}节假日.csv`, schedule, 'text/csv');
      await expectText(page, 'calendar-import-summary', `已导入 ${year} 年：休息日 2 天、调休上班 1 天`, 'contains');
      await closeImport(page);
    }
    // Gone from the page once the last year is in; and on a fresh load, once the status it comes from
    // has answered (the year's summary is another request and may be shown first).
    await banner.waitFor({ state: 'detached' });
    const status = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/calendar/status');
    await page.goto(`${base}/admin/calendar`);
    await page.waitForSelector('[data-testid=calendar-summary]');
    expect(await (await status).json()).toMatchObject({ missingYears: [], banner: null });
    expect(await banner.count()).toBe(0);

    // 8. A webhook channel for 柳林镇 and a test message to this test's receiver, with its result on the page.
    await page.goto(`${base}/admin/channels`);
    await page.locator('[data-testid=channel-township]').click();
    await page.locator('.el-select-dropdown__item', { hasText: '柳林镇' }).click();
    await page.waitForSelector('[data-testid=channel-empty]');
    await page.click('[data-testid=channel-create]');
    await page.click('[data-testid=channel-kind-webhook]');
    await page.fill('[data-testid=channel-name]', '柳林镇整顿工作群');
    await page.fill('[data-testid=channel-url]', `${receiver.baseUrl}/webhook/liulin`);
    await page.click('[data-testid=channel-save]');
    await page.locator('[data-testid="channel-柳林镇整顿工作群"]').waitFor();
    await page.click('[data-testid=channel-test]');
    await expectText(page, 'channel-test-result', '测试消息已送达', 'contains');
    expect(receiver.accepted('webhook', 'liulin')).toHaveLength(1);
    expect(JSON.stringify(receiver.accepted('webhook', 'liulin')[0].body)).toContain('测试消息');

    // 9. A case designated in 柳林镇 (the web has no designation page yet: the admin's own session through the API).
    const townshipId = ((await api(adminToken).get('/api/regions').expect(200)).body.root.children as { id: string; name: string }[]).find((t) => t.name === '柳林镇')!.id;
    const org = ((await api(adminToken).get(`/api/organizations?townshipId=${townshipId}&q=东坡`).expect(200)).body.items as { id: string; name: string }[])[0];
    const batchYear = Number((await api(adminToken).get('/api/calendar/status').expect(200)).body.today.slice(0, 4));
    const designated = await api(adminToken).post('/api/cases', { organizationId: org.id, batchYear, reasons: ['C4'], note: '组织生活长期不正常，三会一课无记录，经县委组织部研判认定' });
    expect(designated.status).toBe(201);
    const caseId = designated.body.id as string;

    // 10. The township secretary at a phone's size: one-time password, a new one, then the case's task.
    const phone = await open(PHONE);
    await signIn(phone, base, 'sj_2', secretaryOneTime);
    await changeOneTimePassword(phone, secretaryOneTime, 'Liulin-secretary-2026');
    await phone.waitForURL(/\/tasks/);
    await phone.waitForSelector('[data-testid=tabbar]');
    // The task list is a read model the case workflow fills: the page is opened again until it shows it.
    await eventually(
      async () => {
        if ((await phone.locator('[data-testid=task-table] .task-card', { hasText: org.name }).count()) > 0) return true;
        await phone.reload();
        await phone.waitForSelector('[data-testid=tabbar]');
        return undefined;
      },
      30_000,
      `the secretary's task of case ${caseId}`,
    );
    expect(await phone.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  });
});
