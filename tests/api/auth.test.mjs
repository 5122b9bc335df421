// Logging in and out, the forced password change, lockout and unlock, CSRF and API tokens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN_PW,
  USER_PW,
  Client,
  addUser,
  assertError,
  snapshot,
  sql,
  startServer,
  uid,
} from './lib/server.mjs';

let srv, admin, auditor;

before(async () => {
  srv = await startServer({ flags: ['--body_limit', '65536'] });
  admin = await srv.admin();
  auditor = await srv.auditor();
});

after(async () => {
  if (srv) await srv.stopClean();
});

function sessionCookie(res) {
  return res.setCookies.find((c) => c.startsWith('duban_session='));
}

describe('login and logout', () => {
  test('a wrong password is refused with 401 bad_credentials and no session', async () => {
    const c = srv.client();
    const res = await c.login('admin', 'Wrong#Pass1');
    assertError(res, 401, 'bad_credentials', null);
    assert.equal(sessionCookie(res), undefined);
    assert.equal(c.session, null);
  });

  test('an unknown login gets exactly the same reply as a wrong password', async () => {
    const wrong = await srv.client().login('admin', 'Wrong#Pass1');
    const unknown = await srv.client().login('nosuchuser', 'Wrong#Pass1');
    assertError(unknown, 401, 'bad_credentials', null);
    assert.deepEqual(unknown.body, wrong.body);
  });

  test('a login sets an HttpOnly SameSite=Strict cookie and returns a CSRF token', async () => {
    const c = srv.client();
    const res = await c.login('admin', ADMIN_PW);
    assert.equal(res.status, 200, res.text);
    const sc = sessionCookie(res);
    assert.ok(sc, `no session cookie in ${res.setCookies}`);
    const attrs = sc.split(';').map((s) => s.trim());
    const value = attrs[0].slice('duban_session='.length);
    assert.ok(value.length >= 32, `session id too short: ${value}`);
    assert.ok(attrs.some((a) => a.toLowerCase() === 'httponly'), sc);
    assert.ok(attrs.some((a) => a.toLowerCase() === 'samesite=strict'), sc);
    assert.ok(attrs.includes('Path=/'), sc);
    assert.ok(!attrs.some((a) => a.toLowerCase() === 'secure'), 'Secure on plain http: ' + sc);
    assert.equal(typeof res.body.csrf_token, 'string');
    assert.ok(res.body.csrf_token.length >= 32);
    assert.notEqual(res.body.csrf_token, value);
    assert.equal(res.body.user.login, 'admin');
    assert.equal(res.body.must_change_password, false);
    assert.equal(res.body.user.pw_hash, undefined);

    const me = await c.get('/api/v1/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.user.login, 'admin');
    assert.equal(me.body.csrf_token, res.body.csrf_token);
    assert.ok(
      me.body.permissions.some((p) => p.permission === 'unit.write' && p.unit_path === '/1/'),
      JSON.stringify(me.body.permissions),
    );
    assert.ok(me.body.grants.some((g) => g.role === 'sysadmin'));
  });

  test('without a cookie, or with an unknown one, /me is 401 unauthenticated', async () => {
    assertError(await srv.client().get('/api/v1/me'), 401, 'unauthenticated');
    const c = srv.client();
    c.session = 'A'.repeat(43);
    assertError(await c.get('/api/v1/me'), 401, 'unauthenticated');
  });

  test('logout deletes the session on the server: the old cookie stays invalid', async () => {
    const c = await srv.admin();
    const old = c.session;
    assert.equal((await c.get('/api/v1/me')).status, 200);
    const out = await c.logout();
    assert.equal(out.status, 200, out.text);
    const cleared = sessionCookie(out);
    assert.ok(cleared && /Max-Age=0/.test(cleared), `logout should clear the cookie: ${cleared}`);
    assert.equal(c.session, null);
    assertError(await c.get('/api/v1/me'), 401, 'unauthenticated');
    // A client that kept the old cookie (as an attacker who stole it would) gets nothing.
    const replay = srv.client();
    replay.session = old;
    replay.csrf = c.csrf;
    assertError(await replay.get('/api/v1/me'), 401, 'unauthenticated');
    assertError(await replay.get('/api/v1/units'), 401, 'unauthenticated');
    assertError(
      await replay.post('/api/v1/units', { code: uid('lo'), name: '注销后', kind: 'township', parent_id: 1 }),
      401,
      'unauthenticated',
    );
  });

  test('the database keeps neither the session id nor the CSRF token (finding 11)', async () => {
    const c = await srv.admin();
    // the token is derived from the session id: the session row holds a hash of the id only
    assert.equal(sql(srv.db, "SELECT count(*) FROM session WHERE csrf <> '';"), '0');
    // it still works, and still only with the session it belongs to
    const unit = { code: uid('dcsrf'), name: '派生令牌', kind: 'township', parent_id: 1 };
    assert.equal((await c.post('/api/v1/units', unit)).status, 201);
    const other = await srv.admin();
    assertError(await c.post('/api/v1/units', { ...unit, code: uid('dcsrf') }, { csrf: other.csrf }), 403, 'csrf');
    assert.equal((await c.get('/api/v1/session')).body.csrf_token, c.csrf);
  });

  test('each login gets a fresh session id and CSRF token, and both sessions work', async () => {
    const a = await srv.admin();
    const b = await srv.admin();
    assert.notEqual(a.session, b.session);
    assert.notEqual(a.csrf, b.csrf);
    assert.equal((await a.get('/api/v1/me')).status, 200);
    assert.equal((await b.get('/api/v1/me')).status, 200);
    await a.logout();
    assertError(await a.get('/api/v1/me'), 401, 'unauthenticated');
    assert.equal((await b.get('/api/v1/me')).status, 200, 'logging out one session ends only that one');
  });

  test('logins, failures and logouts are audited', async () => {
    const c = await srv.admin();
    await c.logout();
    await srv.client().login('admin', 'Wrong#Pass1');
    const ok = await auditor.ok('/api/v1/audit?action=login.success&actor=admin&limit=5');
    assert.ok(ok.items.length > 0);
    const out = await auditor.ok('/api/v1/audit?action=logout&actor=admin&limit=5');
    assert.ok(out.items.length > 0);
    const fail = await auditor.ok('/api/v1/audit?action=login.failure&actor=admin&limit=5');
    assert.ok(fail.items.length > 0);
    assert.equal(fail.items[0].detail.reason, 'bad_password');
    assert.equal(fail.items[0].detail.password, undefined);
    assert.ok(!JSON.stringify(fail.items).includes('Wrong#Pass1'), 'a tried password reached the log');
  });
});

describe('forced password change', () => {
  let user, otp, c;

  before(async () => {
    ({ user, otp } = await addUser(admin, { login: uid('fresh'), name: '新用户', unit_id: 1 }));
    assert.equal(typeof otp, 'string');
    assert.ok(otp.length >= 12);
    assert.equal(user.must_change_password, true);
    c = srv.client();
    const res = await c.login(user.login, otp);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.must_change_password, true);
  });

  test('everything but /me, password change and logout is refused', async () => {
    assertError(await c.get('/api/v1/units'), 403, 'password_change_required');
    assertError(await c.get('/api/v1/users'), 403, 'password_change_required');
    assertError(await c.get('/api/v1/tokens'), 403, 'password_change_required');
    assertError(await c.post('/api/v1/tokens', { name: 'escape' }), 403, 'password_change_required');
    const me = await c.get('/api/v1/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.user.must_change_password, true);
  });

  test('a weak new password is refused with password_weak on new_password', async () => {
    for (const weak of ['short1A', 'alllowercaseletters', 'NoDigitsNoSymbols', '12345678!']) {
      const res = await c.put('/api/v1/me/password', { old_password: otp, new_password: weak });
      assertError(res, 400, 'password_weak', 'new_password');
    }
  });

  test('a new password containing the login is refused', async () => {
    for (const pw of [`${user.login}#X9`, `Q#9${user.login.toUpperCase()}`]) {
      const res = await c.put('/api/v1/me/password', { old_password: otp, new_password: pw });
      assertError(res, 400, 'password_weak', 'new_password');
    }
  });

  test('a wrong old password is refused with password_wrong', async () => {
    const res = await c.put('/api/v1/me/password', { old_password: 'Not#The1Old', new_password: USER_PW });
    assertError(res, 400, 'password_wrong', 'old_password');
    assertError(await c.get('/api/v1/units'), 403, 'password_change_required');
  });

  test('reusing the old password is refused', async () => {
    const res = await c.put('/api/v1/me/password', { old_password: otp, new_password: otp });
    assertError(res, 400, 'password_reused', 'new_password');
  });

  test('after the change the session has normal access, and only the new password works', async () => {
    const res = await c.put('/api/v1/me/password', { old_password: otp, new_password: USER_PW });
    assert.equal(res.status, 200, res.text);
    const units = await c.get('/api/v1/units');
    assert.equal(units.status, 200, units.text);
    assert.equal((await c.get('/api/v1/me')).body.user.must_change_password, false);
    assertError(await srv.client().login(user.login, otp), 401, 'bad_credentials');
    const again = await srv.client().login(user.login, USER_PW);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.must_change_password, false);
  });

  test('a reset by the administrator ends sessions and forces a change again', async () => {
    const reset = await admin.post(`/api/v1/users/${user.id}/reset-password`);
    assert.equal(reset.status, 200, reset.text);
    const otp2 = reset.body.one_time_password;
    assert.equal(typeof otp2, 'string');
    assertError(await c.get('/api/v1/me'), 401, 'unauthenticated');
    assertError(await srv.client().login(user.login, USER_PW), 401, 'bad_credentials');
    const c2 = srv.client();
    const res = await c2.login(user.login, otp2);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.must_change_password, true);
    assertError(await c2.get('/api/v1/units'), 403, 'password_change_required');
    const audit = await auditor.ok(`/api/v1/audit?action=user.password_reset&object=user:${user.id}`);
    assert.equal(audit.items.length, 1);
    assert.ok(!JSON.stringify(audit.items).includes(otp2), 'a one-time password reached the log');
  });
});

