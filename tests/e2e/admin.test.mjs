// The account and administration pages in a real browser, as the three administrators and a
// new user would use them on a fresh county: the system administrator changes the first
// password, adds a township and a user (reading the one-time password from the dialog), locks
// and unlocks the user; the security administrator grants the user a role over the township
// (and is refused a grant to himself, shown by the field); the new user logs in with the
// one-time password and must change it; the audit administrator filters the log and verifies
// the chain. Form errors appear next to their field; no page logs an error or fetches from
// outside. Screenshots of every page, at desktop and phone width, go under the test output.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PG, USER_PW, startServer } from '../api/lib/server.mjs';
import { launch, newPage, shot, login, PHONE } from './lib/browser.mjs';

const SLOW = 30000; // generous waits: the suite also runs against the ASan build
let srv, browser;
const pages = [];
const state = {};

// Administrators whose passwords come from the environment need not change them; without it
// `duban serve` initialises the database with one-time passwords (printed once), which must be
// changed at first login — the case this suite walks through.
const otps = {};
before(async () => {
  // A low-disk threshold of 1 PB: on SQLite the audit page shows its banner.
  srv = await startServer({
    env: { DUBAN_ADMIN_PASSWORD: '', DUBAN_SECADMIN_PASSWORD: '', DUBAN_AUDITOR_PASSWORD: '' },
    flags: ['--audit_disk_warn_mb', '1073741824'],
  });
  for (const m of srv.stdout().matchAll(/^\s*(admin|secadmin|auditor)\s+\S+\s+one-time password: (\S+)/gm)) otps[m[1]] = m[2];
  assert.deepEqual(Object.keys(otps).sort(), ['admin', 'auditor', 'secadmin'], srv.stdout());
  browser = await launch();
});

after(async () => {
  for (const p of pages) await p.context().close().catch(() => {});
  if (browser) await browser.close();
  if (srv) await srv.stopClean();
});

