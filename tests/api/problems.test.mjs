// The problem list (问题清单) through the API: the whole closed loop from registration to
// 销号 with photo evidence, the flow's guards (who may do what, when, with which form), evidence
// uploads, and validation of registrations. One server with a 2 KiB upload limit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, startServer } from './lib/server.mjs';
import {
  PNG,
  act,
  actOk,
  actionNames,
  county,
  pngOfSize,
  problemBody,
  register,
  roleUser,
  upload,
} from './lib/problems.mjs';

let srv, ctx, U;

before(async () => {
  srv = await startServer({ flags: ['--upload_limit', '2048', '--tick_interval', '86400'] });
  ctx = await county(srv);
  U = ctx.units;
});

after(async () => {
  if (srv) await srv.stopClean();
});

const HAN = /[\u4e00-\u9fff]/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('the closed loop', () => {
  let p, photo, photoBytes;

  test('the operator registers a problem', async () => {
    p = await register(
      ctx.operator,
      problemBody(U.townA.id, {
        title: '东街村生活污水直排',
        category: '居住环境',
        counit_ids: [U.dept.id],
        person: '李四',
        leader: '王副镇长',
        subject: '甲镇东街村',
      }),
    );
    assert.equal(p.state, 'registered');
    assert.equal(p.state_title, '已登记');
    assert.equal(p.unit_id, U.townA.id);
    assert.equal(p.unit_name, '甲镇');
    assert.deepEqual(p.counit_ids, [U.dept.id]);
    assert.equal(p.mode, 'immediate');
    assert.equal(p.mode_title, '立行立改');
    assert.equal(p.deadline, '2099-12-31');
    assert.equal(p.original_deadline, '2099-12-31');
    assert.equal(p.closed_at, null);
    assert.equal(p.overdue, false);
    assert.equal(p.version, 1);
    assert.match(p.created_at, ISO);
  });

  test('the operator assigns it; the township handler signs and reports', async () => {
    const a = await actOk(ctx.operator, p.id, 'assign', { note: '请于月底前办结' });
    assert.equal(a.state, 'assigned');
    assert.match(a.assigned_at, ISO);
    assert.match(a.sign_by, /^\d{4}-\d\d-\d\d$/, 'assigning sets the date to sign by');
    const s = await actOk(ctx.handlerA, p.id, 'sign', { note: '已签收' });
    assert.equal(s.state, 'in_progress');
    assert.equal(s.sign_by, null, 'signing clears the date to sign by');
    const r = await actOk(ctx.handlerA, p.id, 'report', { progress: '已铺设管网200米', staged_result: true });
    assert.equal(r.state, 'in_progress', 'report keeps the state');
    assert.equal(r.progress, '已铺设管网200米');
    assert.equal(r.staged_done, true);
  });

  test('the handler uploads a photo and claims with it', async () => {
    photoBytes = Buffer.concat([PNG, Buffer.from('现场照片-甲镇')]);
    const up = await upload(ctx.handlerA, p.id, '现场.png', photoBytes);
    assert.equal(up.status, 201, up.text);
    photo = up.body;
    assert.equal(photo.filename, '现场.png');
    assert.equal(photo.mime, 'image/png');
    assert.equal(photo.size, photoBytes.length);
    const c = await actOk(ctx.handlerA, p.id, 'claim', { summary: '管网已全部铺设，污水纳管' }, [photo.id]);
    assert.equal(c.state, 'claimed');
    assert.equal(c.progress, '管网已全部铺设，污水纳管');
  });

  test('evidence once used cannot be offered again', async () => {
    const other = await register(ctx.operator, problemBody(U.townA.id));
    await actOk(ctx.operator, other.id, 'assign', {});
    await actOk(ctx.handlerA, other.id, 'sign', {});
    // The photo belongs to another problem: it is no evidence of this one.
    const res = await act(ctx.handlerA, other.id, 'claim', { summary: '已整改' }, [photo.id]);
    assertError(res, 400, 'field_invalid', 'attachments');
    assert.equal((await ctx.handlerA.ok(`/api/v1/problems/${other.id}`)).state, 'in_progress');
  });

  test('a supervisor of another unit verifies: closed, with closed_at', async () => {
    const v = await actOk(ctx.supervisor, p.id, 'verify_pass', {
      method: '实地核查（四不两直）',
      finding: '现场查看，污水已纳管',
    });
    assert.equal(v.state, 'closed');
    assert.equal(v.state_title, '已销号');
    assert.match(v.closed_at, ISO);
    assert.ok(Math.abs(Date.parse(v.closed_at) - Date.now()) < 120000, v.closed_at);
    assert.equal(v.verification, '实地核查（四不两直）：现场查看，污水已纳管');
    assert.equal(v.deadline, '2099-12-31', 'closing keeps the deadline on record');
    assert.deepEqual(await actionNames(ctx.handlerA, p.id), [], 'nothing is left to do');
  });

  test('GET /problems/{id} shows the timeline in order and the attachment', async () => {
    const d = await ctx.operator.ok(`/api/v1/problems/${p.id}`);
    assert.equal(d.state, 'closed');
    const steps = d.events.map((e) => [e.action, e.action_title, e.from, e.to, e.actor]);
    assert.deepEqual(steps, [
      ['register', '登记', '', 'registered', 'operator'],
      ['assign', '交办', 'registered', 'assigned', 'operator'],
      ['sign', '签收', 'assigned', 'in_progress', 'handlera'],
      ['report', '报送进展', 'in_progress', 'in_progress', 'handlera'],
      ['claim', '申请销号', 'in_progress', 'claimed', 'handlera'],
      ['verify_pass', '核查通过并销号', 'claimed', 'closed', 'supervisor'],
    ]);
    const ids = d.events.map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'events in order');
    assert.equal(d.events[5].to_title, '已销号');
    assert.deepEqual(d.events[3].fields, { progress: '已铺设管网200米', staged_result: true });
    assert.deepEqual(d.events[5].fields, { method: '实地核查（四不两直）', finding: '现场查看，污水已纳管' });
    assert.deepEqual(d.events[4].attachment_ids, [photo.id], 'the claim carries the photo');
    assert.deepEqual(d.events[3].attachment_ids, []);
    for (const e of d.events) assert.match(e.at, ISO);
    assert.equal(d.attachments.length, 1);
    const a = d.attachments[0];
    assert.equal(a.id, photo.id);
    assert.equal(a.filename, '现场.png');
    assert.equal(a.mime, 'image/png');
    assert.equal(a.size, photoBytes.length);
    assert.equal(a.event_id, d.events[4].id);
  });

  test('GET /attachments/{id} returns the same bytes as image/png', async () => {
    for (const who of [ctx.operator, ctx.handlerA, ctx.supervisor, ctx.handlerD /* co-unit */]) {
      const res = await fetch(`${srv.url}/api/v1/attachments/${photo.id}`, {
        headers: { Cookie: `duban_session=${who.session}` },
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/png');
      const body = Buffer.from(await res.arrayBuffer());
      assert.ok(body.equals(photoBytes), 'the bytes that were uploaded');
    }
  });

  test('a co-unit sees the problem; a neighbouring township does not', async () => {
    assert.equal((await ctx.handlerD.get(`/api/v1/problems/${p.id}`)).status, 200);
    const res = await ctx.handlerB.get(`/api/v1/problems/${p.id}`);
    assertError(res, 403, 'forbidden');
    assert.ok(!res.text.includes('东街村'), res.text);
    assertError(await ctx.handlerB.get(`/api/v1/problems/${p.id}/actions`), 403, 'forbidden');
    const dl = await ctx.handlerB.get(`/api/v1/attachments/${photo.id}`);
    assertError(dl, 403, 'forbidden');
    assert.ok(!dl.text.includes('PNG'));
    const list = await ctx.handlerB.ok('/api/v1/problems?limit=500');
    assert.ok(!list.items.some((x) => x.id === p.id), 'not in the neighbour’s list');
    assert.ok(!JSON.stringify(list).includes('东街村'));
    const q = await ctx.handlerB.ok(`/api/v1/problems?q=${encodeURIComponent('东街村')}`);
    assert.equal(q.total, 0);
    // 甲镇's own handler lists it.
    const own = await ctx.handlerA.ok(`/api/v1/problems?q=${encodeURIComponent('东街村')}`);
    assert.deepEqual(own.items.map((x) => x.id), [p.id]);
    assert.deepEqual(own.items[0].counit_ids, [U.dept.id], 'the list shows the co-units');
    const co = await ctx.handlerD.ok('/api/v1/problems?limit=500');
    assert.ok(co.items.some((x) => x.id === p.id), 'the co-unit lists it');
  });
});

describe('the guards of the flow', () => {
  let p;

  before(async () => {
    p = await register(ctx.operator, problemBody(U.townA.id, { title: '消防通道被占用' }));
  });

  test('a registered problem: only the operator may act (assign, supervise)', async () => {
    assert.deepEqual(await actionNames(ctx.operator, p.id), ['assign', 'supervise']);
    assert.deepEqual(await actionNames(ctx.handlerA, p.id), []);
    assert.deepEqual(await actionNames(ctx.supervisor, p.id), []);
    assert.deepEqual(await actionNames(ctx.leader, p.id), ['supervise']);
  });

  test('signing before assignment → 409 flow_state with the reason', async () => {
    const res = await act(ctx.handlerA, p.id, 'sign', {});
    const e = assertError(res, 409, 'flow_state');
    assert.match(e.message, /已登记/);
    assert.match(e.message, /签收/);
  });

  test('the handler lacks problem.assign: 403 forbidden, nothing changes', async () => {
    const res = await act(ctx.handlerA, p.id, 'assign', {});
    const e = assertError(res, 403, 'forbidden');
    assert.match(e.message, /交办/);
    assert.equal((await ctx.operator.ok(`/api/v1/problems/${p.id}`)).state, 'registered');
  });

  test('an unknown action → 404; fields of another form → 400 field_unknown', async () => {
    assertError(await act(ctx.operator, p.id, 'teleport', {}), 404, 'not_found');
    assertError(await act(ctx.operator, p.id, 'assign', { progress: 'x' }), 400, 'field_unknown', 'progress');
    const long = await act(ctx.operator, p.id, 'assign', { note: '长'.repeat(501) });
    assertError(long, 400, 'field_too_long', 'note');
  });

  test('after assignment the handler sees sign (not verify), the supervisor nothing', async () => {
    await actOk(ctx.operator, p.id, 'assign', {});
    const forms = await ctx.handlerA.ok(`/api/v1/problems/${p.id}/actions`);
    const names = forms.items.map((a) => a.name).sort();
    assert.deepEqual(names, ['request_extension', 'sign']);
    assert.ok(!names.some((n) => n.startsWith('verify')));
    const sign = forms.items.find((a) => a.name === 'sign');
    assert.equal(sign.title, '签收');
    assert.deepEqual(sign.fields, [{ name: 'note', title: '签收意见', type: 'text', required: false, max_chars: 500 }]);
    assert.equal(sign.evidence, 0);
    assert.deepEqual(await actionNames(ctx.supervisor, p.id), []);
    assert.deepEqual(await actionNames(ctx.operator, p.id), ['supervise'], 'no extension pending');
    assertError(await ctx.handlerB.get(`/api/v1/problems/${p.id}/actions`), 403, 'forbidden');
  });

  test('no version → 428 version_required, nothing done; an outsider still meets the refusal', async () => {
    const cur = await ctx.handlerA.ok(`/api/v1/problems/${p.id}`);
    const res = await act(ctx.handlerA, p.id, 'sign', {}, undefined, null);
    assertError(res, 428, 'version_required', 'version');
    const now = await ctx.handlerA.ok(`/api/v1/problems/${p.id}`);
    assert.equal(now.version, cur.version);
    assert.equal(now.state, cur.state);
    // a township that may not sign learns nothing from the missing version
    assertError(await act(ctx.handlerB, p.id, 'sign', {}, undefined, null), 403, 'forbidden');
  });

  test('a stale version → 409 conflict', async () => {
    const cur = await ctx.handlerA.ok(`/api/v1/problems/${p.id}`);
    const res = await act(ctx.handlerA, p.id, 'sign', {}, undefined, cur.version - 1);
    assertError(res, 409, 'conflict');
    await actOk(ctx.handlerA, p.id, 'sign', {});
  });

  test('verifying before a claim → 409 flow_state', async () => {
    const res = await act(ctx.supervisor, p.id, 'verify_pass', { method: '电话核实', finding: '好' });
    const e = assertError(res, 409, 'flow_state');
    assert.match(e.message, /整改中/);
  });

  test('a missing required field → 400 field_required naming it in Chinese', async () => {
    const res = await act(ctx.handlerA, p.id, 'report', {});
    const e = assertError(res, 400, 'field_required', 'progress');
    assert.match(e.message, /进展情况/);
    const empty = await act(ctx.handlerA, p.id, 'report', { progress: '' });
    assertError(empty, 400, 'field_required', 'progress');
    const typed = await act(ctx.handlerA, p.id, 'report', { progress: '有进展', staged_result: 'yes' });
    assertError(typed, 400, 'field_type', 'staged_result');
  });

  test('claiming without evidence → 400 flow_evidence', async () => {
    const res = await act(ctx.handlerA, p.id, 'claim', { summary: '已清理' });
    const e = assertError(res, 400, 'flow_evidence');
    assert.match(e.message, /佐证材料/);
    const again = await act(ctx.handlerA, p.id, 'claim', { summary: '已清理' }, []);
    assertError(again, 400, 'flow_evidence');
    assert.equal((await ctx.handlerA.ok(`/api/v1/problems/${p.id}`)).state, 'in_progress');
  });

  test('approve_extension with no pending request → 409 flow_state', async () => {
    const res = await act(ctx.operator, p.id, 'approve_extension', { new_deadline: '2100-06-30' });
    const e = assertError(res, 409, 'flow_state');
    assert.match(e.message, /申请延期/);
    assertError(await act(ctx.operator, p.id, 'reject_extension', { note: '不同意' }), 409, 'flow_state');
  });

  test('a requested extension approved by the operator moves the deadline, keeps the original', async () => {
    const before = await ctx.operator.ok(`/api/v1/problems/${p.id}`);
    const req = await actOk(ctx.handlerA, p.id, 'request_extension', {
      new_deadline: '2100-03-31',
      reason: '雨季施工受阻',
    });
    assert.equal(req.deadline, before.deadline, 'asking changes nothing yet');
    assert.deepEqual(await actionNames(ctx.operator, p.id), ['approve_extension', 'reject_extension', 'supervise']);
    // The handler asked: he may not approve (no problem.assign).
    assertError(await act(ctx.handlerA, p.id, 'approve_extension', { new_deadline: '2100-03-31' }), 403, 'forbidden');
    const ok = await actOk(ctx.operator, p.id, 'approve_extension', { new_deadline: '2100-02-28', note: '同意延期至2月底' });
    assert.equal(ok.deadline, '2100-02-28');
    assert.equal(ok.original_deadline, before.original_deadline);
    assert.equal(ok.original_deadline, '2099-12-31');
    assert.equal(ok.state, 'in_progress');
    // Answered: no second approval.
    const twice = await act(ctx.operator, p.id, 'approve_extension', { new_deadline: '2100-05-01' });
    assertError(twice, 409, 'flow_state');
    assert.equal((await ctx.operator.ok(`/api/v1/problems/${p.id}`)).deadline, '2100-02-28');
  });

  test('the same person cannot claim and verify (flow_same_person)', async () => {
    // 县委办 staff holding both the handler role over 甲镇 and the supervisor role.
    const dual = await roleUser(srv, ctx.admin, ctx.secadmin, {
      login: 'dualrole',
      name: '双角色',
      unit_id: U.office.id,
      grants: [
        ['handler', U.townA.id],
        ['supervisor', 1],
      ],
    });
    const q = await register(ctx.operator, problemBody(U.townA.id));
    await actOk(ctx.operator, q.id, 'assign', {});
    await actOk(dual, q.id, 'sign', {});
    const up = await upload(dual, q.id, 'a.png', pngOfSize(100, 7));
    assert.equal(up.status, 201, up.text);
    await actOk(dual, q.id, 'claim', { summary: '已整改' }, [up.body.id]);
    assert.deepEqual(await actionNames(dual, q.id), [], 'verify is not offered to the claimant');
    const res = await act(dual, q.id, 'verify_pass', { method: '电话核实', finding: '已解决' });
    assertError(res, 403, 'flow_same_person');
    assert.deepEqual(await actionNames(ctx.supervisor, q.id), ['verify_fail', 'verify_pass']);
  });

  test('claimed: the supervisor sees verify_*; the handling unit cannot verify', async () => {
    const up = await upload(ctx.handlerA, p.id, '清理后.png', pngOfSize(300, 3));
    assert.equal(up.status, 201, up.text);
    await actOk(ctx.handlerA, p.id, 'claim', { summary: '已清理' }, [up.body.id]);
    assert.deepEqual(await actionNames(ctx.supervisor, p.id), ['verify_fail', 'verify_pass']);
    assert.deepEqual(await actionNames(ctx.handlerA, p.id), []);
    assert.deepEqual(await actionNames(ctx.supA, p.id), [], '甲镇’s own supervisor is not offered verify');
    // The handler lacks problem.verify.
    const h = await act(ctx.handlerA, p.id, 'verify_pass', { method: '电话核实', finding: '自查已好' });
    assertError(h, 403, 'forbidden');
    // A user of 甲镇 holding the supervisor role: the check must come from outside the unit.
    const s = await act(ctx.supA, p.id, 'verify_pass', { method: '电话核实', finding: '自查已好' });
    const e = assertError(s, 403, 'flow_outside_unit');
    assert.match(e.message, /责任单位以外/);
    // A choice outside the list.
    const bad = await act(ctx.supervisor, p.id, 'verify_pass', { method: '听说', finding: '好' });
    assertError(bad, 400, 'field_invalid', 'method');
    assert.equal((await ctx.operator.ok(`/api/v1/problems/${p.id}`)).state, 'claimed');
  });

  test('verify_fail sends it back; a second claim and verify_pass close it', async () => {
    const f = await actOk(ctx.supervisor, p.id, 'verify_fail', { method: '电话核实', finding: '仍有杂物' });
    assert.equal(f.state, 'in_progress');
    assert.equal(f.verification, '电话核实：仍有杂物');
    assert.equal(f.closed_at, null);
    const up = await upload(ctx.handlerA, p.id, '再次清理.png', pngOfSize(310, 4));
    await actOk(ctx.handlerA, p.id, 'claim', { summary: '已彻底清理' }, [up.body.id]);
    const v = await actOk(ctx.supervisor, p.id, 'verify_pass', { method: '电话核实', finding: '已清理' });
    assert.equal(v.state, 'closed');
    const d = await ctx.operator.ok(`/api/v1/problems/${p.id}`);
    assert.equal(d.attachments.length, 2);
    assert.ok(d.attachments.every((a) => a.event_id), 'both photos are evidence of a claim');
    assert.equal(d.events.filter((e) => e.action === 'claim').length, 2);
    // Closed: nothing but the leader's reopen, which needs a look-back and is not for the handler.
    assertError(await act(ctx.handlerA, p.id, 'report', { progress: 'x' }), 409, 'flow_state');
  });

  test('挂牌督办 by the leader marks the problem supervised', async () => {
    const q = await register(ctx.operator, problemBody(U.townB.id));
    // The form offers the users who may be named: those holding problem.lookback (leaders).
    const offered = (await ctx.leader.ok(`/api/v1/problems/${q.id}/actions`)).items.find((a) => a.name === 'supervise');
    const field = offered.fields.find((f) => f.name === 'leader_id');
    assert.equal(field.type, 'user');
    assert.deepEqual(field.options.map((o) => o.id), [ctx.leader.user.id]);
    assert.equal(field.options[0].label, '张县长（县委办公室）');
    // Free text, or a user who is no leader, is refused.
    assertError(await act(ctx.leader, q.id, 'supervise', { leader: '张县长' }), 400, 'field_unknown', 'leader');
    assertError(await act(ctx.leader, q.id, 'supervise', { leader_id: ctx.handlerB.user.id }), 400, 'field_invalid', 'leader_id');
    const s = await actOk(ctx.leader, q.id, 'supervise', { leader_id: ctx.leader.user.id, note: '限期办结' });
    assert.equal(s.supervised, true);
    assert.equal(s.supervisor, '张县长');
    assert.equal(s.state, 'registered');
    const list = await ctx.operator.ok('/api/v1/problems?supervised=1&limit=500');
    assert.ok(list.items.some((x) => x.id === q.id));
    assert.ok(list.items.every((x) => x.supervised));
    // Only once: no longer offered, and refused with the reason.
    assert.ok(!(await actionNames(ctx.leader, q.id)).includes('supervise'));
    const again = await act(ctx.leader, q.id, 'supervise', { leader_id: ctx.leader.user.id });
    assertError(again, 409, 'flow_state');
    assert.equal(again.body.error.message, '已经「挂牌督办」，不能重复办理');
    // The timeline names people: the actor and the leader by 姓名（单位）, not by login.
    const d = await ctx.operator.ok(`/api/v1/problems/${q.id}`);
    const ev = d.events.find((e) => e.action === 'supervise');
    assert.equal(ev.actor_person.label, '张县长（县委办公室）');
    assert.equal(ev.fields.leader_id, ctx.leader.user.id);
    assert.equal(ev.field_labels.leader_id, '张县长（县委办公室）');
    assert.equal(d.events[0].actor_person.label, '周督查（县委督查室）');
  });
});

describe('evidence uploads', () => {
  let p;

  before(async () => {
    p = await register(ctx.operator, problemBody(U.townA.id, { title: '路灯损坏无人维修' }));
    await actOk(ctx.operator, p.id, 'assign', {});
    await actOk(ctx.handlerA, p.id, 'sign', {});
  });

  async function count() {
    return (await ctx.operator.ok(`/api/v1/problems/${p.id}`)).attachments.length;
  }

  test('a file name with ../ → 400 field_invalid name', async () => {
    for (const name of ['../x.png', '..\\x.png', 'a/b.png', '..']) {
      const res = await upload(ctx.handlerA, p.id, name, PNG);
      assertError(res, 400, 'field_invalid', 'name');
    }
    const none = await ctx.handlerA.post(`/api/v1/problems/${p.id}/attachments`, undefined, { body: PNG, type: 'image/png' });
    assertError(none, 400, 'field_required', 'name');
    assert.equal(await count(), 0);
  });

  test('a text file renamed .png → 415 unsupported_media_type', async () => {
    const res = await upload(ctx.handlerA, p.id, '照片.png', Buffer.from('just some text, not a picture\n'));
    const e = assertError(res, 415, 'unsupported_media_type', 'file');
    assert.match(e.message, /PNG/);
    const empty = await upload(ctx.handlerA, p.id, '空.png', Buffer.alloc(0));
    assertError(empty, 400, 'field_required', 'file');
    assert.equal(await count(), 0);
  });

  test('a file over upload_limit (2048) → 413; one just under is accepted', async () => {
    const big = await upload(ctx.handlerA, p.id, '大图.png', pngOfSize(4096));
    assertError(big, 413, 'payload_too_large');
    assert.equal(await count(), 0);
    const edge = await upload(ctx.handlerA, p.id, '刚好.png', pngOfSize(2048, 9));
    assert.equal(edge.status, 201, edge.text);
    assert.equal(edge.body.size, 2048);
    assert.equal(await count(), 1);
  });

  test('other formats are recognised by content (JPG, PDF)', async () => {
    const jpg = await upload(ctx.handlerA, p.id, 'photo.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    assert.equal(jpg.status, 201, jpg.text);
    assert.equal(jpg.body.mime, 'image/jpeg');
    const pdf = await upload(ctx.handlerA, p.id, '整改报告.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'));
    assert.equal(pdf.status, 201, pdf.text);
    assert.equal(pdf.body.mime, 'application/pdf');
  });

  test('someone with no action available now → 403 forbidden', async () => {
    assert.deepEqual(await actionNames(ctx.supervisor, p.id), []);
    const res = await upload(ctx.supervisor, p.id, '核查.png', PNG);
    assertError(res, 403, 'forbidden');
    const neighbour = await upload(ctx.handlerB, p.id, '乙镇.png', PNG);
    assertError(neighbour, 403, 'forbidden');
    assertError(await upload(ctx.handlerA, 999999, 'x.png', PNG), 404, 'not_found');
    const before = await count();
    assert.equal(before, 3);
  });

  test('uploads need the CSRF token like any write', async () => {
    const res = await ctx.handlerA.post(`/api/v1/problems/${p.id}/attachments?name=x.png`, undefined, {
      body: PNG,
      type: 'image/png',
      csrf: false,
    });
    assertError(res, 403, 'csrf');
  });
});

describe('registration is validated; nothing is written on failure', () => {
  let total0;

  before(async () => {
    total0 = (await ctx.operator.ok('/api/v1/problems')).total;
  });

  const cases = [
    ['deadline before found_on', { found_on: '2025-03-03', deadline: '2025-03-02' }, 'deadline_before_found', 'deadline'],
    ['a bad found_on date', { found_on: '2025-02-30' }, 'field_invalid', 'found_on'],
    ['found_on not a date', { found_on: '昨天' }, 'field_invalid', 'found_on'],
    ['a bad deadline date', { deadline: '2025/13/01' }, 'field_invalid', 'deadline'],
    ['an unknown mode', { mode: 'sometimes' }, 'field_invalid', 'mode'],
    ['an empty mode', { mode: '' }, 'field_required', 'mode'],
    ['持续推进 without goal', { mode: '持续推进' }, 'field_required', 'goal'],
    ['ongoing with an empty goal', { mode: 'ongoing', goal: '' }, 'field_required', 'goal'],
    ['two kinds of deadline', { deadline: '2099-01-01', deadline_days: 10 }, 'field_invalid', 'deadline'],
    ['no deadline at all', { deadline: undefined }, 'field_required', 'deadline'],
    ['deadline_days of 0', { deadline: undefined, deadline_days: 0 }, 'field_invalid', 'deadline_days'],
    ['no title', { title: undefined }, 'field_required', 'title'],
    ['an empty category', { category: '' }, 'field_required', 'category'],
    ['a title too long', { title: '长'.repeat(101) }, 'field_too_long', 'title'],
    ['an unknown field', { colour: 'red' }, 'field_unknown', 'colour'],
    ['an unknown unit', { unit_id: 999999 }, 'field_invalid', 'unit_id'],
  ];
  for (const [what, extra, code, field] of cases) {
    test(`${what} → 400 ${code} (${field})`, async () => {
      const body = problemBody(0, { unit_id: U.townA.id });
      for (const [k, v] of Object.entries(extra)) {
        if (v === undefined) delete body[k];
        else body[k] = v;
      }
      const res = await ctx.operator.post('/api/v1/problems', body);
      const e = assertError(res, 400, code, field);
      assert.ok(HAN.test(e.message));
    });
  }

  test('a co-unit equal to the lead unit → 400 field_invalid counit_ids', async () => {
    const res = await ctx.operator.post('/api/v1/problems', problemBody(U.townA.id, { counit_ids: [U.townA.id] }));
    assertError(res, 400, 'field_invalid', 'counit_ids');
    const unknown = await ctx.operator.post('/api/v1/problems', problemBody(U.townA.id, { counit_ids: [999999] }));
    assertError(unknown, 400, 'field_invalid', 'counit_ids');
  });

  test('a handler may not register (403 forbidden)', async () => {
    assertError(await ctx.handlerA.post('/api/v1/problems', problemBody(U.townA.id)), 403, 'forbidden');
  });

  test('a leader_user_id must be a leader over the unit', async () => {
    const res = await ctx.operator.post('/api/v1/problems', problemBody(U.townA.id, { leader_user_id: ctx.handlerA.user.id }));
    assertError(res, 400, 'field_invalid', 'leader_user_id');
  });

  test('nothing was written by the refused registrations', async () => {
    assert.equal((await ctx.operator.ok('/api/v1/problems')).total, total0);
  });

  test('deadline_workdays counts the calendar: 2 workdays after 2024-02-08 is 2024-02-18', async () => {
    const p = await register(ctx.operator, problemBody(U.townA.id, { found_on: '2024-02-08', deadline: undefined, deadline_workdays: 2 }));
    assert.equal(p.deadline, '2024-02-18', 'Spring Festival 2024: off 02-10..17, 02-18 a make-up workday');
    assert.equal(p.original_deadline, '2024-02-18');
    assert.equal(p.deadline_estimated, false);
    const w = await register(ctx.operator, problemBody(U.townA.id, { found_on: '2024-09-27', deadline: undefined, deadline_workdays: 3 }));
    assert.equal(w.deadline, '2024-10-08', 'National Day 2024: 09-29 works, 10-01..07 off (09-29, 09-30, 10-08)');
  });

  test('deadline_days counts calendar days', async () => {
    const p = await register(ctx.operator, problemBody(U.townA.id, { found_on: '2024-02-08', deadline: undefined, deadline_days: 30 }));
    assert.equal(p.deadline, '2024-03-09');
    assert.equal(p.deadline_estimated, false);
  });

  test('a year without holiday data flags deadline_estimated', async () => {
    const a = await register(ctx.operator, problemBody(U.townA.id, { found_on: '2030-03-01', deadline: undefined, deadline_workdays: 5 }));
    assert.equal(a.deadline, '2030-03-08', 'weekends alone');
    assert.equal(a.deadline_estimated, true);
    const b = await register(ctx.operator, problemBody(U.townA.id, { found_on: '2030-03-01', deadline: '2030-06-30' }));
    assert.equal(b.deadline_estimated, true);
    const c = await register(ctx.operator, problemBody(U.townA.id, { found_on: '2025-03-01', deadline: '2025-06-30' }));
    assert.equal(c.deadline_estimated, false);
  });

  test('持续推进 with a goal; the Chinese mode title is accepted', async () => {
    const p = await register(ctx.operator, problemBody(U.townA.id, { mode: '持续推进', goal: '年内根本解决' }));
    assert.equal(p.mode, 'ongoing');
    assert.equal(p.mode_title, '持续推进');
    assert.equal(p.goal, '年内根本解决');
    const after = await actOk(ctx.operator, p.id, 'assign', {});
    assert.match(after.staged_due, /^\d{4}-\d\d-\d\d$/, '持续推进 owes a staged result');
  });

  test('the successful registrations were written', async () => {
    assert.equal((await ctx.operator.ok('/api/v1/problems')).total, total0 + 7);
  });
});
