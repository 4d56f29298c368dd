#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run screenshots`: PNGs of every page of the dashboard in docs/screenshots/, each at a phone's
 * 390 × 844 and a desktop's 1440 × 900 (`<page>-390x844.png`, `<page>-1440x900.png`), as the role that
 * works on it, taken with Debian's chromium.
 *
 * By default it starts a stack of its own, like the browser tests: the project's PostgreSQL cluster
 * (or DATABASE_URL) with a throw-away database, an in-memory Temporal dev server, the worker and the
 * API serving the freshly built app; it loads the demo county and works a few cases through the API
 * as the demo users, so the pages have something to show; then it stops everything and drops the
 * database. With `--url http://127.0.0.1:3000` it photographs a running `npm start` instead and
 * changes nothing there. `--out DIR` writes elsewhere.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ensureNpmDependencies, build, buildWeb } = require('./lib/npm-deps');
const { log, run, freePort, waitForPort, startDaemon, stopChild } = require('./lib/proc');
const { ROOT, LOG_DIR } = require('./lib/paths');
const { ensureChromium, launchChromium } = require('./lib/chromium');

const PASSWORD = 'Demo@2026';
const WORKER_READY_LINE = '[worker] polling task queue';

/** @param {string} name */
function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** YYYY-MM-DD in Asia/Shanghai, `days` from today. @param {number} days */
function shanghaiDate(days = 0) {
  return new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
}

/** A small HTTP client of the API for the demo users. @param {string} base */
function apiClient(base) {
  /** @type {Record<string, { token: string, id: string }>} */
  const users = {};
  /** @param {string} method @param {string} url @param {string} [as] @param {unknown} [body] */
  async function call(method, url, as, body) {
    /** @type {Record<string, string>} */
    const headers = { 'Content-Type': 'application/json' };
    if (as) headers.Authorization = `Bearer ${users[as].token}`;
    const res = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(`${method} ${url} as ${as ?? '-'}: ${res.status} ${json.code ?? ''} ${json.message ?? ''}`);
    return json;
  }
  return {
    users,
    /** @param {string} username */
    async login(username) {
      const r = await call('POST', '/api/auth/login', undefined, { username, password: PASSWORD });
      users[username] = { token: r.accessToken, id: r.user.id };
    },
    /** @param {string} as @param {string} url */
    get: (as, url) => call('GET', url, as),
    /** @param {string} as @param {string} caseId @param {string} action @param {unknown} [body] */
    act: async (as, caseId, action, body = {}) => (await call('POST', `/api/cases/${caseId}${action}`, as, body)).state,
  };
}

/**
 * Works some of the demo cases, as the demo users would, so the dashboard shows stages, colours and
 * a battle map: 石桥村 well under way, 高岗村 started (the demo's other cases come with their past).
 * @param {ReturnType<typeof apiClient>} api @param {number} batchYear
 */