describe('password history, common passwords and the maximum age (finding 4)', () => {
  const first = 'Bee#Strong2024';
  let user, c, aged;

  before(async () => {
    ({ user } = await addUser(admin, { login: uid('hist'), name: '历史测试', unit_id: 1, password: first }));
    c = srv.client();
    assert.equal((await c.login(user.login, first)).status, 200);
    aged = await startServer({ flags: ['--password_max_age_days', '30'] });
  });

  after(async () => {
    await aged?.stop();
  });

  test('common passwords in their usual disguises are refused', async () => {
    for (const pw of ['Passw0rd!', 'P@ssw0rd2024', '1qaz@WSX', 'Qwerty123', 'Aa1aaaaa', 'Woaini1314!', 'Admin@123']) {
      const res = await c.put('/api/v1/me/password', { old_password: first, new_password: pw });
      assertError(res, 400, 'password_weak', 'new_password');
    }
  });

  test('none of the last five passwords comes back', async () => {
    const pws = [first, 'Ch4nged!-2024', 'County#Adm2024', 'Taken#Over2024'];
    for (let i = 1; i < pws.length; i++) {
      const res = await c.put('/api/v1/me/password', { old_password: pws[i - 1], new_password: pws[i] });
      assert.equal(res.status, 200, res.text);
    }
    for (const old of pws.slice(0, -1)) {
      const res = await c.put('/api/v1/me/password', { old_password: pws.at(-1), new_password: old });
      assertError(res, 400, 'password_reused', 'new_password');
    }
    // the history holds hashes only, at most five
    assert.equal(sql(srv.db, `SELECT count(*) FROM password_history WHERE user_id = ${user.id};`), '3');
    assert.equal(sql(srv.db, `SELECT count(*) FROM password_history WHERE user_id = ${user.id} AND pw_hash NOT LIKE '$argon2id$%';`), '0');
  });

  test('with password_max_age_days, an older password must be changed at the next login', async () => {
    const a = await aged.admin();
    const { user: u } = await addUser(a, { login: uid('age'), name: '到期测试', unit_id: 1, password: first });
    const fresh = aged.client();
    await fresh.login(u.login, first); // an account made by the administrator changes first
    const set = await fresh.put('/api/v1/me/password', { old_password: first, new_password: 'Taken#Over2024' });
    assert.equal(set.status, 200, set.text);
    let res = await aged.client().login(u.login, 'Taken#Over2024');
    assert.equal(res.body.must_change_password, false);
    sql(aged.db, `UPDATE "user" SET pw_changed_at = pw_changed_at - 31 * 86400 WHERE id = ${u.id};`);
    const d = aged.client();
    res = await d.login(u.login, 'Taken#Over2024');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.must_change_password, true);
    assertError(await d.get('/api/v1/units'), 403, 'password_change_required');
    const changed = await d.put('/api/v1/me/password', { old_password: 'Taken#Over2024', new_password: 'Ch4nged!-2024' });
    assert.equal(changed.status, 200, changed.text);
    assert.equal((await d.get('/api/v1/units')).status, 200);
  });
});

