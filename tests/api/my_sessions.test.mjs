// My sessions (等保 会话管理, issue #18): an account's own sessions listed by device, address
// and last use; ending one or all but this one; and max_sessions, which ends the least
// recently used session when a login goes beyond it. Nothing in the list opens a session.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { USER_PW, assertError, readyUser, sleep, startServer, uid } from './lib/server.mjs';

let srv, admin, login;
const PHONE = 'Mozilla/5.0 (Linux; Android 13; V2203A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 DingTalk/7.5';
const DESK = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';

before(async () => {
  srv = await startServer({ flags: ['--max_sessions', '3'] });
  admin = await srv.admin();
  login = uid('sess');
  const first = await readyUser(srv, admin, { login, name: '会话测试', unit_id: 1 });
  await first.logout();
});

after(async () => {
  await srv?.stopClean();
});

/** Logs the user in from a device (its User-Agent); returns the client. */
async function from(agent) {
  const c = srv.client();
  const res = await c.post('/api/v1/session', { login, password: USER_PW }, { headers: { 'User-Agent': agent } });
  assert.equal(res.status, 200, res.text);
  c.csrf = res.body.csrf_token;
  c.user = res.body.user;
  return c;
}

test('the list shows each session by device, address and last use, the current one marked, and no secret', async () => {
  const desk = await from(DESK);
  const phone = await from(PHONE + ' ' + 'x'.repeat(300));
  const list = await phone.ok('/api/v1/me/sessions');
  assert.equal(list.items.length, 2);
  const cur = list.items.filter((s) => s.current);
  assert.equal(cur.length, 1);
  assert.ok(cur[0].device.startsWith(PHONE), cur[0].device);
  assert.equal(cur[0].device.length, 200, 'the device label is cut to 200 characters');
  assert.equal(cur[0].ip, '127.0.0.1');
  assert.ok(cur[0].last_seen && cur[0].created_at);
  const text = JSON.stringify(list);
  for (const c of [desk, phone]) {
    assert.ok(!text.includes(c.session), 'no session id in the list');
    assert.ok(!text.includes(c.csrf), 'no CSRF token in the list');
  }
  for (const s of list.items) assert.match(s.id, /^[0-9a-f]{24}$/);
  assert.deepEqual(Object.keys(list.items[0]).sort(), ['created_at', 'current', 'device', 'id', 'ip', 'last_seen']);
  await desk.logout();
  await phone.logout();
});

test('ending one session: that device is signed out; another account cannot end it; an unknown one is 404', async () => {
  const desk = await from(DESK);
  const phone = await from(PHONE);
  const deskId = (await desk.ok('/api/v1/me/sessions')).items.find((s) => s.current).id;
  assertError(await admin.del(`/api/v1/me/sessions/${deskId}`), 404, 'not_found');
  assert.equal((await desk.get('/api/v1/me')).status, 200, 'still signed in after the other account tried');
  assertError(await phone.del('/api/v1/me/sessions/000000000000000000000000'), 404, 'not_found');
  assertError(await phone.del('/api/v1/me/sessions/nonsense'), 404, 'not_found');
  assert.equal((await phone.del(`/api/v1/me/sessions/${deskId}`)).status, 200);
  assertError(await desk.get('/api/v1/me'), 401, 'unauthenticated');
  assert.equal((await phone.ok('/api/v1/me/sessions')).items.length, 1);
  const auditor = await srv.auditor();
  const rec = (await auditor.ok('/api/v1/audit?action=session.end')).items;
  assert.equal(rec.length, 1);
  assert.equal(rec[0].detail.device, DESK);
  await phone.logout();
});

test('signing out everywhere else keeps only this session', async () => {
  const a = await from(DESK);
  const b = await from(DESK);
  const here = await from(PHONE);
  const res = await here.del('/api/v1/me/sessions');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.ended, 2);
  assertError(await a.get('/api/v1/me'), 401, 'unauthenticated');
  assertError(await b.get('/api/v1/me'), 401, 'unauthenticated');
  const list = (await here.ok('/api/v1/me/sessions')).items;
  assert.deepEqual(list.map((s) => s.current), [true]);
  await here.logout();
});

test('max_sessions 3: a fourth login ends the least recently used session, and the audit says so', async () => {
  const s1 = await from(DESK);
  // times are kept in whole seconds: the next logins come a second later, so that s1 is
  // unambiguously the least recently used
  await sleep(1100);
  const s2 = await from(DESK);
  const s3 = await from(DESK);
  const auditor = await srv.auditor();
  const before_ = (await auditor.ok('/api/v1/audit?action=login.success&limit=500')).items.length;
  const s4 = await from(PHONE);
  const alive = [];
  for (const c of [s1, s2, s3, s4]) alive.push((await c.get('/api/v1/me')).status);
  assert.equal(alive.filter((x) => x === 200).length, 3, `three sessions remain: ${alive}`);
  assert.equal(alive[0], 401, 'the oldest session ended');
  assert.equal(alive[3], 200, 'the new login works');
  const recs = (await auditor.ok('/api/v1/audit?action=login.success&limit=500')).items;
  assert.equal(recs.length, before_ + 1);
  const last = recs.find((r) => r.detail && r.detail.ended_sessions);
  assert.equal(last?.detail.ended_sessions, 1);
  assert.equal((await s4.ok('/api/v1/me/sessions')).items.length, 3);
});