async function playDemoStory(api, batchYear) {
  for (const u of ['zzb_admin', 'xw_shuji', 'xj_lingdao', 'xj_lingdao2', 'hefeng_shuji', 'qingshi_shuji', 'shiqiao_duizhang', 'shiqiao_duiyuan']) await api.login(u);
  const list = await api.get('zzb_admin', `/api/cases?batchYear=${batchYear}&limit=200`);
  /** @param {string} name */
  const caseOf = (name) => {
    const c = list.items.find((/** @type {{organizationName: string}} */ x) => x.organizationName.includes(name));
    if (!c) throw new Error(`no demo case for ${name}`);
    return /** @type {{ id: string, stage: string }} */ (c);
  };
  const today = shanghaiDate();
  const team = [
    { name: '张科', rank: 'section', unit: '县农业农村局', isLeader: true },
    { name: '刘员', rank: 'staff', unit: '禾丰镇政府' },
    { name: '陈员', rank: 'staff', unit: '禾丰镇财政所' },
  ];

  const shiqiao = caseOf('石桥村');
  if (shiqiao.stage !== 'designated') return; // already played (a reused database)
  const s = shiqiao.id;
  await api.act('zzb_admin', s, '/contact-leader', { leaderUserId: api.users.xj_lingdao.id });
  await api.act('hefeng_shuji', s, '/team', { arrivedOn: today, members: team });
  await api.act('xj_lingdao', s, '/visits', { visitedOn: today, place: '石桥村党群服务中心', summary: '听取工作队汇报，入户走访老党员和困难群众', problemsFound: ['支部组织生活不正常'] });
  await api.act('xj_lingdao', s, '/practical-things', { title: '修通石桥至柿子沟村组道路', description: '协调交通部门硬化道路1.2公里', doneOn: today, evidence: '道路验收单及村民代表签字的认可意见' });
  const problems = [
    { description: '三会一课长期不正常，支部委员会会议无记录', reasonCode: 'C4', cureTag: '治散', rootCause: '书记长期缺职，无人组织', evidence: '2025年会议记录本空白' },
    { description: '村级事务无人牵头，群众办事找不到人', reasonCode: 'C1', cureTag: '治软', rootCause: '两委班子配备不齐', evidence: '群众来信3件' },
    { description: '村集体经济收入为零', reasonCode: 'C1', cureTag: '治穷', rootCause: '缺乏产业项目和带头人', evidence: '2025年村级财务报表' },
  ];
  let state;
  for (const p of problems) state = await api.act('shiqiao_duizhang', s, '/problems', p);
  const problemIds = state.problems.map((/** @type {{id: string}} */ p) => p.id);
  await api.act('hefeng_shuji', s, '/problem-list/confirm');
  for (const kind of ['party_members_meeting', 'villager_representatives_meeting', 'household_visits', 'heart_to_heart_talks'])
    await api.act('shiqiao_duiyuan', s, '/consultations', { kind, heldOn: today, participants: 18, summary: '征求整顿意见建议' });
  const measures = [
    { description: '恢复"三会一课"，每月15日固定开展主题党日', problemIds: [problemIds[0]], owner: '张科', dueOn: shanghaiDate(10) },
    { description: '明确村务值班制度，公开便民服务电话', problemIds: [problemIds[1]], owner: '刘员', dueOn: shanghaiDate(20) },
    { description: '流转土地发展村集体光伏项目', problemIds: [problemIds[2]], owner: '陈员', dueOn: shanghaiDate(33) },
  ];
  for (const m of measures) state = await api.act('shiqiao_duizhang', s, '/measures', m);
  const measureIds = state.measures.map((/** @type {{id: string}} */ m) => m.id);
  await api.act('hefeng_shuji', s, '/plan/approve');
  await api.act('shiqiao_duiyuan', s, `/measures/${measureIds[0]}/progress`, { percent: 60, note: '已召开支委会2次' });
  await api.act('shiqiao_duiyuan', s, `/measures/${measureIds[1]}/progress`, { percent: 100, note: '值班表已上墙' });
  await api.act('shiqiao_duiyuan', s, `/measures/${measureIds[2]}/progress`, { percent: 30, note: '流转协议已签订' });
  await api.act('shiqiao_duizhang', s, `/problems/${problemIds[1]}/close`, { fixEvidence: '值班表、群众满意度回访记录' });
  await api.act('shiqiao_duizhang', s, '/projects', { name: '石桥村集体光伏电站', kind: '光伏发电', supportFunds: 500000, startOn: today, expectedYearlyIncome: 60000 });

  const gaogang = caseOf('高岗村').id;
  await api.act('zzb_admin', gaogang, '/contact-leader', { leaderUserId: api.users.xj_lingdao2.id });
  await api.act('qingshi_shuji', gaogang, '/team', {
    arrivedOn: today,
    members: [
      { name: '马科', rank: 'section', unit: '县财政局', isLeader: true },
      { name: '杨员', rank: 'staff', unit: '青石镇政府' },
      { name: '何员', rank: 'staff', unit: '青石镇司法所' },
    ],
  });
  await api.act('qingshi_shuji', gaogang, '/problems', { description: '书记年龄偏大，工作不在状态', reasonCode: 'C2', cureTag: '治软', rootCause: '后备力量不足', evidence: '群众测评满意度42%' });
  return s;
}

/** The two sizes every page is photographed at: a phone (a DingTalk/WeCom web view) and a desktop. */
const SIZES = [
  { name: '390x844', viewport: { width: 390, height: 844 } },
  { name: '1440x900', viewport: { width: 1440, height: 900 } },
];

/**
 * Every page at both sizes, as the user who works on it: `<page>-<width>x<height>.png`.
 * @param {string} base @param {string} outDir @param {number} batchYear
 */
