// The closed loop in a real browser, as the county's people would do it: the operator
// registers a problem and assigns it; the township signs, reports progress and claims
// completion with a photo; a supervisor from another unit verifies it on a phone; it shows as
// closed and the dashboard figures change. Also: a user without the right sees no action
// buttons and a forged request is refused; a server error appears next to its field.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, USER_PW } from '../api/lib/server.mjs';
import { county, PNG } from '../api/lib/problems.mjs';
import { launch, newPage, login, shot, PHONE } from './lib/browser.mjs';
import { item, fill, choose, chooseUnit, fieldError, openAction, expectState, assertClean } from './lib/ui.mjs';

let srv;
let browser;
let ctx;
test.before(async () => {
  srv = await startServer();
  ctx = await county(srv);
  browser = await launch();
});
test.after(async () => {
  await browser?.close();
  await srv?.stopClean();
});

async function as(loginName, viewport) {
  const page = await newPage(browser, srv.url, viewport);
  await login(page, loginName, USER_PW);
  return page;
}

async function figure(page, label) {
  const fig = page.locator('.fig').filter({ has: page.locator('.fig-label', { hasText: label }) });
  return Number((await fig.locator('.fig-num').textContent()).trim());
}

async function taskCount(page, title) {
  const t = page.locator('.task').filter({ has: page.locator('.task-title', { hasText: title }) });
  return Number((await t.locator('.task-count').textContent()).trim());
}

const TITLE = '前进社区消防通道被占用';
let problemUrl;
let foundBefore;
let solvedBefore;

test('the operator registers a problem (a bad deadline is refused next to its field) and assigns it', async () => {
  const page = await as('operator');
  await page.locator('.fig').first().waitFor();
  foundBefore = await figure(page, '发现问题');
  solvedBefore = await figure(page, '已销号');
  await shot(page, 'dashboard-operator');

  await page.locator('.el-sub-menu__title', { hasText: '问题清单' }).click();
  await page.getByRole('menuitem', { name: '登记问题' }).click();
  await page.waitForURL('**/problems/new');
  await choose(page, page, '问题来源', '调研');
  await choose(page, page, '问题类别', '安全生产');
  await fill(page, '问题标题', TITLE);
  await fill(page, '问题描述', '调研发现甲镇前进社区消防通道被杂物占用，存在安全隐患。');
  await chooseUnit(page, page, '责任单位', '甲镇');
  await fill(page, '整改措施', '清理杂物，设置禁停标识。');
  await item(page, '整改时限').getByText('指定日期').click();
  const due = item(page, '整改时限').locator('input[placeholder="截止日期"]');
  await due.fill('2020-01-01');
  await due.press('Enter');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  assert.equal(await fieldError(page, '整改时限'), '整改时限不能早于发现时间');
  await shot(page, 'register-error');

  await item(page, '整改时限').getByText('工作日', { exact: true }).click();
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.waitForURL(/\/problems\/\d+$/);
  problemUrl = page.url();
  await expectState(page, '已登记');

  const dialog = await openAction(page, '交办');
  await fill(dialog, '交办意见', '请于时限内整改到位');
  await dialog.getByRole('button', { name: '提交交办' }).click();
  await expectState(page, '已交办');
  await shot(page, 'problem-assigned');
  assertClean(page, 'operator', [/^400 POST \/api\/v1\/problems$/]);
});

test('the township signs, reports progress and claims completion with a photo', async () => {
  const page = await as('handlera');
  await page.locator('.task').first().waitFor();
  assert.equal(await taskCount(page, '待签收'), 1);
  await page.locator('.task').filter({ hasText: '待签收' }).click();
  await page.waitForURL(/task=sign/);
  await page.getByRole('link', { name: TITLE }).click();
  await page.waitForURL(problemUrl);

  let dialog = await openAction(page, '签收');
  await dialog.getByRole('button', { name: '提交签收' }).click();
  await expectState(page, '整改中');

  dialog = await openAction(page, '报送进展');
  await dialog.getByRole('button', { name: '提交报送进展' }).click();
  assert.equal(await fieldError(dialog, '进展情况'), '请填写进展情况');
  await fill(dialog, '进展情况', '已清理杂物三车，正在设置标识。');
  await dialog.getByRole('button', { name: '提交报送进展' }).click();
  await page.locator('.timeline').getByText('已清理杂物三车').waitFor();

  dialog = await openAction(page, '申请销号');
  await fill(dialog, '整改情况', '杂物已全部清理，禁停标识已设置。');
  await dialog.locator('input[type=file]').setInputFiles({ name: '整改照片.png', mimeType: 'image/png', buffer: PNG });
  await dialog.locator('.upload img').waitFor();
  await dialog.locator('.upload .el-progress').waitFor({ state: 'detached' });
  await shot(page, 'claim-form');
  await dialog.getByRole('button', { name: '提交申请销号' }).click();
  await expectState(page, '申请销号');
  await page.locator('.evidence .thumb').first().waitFor();
  assertClean(page, 'township');
});

