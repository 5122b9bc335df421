// Login abuse (security review #18, findings 1–3): password spraying and guessing from one
// address are throttled (429 + Retry-After, waits that grow), overall too; five failures lock
// only the (account, address) pair, so an attacker cannot lock the user out; the whole account
// locks only after many more; the security administrator lifts login locks, even of accounts
// holding business roles; and every failed login gets one answer and one timing, whatever
// the reason, which goes to the audit log only.
//
// The servers trust X-Forwarded-For (as behind nginx), so one test process plays many client
// addresses. They run as of a fixed instant (DUBAN_NOW); moving time means restarting on the
// same database with a later DUBAN_NOW, which also shows the counts live in the database
// (what several instances sharing PostgreSQL need).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AUDITOR_PW, USER_PW, addUser, assertError, startServer, uid } from './lib/server.mjs';
import { roleUser } from './lib/problems.mjs';

const NOW = '2026-03-02T09:00:00+08:00';
const LATER = '2026-03-02T11:00:00+08:00'; // two hours on: past every window and wait
const PW = 'Spray#Target2024';
const ONE_ANSWER = '登录名或密码错误，或账号暂不可用';

let srv, admin, secadmin, auditor;

before(async () => {
  srv = await startServer({ flags: ['--trust_proxy', 'true', '--lockout_account_threshold', '12'], env: { DUBAN_NOW: NOW } });
  [admin, secadmin, auditor] = await Promise.all([srv.admin(), srv.secadmin(), srv.auditor()]);
});

after(async () => {
  if (srv) await srv.stopClean();
});

/** POST /api/v1/session as the client at ip (the address the proxy appends). */
async function attempt(server, login, password, ip) {
  const c = server.client();
  const res = await c.post('/api/v1/session', { login, password }, { headers: { 'X-Forwarded-For': ip } });
  if (res.status === 200) c.csrf = res.body.csrf_token;
  return Object.assign(res, { client: c });
}

async function users(n, prefix) {
  const out = [];
  for (let i = 0; i < n; i++)
    out.push((await addUser(admin, { login: uid(prefix), name: `测试用户${i}`, unit_id: 1, password: PW })).user);
  return out;
}

function assertOneAnswer(res, what) {
  const e = assertError(res, 401, 'bad_credentials');
  assert.equal(e.message, ONE_ANSWER, what);
  assert.equal(res.headers.get('retry-after'), null, what);
}

async function audit(action, extra = '') {
  return (await auditor.ok(`/api/v1/audit?action=${action}${extra}`)).items;
}

describe('spraying from one address (throttle_address 20)', () => {
  const ip = '10.1.0.1';
  let accounts, throttled;

  test('spraying passwords over many accounts from one address gets 429 with Retry-After', async () => {
    accounts = await users(8, 'sp');
    const answers = [];
    spray: for (const pw of ['Password1', 'Passw0rd!', 'Qwerty123', 'Aa1aaaaa', 'Welcome#1']) {
      for (const u of accounts) {
        const res = await attempt(srv, u.login, pw, ip);
        answers.push(res.status);
        if (res.status === 429) {
          throttled = res;
          break spray;
        }
      }
    }
    // The first 20 failures are answered as failures; the waits double from 1 s past them,
    // so a 429 comes within a few more however slow the machine.
    assert.deepEqual(answers.slice(0, 20), Array(20).fill(401));
    assert.ok(throttled, `no 429 in ${answers.length} attempts: ${answers.join(' ')}`);
    const e = assertError(throttled, 429, 'login_throttled');
    const wait = Number(throttled.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 900, `Retry-After ${wait}`);
    assert.match(e.message, /请在 \d+ 秒后重试/);
  });

  test('while it waits, even the right password from that address is not tried', async () => {
    assertError(await attempt(srv, accounts[0].login, PW, ip), 429, 'login_throttled');
  });

  test('the throttle is per address: the same accounts sign in from another', async () => {
    const res = await attempt(srv, accounts[0].login, PW, '10.1.0.2');
    assert.equal(res.status, 200, res.text);
  });

  test('the wait is audited with the address, once per wait, not once per refused attempt', async () => {
    const rows = await audit('login.throttle', `&object=${encodeURIComponent(`address:${ip}`)}`);
    assert.ok(rows.length >= 1);
    assert.equal(rows[0].detail.address, ip);
    assert.ok(rows[0].detail.seconds >= 1);
    assert.ok(rows.length < 8, `${rows.length} records`);
  });

  test('the count lives in the database: a restarted instance still makes the address wait, and time ends it', async () => {
    await srv.stopClean();
    srv = await startServer({ dir: srv.dir, flags: ['--trust_proxy', 'true', '--lockout_account_threshold', '12'], env: { DUBAN_NOW: NOW } });
    [admin, secadmin, auditor] = await Promise.all([srv.admin(), srv.secadmin(), srv.auditor()]);
    assertError(await attempt(srv, accounts[1].login, PW, ip), 429, 'login_throttled');
    await srv.stopClean();
    srv = await startServer({ dir: srv.dir, flags: ['--trust_proxy', 'true', '--lockout_account_threshold', '12'], env: { DUBAN_NOW: LATER } });
    [admin, secadmin, auditor] = await Promise.all([srv.admin(), srv.secadmin(), srv.auditor()]);
    const res = await attempt(srv, accounts[1].login, PW, ip);
    assert.equal(res.status, 200, res.text);
  });

  test('only failures count: signing in many times from one address is never throttled', async () => {
    const [u] = await users(1, 'ok');
    for (let i = 0; i < 25; i++) {
      const res = await attempt(srv, u.login, PW, '10.1.0.50');
      assert.equal(res.status, 200, `login ${i + 1}: ${res.text}`);
    }
  });
});

