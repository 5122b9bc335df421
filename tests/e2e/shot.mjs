// A developer's tool, not a test: screenshots of pages of a running server.
//   node tests/e2e/shot.mjs URL LOGIN PASSWORD OUT_PREFIX PATH... [--phone]
import { launch, newPage, login, DESKTOP, PHONE } from './lib/browser.mjs';

const [base, user, pw, out, ...rest] = process.argv.slice(2);
const phone = rest.includes('--phone');
const paths = rest.filter((p) => p !== '--phone');
const browser = await launch();
const page = await newPage(browser, base, phone ? PHONE : DESKTOP);
await login(page, user, pw);
for (const [i, p] of paths.entries()) {
  await page.goto(base + p);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(400);
  const file = `${out}-${i}.png`;
  await page.screenshot({ path: file, fullPage: true });
  console.log(file);
}
if (page.problems.length) console.log('PROBLEMS:\n' + page.problems.join('\n'));
await browser.close();