async function takeScreenshots(base, outDir, batchYear) {
  fs.mkdirSync(outDir, { recursive: true });
  for (const size of SIZES) {
    const browser = await launchChromium({ viewport: size.viewport });
    const settle = (/** @type {import('playwright-core').Page} */ page) => page.waitForLoadState('networkidle').then(() => page.waitForTimeout(1200));
    /** @param {import('playwright-core').Page} page @param {string} name @param {boolean} [fullPage] */
    const shot = async (page, name, fullPage = true) => {
      const file = path.join(outDir, `${name}-${size.name}.png`);
      await page.screenshot({ path: file, fullPage });
      log(`wrote ${path.relative(ROOT, file)}`);
    };
    /** @type {Map<string, import('playwright-core').Page>} */
    const pages = new Map();
    /** One signed-in page per user (signing in once per size). @param {string} username */
    const as = async (username) => {
      const known = pages.get(username);
      if (known) return known;
      const page = await browser.context.newPage();
      await page.goto(`${base}/login`);
      await page.fill('[data-testid=login-username]', username);
      await page.fill('[data-testid=login-password]', PASSWORD);
      // Each user's session in their own tab: a remembered one would be shared by every tab of the browser.
      if (await page.locator('[data-testid=login-remember] input').isChecked()) await page.click('[data-testid=login-remember]');
      await page.click('[data-testid=login-submit]');
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      pages.set(username, page);
      return page;
    };
    /** @param {string} username @param {string} url @param {string} selector @param {string} name */
    const visit = async (username, url, selector, name) => {
      const page = await as(username);
      await page.goto(`${base}${url}`);
      await page.waitForSelector(selector, { timeout: 30000 });
      await settle(page);
      await shot(page, name);
      return page;
    };
    try {
      const login = await browser.context.newPage();
      await login.goto(`${base}/login`);
      await settle(login);
      await shot(login, 'login', false);
      await login.close();

      await visit('zzb_admin', `/?year=${batchYear}`, '[data-testid=stat-total]', 'county-overview');
      const admin = await as('zzb_admin');
      await admin.click('[data-testid="township-link-禾丰镇"]');
      await admin.waitForSelector('[data-testid="case-link-禾丰镇石桥村党支部"]');
      await settle(admin);
      await shot(admin, 'township');
      await admin.click('[data-testid="case-link-禾丰镇石桥村党支部"]');
      // A case whose state is not available (old data of a reused stack) shows its summary only.
      await admin.waitForSelector('[data-testid=battle-map], [data-testid=case-summary-only]');
      await settle(admin);
      await shot(admin, 'case');
      await admin.emulateMedia({ media: 'print' });
      await shot(admin, 'case-print');
      await admin.emulateMedia({ media: 'screen' });
      await visit('zzb_admin', `/batches/${batchYear}`, '[data-testid^=batch-case-]', 'batches');
      await visit('zzb_admin', `/star-ratings/${batchYear}`, '[data-testid=page-title], h1', 'star-ratings');
      await visit('zzb_admin', '/escalations', '[data-testid=esc-table], [data-testid=esc-list]', 'escalations');
      await visit('zzb_admin', '/cases', '[data-testid=case-list]', 'cases');
      // 管理: the county's setup pages (issue 14).
      await visit('zzb_admin', '/admin', '[data-testid=admin-regions]', 'admin');
      await visit('zzb_admin', '/admin/regions', '[data-testid=region-table], [data-testid=region-list]', 'admin-regions');
      await visit('zzb_admin', '/admin/people', '[data-testid=people-table], [data-testid=people-list]', 'admin-people');
      await visit('zzb_admin', '/admin/organizations', '[data-testid=org-table], [data-testid=org-list]', 'admin-organizations');
      await visit('zzb_admin', '/admin/policy', '[data-testid=policy-fields]', 'admin-policy');
      await visit('zzb_admin', '/admin/calendar', '[data-testid=calendar-table], [data-testid=calendar-list], [data-testid=calendar-empty]', 'admin-calendar');
      await visit('zzb_admin', '/admin/channels', '[data-testid=channel-list], [data-testid=channel-empty]', 'admin-channels');
      await visit('zzb_admin', '/admin/deliveries', '[data-testid=deliveries-table], [data-testid=deliveries-list], [data-testid=deliveries-empty]', 'admin-deliveries');
      await visit('zzb_admin', '/password', '[data-testid=password-submit]', 'change-password');

      // The township secretary lands on the township's open work; then messages and a task's form.
      const secretary = await visit('hefeng_shuji', '/', '[data-testid=task-table]', 'my-tasks');
      await visit('hefeng_shuji', '/messages', '[data-testid=inbox]', 'messages');
      await secretary.goto(`${base}/tasks`);
      const doButton = secretary.locator('[data-testid^=do-]').first();
      if (await doButton.waitFor({ timeout: 15000 }).then(() => true, () => false)) {
        await doButton.click();
        await secretary.waitForSelector('[data-testid=action-dialog], [data-testid=battle-map]');
        await settle(secretary);
        await shot(secretary, 'task-form', false);
      }
      await visit('hefeng_shuji', '/me', '[data-testid=logout]', 'me');

      await visit('xj_lingdao', '/', '[data-testid=my-cases]', 'my-cases');
      await visit('shiqiao_duizhang', '/', '[data-testid=battle-map], [data-testid=case-summary-only], [data-testid=case-list]', 'team-leader-case');
    } finally {
      await browser.close();
    }
  }
}

