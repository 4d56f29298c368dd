#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run first-load-bytes -- [--url http://127.0.0.1:3000] [--user hefeng_shuji] [--password …]`:
 * the bytes a first visit downloads over the wire, as a phone on a DingTalk link would: Debian's chromium
 * (playwright-core) with an empty cache opens the site's landing page — the sign-in page, and with
 * `--user` that user's landing page after signing in — and this prints every response's encoded size
 * (headers and compressed body, as sent) and their sum. It starts nothing: point it at a running
 * `npm start` (the default URL) or at the browser tests' demo site. Measured with Accept-Encoding: gzip.
 */
const { launchChromium, ensureChromium } = require('./lib/chromium');

/** @param {string} name */
function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/**
 * Loads `path` with an empty cache and sums what came over the wire until the network is idle.
 * @param {import('playwright-core').Page} page @param {string} url
 * @returns {Promise<{ total: number, items: { url: string, bytes: number, type: string }[] }>}
 */
async function measure(page, url) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  // The API compresses with gzip; chromium would also offer br and zstd.
  await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'gzip' } });
  /** @type {Map<string, { url: string, type: string }>} */
  const requests = new Map();
  /** @type {{ url: string, bytes: number, type: string }[]} */
  const items = [];
  cdp.on('Network.responseReceived', (e) => requests.set(e.requestId, { url: e.response.url, type: e.type }));
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    // data: URLs (a font inlined in a stylesheet) were counted with their stylesheet.
    if (r && !r.url.startsWith('data:')) items.push({ ...r, bytes: e.encodedDataLength });
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.waitForTimeout(500);
  await cdp.detach();
  return { total: items.reduce((n, i) => n + i.bytes, 0), items };
}

/** @param {string} title @param {{ total: number, items: { url: string, bytes: number, type: string }[] }} r @param {string} base */
function print(title, r, base) {
  console.log(`\n${title}`);
  for (const i of [...r.items].sort((a, b) => b.bytes - a.bytes)) {
    console.log(`  ${(i.bytes / 1024).toFixed(1).padStart(8)} KB  ${i.type.padEnd(10)} ${i.url.replace(base, '').slice(0, 100)}`);
  }
  console.log(`  ${(r.total / 1024).toFixed(1).padStart(8)} KB  total over the wire (${r.items.length} responses)`);
}

async function main() {
  const base = (arg('url') || process.env.APP_URL || 'http://127.0.0.1:3000').replace(/\/$/, '');
  const user = arg('user');
  const password = arg('password') || process.env.DEMO_PASSWORD || 'Demo@2026';
  const width = Number(arg('width')) || 390;
  const height = Number(arg('height')) || 844;
  ensureChromium();
  const browser = await launchChromium({ viewport: { width, height } });
  try {
    const page = await browser.context.newPage();
    const first = await measure(page, `${base}/`);
    print(`first load of ${base}/ (the sign-in page) at ${width} × ${height}`, first, base);
    if (user) {
      await page.fill('[data-testid=login-username]', user);
      await page.fill('[data-testid=login-password]', password);
      await page.click('[data-testid=login-submit]');
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      const landing = page.url();
      // Loaded again with the cache off and the session kept: the landing page as a first visit.
      const second = await measure(page, landing);
      print(`first load of ${user}'s landing page ${landing.replace(base, '')}`, second, base);
    }
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(`[first-load-bytes] ${err instanceof Error ? err.stack || err.message : String(err)}`);
  process.exit(1);
});
