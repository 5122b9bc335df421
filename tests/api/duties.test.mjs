// 三员分立 (separation of the three administrators): the system administrator (admin), the
// security administrator (secadmin) and the audit administrator (auditor) can each do only
// their own work, no account or role may combine two classes, and every refusal is audited.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AUDITOR_PW, SECADMIN_PW, addUser, assertError, snapshot, startServer, uid } from './lib/server.mjs';

let srv, admin, secadmin, auditor;
let staff; // an ordinary user, target of grants
const ids = {}; // login → user id

before(async () => {
  srv = await startServer();
  [admin, secadmin, auditor] = await Promise.all([srv.admin(), srv.secadmin(), srv.auditor()]);
  staff = (await addUser(admin, { login: uid('st'), name: '工作人员', unit_id: 1 })).user;
  const users = await admin.ok('/api/v1/users?limit=500');
  for (const u of users.items) ids[u.login] = u.id;
  assert.ok(ids.admin && ids.secadmin && ids.auditor);
});

after(async () => {
  if (srv) await srv.stopClean();
});


describe('the system administrator (admin)', () => {
  test('manages units and users', async () => {
    const u = await admin.post('/api/v1/units', { code: uid('d'), name: '组织部', kind: 'department', parent_id: 1 });
    assert.equal(u.status, 201, u.text);
  });

  test('cannot create roles, grant, revoke or read the audit log', async () => {
    const before_ = await snapshot(admin, auditor);
    assertError(
      await admin.post('/api/v1/roles', { name: uid('r'), title: '角色', permissions: ['unit.read'] }),
      403,
      'forbidden',
    );
    assertError(await admin.patch('/api/v1/roles/staff', { permissions: ['unit.read'] }), 403);
    assertError(await admin.post('/api/v1/grants', { user_id: staff.id, role: 'staff', unit_id: 1 }), 403, 'forbidden');
    assertError(await admin.post('/api/v1/grants', { user_id: ids.admin, role: 'auditadmin', unit_id: 1 }), 403);
    assertError(await admin.del('/api/v1/grants/1'), 403, 'forbidden');
    assertError(await admin.get('/api/v1/audit'), 403, 'forbidden');
    assertError(await admin.get('/api/v1/audit/verify'), 403, 'forbidden');
    assertError(await admin.get('/api/v1/roles'), 403, 'forbidden');
    const grants = await secadmin.ok(`/api/v1/grants?user_id=${staff.id}`);
    assert.equal(grants.items.length, 0);
    const mine = await secadmin.ok(`/api/v1/grants?user_id=${ids.admin}`);
    assert.deepEqual(mine.items.map((g) => g.role), ['sysadmin']);
    const after_ = await snapshot(admin);
    assert.equal(after_.units, before_.units);
    assert.equal(after_.users, before_.users);
  });

  test('cannot reset the password of, or lock, the auditor or the security administrator', async () => {
    for (const who of ['auditor', 'secadmin']) {
      assertError(await admin.post(`/api/v1/users/${ids[who]}/reset-password`), 403, 'separation_of_duties');
      assertError(
        await admin.post(`/api/v1/users/${ids[who]}/reset-password`, { password: 'Taken#Over2024' }),
        403,
        'separation_of_duties',
      );
      assertError(await admin.post(`/api/v1/users/${ids[who]}/lock`), 403, 'separation_of_duties');
    }
    // Both still log in with their own passwords, unlocked.
    assert.equal((await srv.client().login('auditor', AUDITOR_PW)).status, 200);
    assert.equal((await srv.client().login('secadmin', SECADMIN_PW)).status, 200);
    assert.equal((await auditor.get('/api/v1/me')).status, 200, "the auditor's session survived");
  });
});

