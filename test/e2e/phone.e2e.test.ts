import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_BATCH_YEAR, DEMO_PASSWORD } from '../../apps/api/src/demo/demo-county';
import type { CaseState } from '../../libs/domain';
import { as, type TestUser } from '../support/auth';
import { eventually, type Harness } from '../support/harness';
import { HTTP_TEAM, todayInShanghai } from '../support/http-playbook';
import { expectText, launchChromium, signIn, PHONE } from './browser';
import { startDemoSite, type DemoSite } from './demo-site';

jest.setTimeout(240_000);


/**
 * The phone surface (issue 13) at 390 × 844, as the people who work from a DingTalk or WeCom link: a
 * township secretary does a task, signs for a 督办 and reads a message; a contact leader records a visit
 * in three taps from where they land. Each test designates a case of its own through the API (or uses
 * the demo's 督办 and messages addressed to 禾丰镇's secretary), so no test needs another's leftovers.
 */
describe('the phone surface', () => {
  let h: Harness;
  let base: string;
  let site: DemoSite;
  const users: Record<string, TestUser> = {};
  const browsers: { close(): Promise<void> }[] = [];

  const api = (username: string) => as(h.app, users[username]);
  const stateOf = async (caseId: string): Promise<CaseState> => (await api('zzb_admin').get(`/api/cases/${caseId}`).expect(200)).body.live;

  /** A fresh case in 禾丰镇 (an organization nobody has designated this year), with its contact leader and team. */
  const freshHefengCase = async (leader = 'xj_lingdao'): Promise<{ id: string; organizationName: string }> => {
    const township = users.hefeng_shuji.regionId;
    const orgs = (await api('zzb_admin').get(`/api/organizations?townshipId=${township}&limit=200`).expect(200)).body.items as { id: string; name: string }[];
    const cases = (await api('zzb_admin').get(`/api/cases?batchYear=${DEMO_BATCH_YEAR}&limit=200`).expect(200)).body.items as { organizationId: string }[];
    const taken = new Set(cases.map((c) => c.organizationId));
    for (const org of orgs.filter((o) => !taken.has(o.id))) {
      const res = await api('zzb_admin')
        .post('/api/cases')
        .send({ organizationId: org.id, batchYear: DEMO_BATCH_YEAR, reasons: ['C4'], note: '组织生活长期不正常，三会一课无记录，经县委组织部研判认定' });
      if (res.status === 409) continue; // designated meanwhile by another test of this file
      expect(res.status).toBe(201);
      const id = res.body.id as string;
      await api('zzb_admin').post(`/api/cases/${id}/contact-leader`).send({ leaderUserId: users[leader].id }).expect(200);
      await api('hefeng_shuji').post(`/api/cases/${id}/team`).send({ arrivedOn: todayInShanghai(), members: HTTP_TEAM }).expect(201);
      return { id, organizationName: org.name };
    }
    throw new Error('禾丰镇 has no organization left to designate');
  };

  /** A phone of its own (its own storage: "记住本设备" keeps one person signed in per phone). */
  const phoneOf = async (username: string): Promise<Page> => {
    const browser: { context: BrowserContext; close(): Promise<void> } = await launchChromium({ viewport: PHONE });
    browsers.push(browser);
    const page = await browser.context.newPage();
    await signIn(page, base, username, DEMO_PASSWORD);
    return page;
  };

  beforeAll(async () => {
    site = await startDemoSite('rectification_phone');
    ({ h, base } = site);
    Object.assign(users, site.users);
  });

  afterAll(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    await site?.close();
  });

  it('lands a township secretary on the open work; 办理 opens the form as a full-screen sheet and 提交 confirms the problem list', async () => {
    const c = await freshHefengCase();
    await api('hefeng_shuji')
      .post(`/api/cases/${c.id}/problems`)
      .send({ description: '三会一课不正常', reasonCode: 'C4', cureTag: '治散', rootCause: '书记长期缺职', evidence: '会议记录本空白' })
      .expect(201);
    const page = await phoneOf('hefeng_shuji');
    expect(new URL(page.url()).pathname).toBe('/tasks');
    await page.waitForSelector('[data-testid=tabbar]');
    // The task of this case, found by searching its organization's name.
    await page.fill('[data-testid=task-search]', c.organizationName);
    const card = page.locator('[data-testid=task-card-confirm_problem_list]', { hasText: c.organizationName });
    await card.waitFor();
    await card.locator('[data-testid=do-confirm_problem_list]').click();
    await page.waitForURL(new RegExp(`/cases/${c.id}`));
    const dialog = page.locator('.el-dialog.is-fullscreen[data-testid=action-dialog]');
    await dialog.waitFor();
    const box = (await dialog.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(PHONE.width);
    const submit = page.locator('[data-testid=action-submit]');
    const sb = (await submit.boundingBox())!;
    expect(sb.y + sb.height).toBeLessThanOrEqual(PHONE.height);
    expect(sb.height).toBeGreaterThanOrEqual(40);
    await submit.click();
    await dialog.waitFor({ state: 'hidden' });
    await eventually(async () => ((await stateOf(c.id)).problemListConfirmedAt ? true : undefined), 15_000, 'the problem list confirmed');
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  });

  it('lets a township secretary sign for a 督办 with what is being done, and read a message', async () => {
    const me = users.hefeng_shuji;
    const open = (await api('hefeng_shuji').get('/api/escalations?status=open&limit=100').expect(200)).body.items as {
      id: string;
      rung: string;
      recipientUserIds?: string[];
      recipients?: { role: string; regionId: string; userId?: string }[];
    }[];
    const mine = open.filter((e) => e.recipientUserIds?.includes(me.id) || (e.recipients ?? []).some((r) => (r.userId ? r.userId === me.id : r.role === me.role && r.regionId === me.regionId)));
    expect(mine.length).toBeGreaterThan(0); // the demo county keeps a 督办 waiting for 禾丰镇's secretary
    const inbox = (await api('hefeng_shuji').get('/api/notifications?unread=true&limit=1').expect(200)).body;
    expect(inbox.unreadCount).toBeGreaterThan(0); // and messages in the inbox

    const page = await phoneOf('hefeng_shuji');
    // The bell and the 消息 tab show the unread count.
    await expectText(page, 'tab-messages', String(inbox.unreadCount), 'contains');
    await page.click('[data-testid=tab-messages]');
    await page.waitForURL(/\/messages$/);
    await page.waitForSelector('[data-testid=to-sign]');
    const signButton = page.locator('[data-testid^=sign-]:not([data-testid^=sign-card])').first();
    await signButton.click();
    await page.waitForSelector('[data-testid=ack-dialog]');
    // An answer is asked for: signing without one says so and changes nothing.
    await page.click('[data-testid=ack-submit]');
    await expectText(page, 'ack-error', '请填写整改落实情况', 'contains');
    const answer = '已召开专题会议部署整改，本周内完成措施进度登记';
    await page.fill('[data-testid=ack-note]', answer);
    await page.click('[data-testid=ack-submit]');
    await page.locator('[data-testid=ack-dialog]').waitFor({ state: 'hidden' });
    await eventually(
      async () => {
        const all = (await api('hefeng_shuji').get('/api/escalations?status=acknowledged&limit=100').expect(200)).body.items as {
          acknowledgement: { userId: string | null; note: string | null } | null;
        }[];
        return all.some((e) => e.acknowledgement?.userId === me.id && e.acknowledgement?.note === answer) || undefined;
      },
      15_000,
      'the 督办 signed for with the answer',
    );

    // Reading a message marks it read and the count goes down.
    const unread = page.locator('[data-testid^=message-][data-read=no]').first();
    const id = ((await unread.getAttribute('data-testid')) ?? '').replace('message-', '');
    await unread.click();
    await page.waitForSelector('[data-testid=message-body]');
    await page.locator(`[data-testid="message-${id}"][data-read=yes]`).waitFor();
    await expectText(page, 'unread-count', String(inbox.unreadCount - 1));
    const after = (await api('hefeng_shuji').get('/api/notifications?limit=100').expect(200)).body.items as { id: string; readAt: string | null }[];
    expect(after.find((n) => n.id === id)?.readAt).toBeTruthy();
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  });

  it('lets a contact leader record a visit in three taps from where they land', async () => {
    const c = await freshHefengCase('xj_lingdao2');
    const before = (await stateOf(c.id)).visits.length;
    // The leader's list reads the read model: wait until the new case is on it, as the leader would find it.
    await eventually(
      async () => ((await api('xj_lingdao2').get('/api/cases/mine').expect(200)).body.items as { caseId: string }[]).some((i) => i.caseId === c.id) || undefined,
      15_000,
      'the case on 我联系的案件',
    );
    const page = await phoneOf('xj_lingdao2');
    expect(new URL(page.url()).pathname).toBe('/my-cases');
    await expectText(page, `visit-status-${c.organizationName}`, '本季度待调研', 'contains');
    let taps = 0;
    const tap = async (selector: string) => {
      await page.locator(selector).first().click();
      taps += 1;
    };
    await tap(`[data-testid="record-visit-${c.organizationName}"]`);
    await tap('[data-testid=field-summary]');
    await page.keyboard.type('听取工作队汇报，走访老党员和困难群众');
    await tap('[data-testid=action-submit]');
    expect(taps).toBe(3);
    await page.locator('[data-testid=action-dialog]').waitFor({ state: 'hidden' });
    await eventually(async () => ((await stateOf(c.id)).visits.length === before + 1 ? true : undefined), 15_000, 'the visit recorded');
    await expectText(page, `visit-status-${c.organizationName}`, '本季度已调研', 'contains');
  });

  it('keeps a remembered sign-in after the web view closes, and forgets it on 退出登录', async () => {
    const browser = await launchChromium({ viewport: PHONE });
    browsers.push(browser);
    const page = await browser.context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('[data-testid=login-username]', 'hefeng_shuji');
    await page.fill('[data-testid=login-password]', DEMO_PASSWORD);
    expect(await page.locator('[data-testid=login-remember] input').isChecked()).toBe(true);
    await page.click('[data-testid=login-submit]');
    await page.waitForURL(/\/tasks/);
    await page.close();
    // A new tab (the next link from the group) opens signed in.
    const next = await browser.context.newPage();
    await next.goto(`${base}/messages`);
    await next.waitForSelector('[data-testid=inbox]');
    expect(new URL(next.url()).pathname).toBe('/messages');
    await next.click('[data-testid=tab-me]');
    await next.click('[data-testid=logout]');
    await next.waitForURL(/\/login/);
    const again = await browser.context.newPage();
    await again.goto(`${base}/messages`);
    await again.waitForURL(/\/login/);
  });
});
