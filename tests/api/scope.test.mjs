// Unit-subtree scope: a "township administrator" granted over township A sees and changes A's
// subtree only. Every attempt on township B is refused (403/404), leaks no data and changes
// nothing, which the system administrator then checks.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addUnit,
  addUser,
  assertError,
  assertRefused,
  readyUser,
  snapshot,
  startServer,
  uid,
} from './lib/server.mjs';

let srv, admin, secadmin, auditor;
let A, A1, B, B1, userA, userB, ua; // ua: the logged-in client of A's township administrator
const bPw = 'Bee#Strong2024';

before(async () => {
  srv = await startServer();
  [admin, secadmin, auditor] = await Promise.all([srv.admin(), srv.secadmin(), srv.auditor()]);
  A = await addUnit(admin, { code: uid('twa'), name: '甲镇' });
  B = await addUnit(admin, { code: uid('twb'), name: '乙镇' });
  A1 = await addUnit(admin, { code: uid('va'), name: '甲村', kind: 'village', parent_id: A.id });
  B1 = await addUnit(admin, { code: uid('vb'), name: '乙村', kind: 'village', parent_id: B.id });
  ua = await readyUser(srv, admin, { login: uid('ua'), name: '甲镇管理员', unit_id: A.id });
  userA = ua.user;
  userB = (await addUser(admin, { login: uid('ub'), name: '乙镇用户', unit_id: B.id, password: bPw })).user;
  await addUser(admin, { login: uid('ua2'), name: '甲村用户', unit_id: A1.id });

  const role = await secadmin.post('/api/v1/roles', {
    name: 'township_admin',
    title: '乡镇管理员',
    permissions: ['unit.read', 'unit.write', 'user.read', 'user.write'],
  });
  assert.equal(role.status, 201, role.text);
  const grant = await secadmin.post('/api/v1/grants', { user_id: userA.id, role: 'township_admin', unit_id: A.id });
  assert.equal(grant.status, 201, grant.text);
  assert.equal(grant.body.unit_id, A.id);
});

after(async () => {
  if (srv) await srv.stopClean();
});

/** Asserts the reply carries nothing of B (its name or code, or its users' logins). */
function assertNoLeak(res) {
  for (const s of [B.name, B.code, B1.name, B1.code, userB.login])
    assert.ok(!res.text.includes(s), `reply leaks "${s}": ${res.text}`);
}

describe('what a township administrator sees', () => {
  test('GET /units lists only his own subtree', async () => {
    const body = await ua.ok('/api/v1/units');
    const ids = body.items.map((u) => u.id).sort((x, y) => x - y);
    assert.deepEqual(ids, [A.id, A1.id].sort((x, y) => x - y));
    assert.equal(body.total, 2);
    const children = await ua.ok(`/api/v1/units?parent_id=${B.id}`);
    assert.deepEqual(children.items, []);
  });

  test('his own units are readable (the grant works)', async () => {
    assert.equal((await ua.get(`/api/v1/units/${A1.id}`)).status, 200);
    assert.equal((await ua.get(`/api/v1/units/${A.id}/history`)).status, 200);
  });

  test("another township's unit, its child and its history are refused without data", async () => {
    for (const url of [
      `/api/v1/units/${B.id}`,
      `/api/v1/units/${B1.id}`,
      `/api/v1/units/${B.id}/history`,
      '/api/v1/units/1',
    ]) {
      const res = await ua.get(url);
      assertRefused(res, url);
      assertNoLeak(res);
    }
  });

  test("GET /users lists only his subtree's users", async () => {
    const body = await ua.ok('/api/v1/users?limit=500');
    assert.ok(body.items.length >= 2);
    assert.equal(body.total, body.items.length);
    for (const u of body.items) assert.ok([A.id, A1.id].includes(u.unit_id), JSON.stringify(u));
    assert.ok(!body.items.some((u) => u.login === 'admin'));
    const inB = await ua.get(`/api/v1/users?unit_id=${B.id}`);
    assert.equal(inB.status, 200, inB.text);
    assert.equal(inB.body.total, 0);
    assertNoLeak(inB);
    const q = await ua.ok(`/api/v1/users?q=${encodeURIComponent(userB.login)}`);
    assert.equal(q.total, 0);
  });

  test("another township's user is refused without data", async () => {
    const res = await ua.get(`/api/v1/users/${userB.id}`);
    assertRefused(res, 'GET user B');
    assertNoLeak(res);
    assertRefused(await ua.get('/api/v1/users/1'), 'GET admin');
  });
});

