import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_BATCH_YEAR, DEMO_PASSWORD } from '../../apps/api/src/demo/demo-county';
import type { AttachmentView } from '../../libs/http';
import { photoWithGps } from '../support/attachment-files';
import { as, type TestUser } from '../support/auth';
import { eventually, type Harness } from '../support/harness';
import { HTTP_TEAM, todayInShanghai } from '../support/http-playbook';
import { launchChromium, signIn } from './browser';
import { startDemoSite, type DemoSite } from './demo-site';

jest.setTimeout(240_000);

const PHONE = { width: 390, height: 844 };

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

  const freshCase = async (leader: string): Promise<string> => {
    const township = users.hefeng_shuji.regionId;
    const orgs = (await api('zzb_admin').get(`/api/organizations?townshipId=${township}&limit=200`).expect(200)).body.items as { id: string }[];
    const cases = (await api('zzb_admin').get(`/api/cases?batchYear=${DEMO_BATCH_YEAR}&limit=200`).expect(200)).body.items as { organizationId: string }[];
    const taken = new Set(cases.map((c) => c.organizationId));
    for (const org of orgs.filter((o) => !taken.has(o.id))) {
      const res = await api('zzb_admin').post('/api/cases').send({ organizationId: org.id, batchYear: DEMO_BATCH_YEAR, reasons: ['C4'], note: '组织生活长期不正常，三会一课无记录，经县委组织部研判认定' });
      if (res.status === 409) continue;
      expect(res.status).toBe(201);
      const id = res.body.id as string;
      await api('zzb_admin').post(`/api/cases/${id}/contact-leader`).send({ leaderUserId: users[leader].id }).expect(200);
      await api('hefeng_shuji').post(`/api/cases/${id}/team`).send({ arrivedOn: todayInShanghai(), members: HTTP_TEAM }).expect(201);
      return id;
    }
    throw new Error('禾丰镇 has no organization left to designate');
  };

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
});
