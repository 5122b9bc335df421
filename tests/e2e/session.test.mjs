// Signing in as people meet it: the lockout message says how long the lock lasts, and a
// session that timed out sends the user back to the login page with a message, and after
// signing in again to the page they wanted.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, USER_PW, addUnit } from '../api/lib/server.mjs';
import { roleUser } from '../api/lib/problems.mjs';
import { launch, newPage, login, shot } from './lib/browser.mjs';
import { assertClean } from './lib/ui.mjs';

let srv;
let browser;
test.before(async () => {
  srv = await startServer({ flags: ['--session_idle', '4', '--lockout_threshold', '2'] });
  const [admin, secadmin] = await Promise.all([srv.admin(), srv.secadmin()]);
  const town = await addUnit(admin, { code: 'jiazhen', name: '甲镇' });
  for (const login of ['locky', 'sleepy'])
    await roleUser(srv, admin, secadmin, { login, name: '甲镇经办人', unit_id: town.id, grants: [['handler', town.id]] });
  browser = await launch();
});
test.after(async () => {
  await browser?.close();
  await srv?.stopClean();
});

test('wrong passwords lock the account, and the login page says for how long', async () => {
  const page = await newPage(browser, srv.url);
  await page.goto(srv.url + '/');
  await page.waitForURL('**/login');
  const tryLogin = async (pw) => {
    await page.getByLabel('登录名').fill('locky');
    await page.getByLabel('密码', { exact: true }).fill(pw);
    await page.getByRole('button', { name: '登 录' }).click();
    return (await page.locator('.el-alert--error').textContent()).trim();
  };
  assert.match(await tryLogin('wrong-1'), /用户名或密码错误/);
  await page.locator('.el-alert--error').waitFor();
  const locked = await tryLogin('wrong-2');
  await page.getByText(/分钟后重试/).waitFor();
  assert.match(await page.locator('.el-alert--error').textContent(), /账户已锁定，请在 15 分钟后重试/, locked);
  // Even the right password is refused while locked.
  await tryLogin(USER_PW);
  await page.getByText(/分钟后重试/).waitFor();
  await shot(page, 'login-locked');
  assertClean(page, 'lockout', [/^401 POST \/api\/v1\/session$/, /^423 POST \/api\/v1\/session$/]);
});

test('an expired session returns to the login page with a message, then to the page wanted', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'sleepy', USER_PW);
  await page.locator('.task').first().waitFor();
  await page.waitForTimeout(5500); // past session_idle (4 s)
  await page.locator('.el-sub-menu__title', { hasText: '问题清单' }).click();
  await page.getByRole('menuitem', { name: '问题台账' }).click();
  await page.waitForURL(/\/login\?next=/);
  await page.getByText('登录已超时，请重新登录').first().waitFor();
  await shot(page, 'login-expired');
  await page.getByLabel('登录名').fill('sleepy');
  await page.getByLabel('密码', { exact: true }).fill(USER_PW);
  await page.getByRole('button', { name: '登 录' }).click();
  await page.waitForURL('**/problems');
  await page.getByText('问题台账', { exact: true }).first().waitFor();
  // A reload after the session ended says so too, without any error reply.
  await page.waitForTimeout(5500);
  await page.reload();
  await page.waitForURL(/\/login/);
  await page.getByText('登录已超时，请重新登录').first().waitFor();
  assertClean(page, 'expiry', [/^401 GET \/api\/v1\//]);
});
