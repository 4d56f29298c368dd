import { DEMO_CITY, DEMO_COUNTY, DEMO_PASSWORD, DEMO_PROVINCE } from '../../apps/api/src/demo/demo-county';
import { RegionEntity } from '../../libs/persistence';
import { expectText, launchChromium, signIn, PHONE, DESK } from './browser';
import { startDemoSite, type DemoSite } from './demo-site';

jest.setTimeout(300_000);


/**
 * Issue 17: the demo's province organization department (sheng_zzb, 云岭省 → 青川市 → 青禾县) lands on
 * the roll-up and drills province → city → county → township → case, on a phone and on a desk.
 */
describe('a province organization department drills from the province to a case in the browser', () => {
  let site: DemoSite;
  let city: RegionEntity;
  let county: RegionEntity;

  beforeAll(async () => {
    site = await startDemoSite('rectification_e2e_rollup');
    const repo = site.h.dataSource.getRepository(RegionEntity);
    city = await repo.findOneByOrFail({ code: DEMO_CITY.code });
    county = await repo.findOneByOrFail({ code: DEMO_COUNTY.code });
  });
  afterAll(() => site?.close());

  it.each([
    ['a phone at 390 × 844', PHONE],
    ['a desk', DESK],
  ])('on %s', async (_, viewport) => {
    const browser = await launchChromium({ viewport });
    try {
      const page = await browser.context.newPage();
      await signIn(page, site.base, 'sheng_zzb', DEMO_PASSWORD);
      await page.waitForURL((url) => url.pathname.startsWith('/rollup'));
      await expectText(page, 'page-title', `${DEMO_PROVINCE.name} 整顿汇总`);

      await page.locator('[data-testid=rollup-row]', { hasText: DEMO_CITY.name }).first().click();
      await page.waitForURL((url) => url.pathname === `/rollup/${city.id}`);
      await expectText(page, 'page-title', `${DEMO_CITY.name} 整顿汇总`);

      await page.locator('[data-testid=rollup-row]', { hasText: DEMO_COUNTY.name }).first().click();
      await page.waitForURL((url) => url.pathname === `/rollup/${county.id}`);
      await expectText(page, 'page-title', `${DEMO_COUNTY.name} 整顿汇总`);
      await expectText(page, 'rollup-up', `返回${DEMO_CITY.name}`);

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
