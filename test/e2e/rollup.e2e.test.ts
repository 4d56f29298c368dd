import { randomUUID } from 'node:crypto';
import { DEMO_COUNTY } from '../../apps/api/src/demo/demo-county';
import { RegionEntity } from '../../libs/persistence';
import { signedInUser, TEST_PASSWORD, type TestUser } from '../support/auth';
import type { Harness } from '../support/harness';
import { expectText, launchChromium, signIn } from './browser';
import { startDemoSite, type DemoSite } from './demo-site';

jest.setTimeout(300_000);

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1440, height: 900 };

/**
 * Issue 17: a province organization department, above the demo county (演示省 → 演示市 → 青禾县), lands
 * on the roll-up and drills province → city → county → township → case, on a phone and on a desk.
 */
describe('a province organization department drills from the province to a case in the browser', () => {
  let site: DemoSite;
  let h: Harness;
  let user: TestUser;
  let city: RegionEntity;
  let county: RegionEntity;

  beforeAll(async () => {
    site = await startDemoSite('rectification_e2e_rollup');
    h = site.h;
    const repo = h.dataSource.getRepository(RegionEntity);
    const place = (name: string, level: 'province' | 'city', parent: RegionEntity | null) => {
      const id = randomUUID();
      return repo.save(repo.create({ id, code: `${level === 'province' ? '99' : '9901'}${randomUUID().slice(0, 6)}`, name, level, parentId: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/` }));
    };
    const province = await place('演示省', 'province', null);
    city = await place('演示市', 'city', province);
    county = await repo.findOneByOrFail({ code: DEMO_COUNTY.code });
    await repo.update({ id: county.id }, { parentId: city.id });
    user = await signedInUser(h.app, h.dataSource, 'province_org_admin', province.id, { name: '省委组织部干部' });
  });
  afterAll(() => site?.close());

  it.each([
    ['a phone at 390 × 844', PHONE],
    ['a desk', DESK],
  ])('on %s', async (_, viewport) => {
    const browser = await launchChromium({ viewport });
    try {
      const page = await browser.context.newPage();
      await signIn(page, site.base, user.username, TEST_PASSWORD);
      await page.waitForURL((url) => url.pathname.startsWith('/rollup'));
      await expectText(page, 'page-title', '演示省 整顿汇总');

      await page.locator('[data-testid=rollup-row]', { hasText: '演示市' }).first().click();
      await page.waitForURL((url) => url.pathname === `/rollup/${city.id}`);
      await expectText(page, 'page-title', '演示市 整顿汇总');

      await page.locator('[data-testid=rollup-row]', { hasText: DEMO_COUNTY.name }).first().click();
      await page.waitForURL((url) => url.pathname === `/rollup/${county.id}`);
      await expectText(page, 'page-title', `${DEMO_COUNTY.name} 整顿汇总`);
      await expectText(page, 'rollup-up', '返回演示市');

      await page.locator('[data-testid=rollup-row]', { hasText: '禾丰镇' }).first().click();
      await page.waitForURL((url) => url.pathname.startsWith('/townships/'));
      await page.locator('[data-testid="case-link-禾丰镇石桥村党支部"]').first().click();
      await page.waitForURL((url) => url.pathname.startsWith('/cases/'));
      await expectText(page, 'case-title', '禾丰镇石桥村党支部');
    } finally {
      await browser.close();
    }
  });
});