describe('guessing one account, and the lockout that hurts the attacker only', () => {
  let victim;
  const attacker = '10.3.0.66', usual = '10.3.0.7';

  before(async () => {
    victim = await roleUser(srv, admin, secadmin, { login: uid('vi'), name: '甲镇经办人', unit_id: 1, grants: [['handler', 1]] });
  });

  test('five wrong passwords from one address lock that address out of the account (same answer)', async () => {
    for (let i = 1; i <= 5; i++) assertOneAnswer(await attempt(srv, victim.user.login, `Guess#${i}pw`, attacker), `guess ${i}`);
    assertOneAnswer(await attempt(srv, victim.user.login, USER_PW, attacker), 'the right password from the locked address');
    const rows = await audit('login.pair_lockout', `&object=user:${victim.user.id}`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].detail.address, attacker);
  });

  test('the user signs in from the usual address with the right password meanwhile', async () => {
    const res = await attempt(srv, victim.user.login, USER_PW, usual);
    assert.equal(res.status, 200, res.text);
    assert.equal((await res.client.get('/api/v1/me')).status, 200);
  });

  test('going on guessing from that address ends in 429', async () => {
    let last;
    for (let i = 0; i < 30 && (!last || last.status !== 429); i++)
      last = await attempt(srv, victim.user.login, `Guess#${i}more`, attacker);
    assertError(last, 429, 'login_throttled');
  });

  test('guesses from many addresses lock the whole account only after many (here 12)', async () => {
    const u = (await users(1, 'ma'))[0];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 4; j++) assertOneAnswer(await attempt(srv, u.login, `Many#${i}${j}pw`, `10.4.${i}.1`));
    const shown = await admin.ok(`/api/v1/users/${u.id}`);
    assert.equal(shown.locked, true);
    assertOneAnswer(await attempt(srv, u.login, PW, '10.4.9.9'), 'the right password while the account is locked');
    assert.equal((await audit('account.lockout', `&object=user:${u.id}`)).length, 1);
  });
});

