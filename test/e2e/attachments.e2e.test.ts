import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-county';
import type { AttachmentView } from '../../libs/http';
import { photoWithGps } from '../support/attachment-files';
import { as, type TestUser } from '../support/auth';
import { eventually, type Harness } from '../support/harness';
import { todayInShanghai } from '../support/http-playbook';
import { launchChromium, signIn, PHONE } from './browser';
import { freshHefengCase, startDemoSite, type DemoSite } from './demo-site';

jest.setTimeout(240_000);


/**
 * Issue 20 at 390 × 844: a contact leader records a visit on the case page, takes up the offer to attach a
 * photo of it, picks the photo, and sees its thumbnail beside the visit; a tap opens it in the phone viewer.
 * The test designates a case of its own in 禾丰镇.
 */
describe('attachments on the phone', () => {
  let h: Harness;
  let base: string;
  let site: DemoSite;
  const users: Record<string, TestUser> = {};
  const browsers: { close(): Promise<void> }[] = [];
  const api = (username: string) => as(h.app, users[username]);

  const freshCase = (leader: string): Promise<string> => freshHefengCase(site, leader);

  beforeAll(async () => {
    site = await startDemoSite('rectification_attachments');
    ({ h, base } = site);
    Object.assign(users, site.users);
  });

  afterAll(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    await site?.close();
  });

  it('lets a contact leader attach a photo to the visit just recorded, shows its thumbnail and opens it in the viewer', async () => {
    const caseId = await freshCase('xj_lingdao2');
    const photo = join(tmpdir(), `走访照片-${Date.now()}.jpg`);
    writeFileSync(photo, await photoWithGps(1200, 900));

    const browser: { context: BrowserContext; close(): Promise<void> } = await launchChromium({ viewport: PHONE });
    browsers.push(browser);
    const page: Page = await browser.context.newPage();
    await signIn(page, base, 'xj_lingdao2', DEMO_PASSWORD);
    await page.goto(`${base}/cases/${caseId}`);

    await page.locator('[data-testid="action-recordGuidanceVisit"]').click();
    await page.locator('[data-testid=field-summary]').click();
    await page.keyboard.type('听取工作队汇报，召开党员座谈会');
    await page.locator('[data-testid=action-submit]').click();
    await page.locator('[data-testid=action-dialog]').waitFor({ state: 'hidden' });

    // The card offers the upload for the visit just recorded.
    const offer = page.locator('[data-testid=attachment-offer]');
    await offer.waitFor();
    expect(await offer.textContent()).toContain('调研指导');
    await page.locator('[data-testid=attachment-offer-upload]').click();
    const dialog = page.locator('[data-testid=attachment-dialog]').first();
    await page.locator('.van-uploader').first().waitFor();
    expect(await page.locator('[data-testid=attachment-target-label]').textContent()).toContain('调研指导');
    await page.locator('.van-uploader input[type=file]').first().setInputFiles(photo);

    // Kept on the server as the visit's evidence…
    const visitId = await eventually(async () => {
      const list = (await api('xj_lingdao2').get(`/api/cases/${caseId}/attachments`).expect(200)).body as AttachmentView[];
      return list.find((a) => a.subjectKind === 'visit' && a.hasThumbnail)?.subjectKey;
    }, 30_000, 'the photo kept');
    await dialog.waitFor({ state: 'hidden' });
    // …and shown beside it, as a thumbnail that fits the phone.
    const thumb = page.locator(`[data-testid="attachments-visit-${visitId}"] [data-testid=attachment-thumb]`).first();
    await thumb.waitFor();
    await thumb.scrollIntoViewIfNeeded();
    const box = (await thumb.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await page.waitForFunction(`Array.from(document.querySelectorAll('[data-testid="attachments-visit-${visitId}"] img')).some((i) => i.complete && i.naturalWidth > 0)`);

    // A tap opens the photo in the phone viewer.
    await thumb.click();
    const viewer = page.locator('.van-image-preview');
    await viewer.waitFor();
    // The full photo (1200 px wide), not the thumbnail.
    await page.waitForFunction(`Array.from(document.querySelectorAll('.van-image-preview img')).some((i) => i.complete && i.naturalWidth >= 1000)`);
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  });

  it('closes a problem on the phone where the county requires evidence for 销号: the form says so, the photo uploaded in it is sent with the 销号', async () => {
    // The county asks for an attachment on every 销号; a case designated from now on keeps that policy.
    await api('zzb_admin').post(`/api/counties/${users.zzb_admin.regionId}/policy`).send({ attachments: { requiredFor: ['problem_close'] }, note: '销号须附佐证' }).expect(201);
    const caseId = await freshCase('xj_lingdao2');
    const act = (who: string, path: string, body: object, status: number) => api(who).post(`/api/cases/${caseId}${path}`).send(body).expect(status);
    await act('xj_lingdao2', '/visits', { visitedOn: todayInShanghai(), place: '村党群服务中心', summary: '听取汇报，走访党员群众', problemsFound: ['组织生活不经常'] }, 201);
    const added = await act('hefeng_shuji', '/problems', { description: '三会一课不正常', reasonCode: 'C4', cureTag: '治散', rootCause: '支部书记缺位，无人组织', evidence: '会议记录本空白' }, 201);
    const problemId = (added.body.state.problems as { id: string }[]).at(-1)!.id;
    await act('hefeng_shuji', '/problem-list/confirm', {}, 200);
    const photo = join(tmpdir(), `整改照片-${Date.now()}.jpg`);
    writeFileSync(photo, await photoWithGps(1200, 900));

    const browser: { context: BrowserContext; close(): Promise<void> } = await launchChromium({ viewport: PHONE });
    browsers.push(browser);
    const page: Page = await browser.context.newPage();
    await signIn(page, base, 'hefeng_shuji', DEMO_PASSWORD);
    await page.goto(`${base}/cases/${caseId}`);

    await page.locator(`[data-testid="action-closeProblem-${problemId}"]`).click();
    const form = page.locator('[data-testid=action-dialog]');
    expect(await form.locator('[data-testid=step-attachments-required]').textContent()).toContain('本县要求销号附佐证材料');
    await page.locator('[data-testid=field-fixEvidence]').click();
    await page.keyboard.type('召开支部党员大会，三会一课台账补齐');
    await form.locator('[data-testid=step-attachment-input]').setInputFiles(photo);
    // Listed in the form under its name, ticked.
    const item = form.locator('[data-testid=step-attachment]').first();
    await item.waitFor();
    expect(await item.textContent()).toContain('整改照片');
    expect(await item.locator('input[type=checkbox]').isChecked()).toBe(true);
    const box = (await item.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await page.locator('[data-testid=action-submit]').click();
    await form.waitFor({ state: 'hidden' });

    // Closed, with the photo as its evidence.
    const state = (await api('hefeng_shuji').get(`/api/cases/${caseId}`).expect(200)).body.live as { problems: { id: string; status: string }[] };
    expect(state.problems.find((p) => p.id === problemId)?.status).toBe('closed');
    const list = (await api('hefeng_shuji').get(`/api/cases/${caseId}/attachments`).expect(200)).body as AttachmentView[];
    expect(list.filter((a) => a.subjectKind === 'problem_closed' && a.subjectKey === problemId).map((a) => a.name)).toEqual([expect.stringContaining('整改照片')]);
    await page.locator(`[data-testid="problem-${problemId}"]`).getByText('已销号').waitFor();
  });
});