describe('lockout and unlock', () => {
  const pw = 'Lock#Test2024';
  let user;

  before(async () => {
    ({ user } = await addUser(admin, { login: uid('lk'), name: '锁定测试', unit_id: 1, password: pw }));
  });

  test('the fifth wrong password locks this address out of the account, with the same answer as a wrong one', async () => {
    let first;
    for (let i = 1; i <= 4; i++) {
      const res = await srv.client().login(user.login, `Wrong#${i}abc`);
      assertError(res, 401, 'bad_credentials');
      first ??= res.body;
    }
    const res = await srv.client().login(user.login, 'Wrong#5abc');
    assertError(res, 401, 'bad_credentials');
    assert.deepEqual(res.body, first);
    assert.equal(res.headers.get('retry-after'), null);
    // Only the (account, address) pair is locked: the account itself is not.
    const shown = await admin.ok(`/api/v1/users/${user.id}`);
    assert.equal(shown.locked, false);
  });

  test('even the right password is refused from that address, with the same answer', async () => {
    const c = srv.client();
    const res = await c.login(user.login, pw);
    const e = assertError(res, 401, 'bad_credentials');
    assert.equal(e.message, '登录名或密码错误，或账号暂不可用');
    assert.equal(c.session, null);
  });

  test('the lock and its reason are audited (the caller was told neither)', async () => {
    const body = await auditor.ok(`/api/v1/audit?action=login.pair_lockout&object=user:${user.id}`);
    assert.equal(body.items.length, 1);
    assert.equal(body.items[0].detail.address, '127.0.0.1');
    const refused = await auditor.ok(`/api/v1/audit?action=login.failure&object=user:${user.id}`);
    assert.ok(refused.items.some((r) => r.detail.reason === 'locked_at_address'), JSON.stringify(refused.items));
  });

  test('the administrator unlocks the account and the right password works again', async () => {
    const res = await admin.post(`/api/v1/users/${user.id}/unlock`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.locked, false);
    assert.equal(res.body.disabled, false);
    const login = await srv.client().login(user.login, pw);
    assert.equal(login.status, 200, login.text);
  });

  test('an administrator lock (disable) refuses logins and ends sessions; unlock restores', async () => {
    const c = srv.client();
    assert.equal((await c.login(user.login, pw)).status, 200);
    const lock = await admin.post(`/api/v1/users/${user.id}/lock`);
    assert.equal(lock.status, 200, lock.text);
    assert.equal(lock.body.disabled, true);
    assertError(await c.get('/api/v1/me'), 401, 'unauthenticated');
    // Disabled answers as a wrong password does (no enumeration); the reason is audited.
    assertError(await srv.client().login(user.login, pw), 401, 'bad_credentials');
    assert.equal((await admin.post(`/api/v1/users/${user.id}/unlock`)).status, 200);
    assert.equal((await srv.client().login(user.login, pw)).status, 200);
  });

  test('an administrator cannot lock or reset himself (self_account)', async () => {
    assertError(await admin.post(`/api/v1/users/${admin.user.id}/lock`), 403, 'self_account');
    assertError(await admin.post(`/api/v1/users/${admin.user.id}/reset-password`), 403, 'self_account');
    assert.equal((await admin.get('/api/v1/me')).status, 200);
    assert.equal((await srv.client().login('admin', ADMIN_PW)).status, 200, 'password unchanged');
  });
});

