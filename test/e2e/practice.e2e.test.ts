import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-county';
import type { CaseState } from '../../libs/domain';
import { as, type TestUser } from '../support/auth';
import { eventually, type Harness } from '../support/harness';
import { expectText, launchChromium, signIn, PHONE } from './browser';
import { freshHefengCase, startDemoSite, type DemoSite } from './demo-site';

jest.setTimeout(240_000);

/**
 * Issue 18 on the web, at 390 × 844, as the county organization department. 办理 on a 督导把关 task of
 * 我的待办 leads to the case page at the inspection the task names, marked and in view; the step is sent
 * back there with a written reason, which the case page then shows. And the policy page shows the
 * practice settings (督导把关, playbooks by kind, the acceptance form), shows the API's refusal of a pass
 * mark above the form's total, and publishes a new version with the changed days, a kind's playbook and
 * the pass mark — the kinds not changed left to their defaults.
 */
describe('issue 18 on the phone: 办理 a 督导把关 task, and the practice settings of the policy page', () => {
  let h: Harness;
  let base: string;
  let site: DemoSite;
  const users: Record<string, TestUser> = {};
  const browsers: { close(): Promise<void> }[] = [];

  const api = (username: string) => as(h.app, users[username]);
  const stateOf = async (caseId: string): Promise<CaseState> => (await api('zzb_admin').get(`/api/cases/${caseId}`).expect(200)).body.live;
  const policyOf = async () => (await api('zzb_admin').get(`/api/counties/${users.zzb_admin.regionId}/policy`).expect(200)).body as { version: number; policy: Record<string, unknown> };

  const phoneOf = async (username: string): Promise<Page> => {
    const browser: { context: BrowserContext; close(): Promise<void> } = await launchChromium({ viewport: PHONE });
    browsers.push(browser);
    const page = await browser.context.newPage();
    await signIn(page, base, username, DEMO_PASSWORD);
    return page;
  };
  const fitsThePhone = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');

  beforeAll(async () => {
    site = await startDemoSite('rectification_practice');
    ({ h, base } = site);
    Object.assign(users, site.users);
  });

  afterAll(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    await site?.close();
  });

  it('takes the county from 办理 on a 督导把关 task to the inspection on the case page, where it sends the problem list back with a reason', async () => {
    // The county signs off the problem list (named here, whatever the default); a case designated now keeps that.
    await api('zzb_admin').post(`/api/counties/${users.zzb_admin.regionId}/policy`).send({ inspectionSteps: ['problem_list', 'plan', 'acceptance_request'], note: '关键环节督导把关' }).expect(201);
    const caseId = await freshHefengCase(site, 'xj_lingdao2');
    await api('hefeng_shuji')
      .post(`/api/cases/${caseId}/problems`)
      .send({ description: '三会一课不正常', reasonCode: 'C4', cureTag: '治散', rootCause: '支部书记缺位，无人组织', evidence: '会议记录本空白' })
      .expect(201);
    const confirmed = (await api('hefeng_shuji').post(`/api/cases/${caseId}/problem-list/confirm`).send({}).expect(200)).body.state as CaseState;
    const inspection = confirmed.inspections!.find((i) => i.step === 'problem_list' && i.status === 'pending')!;
    expect(inspection).toBeDefined();
    const organization = confirmed.organizationName;
    await eventually(
      async () => ((await api('zzb_admin').get('/api/tasks?status=open&kind=inspect_step&limit=100').expect(200)).body.items as { subjectId: string | null }[]).some((t) => t.subjectId === inspection.id) || undefined,
      15_000,
      'the 督导把关 task of the problem list',
    );

    const page = await phoneOf('zzb_admin');
    await page.goto(`${base}/tasks`);
    await page.fill('[data-testid=task-search]', organization);
    const card = page.locator('[data-testid=task-card-inspect_step]', { hasText: organization });
    await card.waitFor();
    expect(await card.textContent()).toContain('督导把关');
    const doIt = card.locator('[data-testid=do-inspect_step]');
    expect((await doIt.textContent())?.trim()).toBe('办理');
    await doIt.click();
    await page.waitForURL((url) => url.pathname === `/cases/${caseId}` && url.searchParams.get('section') === 'inspections');

    // The case page opens at the inspection the task names: marked, in view, with 通过 and 退回 beside it.
    const row = page.locator(`[data-testid="inspection-${inspection.id}"]`);
    await row.and(page.locator('[data-focused=true]')).waitFor();
    await expectText(page, 'inspection-focus-hint', '待您把关', 'contains');
    await eventually(
      async () => {
        const box = await row.boundingBox();
        return box && box.y >= 0 && box.y + box.height <= PHONE.height ? box : undefined;
      },
      5_000,
      'the inspection scrolled into view',
    );

    // 退回 asks for the written reason; a short one is refused in the prompt, a full one sends the list back.
    await page.click(`[data-testid="inspection-send-back-${inspection.id}"]`);
    const prompt = page.locator('.el-message-box');
    await prompt.waitFor();
    const reason = '问题查摆不深入，病灶分析流于表面，请重新过筛子';
    await prompt.locator('textarea').fill('太短');
    await prompt.getByRole('button', { name: '退回' }).click();
    await prompt.getByText('退回理由不少于10个字').waitFor();
    await prompt.locator('textarea').fill(reason);
    await prompt.getByRole('button', { name: '退回' }).click();
    await prompt.waitFor({ state: 'hidden' });
    await expectText(page, `inspection-status-${inspection.id}`, '已退回');
    await expectText(page, `inspection-${inspection.id}`, `退回理由：${reason}`, 'contains');
    expect(await page.locator(`[data-testid="inspection-send-back-${inspection.id}"]`).count()).toBe(0);
    expect((await stateOf(caseId)).inspections!.find((i) => i.id === inspection.id)).toMatchObject({ status: 'sent_back', opinion: reason, decidedBy: { id: users.zzb_admin.id } });
    expect(await fitsThePhone(page)).toBe(true);
  });

  it('shows the practice settings on the policy page, the refusal of a pass mark above the total, and publishes the changed ones', async () => {
    const before = await policyOf();
    const page = await phoneOf('zzb_admin');
    await page.goto(`${base}/admin/policy`);
    await expectText(page, 'policy-version', before.version === 0 ? '版本 0' : `现行第 ${before.version} 版`, 'contains');
    await expectText(page, 'policy-practice-inspectionDays', before.policy.inspectionDays === undefined ? '10（默认）' : String(before.policy.inspectionDays));
    await expectText(page, 'policy-practice-playbooks.school', '“四个认同”教育课堂化项目（不少于1个）', 'contains');
    if (before.policy.acceptanceForm === undefined) await expectText(page, 'policy-practice-acceptanceForm', '6个方面24项，满分100分，70分合格；不满意超过50%一票否决（默认）');

    await page.click('[data-testid=policy-edit]');
    const days = page.locator('[data-testid=practice-inspection-days] input');
    await days.waitFor();
    await days.fill('15');
    await days.blur();
    await page.locator('[data-testid=practice-playbook-school] .el-collapse-item__header').click();
    const schoolProjects = page.locator('[data-testid=practice-playbook-school-min] input');
    await schoolProjects.fill('2');
    await schoolProjects.blur();
    const passMark = page.locator('[data-testid=practice-pass-mark] input');
    await passMark.fill('150');
    await passMark.blur();
    await page.fill('[data-testid=policy-note]', '督导把关期限15天，学校两个项目，80分合格');

    // The API refuses a pass mark above the form's 100 points; the page says so in its words and keeps the form.
    await page.click('[data-testid=policy-publish]');
    await expectText(page, 'policy-error', '合格分', 'contains');
    expect((await policyOf()).version).toBe(before.version);

    await passMark.fill('80');
    await passMark.blur();
    await page.click('[data-testid=policy-publish]');
    await expectText(page, 'policy-diff', `已发布第 ${before.version + 1} 版`, 'contains');
    await expectText(page, 'policy-diff', '督导把关期限（天）', 'contains');
    await expectText(page, 'policy-diff', '分类整顿要求·学校', 'contains');
    await expectText(page, 'policy-version', `现行第 ${before.version + 1} 版`, 'contains');
    await expectText(page, 'policy-practice-inspectionDays', '15');
    await expectText(page, 'policy-practice-playbooks.school', '（不少于2个）', 'contains');
    await expectText(page, 'policy-practice-acceptanceForm', '80分合格', 'contains');
    expect(await fitsThePhone(page)).toBe(true);

    const after = await policyOf();
    expect(after.version).toBe(before.version + 1);
    expect(after.policy).toMatchObject({ inspectionDays: 15, playbooks: { school: { sixthTrack: '“四个认同”教育课堂化项目', minProjects: 2 } }, acceptanceForm: { passMark: 80 } });
    // Only the kind changed is added to those published; the others keep following the defaults.
    expect(Object.keys(after.policy.playbooks as object).sort()).toEqual([...new Set([...Object.keys((before.policy.playbooks as object | undefined) ?? {}), 'school'])].sort());
  });
});