describe('no enumeration: one answer and one timing for every failed login', () => {
  let known, disabled, locked, pairLocked;
  const cases = () => ({
    unknown: [uid('nobody'), PW],
    wrong: [known.login, 'Wrong#Pass2024'],
    disabled: [disabled.login, PW],
    locked: [locked.login, PW],
    locked_at_address: [pairLocked.login, PW],
  });

  before(async () => {
    [known, disabled, locked, pairLocked] = await users(4, 'en');
    assert.equal((await admin.post(`/api/v1/users/${disabled.id}/lock`)).status, 200);
    for (let i = 0; i < 12; i++) await attempt(srv, locked.login, `Lock#${i}pw`, `10.5.${i}.1`);
    assert.equal((await admin.ok(`/api/v1/users/${locked.id}`)).locked, true);
    for (let i = 0; i < 5; i++) await attempt(srv, pairLocked.login, `Pair#${i}pw`, '10.6.0.1');
  });

  test('unknown login, wrong password, disabled, locked account and locked pair: same status and body', async () => {
    const bodies = {};
    for (const [reason, [login, pw]] of Object.entries(cases())) {
      const res = await attempt(srv, login, pw, reason === 'locked_at_address' ? '10.6.0.1' : '10.7.0.1');
      assertOneAnswer(res, reason);
      bodies[reason] = res.text;
    }
    for (const [reason, text] of Object.entries(bodies)) assert.equal(text, bodies.unknown, reason);
  });

  test('the reason is in the audit log only', async () => {
    const rows = await audit('login.failure');
    const reasons = new Set(rows.map((r) => r.detail.reason));
    for (const r of ['unknown_login', 'bad_password', 'disabled', 'locked', 'locked_at_address']) assert.ok(reasons.has(r), r);
  });

  test('and the same time: every case runs the password hash (medians of five tries)', async () => {
    const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const times = {};
    let n = 0;
    for (let round = 0; round < 5; round++) {
      for (const [reason, [login, pw]] of Object.entries(cases())) {
        // A fresh address for each try, so that no throttle wait is measured.
        const ip = reason === 'locked_at_address' ? '10.6.0.1' : `10.8.${round}.${++n}`;
        const t0 = process.hrtime.bigint();
        const res = await attempt(srv, login, pw, ip);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (res.status !== 401) assert.fail(`${reason}: ${res.status} ${res.text}`);
        (times[reason] ??= []).push(ms);
      }
    }
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    const lo = Math.min(...Object.values(m)), hi = Math.max(...Object.values(m));
    // Without the hash an answer takes a few ms against ~100 ms with it: a factor of 3 is a
    // generous tolerance that still catches a skipped hash.
    assert.ok(hi < lo * 3, `medians (ms): ${JSON.stringify(m)}`);
  });
});

describe('the security administrator lifts login locks', () => {
  let held;
  const ip = '10.9.0.1';

  before(async () => {
    held = await roleUser(srv, admin, secadmin, { login: uid('un'), name: '乙镇经办人', unit_id: 1, grants: [['handler', 1]] });
    for (let i = 0; i < 12; i++) await attempt(srv, held.user.login, `Lock#${i}pw`, i < 5 ? ip : `10.9.1.${i}`);
    assert.equal((await admin.ok(`/api/v1/users/${held.user.id}`)).locked, true);
  });

  test('the system administrator may not manage an account holding business roles', async () => {
    assertError(await admin.post(`/api/v1/users/${held.user.id}/unlock`), 403);
  });

  test('nor may anyone without user.unlock lift the lock', async () => {
    assertError(await admin.post(`/api/v1/users/${held.user.id}/clear-lockout`), 403);
    assertError(await held.post(`/api/v1/users/${held.user.id}/clear-lockout`), 403);
  });

  test('the security administrator lifts the account lock and the address locks, audited', async () => {
    const res = await secadmin.post(`/api/v1/users/${held.user.id}/clear-lockout`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.locked, false);
    const ok = await attempt(srv, held.user.login, USER_PW, ip);
    assert.equal(ok.status, 200, ok.text);
    const rows = await audit('user.clear_lockout', `&object=user:${held.user.id}`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].actor, 'secadmin');
    assert.equal(rows[0].detail.account_locked, true);
    assert.equal(rows[0].detail.address_locks, 1);
  });
});

describe('overall throttle (throttle_global 6)', () => {
  let g;
  after(async () => {
    if (g) await g.stopClean();
  });

  test('failures from many addresses make every login wait, past the overall limit', async () => {
    g = await startServer({ flags: ['--trust_proxy', 'true', '--throttle_global', '6'], env: { DUBAN_NOW: NOW } });
    const au = await g.auditor(); // before: once over the limit, everyone waits
    let last;
    for (let i = 1; i <= 20 && (!last || last.status !== 429); i++) last = await attempt(g, uid('x'), 'Nope#2024', `10.20.0.${i}`);
    assertError(last, 429, 'login_throttled');
    assert.ok(Number(last.headers.get('retry-after')) >= 1);
    // A fresh address, with a real account's right password, waits too.
    assertError(await attempt(g, 'auditor', AUDITOR_PW, '10.21.0.1'), 429, 'login_throttled');
    const rows = (await au.ok('/api/v1/audit?action=login.throttle&object=address:all')).items;
    assert.ok(rows.length >= 1);
  });
});