describe('CSRF', () => {
  test('cookie writes without the token, or with a wrong one, are refused and write nothing', async () => {
    const before = await snapshot(admin);
    const unit = { code: uid('csrf'), name: 'CSRF测试', kind: 'township', parent_id: 1 };
    assertError(await admin.post('/api/v1/units', unit, { csrf: false }), 403, 'csrf');
    assertError(await admin.post('/api/v1/units', unit, { csrf: 'x'.repeat(43) }), 403, 'csrf');
    assertError(await admin.post('/api/v1/units', unit, { csrf: '' }), 403, 'csrf');
    assertError(await admin.patch('/api/v1/units/1', { name: '改名' }, { csrf: false }), 403, 'csrf');
    assertError(await admin.post('/api/v1/units/1/move', { parent_id: 1 }, { csrf: false }), 403, 'csrf');
    assertError(
      await admin.post('/api/v1/users', { login: uid('cs'), name: '某', unit_id: 1 }, { csrf: false }),
      403,
      'csrf',
    );
    assertError(await admin.post('/api/v1/tokens', { name: 'csrf' }, { csrf: false }), 403, 'csrf');
    const after = await snapshot(admin);
    assert.deepEqual(after, before);
    const toks = await admin.ok('/api/v1/tokens');
    assert.ok(!toks.items.some((t) => t.name === 'csrf'));
  });

  test("another session's CSRF token does not work", async () => {
    const other = await srv.admin();
    const before = await snapshot(admin);
    const unit = { code: uid('csrf'), name: '跨会话', kind: 'township', parent_id: 1 };
    assertError(await admin.post('/api/v1/units', unit, { csrf: other.csrf }), 403, 'csrf');
    assert.deepEqual(await snapshot(admin), before);
  });

  test('logout and password change need the token too', async () => {
    const c = await srv.admin();
    assertError(await c.del('/api/v1/session', { csrf: false }), 403, 'csrf');
    assert.equal((await c.get('/api/v1/me')).status, 200, 'the session must survive a forged logout');
    const res = await c.put(
      '/api/v1/me/password',
      { old_password: ADMIN_PW, new_password: 'Forged#Pw2024' },
      { csrf: false },
    );
    assertError(res, 403, 'csrf');
    assert.equal((await srv.client().login('admin', ADMIN_PW)).status, 200, 'password must be unchanged');
  });

  test('CSRF refusals are audited as access.denied', async () => {
    const body = await auditor.ok('/api/v1/audit?action=access.denied&actor=admin&limit=100');
    assert.ok(
      body.items.some((r) => r.detail.reason === 'csrf' && r.detail.attempted === 'POST /api/v1/units'),
      JSON.stringify(body.items.slice(0, 3)),
    );
  });

  test('reads need no token', async () => {
    const c = await srv.admin();
    c.csrf = null;
    assert.equal((await c.get('/api/v1/units')).status, 200);
  });
});

