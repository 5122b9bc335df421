// Headless Debian chromium driven by playwright-core (installed in web/node_modules by
// scripts/install-deps). Each page records console errors and uncaught exceptions so a test
// can assert the UI ran clean; screenshots go under the test output for review.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(new URL('../../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = path.join(process.env.TEST_OUTPUT || path.resolve('test-output'), 'screenshots');

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
           '--disable-extensions', '--no-first-run', '--lang=zh-CN'],
  });
}

/**
 * A new page at base with its own cookies. page.problems lists console errors, page errors
 * and any request to a host other than the server (the UI must fetch nothing from outside).
 */
export async function newPage(browser, base, viewport = DESKTOP) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  page.problems = [];
  page.httpErrors = [];
  // The browser logs every 4xx/5xx reply as a console error; those are recorded apart, so a
  // test can allow the refusals it provoked and still catch any other error.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) page.httpErrors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  const origin = new URL(base).origin;
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) page.problems.push(`outside request: ${u}`);
  });
  page.base = base;
  page.setDefaultTimeout(15000);
  return page;
}

/** Saves a full-page screenshot as SHOTS/name.png and returns its path. */
export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  // Let loading masks and dialogs finish fading, so the picture shows the settled page.
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')].some((e) => e.offsetParent !== null), null, { timeout: 5000 }).catch(() => {});
  await page.waitForTimeout(300);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in through the login form and waits for the page after it. */
export async function login(page, loginName, password) {
  await page.goto(page.base + '/login');
  await page.getByLabel('登录名').fill(loginName);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登 录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}
