import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Download, Page } from 'playwright-core';
import { fromBufferPromise } from 'yauzl';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-county';
import { as } from '../support/auth';
import { eventually } from '../support/harness';
import { expectText, launchChromium, signIn, PHONE, DESK } from './browser';
import { startDemoSite, type DemoSite } from './demo-site';

jest.setTimeout(240_000);


/** The text of a downloaded .docx as Word shows it (word/document.xml's runs joined). */
async function docxText(download: Download, dir: string): Promise<string> {
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  const zip = await fromBufferPromise(readFileSync(file), { lazyEntries: true });
  let xml = '';
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName !== 'word/document.xml') continue;
    const chunks: Buffer[] = [];
    for await (const c of await zip.openReadStreamPromise(entry)) chunks.push(c as Buffer);
    xml = Buffer.concat(chunks).toString('utf8');
  }
  zip.close();
  return [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

/**
 * The county's documents and the township's record in a real browser (issue 18 items 4 and 5), on the
 * demo county, whose escalations stand on every rung: the county organization department keeps its
 * letterhead, downloads a 督办单 from the 督办台账 (desk) and a 约谈通知书 from a phone card, and the
 * township record page reads on a phone, ranking by results and saying it never counts logins or clicks.
 */
describe('county documents and the township record in the browser', () => {
  let site: DemoSite;
  let dir: string;
  const browsers: { context: BrowserContext; close(): Promise<void> }[] = [];

  const open = async (viewport: { width: number; height: number }, username: string): Promise<Page> => {
    const browser = await launchChromium({ viewport });
    browsers.push(browser);
    const page = await browser.context.newPage();
    await signIn(page, site.base, username, DEMO_PASSWORD);
    return page;
  };

  beforeAll(async () => {
    site = await startDemoSite('rectification_documents_e2e');
    dir = mkdtempSync(join(tmpdir(), 'documents-e2e-'));
  });
  afterAll(async () => {
    for (const b of browsers) await b.close();
    await site?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('on a desk: the letterhead saved in 管理 prints on the 督办单 downloaded from the 督办台账', async () => {
    const page = await open(DESK, 'zzb_admin');
    await page.goto(`${site.base}/admin`);
    await page.click('[data-testid=admin-letterhead]');
    await page.waitForURL(/\/admin\/letterhead$/);
    // The form fills in the saved (or default) letterhead when it loads: type only after that, or the load overwrites it.
    await eventually(async () => ((await page.inputValue('[data-testid=letterhead-issuing-body]')) !== '' ? true : undefined), 15000, 'the letterhead form loaded');
    await page.fill('[data-testid=letterhead-issuing-body]', '中共演示县委组织部');
    await page.fill('[data-testid=letterhead-prefix]', '演组督');
    await page.fill('[data-testid=letterhead-contact]', '王干事');
    await page.click('[data-testid=letterhead-save]');
    await eventually(async () => ((await as(site.h.app, site.users.zzb_admin).get('/api/documents/letterhead').expect(200)).body.numberPrefix === '演组督' ? true : undefined), 15000, 'the letterhead saved');

    await page.goto(`${site.base}/escalations?rung=supervision`);
    const button = page.locator('[data-testid^="doc-supervision_order-"]').first();
    await button.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^督办单-.+演组督〔\d{4}〕1号\.docx$/);
    const text = await docxText(download, dir);
    expect(text).toContain('中共演示县委组织部');
    expect(text).toContain('督　办　单');
    expect(text).toContain('联系人：王干事');
    await page.screenshot({ path: join(dir, 'escalations-1440x900.png') });
  });

  it('on a phone: a 约谈 card offers its 约谈通知书, and the township record shows cards and the league by results', async () => {
    const page = await open(PHONE, 'zzb_admin');
    await page.goto(`${site.base}/escalations?rung=interview`);
    const button = page.locator('[data-testid^="doc-interview_notice-"]').first();
    await button.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^约谈通知书-.+\.docx$/);
    expect(await docxText(download, dir)).toContain('约 谈 通 知 书');

    await page.goto(`${site.base}/`);
    await page.click('[data-testid=link-township-records]');
    await page.waitForURL(/\/township-records$/);
    await page.locator('[data-testid=records-list] .card').first().waitFor();
    await expectText(page, 'league-order', '不按登录、点击', 'contains');
    // Nothing sticks out of the phone's width.
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  });

  it('a township secretary sees the league once the county publishes it, with the published columns only', async () => {
    const page = await open(PHONE, 'hefeng_shuji');
    await page.goto(`${site.base}/township-records`);
    await page.locator('[data-testid=league-empty]').waitFor();
    const year = Number(new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4));
    await as(site.h.app, site.users.zzb_admin).put('/api/township-records/league/publication').send({ year, published: true, columns: ['onTimeRate'] }).expect(200);
    await page.reload();
    await expectText(page, 'league', '按期转化率', 'contains');
    const league = (await page.locator('[data-testid=league]').textContent()) ?? '';
    expect(league).not.toContain('被督办问责次数：');
  });
});
