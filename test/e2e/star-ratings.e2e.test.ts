import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-county';
import type { StarRatingState } from '../../libs/domain';
import { as, type TestUser } from '../support/auth';
import type { Harness } from '../support/harness';
import { todayInShanghai } from '../support/http-playbook';
import { expectText, launchChromium, signIn } from './browser';
import { startDemoSite, type DemoSite } from './demo-site';

jest.setTimeout(240_000);

interface RatingListBody {
  total: number;
  items: { id: string; organizationName: string; townshipId: string; stage: string }[];
  summary: { byStage: Record<string, number> };
}

/**
 * The star rating page (星级评定) in a real browser: the API serving the built app over a database of
 * this file's own with the demo county, the Temporal dev server of the run, Debian's chromium.
 */
describe('the star rating page in the browser', () => {
  let h: Harness;
  let base: string;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let site: DemoSite;
  const users: Record<string, TestUser> = {};
  // The page opens on this year in Asia/Shanghai.
  const year = Number(todayInShanghai().slice(0, 4));

  const listAs = async (username: string, query = ''): Promise<RatingListBody> => (await as(h.app, users[username]).get(`/api/star-ratings?year=${year}${query}`).expect(200)).body;
  const newPage = async (username: string): Promise<Page> => {
    const page = await browser.context.newPage();
    await signIn(page, base, username, DEMO_PASSWORD);
    return page;
  };

  beforeAll(async () => {
    site = await startDemoSite('rectification_e2e_star');
    ({ h, base } = site);
    Object.assign(users, site.users);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('lets the county admin launch the year, then apply and evaluate one rating in the drawer until it is on public notice', async () => {
    const page = await newPage('zzb_admin');
    await page.click('[data-testid=nav-star-ratings]');
    // Without a year the page takes this year's, in the address too.
    await page.waitForURL((url) => url.pathname === `/star-ratings/${year}`);
    await page.waitForSelector('[data-testid=stat-total]');
    expect(await page.locator('[data-testid=nav-star-ratings]').getAttribute('class')).toContain('is-active');
    await expectText(page, 'page-title', `青禾县 · ${year}年度星级评定`);
    await expectText(page, 'stat-total', '0');
    await expectText(page, 'rating-table', `${year}年度星级评定尚未启动`, 'contains');

    // 启动年度星级评定: confirm, and the counts the API answers are shown.
    await page.click('[data-testid=launch-ratings]');
    await page.waitForSelector('.el-message-box');
    expect(await page.locator('.el-message-box').textContent()).toContain(`尚未启动${year}年度星级评定`);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/star-ratings/launch') && r.request().method() === 'POST', { timeout: 120_000 });
    await page.click('.el-message-box__btns .el-button--primary');
    const launched = (await (await answer).json()) as { year: number; organizations: number; started: number; alreadyStarted: number };
    expect(launched.year).toBe(year);
    expect(launched.started).toBe(launched.organizations);
    expect(launched.organizations).toBeGreaterThan(20);
    await page.waitForSelector('[data-testid=launch-result]');
    await expectText(page, 'launch-result', `共 ${launched.organizations} 个基层党组织，本次启动 ${launched.started} 个，此前已启动 0 个`, 'contains');
    await page.waitForSelector(`[data-testid=stat-total]:text-is("${launched.organizations}")`);
    const api = await listAs('zzb_admin', '&limit=20');
    expect(api.total).toBe(launched.organizations);
    expect(api.summary.byStage.applying).toBe(launched.organizations);
    await expectText(page, 'stat-stage-applying', String(launched.organizations));
    // The first page of the table is the API's first page.
    const first = api.items[0];
    await expectText(page, `rating-stage-${first.organizationName}`, '待自查申报');
    await expect(page.locator('[data-testid^=rating-open-]').count()).resolves.toBe(20);

    // Open it: the drawer shows the stage and the form the county admin may fill now.
    await page.click(`[data-testid="rating-open-${first.organizationName}"]`);
    await page.waitForSelector('[data-testid=form-apply]');
    await expectText(page, 'drawer-stage', '待自查申报');
    await expectText(page, 'drawer-audit', '启动星级评定', 'contains');

    // 自查申报
    await page.fill('[data-testid=apply-self-score] input', '86');
    await page.keyboard.press('Tab');
    await page.click('[data-testid=apply-stars-3]');
    await page.fill('[data-testid=apply-self-check]', '对照六个基本逐项自查：组织健全，三会一课正常');
    await page.click('[data-testid=submit-apply]');
    await page.waitForSelector('[data-testid=drawer-stage]:has-text("待考核")');
    await page.waitForSelector('[data-testid=form-evaluate]');
    await expectText(page, 'drawer-application', '三星级', 'contains');

    // 考核评分 85: three stars by the township's own level, then the public notice.
    await page.fill('[data-testid=eval-score] input', '85');
    await page.keyboard.press('Tab');
    await page.waitForSelector('[data-testid=eval-preview]:has-text("三星级")');
    await expectText(page, 'eval-preview', '乡镇考核', 'contains');
    await page.fill('[data-testid=eval-opinion]', '考核组实地考核，组织生活规范，阵地保障到位');
    await page.click('[data-testid=submit-evaluate]');
    await page.waitForSelector('[data-testid=drawer-stage]:has-text("公示中")');
    await expectText(page, 'drawer-stage', '公示中');
    await page.waitForSelector('[data-testid=drawer-notice-ends]');
    await page.waitForSelector('[data-testid=form-object]');
    await page.waitForSelector('[data-testid=drawer-audit] >> text=考核评分，进入公示');

    // The row and the counts follow.
    await page.waitForSelector(`[data-testid="rating-stage-${first.organizationName}"]:has-text("公示中")`);
    await expectText(page, `rating-score-${first.organizationName}`, '85');
    await expectText(page, `rating-stars-${first.organizationName}`, '三星级');
    await expectText(page, 'stat-notice', '1');

    const view = (await as(h.app, users.zzb_admin).get(`/api/star-ratings/${first.id}`).expect(200)).body as { live: StarRatingState };
    expect(view.live).toMatchObject({ stage: 'public_notice', application: { selfScore: 86, appliedStars: 3 }, evaluation: { score: 85, stars: 3, level: 'township' } });
    await page.close();
  });

  it('shows a township secretary their own township only, without the launch button, and a refusal in Chinese', async () => {
    // This test's own start: the year's ratings of 禾丰镇 (launching is idempotent, so it does not matter whether another test did).
    await as(h.app, users.zzb_admin).post('/api/star-ratings/launch').send({ year, townshipId: users.hefeng_shuji.regionId }).expect(200);
    const api = await listAs('hefeng_shuji', '&limit=100&stage=applying');
    expect(api.total).toBeGreaterThan(0);
    const page = await newPage('hefeng_shuji');
    await page.goto(`${base}/star-ratings/${year}`);
    await page.waitForSelector('[data-testid=stat-total]');
    await expectText(page, 'page-title', `禾丰镇 · ${year}年度星级评定`);
    await expect(page.locator('[data-testid=launch-ratings]').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid=rating-township]').count()).resolves.toBe(0);
    await expectText(page, 'stat-total', String((await listAs('hefeng_shuji')).total));

    // Four stars applied for: the county evaluates it; the township's evaluation is refused with the API's message.
    const target = api.items[0];
    await page.click(`[data-testid="rating-open-${target.organizationName}"]`);
    await page.waitForSelector('[data-testid=form-apply]');
    await page.fill('[data-testid=apply-self-score] input', '92');
    await page.keyboard.press('Tab');
    await page.click('[data-testid=apply-stars-4]');
    await page.fill('[data-testid=apply-self-check]', '对照六个基本自查，申报四星级');
    await page.click('[data-testid=submit-apply]');
    await page.waitForSelector('[data-testid=form-evaluate]');
    await page.fill('[data-testid=eval-score] input', '91');
    await page.keyboard.press('Tab');
    await page.fill('[data-testid=eval-opinion]', '乡镇初步考核');
    await page.waitForSelector('[data-testid=eval-preview]:has-text("县委组织部考核")');
    const answer = page.waitForResponse((r) => r.url().endsWith('/evaluation') && r.request().method() === 'POST');
    await page.click('[data-testid=submit-evaluate]');
    const refusal = await (await answer).json();
    expect(refusal).toMatchObject({ statusCode: 409, code: 'RATING_FOUR_FIVE_STARS_BY_COUNTY' });
    const alert = page.locator('[data-testid=form-evaluate] [data-testid=step-error]');
    await alert.waitFor();
    expect(await alert.getAttribute('data-code')).toBe('RATING_FOUR_FIVE_STARS_BY_COUNTY');
    expect((await alert.textContent())?.trim()).toBe(refusal.message);
    expect(refusal.message).toContain('县委组织部');
    await expectText(page, 'drawer-stage', '待考核');
    await page.close();
  });
});
