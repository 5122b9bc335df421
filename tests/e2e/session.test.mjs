// Signing in as people meet it: a failed login says one thing whatever the reason (no hint of
// which logins exist or are locked), an address that keeps failing is told how many seconds
// to wait, and a session that timed out sends the user back to the login page with a
// message, and after signing in again to the page they wanted.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, USER_PW, addUnit } from '../api/lib/server.mjs';
import { roleUser } from '../api/lib/problems.mjs';
import { launch, newPage, login, shot } from './lib/browser.mjs';
import { assertClean } from './lib/ui.mjs';

let srv;
let browser;
test.before(async () => {
  srv = await startServer({ flags: ['--session_idle', '4', '--lockout_threshold', '2', '--throttle_address', '3', '--trust_proxy', 'true'] });
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

test('failed logins get one message; an address that keeps failing is told how long to wait', async () => {
  const page = await newPage(browser, srv.url);
  // This page signs in from an address of its own (through the trusted proxy header), so the
  // waits it earns, which double past the limit and grow when the machine is slow, never reach
  // the later tests signing in from the loopback address.
  await page.setExtraHTTPHeaders({ 'X-Forwarded-For': '10.77.0.1' });
  await page.goto(srv.url + '/');
  await page.waitForURL('**/login');
  const tryLogin = async (login, pw) => {
    await page.getByLabel('登录名').fill(login);
    await page.getByLabel('密码', { exact: true }).fill(pw);
    const reply = page.waitForResponse((r) => r.url().endsWith('/api/v1/session'));
    await page.getByRole('button', { name: '登 录' }).click();
    const status = (await reply).status();
    await page.locator('.el-alert--error').waitFor();
    return { status, text: (await page.locator('.el-alert--error').textContent()).trim() };
  };
  const ONE = '登录名或密码错误，或账号暂不可用';
  const wrong = await tryLogin('locky', 'wrong-1');
  assert.equal(wrong.text, ONE);
  // An unknown login reads exactly the same.
  assert.equal((await tryLogin('nobody-here', 'wrong-1')).text, ONE);
  // The second failure locks this address out of the account: even the right password now
  // reads the same, saying nothing of the lock.
  await tryLogin('locky', 'wrong-2');
  assert.equal((await tryLogin('locky', USER_PW)).text, ONE);
  // Past three failures the address waits, 1 s, 2 s, 4 s …: within a few more tries the page
  // says how many seconds (the wait is per address, so it tells nothing of any account).
  let last;
  for (let i = 0; i < 8 && last?.status !== 429; i++) last = await tryLogin('locky', `wrong-${i + 3}`);
  assert.equal(last.status, 429, last.text);
  assert.match(last.text, /登录失败次数过多，请在 \d+ 秒后重试/);
  await shot(page, 'login-throttled');
  assertClean(page, 'lockout', [/^401 POST \/api\/v1\/session$/, /^429 POST \/api\/v1\/session$/]);
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
