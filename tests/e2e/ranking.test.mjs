// 通报排名 in a real browser: the county's operator sees the units ranked with their 红黄绿 marks,
// a figure opens the problems behind it in the list, a unit's name ranks the units under it, the
// thresholds dialog refuses a yellow bound above the green one (in Chinese, beside the field) and
// saves a good one, which recolours the ranking. Screenshots at 1440×900 and 390×844.
// The clock is fixed (DUBAN_NOW) and the period is given in the page's URL, so nothing depends
// on the day the suite runs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, USER_PW } from '../api/lib/server.mjs';
import { closeLoop, county, problemBody, register } from '../api/lib/problems.mjs';
import { launch, newPage, login, shot, PHONE } from './lib/browser.mjs';
import { assertClean } from './lib/ui.mjs';

const WIDE = { width: 1440, height: 900 };
let srv, browser, ctx;
const PERIOD = 'found_from=2026-01-01&found_to=2026-12-31';

test.before(async () => {
  srv = await startServer({ env: { DUBAN_NOW: '2026-05-01T09:00:00+08:00' } });
  ctx = await county(srv);
  const U = ctx.units;
  const a = await register(ctx.operator, problemBody(U.townA.id, { found_on: '2026-04-01', deadline: '2026-06-30' }));
  await closeLoop(ctx, ctx.handlerA, a.id);
  await register(ctx.operator, problemBody(U.townB.id, { found_on: '2026-03-02', deadline: '2026-04-10' }));
  await register(ctx.operator, problemBody(U.townB.id, { found_on: '2026-04-20', deadline: '2026-06-30' }));
  browser = await launch();
});
test.after(async () => {
  await browser?.close();
  await srv?.stopClean();
});

test('the operator ranks the units, drills into a figure and into a township', async () => {
  const page = await newPage(browser, srv.url, WIDE);
  await login(page, 'operator', USER_PW);
  await page.goto(srv.url + '/problems/ranking?' + PERIOD);
  const rows = page.locator('.ranking .el-table__body tr');
  await rows.first().filter({ hasText: '甲镇' }).waitFor();
  assert.match(await rows.nth(0).innerText(), /1\s+甲镇\s+1\s+1\s+100/);
  assert.match(await rows.nth(1).innerText(), /2\s+乙镇\s+2\s+0\s+0/);
  assert.equal(await rows.nth(0).locator('.mark.red').count(), 0, '甲镇 solved all its problems');
  assert.equal(await rows.nth(1).locator('.mark.red').count(), 1);
  await shot(page, 'ranking-desktop');

  // 乙镇's overdue figure opens its one overdue problem in the list.
  await rows.nth(1).locator('a.fig').nth(2).click();
  await page.waitForURL((u) => u.pathname === '/problems' && u.searchParams.get('overdue') === '1');
  await page.locator('.summary', { hasText: '共 1 条' }).waitFor();
  await page.goBack();
  await rows.first().filter({ hasText: '甲镇' }).waitFor();

  // 甲镇's name ranks its village; 上一级 comes back.
  await rows.nth(0).locator('a.unit').click();
  await page.locator('h2', { hasText: '（甲镇）' }).waitFor();
  await rows.first().filter({ hasText: '甲镇东街村' }).waitFor();
  await page.getByRole('button', { name: '上一级' }).click();
  await rows.first().filter({ hasText: '甲镇' }).waitFor();
  assertClean(page, 'ranking');
});

test('the thresholds dialog: a bad order refused beside the field, a good one recolours', async () => {
  const page = await newPage(browser, srv.url, WIDE);
  await login(page, 'operator', USER_PW);
  await page.goto(srv.url + '/problems/ranking?' + PERIOD);
  const rows = page.locator('.ranking .el-table__body tr');
  await rows.first().filter({ hasText: '甲镇' }).waitFor();
  await page.getByRole('button', { name: '红黄绿标准' }).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor();
  const num = (label) => dialog.locator('.el-form-item', { hasText: label }).locator('input');
  await num('解决率 黄').fill('95');
  await num('解决率 黄').blur();
  await dialog.getByRole('button', { name: '保存' }).click();
  await dialog.getByText('黄色界限须介于绿色与红色界限之间').waitFor();
  await num('解决率 黄').fill('0');
  await num('解决率 绿').fill('0');
  await num('逾期 黄').fill('5');
  await num('逾期 红').fill('9');
  await num('逾期 红').blur();
  await dialog.getByRole('button', { name: '保存' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await rows.nth(1).locator('.mark.green').waitFor();
  assertClean(page, 'thresholds', [/^400 PUT \/api\/v1\/problems\/ranking\/thresholds/]);
});

test('at phone width the ranking still reads', async () => {
  const page = await newPage(browser, srv.url, PHONE);
  await login(page, 'operator', USER_PW);
  await page.goto(srv.url + '/problems/ranking?' + PERIOD);
  await page.locator('.ranking .el-table__body tr').first().filter({ hasText: '甲镇' }).waitFor();
  await shot(page, 'ranking-phone');
});
