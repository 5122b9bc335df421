// 执行监控 in a real browser (clock 2024-07-05): the department's clerk opens an approved
// project's monitoring tab and reports April — behind schedule, so the report is refused until
// the explanation and measures are written (the message beside the field) — then June; the
// finance bureau's monitoring list shows the project flagged, filters red, and the row opens
// the project's monthly reports. Screenshots at 1440×900 and at phone width.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, USER_PW } from '../api/lib/server.mjs';
import { budgetCounty, approvedProject } from '../api/lib/budget.mjs';
import { launch, newPage, login, shot, PHONE } from './lib/browser.mjs';
import { fill, fieldError, assertClean } from './lib/ui.mjs';

const WIDE = { width: 1440, height: 900 };
let srv, browser, u, c, p;

test.before(async () => {
  srv = await startServer({ env: { DUBAN_NOW: '2024-07-05T09:00:00+08:00' } });
  ({ u, c } = await budgetCounty(srv));
  p = await approvedProject(c, c.eduClerk, c.eduHead, u.edu, '教师能力提升培训');
  browser = await launch();
});
test.after(async () => {
  await browser?.close();
  await srv?.stopClean();
});

async function as(loginName, viewport = WIDE) {
  const page = await newPage(browser, srv.url, viewport);
  await login(page, loginName, USER_PW);
  return page;
}

test('the clerk reports a month behind schedule: refused without explanation, then flagged yellow', async () => {
  const page = await as('educlerk');
  await page.goto(`${srv.url}/budget/projects/${p.id}?tab=monitor`);
  await page.getByText('尚未报送执行监控情况').waitFor();
  await page.getByRole('button', { name: '报送执行情况' }).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor();
  await dialog.locator('.el-select__wrapper').first().click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^4 月末$/ }).click();
  await fill(dialog, '累计支付（元）', '13000.00');
  await dialog.getByText('执行率 13.0%').waitFor();
  await fill(dialog, '培训人数', '40');
  await dialog.getByRole('button', { name: '报送' }).click();
  assert.match(await fieldError(dialog, '偏差原因'), /黄色预警.*执行率 13\.0%/);
  await fill(dialog, '偏差原因', '设备招标延期至5月');
  await fill(dialog, '整改措施', '5月底前完成招标并支付首付款');
  await shot(page, 'budget-monitor-form');
  await dialog.getByRole('button', { name: '报送' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const row = page.locator('.reports .el-table__row').first();
  await row.getByText('4 月').waitFor();
  assert.equal((await row.locator('.el-tag').textContent()).trim(), '黄');
  await row.locator('.el-table__expand-icon').click();
  await page.getByText('设备招标延期至5月').waitFor();
  await shot(page, 'budget-monitor-project');
  assertClean(page, 'clerk reporting', [/^400 POST \/api\/v1\/budget/]);
});

test('the finance bureau sees the flagged project, filters red and drills down', async () => {
  // June: the unit cost cap exceeded → red (through the API; the page shows it)
  const inds = (await c.eduClerk.ok(`/api/v1/budget/projects/${p.id}/monitor`)).indicators;
  const uc = inds.find((i) => i.name === '人均培训成本').id;
  const r = await c.eduClerk.post(`/api/v1/budget/projects/${p.id}/monitor`, { month: 6, spent: 5000000, values: [{ indicator_id: uc, actual: '340' }], explanation: '讲课费标准上调', measures: '压减资料印刷费用' });
  assert.equal(r.status, 201, r.text);
  const page = await as('reviewer');
  await page.goto(`${srv.url}/budget/monitor`);
  const row = page.locator('.el-table__row', { hasText: '教师能力提升培训' });
  await row.waitFor();
  assert.equal((await row.locator('.el-tag').textContent()).trim(), '红');
  await row.getByText(/人均培训成本 340元\/人/).waitFor();
  await shot(page, 'budget-monitor-list');
  await page.getByRole('radio', { name: '红色' }).click({ force: true }).catch(() => page.locator('.el-radio-button', { hasText: '红色' }).click());
  await page.waitForURL(/flag=red/);
  await page.locator('.el-table__row', { hasText: '教师能力提升培训' }).click();
  await page.waitForURL(new RegExp(`/budget/projects/${p.id}\\?tab=monitor`));
  await page.locator('.reports .el-table__row', { hasText: '6 月' }).waitFor();
  assertClean(page, 'finance monitoring');

  const phone = await as('reviewer', PHONE);
  await phone.goto(`${srv.url}/budget/monitor`);
  await phone.locator('.el-table__row', { hasText: '教师能力提升培训' }).waitFor();
  await shot(phone, 'budget-monitor-list-phone');
  assertClean(phone, 'finance monitoring on a phone');
});
