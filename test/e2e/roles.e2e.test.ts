import type { Page } from 'playwright-core';
import { DEMO_BATCH_YEAR, DEMO_PASSWORD } from '../../apps/api/src/demo/demo-county';
import { OUTLOOK_DEFINITIONS, YEAR_END_OUTLOOKS } from '../../libs/domain/outlook';
import { as, type TestUser } from '../support/auth';
import type { Harness } from '../support/harness';
import { launchChromium, signIn } from './browser';
import { startDemoSite, type DemoSite } from './demo-site';

jest.setTimeout(300_000);

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1440, height: 900 },
] as const;

interface PageCheck {
  /** Path to open. */
  path: string | ((ctx: Ctx) => string);
  /** What shows once the page has loaded. */
  ready: string;
  /** The page's primary actions that must be there (beyond any other [data-primary] it shows). */
  primary?: string;
  /** What shows when the page could not load its data (must not be there). */
  fails?: string;
}
interface Ctx {
  year: number;
  /** A case of the user's region. */
  caseId?: string;
}
interface RoleCheck {
  username: string;
  /** Where "/" takes this role. */
  lands: RegExp;
  landsOn: string;
  pages: PageCheck[];
}

const year = DEMO_BATCH_YEAR;
const COUNTY_PAGES: PageCheck[] = [
  { path: `/overview?year=${year}`, ready: '[data-testid=stat-total]' },
  { path: `/batches/${year}`, ready: '[data-testid^=batch-case-]' },
  { path: `/star-ratings/${year}`, ready: '[data-testid=page-title]' },
  { path: '/tasks?view=region', ready: '[data-testid=task-table]' },
  { path: '/escalations', ready: '[data-testid=esc-table], [data-testid=esc-list]', primary: '[data-testid=export-escalations]' },
  { path: '/messages', ready: '[data-testid=inbox]' },
  { path: '/cases', ready: '[data-testid=case-list]' },
  { path: (c) => `/cases/${c.caseId}`, ready: '[data-testid=battle-map]' },
  { path: '/me', ready: '[data-testid=logout]', primary: '[data-testid=logout]' },
];

const ROLES: RoleCheck[] = [
  { username: 'zzb_admin', lands: /^\/$/, landsOn: '[data-testid=stat-total]', pages: COUNTY_PAGES },
  { username: 'xw_shuji', lands: /^\/$/, landsOn: '[data-testid=stat-total]', pages: COUNTY_PAGES },
  { username: 'ducha', lands: /^\/$/, landsOn: '[data-testid=stat-total]', pages: COUNTY_PAGES },
  {
    username: 'xj_lingdao',
    lands: /^\/my-cases$/,
    landsOn: '[data-testid=my-cases]',
    pages: [
      { path: '/my-cases', ready: '[data-testid=my-cases]', fails: '[data-testid=my-cases-error]' },
      { path: '/tasks', ready: '[data-testid=task-table]' },
      { path: '/messages', ready: '[data-testid=inbox]' },
      { path: '/me', ready: '[data-testid=logout]', primary: '[data-testid=logout]' },
    ],
  },
  {
    username: 'hefeng_shuji',
    lands: /^\/tasks$/,
    landsOn: '[data-testid=task-table]',
    pages: [
      { path: '/tasks', ready: '[data-testid=task-table] [data-testid^=task-]', primary: '[data-testid^=do-]' },
      { path: '/messages', ready: '[data-testid=inbox]' },
      { path: '/cases', ready: '[data-testid^=case-card-]' },
      { path: (c) => `/cases/${c.caseId}`, ready: '[data-testid=battle-map]', primary: '[data-testid=case-actions] [data-primary]' },
      { path: '/me', ready: '[data-testid=logout]', primary: '[data-testid=logout]' },
    ],
  },
  {
    username: 'shiqiao_duizhang',
    lands: /^\/cases\/[^/]+$/,
    landsOn: '[data-testid=battle-map]',
    pages: [
      { path: (c) => `/cases/${c.caseId}`, ready: '[data-testid=battle-map]', primary: '[data-testid=case-actions] [data-primary]' },
      { path: '/tasks', ready: '[data-testid=task-table]' },
      { path: '/messages', ready: '[data-testid=inbox]' },
      { path: '/me', ready: '[data-testid=logout]', primary: '[data-testid=logout]' },
    ],
  },
];