describe('what a township administrator cannot change', () => {
  let before_;

  before(async () => {
    before_ = await snapshot(admin, auditor);
  });

  test('rename, move, or add under the other township', async () => {
    assertRefused(await ua.patch(`/api/v1/units/${B.id}`, { name: '被改名' }), 'PATCH B');
    assertRefused(await ua.patch(`/api/v1/units/${B1.id}`, { name: '被改名' }), 'PATCH B1');
    assertRefused(await ua.post(`/api/v1/units/${B1.id}/move`, { parent_id: A.id }), 'move B1 into A');
    assertRefused(await ua.post(`/api/v1/units/${B.id}/move`, { parent_id: A.id }), 'move B into A');
    assertRefused(
      await ua.post('/api/v1/units', { code: uid('x'), name: '越权', kind: 'village', parent_id: B.id }),
      'create under B',
    );
    assertRefused(
      await ua.post('/api/v1/units', { code: uid('x'), name: '越权', kind: 'township', parent_id: 1 }),
      'create under the root',
    );
    assertRefused(await ua.patch('/api/v1/units/1', { name: '被改名' }), 'PATCH root');
  });

  test('move his own township (or its village) under the other one', async () => {
    assertRefused(await ua.post(`/api/v1/units/${A.id}/move`, { parent_id: B.id }), 'move A under B');
    assertRefused(await ua.post(`/api/v1/units/${A1.id}/move`, { parent_id: B.id }), 'move A1 under B');
    assertRefused(await ua.post(`/api/v1/units/${A1.id}/move`, { parent_id: B1.id }), 'move A1 under B1');
  });

  test("add a user in the other township, or manage its users", async () => {
    assertRefused(
      await ua.post('/api/v1/users', { login: uid('evil'), name: '越权用户', unit_id: B.id }),
      'create user in B',
    );
    assertRefused(await ua.post(`/api/v1/users/${userB.id}/lock`), 'lock B user');
    assertRefused(await ua.post(`/api/v1/users/${userB.id}/unlock`), 'unlock B user');
    assertRefused(await ua.post(`/api/v1/users/${userB.id}/reset-password`), 'reset B user');
    assertRefused(
      await ua.post(`/api/v1/users/${userB.id}/reset-password`, { password: 'Taken#Over2024' }),
      'reset B user to a chosen password',
    );
    assertRefused(await ua.post('/api/v1/users/1/reset-password'), 'reset admin');
    assertRefused(await ua.post('/api/v1/users/1/lock'), 'lock admin');
  });

  test('grant himself or others anything', async () => {
    assertRefused(
      await ua.post('/api/v1/grants', { user_id: userA.id, role: 'sysadmin', unit_id: 1 }),
      'grant self sysadmin',
    );
    assertRefused(await ua.post('/api/v1/roles', { name: 'mine', title: '我的', permissions: ['unit.read'] }), 'role');
    assertRefused(await ua.get('/api/v1/audit'), 'audit');
  });

  test('nothing changed: units, users, B user still logs in with the same password', async () => {
    const now = await snapshot(admin);
    assert.equal(now.units, before_.units);
    assert.equal(now.unitList, before_.unitList);
    assert.equal(now.users, before_.users);
    assert.equal(now.userList, before_.userList);
    const b = await admin.ok(`/api/v1/units/${B.id}`);
    assert.equal(b.name, B.name);
    assert.equal(b.version, B.version);
    assert.equal(b.parent_id, 1);
    const hist = await admin.ok(`/api/v1/units/${B.id}/history`);
    assert.deepEqual(hist.items.map((h) => h.change), ['create']);
    const ub = await admin.ok(`/api/v1/users/${userB.id}`);
    assert.equal(ub.disabled, false);
    assert.equal(ub.version, userB.version);
    const login = await srv.client().login(userB.login, bPw);
    assert.equal(login.status, 200, login.text);
  });

  test('every refusal was audited as access.denied by the township administrator', async () => {
    const body = await auditor.ok(`/api/v1/audit?action=access.denied&actor=${userA.login}&limit=500`);
    const attempted = body.items.map((r) => r.detail.attempted);
    for (const a of [
      `PATCH /api/v1/units/${B.id}`,
      `POST /api/v1/units/${A.id}/move`,
      'POST /api/v1/users',
      `POST /api/v1/users/${userB.id}/lock`,
      `POST /api/v1/users/${userB.id}/reset-password`,
      `GET /api/v1/units/${B.id}`,
    ])
      assert.ok(attempted.some((x) => x.endsWith(a)), `no access.denied for ${a}: ${attempted.join(', ')}`);
    for (const r of body.items) assert.equal(r.actor_id, userA.id);
  });
});