/** A browser page that also records every error reply ("STATUS METHOD /path"). */
async function open(viewport) {
  const page = await newPage(browser, srv.url, viewport);
  page.setDefaultTimeout(SLOW);
  page.errorReplies = [];
  page.on('response', (r) => {
    if (r.status() >= 400) page.errorReplies.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  pages.push(page);
  return page;
}

/**
 * No console error, page error or outside request, and no error reply but those `allowed`
 * (the browser logs each error reply as "Failed to load resource"; those are judged by reply).
 */
function assertClean(page, what, allowed = []) {
  const problems = page.problems.filter((p) => !p.startsWith('console: Failed to load resource'));
  assert.deepEqual(problems, [], `${what}: ${problems.join('\n')}`);
  const unexpected = page.errorReplies.filter((e) => !allowed.some((re) => re.test(e)));
  assert.deepEqual(unexpected, [], `${what}: unexpected error replies`);
}

/** The el-form-item labelled exactly `label` within scope. */
function item(scope, label) {
  const page = typeof scope.page === 'function' ? scope.page() : scope; // a locator or the page
  return scope.locator('.el-form-item').filter({
    has: page.locator('.el-form-item__label', { hasText: new RegExp(`^\\s*${label}\\s*$`) }),
  }).first();
}
async function fill(scope, label, text) {
  await item(scope, label).locator('input:visible').first().fill(text);
}
async function fieldError(scope, label) {
  const err = item(scope, label).locator('.el-form-item__error');
  await err.waitFor();
  return (await err.textContent()).trim();
}
/** Picks a unit by name in a unit tree select. */
async function chooseUnit(page, scope, label, name) {
  await item(scope, label).locator('.el-select__wrapper').click();
  await page.keyboard.type(name);
  await page.locator('.el-popper:visible .el-tree-node').getByText(name, { exact: true }).first().click();
  await page.keyboard.press('Escape');
}
function dialog(page) {
  return page.locator('.el-dialog:visible');
}
async function waitIdle(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
}

/** First login with a one-time password: the forced change page, then the new password. */
async function firstLogin(page, loginName, otp) {
  await login(page, loginName, otp);
  await page.waitForURL('**/password');
  await page.getByText('首次登录或密码被重置后，须先设置新密码才能继续使用。').waitFor();
  await page.getByLabel('原密码').fill(otp);
  await page.getByLabel('新密码', { exact: true }).fill(USER_PW);
  await page.getByLabel('再次输入新密码').fill(USER_PW);
  await page.getByRole('button', { name: '保存新密码' }).click();
  await page.waitForURL((u) => u.pathname === '/');
}

describe('administration in the browser', () => {
  test('the system administrator must change the first password; a weak one is refused by the field', async () => {
    const page = await open();
    state.admin = page;
    await login(page, 'admin', otps.admin);
    await page.waitForURL('**/password');
    await page.getByText('首次登录或密码被重置后，须先设置新密码才能继续使用。').waitFor();
    await shot(page, 'admin-01-forced-password');
    await page.getByLabel('原密码').fill(otps.admin);
    await page.getByLabel('新密码', { exact: true }).fill('abc12345');
    await page.getByLabel('再次输入新密码').fill('abc12345');
    await page.getByRole('button', { name: '保存新密码' }).click();
    const msg = await fieldError(page, '新密码');
    assert.match(msg, /[\u4e00-\u9fff]/, msg);
    await shot(page, 'admin-02-weak-password');
    await page.getByLabel('新密码', { exact: true }).fill(USER_PW);
    await page.getByLabel('再次输入新密码').fill(USER_PW);
    await page.getByRole('button', { name: '保存新密码' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    assertClean(page, 'admin password', [/^400 PUT \/api\/v1\/me\/password$/]);
    page.errorReplies.length = 0;
  });

  test('the system administrator adds a township; a duplicate code is shown by the field', async () => {
    const page = state.admin;
    await page.goto(srv.url + '/admin/units');
    await page.locator('.el-tree-node__content', { hasText: '示范县' }).first().click();
    await page.getByRole('button', { name: '新增下级单位' }).click();
    const d = dialog(page);
    await fill(d, '单位代码', 'county');
    await fill(d, '单位名称', '清水镇');
    await d.getByRole('button', { name: '保存' }).click();
    assert.equal(await fieldError(d, '单位代码'), '已存在相同的记录');
    await shot(page, 'admin-03-unit-duplicate-code');
    await fill(d, '单位代码', 'qingshui');
    await page.keyboard.press('Enter'); // Enter submits
    await page.locator('.detail-head h3', { hasText: '清水镇' }).waitFor();
    await page.locator('.el-tree-node__content', { hasText: '清水镇' }).waitFor();
    await page.locator('.detail-head').getByText('乡镇（街道）').waitFor();
    await page.getByText('变更记录').waitFor();
    await page.locator('.history .el-table__row', { hasText: '创建' }).waitFor();
    await shot(page, 'admin-04-units');
    assertClean(page, 'units', [/^409 POST \/api\/v1\/units$/, /^400 POST \/api\/v1\/units$/]);
    page.errorReplies.length = 0;
  });

  test('the system administrator adds a user and reads the one-time password; locks and unlocks', async () => {
    const page = state.admin;
    await page.goto(srv.url + '/admin/users');
    await page.getByRole('button', { name: '新增用户' }).click();
    const d = dialog(page);
    await fill(d, '登录名', 'qingshui01');
    await fill(d, '姓名', '清水镇经办人');
    await chooseUnit(page, d, '所属单位', '清水镇');
    await d.getByRole('button', { name: '保存' }).click();
    const otpBox = page.locator('[data-testid="otp"]');
    await otpBox.waitFor();
    state.otp = (await otpBox.textContent()).trim();
    assert.ok(state.otp.length >= 8, state.otp);
    await shot(page, 'admin-05-one-time-password');
    await page.getByRole('button', { name: '我已记下' }).click();

    const row = page.locator('.el-table__row', { hasText: 'qingshui01' });
    await row.getByText('待改密').waitFor();
    await row.getByRole('button', { name: '锁定' }).click();
    await page.locator('.el-message-box').getByRole('button', { name: '锁定' }).click();
    await row.getByText('已锁定').waitFor();
    await shot(page, 'admin-06-user-locked');
    await row.getByRole('button', { name: '解锁' }).click();
    await row.getByText('正常').waitFor();
    assert.equal(await row.getByText('已锁定').count(), 0);

    // The detail drawer; a system administrator is told grants are not his to see.
    await row.locator('td').first().click();
    const drawer = page.locator('.el-drawer:visible');
    await drawer.getByText('清水镇', { exact: true }).waitFor();
    await drawer.getByText('三员分立').waitFor();
    await shot(page, 'admin-07-user-detail');
    await drawer.getByRole('button', { name: /关闭/ }).click().catch(() => page.keyboard.press('Escape'));
    assertClean(page, 'users');
  });

  test('the security administrator grants a role over the township; a grant to himself is refused by the field', async () => {
    const page = await open();
    state.sec = page;
    await firstLogin(page, 'secadmin', otps.secadmin);
    await page.goto(srv.url + '/admin/roles');
    await page.locator('.roles .el-table__row', { hasText: '责任单位经办人' }).waitFor();
    await shot(page, 'admin-08-roles');

    await page.goto(srv.url + '/admin/grants');
    await page.getByRole('button', { name: '新增授权' }).click();
    let d = dialog(page);
    await pickUser(page, d, 'secadmin');
    await pickRole(page, d, '工作人员');
    await chooseUnit(page, d, '单位', '示范县');
    await d.getByRole('button', { name: '授权' }).click();
    const msg = await fieldError(d, '用户');
    assert.match(msg, /[\u4e00-\u9fff]/, msg);
    await shot(page, 'admin-09-self-grant-refused');
    await d.getByRole('button', { name: '取消' }).click();
    await d.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: '新增授权' }).click();
    d = dialog(page);
    await pickUser(page, d, 'qingshui01');
    await pickRole(page, d, '责任单位经办人');
    await chooseUnit(page, d, '单位', '清水镇');
    await d.getByRole('button', { name: '授权' }).click();
    await d.waitFor({ state: 'hidden' });
    // Grantee and grantor by 姓名（单位）, the CLI's grants by 命令行·系统管理员; roles by title.
    const row = page.locator('.el-table__row', { hasText: '清水镇经办人（清水镇）' });
    await row.getByText('责任单位经办人').waitFor();
    await row.getByText('安全管理员（示范县）').waitFor();
    assert.doesNotMatch(await row.textContent(), /qingshui01|secadmin|handler/);
    const initial = page.locator('.el-table__row', { hasText: '审计管理员（示范县）' });
    await initial.getByText('命令行·系统管理员').waitFor();
    await shot(page, 'admin-10-grants');
    assertClean(page, 'grants', [/^403 POST \/api\/v1\/grants$/]);
  });

  test('the new user logs in with the one-time password, must change it, and sees the grant in the profile', async () => {
    const page = await open();
    await firstLogin(page, 'qingshui01', state.otp);
    await page.goto(srv.url + '/profile');
    await page.getByText('清水镇经办人').first().waitFor();
    await page.locator('.el-table__row', { hasText: '责任单位经办人' }).getByText('清水镇').waitFor();
    await page.getByText('查看问题清单').waitFor();
    await shot(page, 'admin-11-profile');
    await page.goto(srv.url + '/notifications');
    await page.getByText('暂无通知').waitFor();
    await shot(page, 'admin-12-notifications');
    await page.goto(srv.url + '/no/such/page');
    await page.getByText('页面不存在').first().waitFor();
    await page.getByText('返回工作台').click();
    await page.waitForURL((u) => u.pathname === '/');
    assertClean(page, 'new user');
  });

  test('the auditor filters the log by action and verifies the chain', async () => {
    const page = await open();
    await firstLogin(page, 'auditor', otps.auditor);
    await page.goto(srv.url + '/audit');
    await page.locator('.audit .el-table__row').first().waitFor();
    await item(page, '操作').locator('.el-select__wrapper').click();
    await page.keyboard.type('新增用户');
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: '查询' }).click();
    await waitIdle(page);
    const actions = await page.locator('.audit .el-table__row td:nth-child(3)').allTextContents();
    assert.ok(actions.length >= 1, 'at least the user added above');
    for (const a of actions) assert.equal(a.trim(), '新增用户');
    // Each record reads as a sentence with people, not login names.
    const record = page.locator('.audit .el-table__row', { hasText: '清水镇经办人' });
    const sentence = record.getByTestId('sentence');
    assert.match(await sentence.textContent(), /^系统管理员（示范县） 于 \d{4}-\d\d-\d\d \d\d:\d\d 新增了用户清水镇经办人（清水镇）$/);
    // The user is a link to their record (the auditor may read users).
    assert.match(await sentence.getByRole('link', { name: '清水镇经办人（清水镇）' }).getAttribute('href'), /^\/admin\/users\?id=\d+$/);
    await record.locator('td').first().click();
    const drawer = page.locator('.el-drawer:visible');
    await drawer.getByText('详细内容').waitFor();
    // The detail as a table with Chinese keys, on a light background.
    await drawer.getByTestId('detail-table').getByText('登录名').waitFor();
    await drawer.getByTestId('detail-table').getByText('qingshui01').waitFor();
    const bg = await drawer.locator('.el-drawer__body').evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.notEqual(bg, 'rgb(31, 45, 61)', 'the record drawer is not navy');
    await shot(page, 'admin-13-audit-detail');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    // The grant reads as a sentence too, and no record shows a bare action code.
    await item(page, '操作').locator('.el-select__wrapper').click();
    await page.locator('.el-select-dropdown__item:visible').getByText('授权', { exact: true }).click();
    await page.getByRole('button', { name: '查询' }).click();
    await waitIdle(page);
    const granted = page.locator('.audit .el-table__row', { hasText: '清水镇经办人（清水镇）' }).getByTestId('sentence');
    await granted.waitFor();
    assert.match(await granted.textContent(), /^安全管理员（示范县） 于 .+ 授予“责任单位经办人”角色：清水镇经办人（清水镇），范围：清水镇$/);
    await page.getByRole('button', { name: '重置' }).click();
    await waitIdle(page);
    for (const t of await page.locator('.audit .el-table__row td:nth-child(3)').allTextContents())
      assert.doesNotMatch(t, /[a-z]+\.[a-z_]+|其他操作/, t);
    await page.getByRole('button', { name: '校验审计链' }).click();
    const verdict = page.locator('[data-testid="verdict"]');
    await verdict.getByText('审计链完整').first().waitFor();
    assert.match(await verdict.textContent(), /完整/);
    // The disk banner (SQLite only: on PostgreSQL the DBA watches the disk).
    if (!PG) assert.match(await page.getByTestId('disk-low').textContent(), /磁盘空间不足.*低于告警阈值 1073741824 MB/s);
    await shot(page, 'admin-14-audit-verified');
    // 导出归档 downloads the sealed archive, and the export is in the log.
    const href = await page.getByTestId('archive').getAttribute('href');
    assert.equal(href, '/api/v1/audit/archive');
    const res = await page.request.get(srv.url + href);
    assert.equal(res.status(), 200);
    assert.equal(JSON.parse((await res.text()).split('\n')[0]).format, 'duban-audit-archive');
    await page.getByRole('button', { name: '查询' }).click();
    await waitIdle(page);
    await page.locator('.audit .el-table__row', { hasText: '导出了审计记录归档' }).first().waitFor();
    assertClean(page, 'audit');
  });

  test('the pages at phone width', async () => {
    const page = await open(PHONE);
    await login(page, 'admin', USER_PW);
    for (const [path, name, ready] of [
      ['/admin/units', 'units', '.detail-head h3'],
      ['/admin/users', 'users', '.el-table__row'],
      ['/profile', 'profile', '.el-descriptions'],
    ]) {
      await page.goto(srv.url + path);
      await page.locator(ready).first().waitFor();
      await waitIdle(page);
      await shot(page, `admin-phone-${name}`);
    }
    const sec = await open(PHONE);
    await login(sec, 'secadmin', USER_PW);
    await sec.goto(srv.url + '/admin/grants');
    await sec.locator('.el-table__row').first().waitFor();
    await shot(sec, 'admin-phone-grants');
    const aud = await open(PHONE);
    await login(aud, 'auditor', USER_PW);
    await aud.goto(srv.url + '/audit');
    await aud.locator('.audit .el-table__row').first().waitFor();
    await shot(aud, 'admin-phone-audit');
    for (const [p, what] of [[page, 'admin phone'], [sec, 'secadmin phone'], [aud, 'auditor phone']]) assertClean(p, what);
  });
});

/* Waits for an open select's dropdown to close, so it cannot take the next click. */
async function dropdownClosed(page) {
  await page.locator('.el-select__popper:visible').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
}

async function pickUser(page, scope, text) {
  await item(scope, '用户').locator('.el-select__wrapper').click();
  await page.keyboard.type(text);
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
  await dropdownClosed(page);
}

async function pickRole(page, scope, title) {
  await item(scope, '角色').locator('.el-select__wrapper').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: title }).first().click();
  await dropdownClosed(page);
}