/** What a person would see wrong on this page: wider than the screen, or a primary action off it or too small to tap. */
async function layoutProblems(page: Page, required?: string): Promise<string[]> {
  const problems: string[] = [];
  const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })');
  if (scrollWidth > innerWidth) problems.push(`page is ${scrollWidth} px wide in a ${innerWidth} px viewport`);
  if (required && (await page.locator(required).count()) === 0) problems.push(`no primary action ${required}`);
  const primaries = page.locator('[data-primary]');
  for (let i = 0; i < (await primaries.count()); i++) {
    const el = primaries.nth(i);
    if (!(await el.isVisible())) continue;
    const box = await el.boundingBox();
    const label = ((await el.textContent()) ?? '').trim();
    if (!box) continue;
    if (box.height < 40) problems.push(`"${label}" is ${box.height} px tall`);
    if (box.x < 0 || box.x + box.width > innerWidth + 0.5) problems.push(`"${label}" sits outside the screen (${box.x}…${box.x + box.width})`);
  }
  const requiredVisible = required ? await page.locator(required).first().isVisible() : true;
  if (!requiredVisible) problems.push(`primary action ${required} is not visible`);
  return problems;
}

/**
 * Every role at a phone's 390 × 844 and a desktop's 1440 × 900: where "/" lands them, and on each page
 * they use, nothing wider than the screen and every primary action on it and at least 40 px tall.
 */
describe('each role on a phone and on a desktop', () => {
  let h: Harness;
  let base: string;
  let site: DemoSite;
  const users: Record<string, TestUser> = {};
  const caseOf: Record<string, string> = {};

  beforeAll(async () => {
    site = await startDemoSite('rectification_roles');
    ({ h, base } = site);
    Object.assign(users, site.users);
    // A case of each user's region: an active one of the demo batch, to open its page.
    for (const r of ROLES) {
      const items = (await as(h.app, users[r.username]).get(`/api/cases?batchYear=${year}&limit=200`).expect(200)).body.items as { id: string; stage: string }[];
      const active = items.find((c) => c.stage === 'rectifying') ?? items.find((c) => c.stage !== 'removed') ?? items[0];
      if (active) caseOf[r.username] = active.id;
    }
  });

  afterAll(async () => {
    await site?.close();
  });

  it('shows the same year-end outlook on the overview and on the batch page, with what each word means', async () => {
    const browser = await launchChromium({ viewport: { width: 1440, height: 900 } });
    try {
      const page = await browser.context.newPage();
      await signIn(page, base, 'zzb_admin', DEMO_PASSWORD);
      const read = async (prefix: string): Promise<Record<string, string>> => {
        await page.waitForSelector(`[data-testid=${prefix}-will_miss]`);
        const out: Record<string, string> = {};
        for (const o of YEAR_END_OUTLOOKS) out[o] = ((await page.locator(`[data-testid=${prefix}-${o}]`).first().textContent()) ?? '').trim();
        return out;
      };
      await page.goto(`${base}/overview?year=${year}`);
      const overview = await read('outlook');
      for (const o of YEAR_END_OUTLOOKS) await expect(page.locator('[data-testid=outlook-legend]').first().textContent()).resolves.toContain(OUTLOOK_DEFINITIONS[o]);
      await page.goto(`${base}/batches/${year}`);
      const batch = await read('batch-outlook-count');
      expect(batch).toEqual(overview);
      // And both as the API counts them.
      const api = (await as(h.app, users.zzb_admin).get(`/api/dashboard/overview?batchYear=${year}`).expect(200)).body.outlook.counts as Record<string, number>;
      expect(overview).toEqual(Object.fromEntries(YEAR_END_OUTLOOKS.map((o) => [o, String(api[o])])));
    } finally {
      await browser.close();
    }
  });

  for (const vp of VIEWPORTS) {
    for (const role of ROLES) {
      it(`${role.username} on a ${vp.name} (${vp.width} × ${vp.height}) lands on their work and every page fits`, async () => {
        const browser = await launchChromium({ viewport: { width: vp.width, height: vp.height } });
        try {
          const page = await browser.context.newPage();
          await signIn(page, base, role.username, DEMO_PASSWORD);
          await page.waitForSelector(role.landsOn);
          expect(new URL(page.url()).pathname).toMatch(role.lands);
          const found: Record<string, string[]> = {};
          for (const check of role.pages) {
            const path = typeof check.path === 'function' ? check.path({ year, caseId: caseOf[role.username] }) : check.path;
            await page.goto(`${base}${path}`);
            await page.waitForSelector(check.ready, { timeout: 30_000 });
            await page.waitForLoadState('networkidle');
            const problems = await layoutProblems(page, check.primary);
            if (check.fails && (await page.locator(check.fails).count())) problems.push(`shows ${await page.locator(check.fails).first().textContent()}`);
            if (problems.length) found[path] = problems;
          }
          expect(found).toEqual({});
        } finally {
          await browser.close();
        }
      });
    }
  }
});
