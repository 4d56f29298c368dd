// @ts-check
'use strict';
/**
 * Debian's chromium for the browser tests (test/e2e) and `npm run screenshots`: no browser is
 * downloaded (only package registries are reachable), so playwright-core drives /usr/bin/chromium,
 * installed with apt-get when missing — with a CJK font, so pages render their Chinese.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { log, run, capture } = require('./proc');

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const APT_PACKAGES = ['chromium', 'fonts-wqy-microhei'];

/** Flags for a quiet, offline, throw-away browser (the user data dir is fresh each launch). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The chromium binary, or undefined when it is not installed. */
function chromiumPath() {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
    return CHROMIUM_PATH;
  } catch {
    return undefined;
  }
}

function hasCjkFont() {
  const out = capture('fc-list', [':lang=zh', 'family']);
  return !!out;
}

/** Installs chromium (and a CJK font) with apt-get when missing; throws with what to do if it cannot. */
function ensureChromium() {
  const missing = [];
  if (!chromiumPath()) missing.push('chromium');
  if (!hasCjkFont()) missing.push('fonts-wqy-microhei');
  if (missing.length === 0) return CHROMIUM_PATH;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    if (!chromiumPath()) {
      throw new Error(`Debian chromium is missing (${CHROMIUM_PATH}); install it as root: apt-get update && apt-get install -y ${APT_PACKAGES.join(' ')}`);
    }
    log(`no CJK font found: Chinese may render as boxes in screenshots (apt-get install -y fonts-wqy-microhei)`);
    return CHROMIUM_PATH;
  }
  log(`installing ${missing.join(', ')} with apt-get for the browser tests`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', ...APT_PACKAGES], { env });
  if (!chromiumPath()) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is still missing`);
  return CHROMIUM_PATH;
}

/**
 * Launches chromium through playwright-core with a fresh user data dir (removed on close).
 * @param {{ viewport?: { width: number, height: number } }} [opts]
 */
async function launchChromium(opts = {}) {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw new Error(`Debian chromium is not installed at ${CHROMIUM_PATH}: run npm test (it installs it) or apt-get install -y ${APT_PACKAGES.join(' ')}`);
  }
  const { chromium } = require('playwright-core');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectification-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: opts.viewport || { width: 1440, height: 900 },
  });
  return {
    context,
    async close() {
      try {
        await context.close();
      } finally {
        fs.rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

module.exports = { CHROMIUM_PATH, CHROMIUM_ARGS, chromiumPath, ensureChromium, launchChromium };