async function main() {
  const outDir = path.resolve(ROOT, arg('out') || 'docs/screenshots');
  const url = arg('url');
  ensureNpmDependencies();
  ensureChromium();
  if (url) {
    await takeScreenshots(url.replace(/\/$/, ''), outDir, Number(arg('year')) || new Date(Date.now() + 8 * 3600_000).getUTCFullYear());
    return;
  }

  const postgres = require('./lib/postgres');
  const { startDevServer } = require('./lib/temporal');
  build();
  buildWeb();
  fs.mkdirSync(LOG_DIR, { recursive: true });
  /** @type {(() => unknown)[]} */
  const cleanup = [];
  try {
    let adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) {
      const pg = await postgres.startProjectCluster();
      adminUrl = pg.url;
      if (pg.startedHere) cleanup.push(pg.stop);
    }
    const databaseName = `rectification_screenshots_${Date.now()}`;
    await postgres.ensureDatabase(adminUrl, databaseName);
    cleanup.push(() => postgres.dropDatabase(adminUrl, databaseName));
    const temporal = await startDevServer({ ui: false, logName: 'temporal-screenshots' });
    cleanup.push(temporal.stop);

    const apiPort = await freePort();
    const env = { ...process.env, NODE_ENV: 'development', DATABASE_URL: postgres.withDatabase(adminUrl, databaseName), TEMPORAL_ADDRESS: temporal.address, API_PORT: String(apiPort) };
    run(process.execPath, ['dist/libs/persistence/migrate.js'], { cwd: ROOT, env });

    /** @param {string} name @param {string} entry */
    const daemon = (name, entry) => {
      const logFile = path.join(LOG_DIR, `screenshots-${name}.log`);
      const child = startDaemon(process.execPath, ['--enable-source-maps', entry], { logFile, env, cwd: ROOT });
      cleanup.push(() => stopChild(child, 20000));
      return { child, logFile };
    };
    const worker = daemon('worker', 'dist/apps/worker/src/main.js');
    const deadline = Date.now() + 120000;
    while (!(fs.existsSync(worker.logFile) && fs.readFileSync(worker.logFile, 'utf8').includes(WORKER_READY_LINE))) {
      if (worker.child.exitCode !== null || Date.now() > deadline) throw new Error(`the worker did not start; see ${worker.logFile}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const api = daemon('api', 'dist/apps/api/src/main.js');
    await waitForPort(apiPort, 60000, `API (log: ${api.logFile})`, () => api.child.exitCode === null);
    run(process.execPath, ['dist/apps/api/src/demo/seed-demo.js'], { cwd: ROOT, env });

    const { DEMO_BATCH_YEAR } = require(path.join(ROOT, 'dist/apps/api/src/demo/demo-county.js'));
    const base = `http://127.0.0.1:${apiPort}`;
    log('working a few demo cases through the API');
    await playDemoStory(apiClient(base), DEMO_BATCH_YEAR);
    await takeScreenshots(base, outDir, DEMO_BATCH_YEAR);
  } finally {
    for (const step of cleanup.reverse()) {
      try {
        await step();
      } catch (err) {
        log(`cleanup: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

main().catch((err) => {
  console.error(`[screenshots] ${err instanceof Error ? err.stack || err.message : String(err)}`);
  process.exit(1);
});