describe('what a township administrator can do in his own subtree', () => {
  test('add, rename and move units inside A; add and manage users of A', async () => {
    const v = await ua.post('/api/v1/units', { code: uid('vv'), name: '甲新村', kind: 'village', parent_id: A.id });
    assert.equal(v.status, 201, v.text);
    const r = await ua.patch(`/api/v1/units/${v.body.id}`, { name: '甲新村二', version: v.body.version });
    assert.equal(r.status, 200, r.text);
    const m = await ua.post(`/api/v1/units/${v.body.id}/move`, { parent_id: A1.id, version: r.body.version });
    assert.equal(m.status, 200, m.text);
    assert.equal(m.body.parent_id, A1.id);
    const u = await ua.post('/api/v1/users', { login: uid('ua3'), name: '甲镇新人', unit_id: v.body.id });
    assert.equal(u.status, 201, u.text);
    const lock = await ua.post(`/api/v1/users/${u.body.user.id}/lock`);
    assert.equal(lock.status, 200, lock.text);
    assert.equal(lock.body.disabled, true);
    // The new unit is in his list, and admin sees it under A1.
    const list = await ua.ok('/api/v1/units');
    assert.ok(list.items.some((x) => x.id === v.body.id));
    const seen = await admin.ok(`/api/v1/units/${v.body.id}`);
    assert.equal(seen.parent_id, A1.id);
  });

  test('after moving B under A (by the system administrator), B comes into his scope', async () => {
    const version = (await admin.ok(`/api/v1/units/${B.id}`)).version;
    const mv = await admin.post(`/api/v1/units/${B.id}/move`, { parent_id: A.id, version });
    assert.equal(mv.status, 200, mv.text);
    assert.equal((await ua.get(`/api/v1/units/${B1.id}`)).status, 200);
    assert.equal((await ua.get(`/api/v1/users/${userB.id}`)).status, 200);
    // And back out again: out of scope once more.
    const back = await admin.post(`/api/v1/units/${B.id}/move`, { parent_id: 1, version: mv.body.version });
    assert.equal(back.status, 200, back.text);
    assertRefused(await ua.get(`/api/v1/units/${B1.id}`), 'B1 after moving back');
    assertRefused(await ua.get(`/api/v1/users/${userB.id}`), 'B user after moving back');
  });

  test('revoking the grant removes the access at once', async () => {
    const grants = await secadmin.ok(`/api/v1/grants?user_id=${userA.id}`);
    const g = grants.items.find((x) => x.role === 'township_admin');
    assert.ok(g);
    const del = await secadmin.del(`/api/v1/grants/${g.id}`);
    assert.equal(del.status, 200, del.text);
    const body = await ua.ok('/api/v1/units');
    assert.equal(body.total, 0);
    assertRefused(await ua.get(`/api/v1/units/${A.id}`), 'A after revoke');
  });
});

describe('sibling paths are not prefixes of each other', () => {
  test('a grant over unit /1/2/ gives nothing over /1/2x/-like siblings (ids 2 vs 20+)', async () => {
    // Make enough units that some id starts with the digits of A's id (e.g. A=2, other=20..29).
    const isPrefixed = (u) => String(u.id).startsWith(String(A.id)) && u.id !== A.id;
    let prefixed;
    for (let i = 0; i < 60 && !prefixed; i++) {
      const u = await addUnit(admin, { code: uid('sib'), name: `兄弟${i}` });
      if (isPrefixed(u)) prefixed = u;
    }
    assert.ok(prefixed, `no unit id starting with ${A.id}`);
    const again = await secadmin.post('/api/v1/grants', { user_id: userA.id, role: 'township_admin', unit_id: A.id });
    assert.equal(again.status, 201, again.text);
    assertRefused(await ua.get(`/api/v1/units/${prefixed.id}`), 'sibling with a prefixed id');
    assertRefused(await ua.patch(`/api/v1/units/${prefixed.id}`, { name: '越权' }), 'rename prefixed sibling');
    const list = await ua.ok('/api/v1/units');
    assert.ok(!list.items.some((u) => u.id === prefixed.id));
    assertError(await ua.get('/api/v1/units/999999'), 404, 'not_found');
  });
});

describe('a township administrator cannot take over a wider account in his township', () => {
  test("resetting or locking a county-wide administrator whose account sits in A is refused", async () => {
    // A county-level system administrator whose own account belongs to township A.
    const pw = 'County#Adm2024';
    const { user } = await addUser(admin, { login: uid('cadm'), name: '县级管理员', unit_id: A.id, password: pw });
    const g = await secadmin.post('/api/v1/grants', { user_id: user.id, role: 'sysadmin', unit_id: 1 });
    assert.equal(g.status, 201, g.text);
    // ua may see the account (it is in his subtree) ...
    assert.equal((await ua.get(`/api/v1/users/${user.id}`)).status, 200);
    // ... but taking it over would give him the whole county.
    const reset = await ua.post(`/api/v1/users/${user.id}/reset-password`, { password: 'Taken#Over2024' });
    assertRefused(reset, 'reset a county administrator');
    assertRefused(await ua.post(`/api/v1/users/${user.id}/reset-password`), 'reset (generated)');
    assertRefused(await ua.post(`/api/v1/users/${user.id}/lock`), 'lock a county administrator');
    assertError(await srv.client().login(user.login, 'Taken#Over2024'), 401, 'bad_credentials');
    const c = srv.client();
    assert.equal((await c.login(user.login, pw)).status, 200, 'his password must be unchanged');
    const shown = await admin.ok(`/api/v1/users/${user.id}`);
    assert.equal(shown.disabled, false);
    // The county administrator himself may manage it (same reach).
    const ok = await admin.post(`/api/v1/users/${user.id}/lock`);
    assert.equal(ok.status, 200, ok.text);
  });
});
