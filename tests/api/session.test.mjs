// Session lifetimes (idle timeout, absolute lifetime) and a lockout that ends by itself.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PW, addUser, assertError, sleep, startServer, uid } from './lib/server.mjs';

let idleSrv, maxSrv;

before(async () => {
  [idleSrv, maxSrv] = await Promise.all([
    startServer({ flags: ['--session_idle', '2', '--lockout_seconds', '2'] }),
    startServer({ flags: ['--session_idle', '600', '--session_max', '3'] }),
  ]);
});

after(async () => {
  const stops = [idleSrv, maxSrv].filter(Boolean).map((s) => s.stopClean());
  const results = await Promise.allSettled(stops);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
});

describe('idle timeout (--session_idle 2)', () => {
  test('a session idle for 3 s is expired (401 session_expired) and stays dead', async () => {
    const c = await idleSrv.admin();
    const old = c.session;
    assert.equal((await c.get('/api/v1/me')).status, 200);
    await sleep(3200);
    const res = await c.get('/api/v1/me');
    assertError(res, 401, 'session_expired');
    const cleared = res.setCookies.find((s) => s.startsWith('duban_session='));
    assert.ok(cleared && /Max-Age=0/.test(cleared), `expired session should clear the cookie: ${cleared}`);
    // The session was deleted: replaying the cookie is now simply unauthenticated.
    const replay = idleSrv.client();
    replay.session = old;
    assertError(await replay.get('/api/v1/me'), 401, 'unauthenticated');
  });

  test('a session used every half second stays alive past the idle timeout', async () => {
    const c = await idleSrv.admin();
    const t0 = Date.now();
    while (Date.now() - t0 < 3500) {
      const res = await c.get('/api/v1/me');
      assert.equal(res.status, 200, `after ${Date.now() - t0} ms: ${res.text}`);
      await sleep(400);
    }
  });

  test('the expiry is audited', async () => {
    const auditor = await idleSrv.auditor();
    const body = await auditor.ok('/api/v1/audit?action=session.expire&actor=admin');
    assert.ok(body.items.length >= 1);
  });
});

describe('lockout ends by itself (--lockout_seconds 2)', () => {
  test('after the lock time passes the right password works again', async () => {
    const admin = await idleSrv.admin();
    const pw = 'Lock#Test2024';
    const { user } = await addUser(admin, { login: uid('lx'), name: '自动解锁', unit_id: 1, password: pw });
    let last;
    for (let i = 1; i <= 5; i++) last = await idleSrv.client().login(user.login, `Wrong#${i}abc`);
    assertError(last, 401, 'bad_credentials');
    // Locked from this address: the right password gets the same answer as a wrong one.
    assertError(await idleSrv.client().login(user.login, pw), 401, 'bad_credentials');
    await sleep(3100);
    const ok = await idleSrv.client().login(user.login, pw);
    assert.equal(ok.status, 200, ok.text);
  });

  test('after an expired lock, the failure count starts again from zero', async () => {
    const admin = await idleSrv.admin();
    const pw = 'Lock#Test2024';
    const { user } = await addUser(admin, { login: uid('ly'), name: '重新计数', unit_id: 1, password: pw });
    for (let i = 1; i <= 5; i++) await idleSrv.client().login(user.login, `Wrong#${i}abc`);
    await sleep(3100);
    // One more failure after the lock ended must not lock again at once.
    assertError(await idleSrv.client().login(user.login, 'Wrong#6abc'), 401, 'bad_credentials');
    assert.equal((await idleSrv.client().login(user.login, pw)).status, 200);
  });
});

describe('absolute lifetime (--session_max 3)', () => {
  test('a session in constant use still ends 3 s after login', async () => {
    const c = maxSrv.client();
    const t0 = Date.now();
    const login = await c.login('admin', ADMIN_PW);
    assert.equal(login.status, 200, login.text);
    let lastOk = 0;
    let expiredAt = 0;
    while (Date.now() - t0 < 6000) {
      const res = await c.get('/api/v1/me');
      const dt = Date.now() - t0;
      if (res.status === 200) {
        lastOk = dt;
      } else {
        assertError(res, 401, 'session_expired');
        expiredAt = dt;
        break;
      }
      await sleep(300);
    }
    assert.ok(expiredAt > 0, 'the session never expired');
    // Seconds are whole on the server: the end falls between 2 and 4 s after the login.
    assert.ok(expiredAt >= 2000, `expired too early, after ${expiredAt} ms`);
    assert.ok(lastOk >= 1500, `the session should have worked for a while (last ok ${lastOk} ms)`);
    // A fresh login works again.
    assert.equal((await c.login('admin', ADMIN_PW)).status, 200);
    assert.equal((await c.get('/api/v1/me')).status, 200);
  });
});