describe('the security administrator (secadmin)', () => {
  test('cannot add users or units, or read the audit log', async () => {
    const before_ = await snapshot(admin, auditor);
    assertError(await secadmin.post('/api/v1/users', { login: uid('s'), name: '某人', unit_id: 1 }), 403, 'forbidden');
    assertError(
      await secadmin.post('/api/v1/units', { code: uid('s'), name: '某单位', kind: 'township', parent_id: 1 }),
      403,
      'forbidden',
    );
    assertError(await secadmin.patch('/api/v1/units/1', { name: '改名' }), 403, 'forbidden');
    assertError(await secadmin.post(`/api/v1/users/${staff.id}/reset-password`), 403, 'forbidden');
    assertError(await secadmin.get('/api/v1/audit'), 403, 'forbidden');
    assertError(await secadmin.get('/api/v1/audit/verify'), 403, 'forbidden');
    const after_ = await snapshot(admin);
    assert.equal(after_.units, before_.units);
    assert.equal(after_.userList, before_.userList);
  });

  test('grants and revokes for other users', async () => {
    const g = await secadmin.post('/api/v1/grants', { user_id: staff.id, role: 'staff', unit_id: 1 });
    assert.equal(g.status, 201, g.text);
    assert.equal(g.body.created_by, 'secadmin');
    const del = await secadmin.del(`/api/v1/grants/${g.body.id}`);
    assert.equal(del.status, 200, del.text);
  });

  test('cannot grant to himself, nor revoke his own grant (self_grant)', async () => {
    assertError(
      await secadmin.post('/api/v1/grants', { user_id: ids.secadmin, role: 'staff', unit_id: 1 }),
      403,
      'self_grant',
    );
    const mine = await secadmin.ok(`/api/v1/grants?user_id=${ids.secadmin}`);
    assert.deepEqual(mine.items.map((g) => g.role), ['secadmin']);
    assertError(await secadmin.del(`/api/v1/grants/${mine.items[0].id}`), 403, 'self_grant');
    assert.equal((await secadmin.ok(`/api/v1/grants?user_id=${ids.secadmin}`)).items.length, 1);
  });

  test('cannot give the audit role to the system administrator', async () => {
    const res = await secadmin.post('/api/v1/grants', { user_id: ids.admin, role: 'auditadmin', unit_id: 1 });
    assertError(res, 403, 'separation_of_duties', 'role');
    const res2 = await secadmin.post('/api/v1/grants', { user_id: ids.auditor, role: 'sysadmin', unit_id: 1 });
    assertError(res2, 403, 'separation_of_duties', 'role');
    const grants = await secadmin.ok(`/api/v1/grants?user_id=${ids.admin}`);
    assert.deepEqual(grants.items.map((g) => g.role), ['sysadmin']);
    assertError(await admin.get('/api/v1/audit'), 403, 'forbidden');
  });

  test('one user cannot collect two classes through two grants', async () => {
    const g = await secadmin.post('/api/v1/grants', { user_id: staff.id, role: 'sysadmin', unit_id: 1 });
    assert.equal(g.status, 201, g.text);
    assertError(
      await secadmin.post('/api/v1/grants', { user_id: staff.id, role: 'auditadmin', unit_id: 1 }),
      403,
      'separation_of_duties',
    );
    assertError(
      await secadmin.post('/api/v1/grants', { user_id: staff.id, role: 'secadmin', unit_id: 1 }),
      403,
      'separation_of_duties',
    );
    assert.equal((await secadmin.del(`/api/v1/grants/${g.body.id}`)).status, 200);
  });

  test('an administrator class and a business role never meet on one account', async () => {
    const worker = (await addUser(admin, { login: uid('biz'), name: '业务人员', unit_id: 1 })).user;
    const op = await secadmin.post('/api/v1/grants', { user_id: worker.id, role: 'operator', unit_id: 1 });
    assert.equal(op.status, 201, op.text);
    for (const role of ['auditadmin', 'sysadmin', 'secadmin'])
      assertError(
        await secadmin.post('/api/v1/grants', { user_id: worker.id, role, unit_id: 1 }),
        403,
        'separation_business',
        'role',
      );
    // and the other way: the auditor takes no business role (staff, which only reads the tree, is fine)
    assertError(
      await secadmin.post('/api/v1/grants', { user_id: ids.auditor, role: 'operator', unit_id: 1 }),
      403,
      'separation_business',
      'role',
    );
    const ok = await secadmin.post('/api/v1/grants', { user_id: ids.auditor, role: 'staff', unit_id: 1 });
    assert.equal(ok.status, 201, ok.text);
    assert.equal((await secadmin.del(`/api/v1/grants/${ok.body.id}`)).status, 200);
    const mine = await secadmin.ok(`/api/v1/grants?user_id=${worker.id}`);
    assert.deepEqual(mine.items.map((g) => g.role), ['operator']);
  });

  test('cannot create a role that mixes classes', async () => {
    const name = uid('mixed');
    for (const permissions of [
      ['unit.write', 'grant.write'],
      ['user.write', 'audit.read'],
      ['role.write', 'audit.read'],
    ]) {
      const res = await secadmin.post('/api/v1/roles', { name, title: '混合', permissions });
      assertError(res, 403, 'separation_of_duties', 'permissions');
    }
    const roles = await secadmin.ok('/api/v1/roles');
    assert.ok(!roles.items.some((r) => r.name === name));
  });

  test('cannot widen a granted role into a second class', async () => {
    const name = uid('viewer');
    const r = await secadmin.post('/api/v1/roles', { name, title: '只读', permissions: ['unit.read', 'unit.write'] });
    assert.equal(r.status, 201, r.text);
    const g = await secadmin.post('/api/v1/grants', { user_id: staff.id, role: name, unit_id: 1 });
    assert.equal(g.status, 201, g.text);
    // staff now holds the system class through this role; adding audit.read would mix.
    const res = await secadmin.patch(`/api/v1/roles/${name}`, { permissions: ['unit.read', 'unit.write', 'audit.read'] });
    assert.ok(res.status === 403, res.text);
    assert.equal(res.body.error.code, 'separation_of_duties');
    const roles = await secadmin.ok('/api/v1/roles');
    assert.deepEqual(roles.items.find((x) => x.name === name).permissions.sort(), ['unit.read', 'unit.write']);
    assertError(await secadmin.patch('/api/v1/roles/sysadmin', { permissions: ['unit.read'] }), 400, 'field_invalid', 'name');
    assert.equal((await secadmin.del(`/api/v1/grants/${g.body.id}`)).status, 200);
  });

  test('unknown permissions, roles, users and units are field errors', async () => {
    assertError(
      await secadmin.post('/api/v1/roles', { name: uid('r'), title: '某', permissions: ['unit.delete'] }),
      400,
      'field_invalid',
      'permissions',
    );
    assertError(
      await secadmin.post('/api/v1/roles', { name: uid('r'), title: '某', permissions: [] }),
      400,
      'field_required',
      'permissions',
    );
    assertError(await secadmin.post('/api/v1/grants', { user_id: staff.id, role: 'nosuch', unit_id: 1 }), 400, 'field_invalid', 'role');
    assertError(await secadmin.post('/api/v1/grants', { user_id: 999999, role: 'staff', unit_id: 1 }), 400, 'field_invalid', 'user_id');
    assertError(await secadmin.post('/api/v1/grants', { user_id: staff.id, role: 'staff', unit_id: 999999 }), 400, 'field_invalid', 'unit_id');
  });
});