describe('API tokens', () => {
  let tokenId, secret;

  test('a token is created with its secret shown once', async () => {
    const res = await admin.post('/api/v1/tokens', { name: '同步脚本' });
    assert.equal(res.status, 201, res.text);
    secret = res.body.secret;
    tokenId = res.body.token.id;
    assert.match(secret, /^dbt_[A-Za-z0-9_-]{32,}$/);
    const list = await admin.ok('/api/v1/tokens');
    const t = list.items.find((x) => x.id === tokenId);
    assert.ok(t);
    assert.equal(t.name, '同步脚本');
    assert.equal(t.revoked_at, null);
    assert.ok(!JSON.stringify(list).includes(secret.slice(4)), 'the secret must not be listed');
  });

  test('a Bearer token writes without CSRF and without a cookie', async () => {
    const t = Client.withToken(srv.url, secret);
    const me = await t.get('/api/v1/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.user.login, 'admin');
    assert.equal(me.body.csrf_token, null);
    const code = uid('tok');
    const res = await t.post('/api/v1/units', { code, name: '令牌创建', kind: 'township', parent_id: 1 });
    assert.equal(res.status, 201, res.text);
    const units = await admin.ok('/api/v1/units');
    assert.ok(units.items.some((u) => u.code === code));
    // The write is attributed to the token's owner.
    const audit = await auditor.ok(`/api/v1/audit?action=unit.create&object=unit:${res.body.id}`);
    assert.equal(audit.items[0].actor, 'admin');
  });

  test('a wrong token is 401', async () => {
    const t = Client.withToken(srv.url, 'dbt_' + 'A'.repeat(43));
    assertError(await t.get('/api/v1/me'), 401, 'unauthenticated');
  });

  test("another user cannot revoke someone's token", async () => {
    assertError(await auditor.del(`/api/v1/tokens/${tokenId}`), 404, 'not_found');
    assert.equal((await Client.withToken(srv.url, secret).get('/api/v1/me')).status, 200);
  });

  test('a revoked token is 401', async () => {
    const res = await admin.del(`/api/v1/tokens/${tokenId}`);
    assert.equal(res.status, 200, res.text);
    const t = Client.withToken(srv.url, secret);
    assertError(await t.get('/api/v1/me'), 401, 'unauthenticated');
    const before = await snapshot(admin);
    assertError(
      await t.post('/api/v1/units', { code: uid('rv'), name: '吊销后', kind: 'township', parent_id: 1 }),
      401,
      'unauthenticated',
    );
    assert.deepEqual(await snapshot(admin), before);
    const list = await admin.ok('/api/v1/tokens');
    assert.ok(list.items.find((x) => x.id === tokenId).revoked_at);
    assertError(await admin.del(`/api/v1/tokens/${tokenId}`), 404, 'not_found');
  });

  test('a token of a locked account stops working', async () => {
    const login = uid('tk');
    const { user, otp } = await addUser(admin, { login, name: '令牌用户', unit_id: 1 });
    const c = srv.client();
    assert.equal((await c.login(login, otp)).status, 200);
    assert.equal((await c.put('/api/v1/me/password', { old_password: otp, new_password: USER_PW })).status, 200);
    const tok = await c.post('/api/v1/tokens', { name: 'locked' });
    assert.equal(tok.status, 201, tok.text);
    const t = Client.withToken(srv.url, tok.body.secret);
    assert.equal((await t.get('/api/v1/me')).status, 200);
    assert.equal((await admin.post(`/api/v1/users/${user.id}/lock`)).status, 200);
    assertError(await t.get('/api/v1/me'), 401, 'unauthenticated');
  });
});