test('a user without the right sees no action buttons, and a forged request is refused', async () => {
  // The township's own supervisor may read it but not verify his own township's work.
  const page = await as('supa');
  await page.goto(problemUrl);
  await page.getByText('当前没有您可以办理的操作').waitFor();
  assert.equal(await page.locator('.actions-card .actions button').count(), 0);
  const id = problemUrl.split('/').pop();
  const forged = await page.evaluate(async (pid) => {
    const me = await (await fetch('/api/v1/session')).json();
    const post = (headers) => fetch(`/api/v1/problems/${pid}/actions/verify_pass`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ fields: { method: '电话核实', finding: '伪造' } }) });
    const withToken = await post({ 'X-CSRF-Token': me.csrf_token });
    const without = await post({});
    return [withToken.status, (await withToken.json()).error.code, without.status, (await without.json()).error.code];
  }, id);
  assert.deepEqual(forged, [403, 'flow_outside_unit', 403, 'csrf']);
  // A neighbouring township cannot even read it.
  const other = await as('handlerb');
  await other.goto(problemUrl);
  await other.getByText('您无权查看此问题').waitFor();
  assertClean(page, 'township supervisor', [/^403 POST \/api\/v1\/problems\/\d+\/actions\/verify_pass$/]);
  assertClean(other, 'neighbouring township', [/^403 GET \/api\/v1\/problems\/\d+(\/actions)?$/]);
});

test('the leader applies 挂牌督办 naming a leader from the users, once; the timeline names people, not logins', async () => {
  const page = await as('leader');
  await page.goto(problemUrl);
  const dialog = await openAction(page, '挂牌督办');
  await dialog.getByRole('button', { name: '提交挂牌督办' }).click();
  assert.equal(await fieldError(dialog, '督办领导'), '请选择督办领导');
  await item(dialog, '督办领导').locator('.el-select__wrapper').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '张县长（县委办公室）' }).click();
  await fill(dialog, '督办要求', '本周内办结');
  await shot(page, 'supervise-form');
  await dialog.getByRole('button', { name: '提交挂牌督办' }).click();
  await page.locator('.tags').getByText('挂牌督办：张县长').waitFor();
  const ev = page.locator('.timeline .el-timeline-item', { hasText: '督办要求' });
  await ev.waitFor();
  const text = await ev.textContent();
  assert.match(text, /挂牌督办\s*·\s*张县长（县委办公室）/);
  assert.match(text, /督办领导：\s*张县长（县委办公室）/);
  assert.match(text, /督办要求：\s*本周内办结/);
  assert.doesNotMatch(text, /交办意见/);
  // Every step names its person as 姓名（单位）, none by login name.
  const timeline = await page.locator('.timeline').textContent();
  assert.match(timeline, /交办\s*·\s*周督查（县委督查室）/);
  assert.match(timeline, /签收\s*·\s*甲镇经办人（甲镇）/);
  for (const login of ['operator', 'handlera', 'leader']) assert.ok(!timeline.includes(login), login);
  // Only once: the button is gone.
  assert.equal(await page.locator('.actions-card').getByRole('button', { name: '挂牌督办', exact: true }).count(), 0);
  await shot(page, 'supervised-timeline');
  assertClean(page, 'leader, supervise');
});

test('a supervisor from another unit verifies it on a phone; it closes and the figures change', async () => {
  const page = await as('supervisor', PHONE);
  await page.locator('.task').first().waitFor();
  assert.equal(await taskCount(page, '待核查销号'), 1);
  await shot(page, 'dashboard-supervisor-phone');
  await page.goto(problemUrl);
  const dialog = await openAction(page, '核查通过并销号');
  await dialog.getByText('实地核查（四不两直）').click();
  await fill(dialog, '核查情况', '现场查看，通道畅通，标识清晰。');
  await shot(page, 'verify-phone');
  await dialog.getByRole('button', { name: '提交核查通过并销号' }).click();
  await expectState(page, '已销号');
  await shot(page, 'problem-closed-phone');
  assertClean(page, 'supervisor');

  const op = await as('operator');
  await op.locator('.fig').first().waitFor();
  assert.equal(await figure(op, '发现问题'), foundBefore + 1);
  assert.equal(await figure(op, '已销号'), solvedBefore + 1);
  await op.locator('.fig').filter({ hasText: '已销号' }).click();
  await op.waitForURL(/state=closed/);
  await op.getByRole('link', { name: TITLE }).waitFor();
  await shot(op, 'list-closed');
  assertClean(op, 'operator dashboard');
});
