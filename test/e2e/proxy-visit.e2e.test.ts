import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_BATCH_YEAR, DEMO_PASSWORD } from '../../apps/api/src/demo/demo-county';
import type { CaseState } from '../../libs/domain';
import { quarterLabel } from '../../libs/domain';
import { as, type TestUser } from '../support/auth';
import { eventually, type Harness } from '../support/harness';
import { todayInShanghai } from '../support/http-playbook';
import { expectText, launchChromium, signIn, PHONE } from './browser';
import { freshHefengCase, startDemoSite, type DemoSite } from './demo-site';

jest.setTimeout(240_000);


/**
 * Issue 16 at 390 × 844. 代录 (honest dates) on the case page: a visit the township secretary entered for
 * the contact leader shows as awaiting confirmation and does not count; the contact leader, and only
 * they, sees 确认, confirms in a dialog, and the visit counts for its quarter (the test designates a case
 * of its own and enters the visit itself). And the batch whose county party secretary takes no case: the
 * county organization department's task, in words, leading to the batch.
 */
describe('issue 16 on the phone: a 代录 confirmed, a batch without the county party secretary', () => {
  let h: Harness;
  let base: string;
  let site: DemoSite;
  const users: Record<string, TestUser> = {};
  const browsers: { close(): Promise<void> }[] = [];

  const api = (username: string) => as(h.app, users[username]);
  const stateOf = async (caseId: string): Promise<CaseState> => (await api('zzb_admin').get(`/api/cases/${caseId}`).expect(200)).body.live;

  /** A fresh case in 禾丰镇 with its contact leader and team, and a visit the township secretary entered for the leader. */
  const caseWithProxyVisit = async (leader: string): Promise<{ id: string; visitId: string; quarter: string }> => {
    const id = await freshHefengCase(site, leader);
    const visited = await api('hefeng_shuji')
      .post(`/api/cases/${id}/visits`)
      .send({ visitedOn: todayInShanghai(), place: '村党群服务中心', summary: '联系领导到村听取整顿工作汇报（镇党委代为录入）' })
      .expect(201);
    const visit = (visited.body.state as CaseState).visits.at(-1)!;
    expect(visit.proxy).toEqual({}); // 代录, awaiting the leader
    return { id, visitId: visit.id, quarter: visit.quarter };
  };

  const phoneOf = async (username: string): Promise<Page> => {
    const browser: { context: BrowserContext; close(): Promise<void> } = await launchChromium({ viewport: PHONE });
    browsers.push(browser);
    const page = await browser.context.newPage();
    await signIn(page, base, username, DEMO_PASSWORD);
    return page;
  };

  beforeAll(async () => {
    site = await startDemoSite('rectification_proxy_visit');
    ({ h, base } = site);
    Object.assign(users, site.users);
  });

  afterAll(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    await site?.close();
  });

  it('lets the contact leader confirm a visit entered for them, after which it counts; nobody else sees 确认', async () => {
    const c = await caseWithProxyVisit('xj_lingdao2');
    const quarterTag = `case-visits-${c.quarter}`;
    const short = quarterLabel(c.quarter).slice(5);

    // The township secretary who entered it sees it awaiting the leader, uncounted, and no 确认.
    const secretary = await phoneOf('hefeng_shuji');
    await secretary.goto(`${base}/cases/${c.id}`);
    await expectText(secretary, `visit-entry-${c.visitId}`, '代录（待联系领导确认）');
    await expectText(secretary, quarterTag, `${short} 0/1`);
    expect(await secretary.locator(`[data-testid="confirm-visit-${c.visitId}"]`).count()).toBe(0);

    // The contact leader confirms it on the phone: a dialog asks first, and 取消 changes nothing.
    const leader = await phoneOf('xj_lingdao2');
    await leader.goto(`${base}/cases/${c.id}`);
    await expectText(leader, `visit-entry-${c.visitId}`, '代录（待联系领导确认）');
    const button = leader.locator(`[data-testid="confirm-visit-${c.visitId}"]`);
    await button.scrollIntoViewIfNeeded();
    const box = (await button.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await button.click();
    const dialog = leader.locator('.confirm-visit-box');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('王禾丰 代您录入了');
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await stateOf(c.id)).visits.find((v) => v.id === c.visitId)?.proxy?.confirmedAt).toBeUndefined();

    await button.click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '确认' }).click();
    await expectText(leader, `visit-entry-${c.visitId}`, '代录（联系领导已确认）');
    await expectText(leader, quarterTag, `${short} 1/1`);
    expect(await leader.locator(`[data-testid="confirm-visit-${c.visitId}"]`).count()).toBe(0);
    const confirmed = await eventually(async () => (await stateOf(c.id)).visits.find((v) => v.id === c.visitId)?.proxy?.confirmedBy, 15_000, 'the visit confirmed');
    expect(confirmed.id).toBe(users.xj_lingdao2.id);
    expect(await leader.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  });

  it('shows the county organization department the batch without the county party secretary on the phone, and 办理 leads to the batch', async () => {
    // Every case of the demo batch gets its contact leader (the demo leaves two late additions without one);
    // none is the county party secretary (钱书记).
    const cases = (await api('zzb_admin').get(`/api/cases?batchYear=${DEMO_BATCH_YEAR}&limit=200`).expect(200)).body.items as { id: string; stage: string; contactLeaderId: string | null }[];
    for (const c of cases.filter((x) => x.stage !== 'removed' && !x.contactLeaderId)) {
      await api('zzb_admin').post(`/api/cases/${c.id}/contact-leader`).send({ leaderUserId: users.xj_lingdao.id }).expect(200);
    }
    const key = await eventually(
      async () =>
        ((await api('zzb_admin').get('/api/tasks?status=open&kind=assign_contact_leader&limit=100').expect(200)).body.items as { key: string; caseId: string | null; batchYear: number | null }[]).find(
          (t) => t.caseId === null && t.batchYear === DEMO_BATCH_YEAR,
        )?.key,
      15_000,
      'the batch task of the demo county',
    );
    const page = await phoneOf('zzb_admin');
    await page.goto(`${base}/tasks`);
    const card = page.locator('[data-testid=task-card-assign_contact_leader]', { hasText: '县委书记尚未联系' });
    await card.waitFor();
    expect(await card.textContent()).toContain(`${DEMO_BATCH_YEAR}年度整顿批次`);
    expect(await card.textContent()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/); // no raw ids
    expect(await card.locator(`[data-key="${key}"]`).count()).toBe(1);
    await card.locator('[data-testid=do-assign_contact_leader]').click();
    await page.waitForURL(new RegExp(`/batches/${DEMO_BATCH_YEAR}$`));
    await expectText(page, 'batch-secretary-task', `县委书记尚未联系${DEMO_BATCH_YEAR}年度整顿批次任何案件`, 'contains');
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  });
});
