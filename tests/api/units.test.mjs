// The org tree: create, rename and move with history, cycles, optimistic versions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addUnit, assertError, snapshot, startServer, uid } from './lib/server.mjs';

let srv, admin, auditor;

before(async () => {
  srv = await startServer();
  [admin, auditor] = await Promise.all([srv.admin(), srv.auditor()]);
});

after(async () => {
  if (srv) await srv.stopClean();
});

describe('units', () => {
  let A, B, A1, A1a;

  before(async () => {
    A = await addUnit(admin, { code: uid('a'), name: '东镇' });
    B = await addUnit(admin, { code: uid('b'), name: '西镇' });
    A1 = await addUnit(admin, { code: uid('a1'), name: '东村', kind: 'village', parent_id: A.id });
    A1a = await addUnit(admin, { code: uid('a1a'), name: '东村支部', kind: 'branch', parent_id: A1.id });
  });

  test('a new unit has kind title, parent, version 1 and a create record', async () => {
    assert.equal(A.kind, 'township');
    assert.equal(A.kind_title, '乡镇（街道）');
    assert.equal(A.parent_id, 1);
    assert.equal(A.version, 1);
    const h = await admin.ok(`/api/v1/units/${A.id}/history`);
    assert.equal(h.items.length, 1);
    assert.equal(h.items[0].change, 'create');
    assert.equal(h.items[0].new_value, '东镇');
    assert.equal(h.items[0].old_value, null);
    assert.equal(h.items[0].actor, 'admin');
  });

  test('the list is in tree order and parent_id filters direct children', async () => {
    const all = await admin.ok('/api/v1/units');
    const pos = (id) => all.items.findIndex((u) => u.id === id);
    assert.ok(pos(1) < pos(A.id) && pos(A.id) < pos(A1.id) && pos(A1.id) < pos(A1a.id));
    const kids = await admin.ok(`/api/v1/units?parent_id=${A.id}`);
    assert.deepEqual(kids.items.map((u) => u.id), [A1.id]);
  });

  test('a rename is kept in the history with old and new names', async () => {
    const res = await admin.patch(`/api/v1/units/${A.id}`, { name: '东城镇', version: A.version });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.name, '东城镇');
    assert.equal(res.body.version, A.version + 1);
    const h = await admin.ok(`/api/v1/units/${A.id}/history`);
    const last = h.items.at(-1);
    assert.equal(last.change, 'rename');
    assert.equal(last.old_value, '东镇');
    assert.equal(last.new_value, '东城镇');
    assert.equal(last.actor, 'admin');
    assert.ok(last.at);
    const audit = await auditor.ok(`/api/v1/audit?action=unit.rename&object=unit:${A.id}`);
    assert.equal(audit.items.length, 1);
    assert.deepEqual([audit.items[0].detail.old, audit.items[0].detail.new], ['东镇', '东城镇']);
  });

  test('renaming to the same name changes nothing', async () => {
    const before_ = await admin.ok(`/api/v1/units/${A.id}`);
    const res = await admin.patch(`/api/v1/units/${A.id}`, { name: before_.name });
    assert.equal(res.status, 200, res.text);
    const h = await admin.ok(`/api/v1/units/${A.id}/history`);
    assert.equal(h.items.filter((x) => x.change === 'rename').length, 1);
    assert.equal((await admin.ok(`/api/v1/units/${A.id}`)).version, before_.version);
  });

  test('a rename with a stale version is 409 conflict and changes nothing', async () => {
    const cur = await admin.ok(`/api/v1/units/${A.id}`);
    const res = await admin.patch(`/api/v1/units/${A.id}`, { name: '旧版本改名', version: cur.version - 1 });
    assertError(res, 409, 'conflict');
    assertError(await admin.patch(`/api/v1/units/${A.id}`, { name: '旧版本改名' }), 428, 'version_required', 'version');
    const after_ = await admin.ok(`/api/v1/units/${A.id}`);
    assert.equal(after_.name, cur.name);
    assert.equal(after_.version, cur.version);
    const h = await admin.ok(`/api/v1/units/${A.id}/history`);
    assert.ok(!h.items.some((x) => x.new_value === '旧版本改名'));
  });

  test('a move is kept in the history and moves the whole subtree', async () => {
    const cur = await admin.ok(`/api/v1/units/${A1.id}`);
    // without the version it saw, a move could undo a change made since (security finding 9)
    assertError(await admin.post(`/api/v1/units/${A1.id}/move`, { parent_id: B.id }), 428, 'version_required', 'version');
    assert.equal((await admin.ok(`/api/v1/units/${A1.id}`)).parent_id, cur.parent_id, 'nothing moved');
    const res = await admin.post(`/api/v1/units/${A1.id}/move`, { parent_id: B.id, version: cur.version });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.parent_id, B.id);
    const h = await admin.ok(`/api/v1/units/${A1.id}/history`);
    const last = h.items.at(-1);
    assert.equal(last.change, 'move');
    assert.equal(last.old_value, A.code);
    assert.equal(last.new_value, B.code);
    // The branch below came along: it is now listed under B's subtree, in tree order.
    const all = await admin.ok('/api/v1/units');
    const pos = (id) => all.items.findIndex((u) => u.id === id);
    assert.ok(pos(B.id) < pos(A1.id) && pos(A1.id) < pos(A1a.id), 'subtree must follow its new parent');
    assert.equal((await admin.ok(`/api/v1/units/${A1a.id}`)).parent_id, A1.id);
    const audit = await auditor.ok(`/api/v1/audit?action=unit.move&object=unit:${A1.id}`);
    assert.equal(audit.items[0].detail.old_parent_id, A.id);
    assert.equal(audit.items[0].detail.new_parent_id, B.id);
  });

  test('moving a unit under itself or its own descendant is 400 unit_cycle', async () => {
    const before_ = await snapshot(admin);
    assertError(await admin.post(`/api/v1/units/${B.id}/move`, { parent_id: B.id }), 400, 'unit_cycle', 'parent_id');
    assertError(await admin.post(`/api/v1/units/${B.id}/move`, { parent_id: A1.id }), 400, 'unit_cycle', 'parent_id');
    assertError(await admin.post(`/api/v1/units/${B.id}/move`, { parent_id: A1a.id }), 400, 'unit_cycle', 'parent_id');
    assertError(await admin.post(`/api/v1/units/${A1.id}/move`, { parent_id: A1a.id }), 400, 'unit_cycle', 'parent_id');
    assert.deepEqual(await snapshot(admin), before_);
  });

  test('the root cannot be moved, and a missing parent is a field error', async () => {
    const r = await admin.post('/api/v1/units/1/move', { parent_id: A.id });
    assert.equal(r.status, 400, r.text);
    assertError(await admin.post(`/api/v1/units/${A.id}/move`, { parent_id: 999999 }), 400, 'field_invalid', 'parent_id');
    assertError(await admin.post('/api/v1/units/999999/move', { parent_id: 1 }), 404, 'not_found');
  });

  test('a move with a stale version is 409 conflict and moves nothing', async () => {
    const cur = await admin.ok(`/api/v1/units/${A1.id}`);
    const res = await admin.post(`/api/v1/units/${A1.id}/move`, { parent_id: A.id, version: cur.version - 1 });
    assertError(res, 409, 'conflict');
    const now = await admin.ok(`/api/v1/units/${A1.id}`);
    assert.equal(now.parent_id, B.id);
    assert.equal(now.version, cur.version);
    // With the current version it works.
    const ok = await admin.post(`/api/v1/units/${A1.id}/move`, { parent_id: A.id, version: cur.version });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.version, cur.version + 1);
  });

  test('two concurrent renames with the same version: exactly one wins', async () => {
    const cur = await admin.ok(`/api/v1/units/${B.id}`);
    const [r1, r2] = await Promise.all([
      admin.patch(`/api/v1/units/${B.id}`, { name: '并发一', version: cur.version }),
      admin.patch(`/api/v1/units/${B.id}`, { name: '并发二', version: cur.version }),
    ]);
    const statuses = [r1.status, r2.status].sort();
    assert.deepEqual(statuses, [200, 409], `${r1.text} / ${r2.text}`);
    const now = await admin.ok(`/api/v1/units/${B.id}`);
    assert.equal(now.version, cur.version + 1);
    assert.equal(now.name, (r1.status === 200 ? r1 : r2).body.name);
  });

  test('unit kinds are listed with Chinese titles', async () => {
    const k = await admin.ok('/api/v1/unit-kinds');
    const kinds = k.items.map((x) => x.kind);
    for (const want of ['county', 'department', 'township', 'village', 'branch', 'enterprise', 'third_party'])
      assert.ok(kinds.includes(want), want);
    assert.equal(k.items.find((x) => x.kind === 'village').title, '村（社区）');
  });
});
