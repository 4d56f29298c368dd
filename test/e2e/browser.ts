import type { BrowserContext, Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's chromium through playwright-core (scripts/lib/chromium.js), and the dashboard's build. */
const chromium: {
  CHROMIUM_PATH: string;
  chromiumPath(): string | undefined;
  launchChromium(opts?: { viewport?: { width: number; height: number } }): Promise<{ context: BrowserContext; close(): Promise<void> }>;
} = require('../../scripts/lib/chromium');
const npmDeps: { buildWeb(): void } = require('../../scripts/lib/npm-deps');

export const ROOT = join(__dirname, '..', '..');
export const WEB_INDEX = join(ROOT, 'dist', 'web', 'index.html');

/** Fails with what to do when chromium is missing (npm test installs it before Jest starts). */
export function requireChromium(): string {
  const path = chromium.chromiumPath();
  if (!path) {
    throw new Error(
      `Debian chromium is not installed at ${chromium.CHROMIUM_PATH}. The browser tests need it: run \`npm test\` (which installs it as root), ` +
        'or `apt-get update && apt-get install -y chromium fonts-wqy-microhei`.',
    );
  }
  return path;
}

/** The tests run against the built dashboard: build it when a single test file runs without `npm test`. */
export function ensureWebBuilt(): void {
  if (!existsSync(WEB_INDEX)) npmDeps.buildWeb();
}

export const launchChromium = chromium.launchChromium;

/** The viewports every page must work at: a phone (390 × 844) and a desk (1440 × 900). */
export const PHONE = { width: 390, height: 844 };
export const DESK = { width: 1440, height: 900 };

/** Signs in through the login page and waits for the app to leave it. */
export async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('[data-testid=login-username]', username);
  await page.fill('[data-testid=login-password]', password);
  await page.click('[data-testid=login-submit]');
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/**
 * Waits until the element with this test id shows the expected text (trimmed; `contains` for a part of
 * it), as a person waits for a page to load: a page fills its fields after its requests answer, so a
 * read right after the element appears may see the text before the data. Fails with the last text seen.
 */
export async function expectText(page: Page, testId: string, expected: string, how: 'is' | 'contains' = 'is', timeoutMs = 15_000): Promise<void> {
  const locator = page.locator(`[data-testid="${testId}"]`).first();
  const deadline = Date.now() + timeoutMs;
  let seen = '';
  for (;;) {
    seen = ((await locator.textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => null)) ?? '').trim();
    if (how === 'is' ? seen === expected : seen.includes(expected)) return;
    if (Date.now() >= deadline) break;
    await page.waitForTimeout(100);
  }
  throw new Error(`[data-testid="${testId}"] ${how === 'is' ? 'should read' : 'should contain'} "${expected}", but read "${seen}" after ${timeoutMs} ms`);
}