describe('the audit administrator (auditor)', () => {
  test('reads and verifies the audit log', async () => {
    const list = await auditor.get('/api/v1/audit');
    assert.equal(list.status, 200, list.text);
    assert.ok(list.body.items.length > 0);
    const init = await auditor.ok('/api/v1/audit?action=system.init');
    assert.equal(init.items.length, 1);
    const v = await auditor.get('/api/v1/audit/verify');
    assert.equal(v.status, 200, v.text);
    assert.equal(v.body.ok, true, v.text);
    assert.equal(v.body.first_bad_seq, null);
  });

  test('cannot write units, users, roles or grants', async () => {
    const before_ = await snapshot(admin, auditor);
    assertError(
      await auditor.post('/api/v1/units', { code: uid('a'), name: '审计', kind: 'township', parent_id: 1 }),
      403,
      'forbidden',
    );
    assertError(await auditor.patch('/api/v1/units/1', { name: '改名' }), 403, 'forbidden');
    assertError(await auditor.post('/api/v1/users', { login: uid('a'), name: '某人', unit_id: 1 }), 403, 'forbidden');
    assertError(await auditor.post(`/api/v1/users/${staff.id}/lock`), 403, 'forbidden');
    assertError(await auditor.post('/api/v1/grants', { user_id: staff.id, role: 'staff', unit_id: 1 }), 403, 'forbidden');
    assertError(
      await auditor.post('/api/v1/roles', { name: uid('r'), title: '某', permissions: ['unit.read'] }),
      403,
      'forbidden',
    );
    const after_ = await snapshot(admin);
    assert.equal(after_.unitList, before_.unitList);
    assert.equal(after_.userList, before_.userList);
  });
});

describe('refusals are audited', () => {
  test('each refusal above is an access.denied record with actor, attempt and reason', async () => {
    const body = await auditor.ok('/api/v1/audit?action=access.denied&limit=500');
    const has = (actor, attempted, reason) =>
      body.items.some((r) => r.actor === actor && r.detail.attempted === attempted && r.detail.reason === reason);
    const expect = [
      ['admin', 'POST /api/v1/roles', 'forbidden'],
      ['admin', 'POST /api/v1/grants', 'forbidden'],
      ['admin', 'GET /api/v1/audit', 'forbidden'],
      ['admin', `POST /api/v1/users/${ids.auditor}/reset-password`, 'separation_of_duties'],
      ['admin', `POST /api/v1/users/${ids.secadmin}/lock`, 'separation_of_duties'],
      ['secadmin', 'POST /api/v1/users', 'forbidden'],
      ['secadmin', 'POST /api/v1/units', 'forbidden'],
      ['secadmin', 'GET /api/v1/audit', 'forbidden'],
      ['secadmin', 'POST /api/v1/grants', 'self_grant'],
      ['secadmin', 'POST /api/v1/grants', 'separation_of_duties'],
      ['secadmin', 'POST /api/v1/roles', 'separation_of_duties'],
      ['auditor', 'POST /api/v1/units', 'forbidden'],
      ['auditor', 'POST /api/v1/grants', 'forbidden'],
    ];
    for (const [actor, attempted, reason] of expect)
      assert.ok(has(actor, attempted, reason), `no access.denied record for ${actor} ${attempted} (${reason})`);
    for (const r of body.items) {
      assert.ok(r.actor_id, JSON.stringify(r));
      assert.equal(r.detail.ip, '127.0.0.1');
    }
  });

  test('the chain is still intact after all that', async () => {
    const v = await auditor.ok('/api/v1/audit/verify');
    assert.equal(v.ok, true, JSON.stringify(v));
    assert.ok(v.records > 20);
  });
});
