// The study and outreach registry (理论学习与宣讲) through its API: persons and their import,
// activities with attendance (scope: a branch sees only its own members), observers' feedback
// answered through its flow and flagged overdue by the scheduler, 三定一分享 compliance and
// rotation, plans, outreach, figures with drill-down, and the summary in the reports' prose.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUnit, assertError, runCli, sql, USER_PW } from './lib/server.mjs';
import { roleUser, toCsv, PNG } from './lib/problems.mjs';

let srv;
const u = {};
const c = {};
const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
const thisMonth = today.slice(0, 7);
const firstOfMonth = `${thisMonth}-01`;

test.before(async () => {
  srv = await startServer();
  const [admin, secadmin] = await Promise.all([srv.admin(), srv.secadmin()]);
  c.admin = admin;
  u.townA = await addUnit(admin, { code: 'jiazhen', name: '甲镇' });
  u.townB = await addUnit(admin, { code: 'yizhen', name: '乙镇' });
  u.branchA = await addUnit(admin, { code: 'jiazhen-zb', name: '甲镇机关党支部', kind: 'branch', parent_id: u.townA.id });
  u.branchA2 = await addUnit(admin, { code: 'jiazhen-zb2', name: '甲镇东街村党支部', kind: 'branch', parent_id: u.townA.id });
  const people = {
    county: { unit: 1, grants: [['study_clerk', 1]] },
    clerka: { unit: u.townA.id, grants: [['study_clerk', u.townA.id]] },
    clerkb: { unit: u.townB.id, grants: [['study_clerk', u.townB.id]] },
    branchclerk: { unit: u.branchA.id, grants: [['study_clerk', u.branchA.id]] },
    observer: { unit: 1, grants: [['study_observer', 1]] },
  };
  for (const [login, p] of Object.entries(people))
    c[login] = await roleUser(srv, admin, secadmin, { login, name: login, unit_id: p.unit, grants: p.grants });
});
test.after(() => srv.stopClean());

async function person(client, body, status = 201) {
  const res = await client.post('/api/v1/study/persons', body);
  assert.equal(res.status, status, res.text);
  return res.body;
}

async function activity(client, body) {
  const res = await client.post('/api/v1/study/activities', body);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

test('persons: registered within scope, checked, listed by scope, changed by version', async () => {
  u.p = {};
  u.p.zhang = await person(c.clerka, { unit_id: u.branchA.id, name: '张伟', position: '支部书记', rank: '乡科级' });
  u.p.li = await person(c.clerka, { unit_id: u.branchA.id, name: '李娜', rank: '普通党员' });
  u.p.wang = await person(c.clerka, { unit_id: u.branchA.id, name: '王强', rank: '普通党员' });
  u.p.zhao = await person(c.clerka, { unit_id: u.branchA2.id, name: '赵敏', rank: '普通党员' });
  u.p.sun = await person(c.clerkb, { unit_id: u.townB.id, name: '孙磊', rank: '一般干部' });
  assertError(await c.clerka.post('/api/v1/study/persons', { unit_id: u.branchA.id, name: '张伟', position: '支部书记' }), 409, 'duplicate', 'name');
  assertError(await c.clerka.post('/api/v1/study/persons', { unit_id: u.branchA.id, name: '钱', rank: '处长' }), 400, 'field_invalid', 'rank');
  assertError(await c.clerka.post('/api/v1/study/persons', { unit_id: u.townB.id, name: '越界' }), 403, 'forbidden');
  assertError(await c.clerka.post('/api/v1/study/persons', { unit_id: 9999, name: '无单位' }), 400, 'field_invalid', 'unit_id');
  const mine = await c.clerka.ok('/api/v1/study/persons');
  assert.deepEqual(mine.items.map((p) => p.name).sort(), ['张伟', '李娜', '王强', '赵敏'].sort());
  const branch = await c.branchclerk.ok('/api/v1/study/persons');
  assert.equal(branch.total, 3, 'the branch sees its own members only');
  assertError(await c.clerka.patch(`/api/v1/study/persons/${u.p.li.id}`, { unit_id: u.branchA.id, name: '李娜' }), 400, 'field_required', 'version');
  const ok = await c.clerka.patch(`/api/v1/study/persons/${u.p.li.id}`, { unit_id: u.branchA.id, name: '李娜', rank: '普通党员', version: 1 });
  assert.equal(ok.status, 200, ok.text);
  assertError(await c.clerka.patch(`/api/v1/study/persons/${u.p.li.id}`, { unit_id: u.branchA.id, name: '李娜', version: 1 }), 409, 'conflict');
});

test('persons import: a report per bad row and nothing written, or the good rows with skip_bad', async () => {
  const before = (await c.county.ok('/api/v1/study/persons?limit=1')).total;
  const csv = toCsv([
    ['姓名', '单位', '职务', '职级', '是否党员'],
    ['周一', '甲镇', '副镇长', '乡科级', '是'],
    ['吴二', '不存在的镇', '', '普通党员', '是'],
    ['郑三', '乙镇', '', '处级', '是'],
    ['', '甲镇', '', '', ''],
    ['冯四', '甲镇', '', '', '否'],
  ]);
  const bad = await c.clerka.post('/api/v1/study/persons/import?format=csv', undefined, { body: csv, type: 'text/csv' });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.body.error.field, 'file');
  const faults = bad.body.error.details.faults.map((f) => [f.row, f.column]);
  assert.deepEqual(faults, [[3, '单位'], [4, '职级'], [5, '姓名']]);
  assert.equal((await c.county.ok('/api/v1/study/persons?limit=1')).total, before, 'nothing written');
  const skip = await c.clerka.post('/api/v1/study/persons/import?format=csv&skip_bad=1', undefined, { body: csv, type: 'text/csv' });
  assert.equal(skip.status, 200, skip.text);
  assert.equal(skip.body.imported, 2);
  const again = await c.clerka.post('/api/v1/study/persons/import?format=csv', undefined, { body: toCsv([['姓名', '单位'], ['周一', '甲镇']]), type: 'text/csv' });
  assert.equal(again.status, 200, again.text);
  const dup = await c.clerka.post('/api/v1/study/persons/import?format=csv', undefined, { body: toCsv([['姓名', '单位', '职务'], ['周一', '甲镇', '副镇长']]), type: 'text/csv' });
  assert.equal(dup.status, 400, dup.text);
  assert.deepEqual(dup.body.error.details.faults.map((f) => [f.row, f.column]), [[2, '姓名']]);
  assert.match(dup.body.error.details.faults[0].reason, /已在名册中/);
  const xlsx = await c.county.get('/api/v1/study/persons/export.xlsx');
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
  const noHeader = await c.clerka.post('/api/v1/study/persons/import?format=csv', undefined, { body: '张三,甲镇\r\n', type: 'text/csv' });
  assert.equal(noHeader.status, 400, noHeader.text);
  assert.match(noHeader.body.error.message, /缺少/);
});

test('activities: recorded with checks, attendance within the unit, scope of who sees it', async () => {
  assertError(await c.clerka.post('/api/v1/study/activities', { kind: 'three_meetings', unit_id: u.branchA.id, held_on: '2099-01-01', topic: '学习' }), 400, 'date_in_future', 'held_on');
  assertError(await c.clerka.post('/api/v1/study/activities', { kind: 'nope', unit_id: u.branchA.id, held_on: today, topic: '学习' }), 400, 'field_invalid', 'kind');
  assertError(await c.clerka.post('/api/v1/study/activities', { kind: 'seminar', unit_id: u.townB.id, held_on: today, topic: '学习' }), 403, 'forbidden');
  const a = await activity(c.clerka, { kind: 'three_meetings', unit_id: u.branchA.id, held_on: today, topic: '学习党的二十大精神', lead_person_id: u.p.zhang.id, place: '党员活动室' });
  u.a1 = a.id;
  const put = (items) => c.clerka.put(`/api/v1/study/activities/${a.id}/attendance`, { items });
  assertError(await put([{ person_id: u.p.zhang.id, present: 1, shared: 1 }, { person_id: u.p.li.id, present: 0 }]), 400, 'absence_reason_required', 'items[1].absence_reason');
  assertError(await put([{ person_id: u.p.sun.id, present: 1 }]), 400, 'person_outside_unit', 'items[0].person_id');
  assertError(await put([{ person_id: u.p.zhao.id, present: 1 }]), 400, 'person_outside_unit', 'items[0].person_id');
  assertError(await put([{ person_id: u.p.zhang.id, present: 1 }, { person_id: u.p.zhang.id, present: 1 }]), 409, 'duplicate', 'items[1].person_id');
  const ok = await put([
    { person_id: u.p.zhang.id, present: true, shared: true },
    { person_id: u.p.li.id, present: false, absence_reason: '外出学习' },
    { person_id: u.p.wang.id, present: 1, shared: 0 },
  ]);
  assert.equal(ok.status, 200, ok.text);
  const d = await c.branchclerk.ok(`/api/v1/study/activities/${a.id}`);
  assert.equal(d.present, 2);
  assert.equal(d.absent, 1);
  assert.equal(d.attendance.find((x) => x.name === '李娜').absence_reason, '外出学习');
  // A township clerk elsewhere, and a branch's clerk for another branch's session, see nothing.
  assertError(await c.clerkb.get(`/api/v1/study/activities/${a.id}`), 403, 'forbidden');
  const other = await activity(c.clerka, { kind: 'party_day', unit_id: u.branchA2.id, held_on: today, topic: '主题党日' });
  assertError(await c.branchclerk.get(`/api/v1/study/activities/${other.id}`), 403, 'forbidden');
  assert.equal((await c.branchclerk.ok('/api/v1/study/activities')).total, 1);
  const refl = await c.clerka.post(`/api/v1/study/activities/${a.id}/reflections`, { person_id: u.p.wang.id, text: '深受教育' });
  assert.equal(refl.status, 201, refl.text);
  assertError(await c.clerka.post(`/api/v1/study/activities/${a.id}/reflections`, { person_id: u.p.sun.id, text: '越界' }), 400, 'person_outside_unit', 'person_id');
  const file = await c.clerka.post(`/api/v1/study/activities/${a.id}/attachments?name=${encodeURIComponent('学习材料.png')}`, undefined, { body: PNG, type: 'image/png' });
  assert.equal(file.status, 201, file.text);
  assert.equal((await c.branchclerk.get(`/api/v1/attachments/${file.body.id}`)).status, 200);
  assertError(await c.clerkb.get(`/api/v1/attachments/${file.body.id}`), 403, 'forbidden');
  const edit = await c.clerka.patch(`/api/v1/study/activities/${a.id}`, { kind: 'three_meetings', unit_id: u.branchA.id, held_on: today, topic: '学习党的二十大精神', lead_person_id: u.p.zhang.id, minutes: '会议记录', version: 1 });
  assert.equal(edit.status, 200, edit.text);
  const full = await c.clerka.ok(`/api/v1/study/activities/${a.id}`);
  assert.equal(full.minutes, '会议记录');
  assert.equal(full.reflections.length, 1);
  assert.equal(full.attachments.length, 1);
  const xlsx = await c.clerka.get('/api/v1/study/activities/export.xlsx?kind=three_meetings');
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-disposition'), /xlsx/);
});

test('observers give feedback; the unit answers it through its flow; late answers go overdue', async () => {
  assertError(await c.observer.post(`/api/v1/study/activities/${u.a1}/observations`, { observer: '县委宣传部 刘', observer_body: '县委宣传部', rating: '优秀', issues: [] }), 400, 'field_invalid', 'rating');
  assertError(await c.clerka.post(`/api/v1/study/activities/${u.a1}/observations`, { observer: '刘', observer_body: '县委宣传部', rating: '好' }), 403, 'forbidden');
  const o = await c.observer.post(`/api/v1/study/activities/${u.a1}/observations`, { observer: '刘', observer_body: '县委宣传部', rating: '较好', comment: '准备充分', issues: ['研讨发言不够深入', '联系实际不够'] });
  assert.equal(o.status, 201, o.text);
  const list = await c.clerka.ok('/api/v1/study/feedback?state=open');
  assert.equal(list.total, 2);
  const [first, second] = list.items;
  assert.ok(first.deadline > today, first.deadline);
  assertError(await c.observer.post(`/api/v1/study/feedback/${first.id}/answer`, { answer: '我来答' }), 403, 'forbidden');
  assertError(await c.clerka.post(`/api/v1/study/feedback/${first.id}/answer`, {}), 400, 'field_required', 'answer');
  const ans = await c.clerka.post(`/api/v1/study/feedback/${first.id}/answer`, { answer: '下次研讨提前布置题目' });
  assert.equal(ans.status, 200, ans.text);
  assert.equal(ans.body.state, 'answered');
  assertError(await c.clerka.post(`/api/v1/study/feedback/${first.id}/answer`, { answer: '再答' }), 409, 'flow_state');
  // The other one's deadline passes: the scheduler flags it and tells the unit's answerers.
  sql(srv.db, `UPDATE feedback SET deadline = '2020-01-01' WHERE id = ${second.id};`);
  const tick = runCli(['tick', '--db', srv.db]);
  assert.equal(tick.code, 0, tick.stderr);
  assert.match(tick.stdout, /1 observers' feedback newly overdue/);
  const overdue = await c.clerka.ok('/api/v1/study/feedback?overdue=1');
  assert.deepEqual(overdue.items.map((f) => f.id), [second.id]);
  const notes = await c.clerka.ok('/api/v1/notifications');
  assert.ok(notes.items.some((n) => n.title.includes('联系实际不够')), JSON.stringify(notes.items));
  const again = runCli(['tick', '--db', srv.db]);
  assert.match(again.stdout, /0 observers' feedback newly overdue/);
  const detail = await c.clerka.ok(`/api/v1/study/activities/${u.a1}`);
  assert.equal(detail.observations[0].feedback.length, 2);
});

test('三定一分享: fixed day, monthly compliance per branch, and who has led', async () => {
  assertError(await c.clerka.put(`/api/v1/study/branches/${u.townA.id}`, { fixed_day: 5 }), 400, 'not_a_branch', 'unit_id');
  assertError(await c.clerka.put(`/api/v1/study/branches/${u.branchA.id}`, { fixed_day: 32 }), 400, 'field_invalid', 'fixed_day');
  const day = Number(today.slice(8, 10));
  const set = await c.clerka.put(`/api/v1/study/branches/${u.branchA.id}`, { fixed_day: day });
  assert.equal(set.status, 200, set.text);
  let comp = await c.clerka.ok(`/api/v1/study/compliance?month=${thisMonth}`);
  let a = comp.items.find((b) => b.unit_id === u.branchA.id);
  assert.equal(a.held_on_fixed_day, true);
  assert.equal(a.one_lead, true);
  assert.equal(a.all_shared, false, '王强 was present and did not share');
  assert.equal(a.compliant, false);
  const b2 = comp.items.find((b) => b.unit_id === u.branchA2.id);
  assert.equal(b2.fixed_day, null);
  assert.equal(b2.compliant, false);
  const fix = await c.clerka.put(`/api/v1/study/activities/${u.a1}/attendance`, { items: [
    { person_id: u.p.zhang.id, present: 1, shared: 1 },
    { person_id: u.p.li.id, present: 0, absence_reason: '外出学习' },
    { person_id: u.p.wang.id, present: 1, shared: 1 },
  ] });
  assert.equal(fix.status, 200);
  comp = await c.clerka.ok(`/api/v1/study/compliance?month=${thisMonth}`);
  a = comp.items.find((b) => b.unit_id === u.branchA.id);
  assert.equal(a.compliant, true);
  assert.equal(comp.compliant, 1);
  assert.equal((await c.branchclerk.ok(`/api/v1/study/compliance?month=${thisMonth}`)).items.length, 1, 'a branch sees itself');
  assertError(await c.clerka.get('/api/v1/study/compliance?month=2024-13'), 400, 'bad_query', 'month');
  const sheet = await c.clerka.get(`/api/v1/study/compliance/export.xlsx?month=${thisMonth}`);
  assert.equal(sheet.status, 200);
  assert.match(sheet.headers.get('content-type'), /spreadsheetml/);
  const rot = await c.clerka.ok(`/api/v1/study/rotation?unit_id=${u.branchA.id}`);
  const byName = Object.fromEntries(rot.items.map((x) => [x.name, x]));
  assert.equal(byName['张伟'].led, 1);
  assert.equal(byName['张伟'].days_since, 0);
  assert.equal(byName['李娜'].never_led, true);
  assert.equal(rot.never_led, 2);
});

test('plans show planned against held, one per unit and year', async () => {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const body = { unit_id: u.townA.id, year, title: `${year}年甲镇党委理论学习中心组学习计划`, topics: [{ month, topic: '学习贯彻党的二十大精神', planned_sessions: 2 }] };
  assertError(await c.clerka.post('/api/v1/study/plans', { ...body, topics: [{ month: 13, topic: 'x' }] }), 400, 'field_invalid', 'topics[0].month');
  const p = await c.clerka.post('/api/v1/study/plans', body);
  assert.equal(p.status, 201, p.text);
  assertError(await c.clerka.post('/api/v1/study/plans', body), 409, 'duplicate', 'year');
  await activity(c.clerka, { kind: 'center_group', unit_id: u.townA.id, held_on: today, topic: '学习贯彻党的二十大精神', plan_id: p.body.id });
  const plan = await c.clerka.ok(`/api/v1/study/plans/${p.body.id}`);
  const m = plan.months[month - 1];
  assert.equal(m.planned, 2);
  assert.equal(m.held, 1);
  assertError(await c.clerkb.get(`/api/v1/study/plans/${p.body.id}`), 403, 'forbidden');
  assert.equal((await c.clerkb.ok('/api/v1/study/plans')).total, 0);
});

test('outreach, figures with drill-down, and the summary in the reports\' prose', async () => {
  const brand = await c.county.post('/api/v1/study/brands', { name: '宁小宣', unit_id: 1 });
  assert.equal(brand.status, 201, brand.text);
  assertError(await c.county.post('/api/v1/study/brands', { name: '宁小宣', unit_id: 1 }), 409, 'duplicate', 'name');
  assertError(await c.clerkb.post('/api/v1/study/teams', { name: '乙镇宣讲队', unit_id: u.townB.id, member_ids: [u.p.li.id] }), 400, 'field_invalid', 'member_ids[0]');
  assertError(await c.clerkb.post('/api/v1/study/activities', { kind: 'outreach', unit_id: u.townB.id, held_on: today, topic: '宣讲', lead_person_id: u.p.li.id }), 400, 'field_invalid', 'lead_person_id');
  const team = await c.county.post('/api/v1/study/teams', { name: '红领巾宣讲团', unit_id: 1, brand_id: brand.body.id, member_ids: [u.p.li.id] });
  assert.equal(team.status, 201, team.text);
  const site = await c.county.post('/api/v1/study/sites', { name: '冀鲁边区革命纪念馆', unit_id: u.townA.id });
  assert.equal(site.status, 201, site.text);
  const visit = await c.clerka.post('/api/v1/study/visits', { site_id: site.body.id, unit_id: u.townA.id, visited_on: today, visitors: 45 });
  assert.equal(visit.status, 201, visit.text);
  for (let i = 0; i < 3; i++)
    await activity(c.clerka, { kind: 'outreach', unit_id: u.townA.id, held_on: today, topic: '理论宣讲进村居', place: '东街村', lead_person_id: u.p.li.id, audience: 60, brand_id: brand.body.id, team_id: team.body.id });
  await activity(c.clerka, { kind: 'party_lecture', unit_id: u.branchA.id, held_on: today, topic: '微党课', lead_person_id: u.p.wang.id });
  await activity(c.county, { kind: 'center_group', unit_id: 1, held_on: today, topic: '县委中心组集体学习' });
  await activity(c.county, { kind: 'seminar', unit_id: 1, held_on: today, topic: '县委中心组研讨' });
  const out = await c.clerka.post('/api/v1/study/outputs', { unit_id: u.townA.id, kind: '调研报告', title: '关于乡村振兴的调研', published_on: today });
  assert.equal(out.status, 201, out.text);
  const teams = await c.county.ok('/api/v1/study/teams');
  assert.deepEqual(teams.items[0].members.map((m) => m.name), ['李娜']);

  const s = await c.county.ok(`/api/v1/study/stats?from=${firstOfMonth}&group=kind`);
  assert.equal(s.total.outreach, 3);
  assert.equal(s.total.audience, 180);
  assert.equal(s.total.member_lecturers, 1);
  assert.equal(s.total.outputs, 1);
  assert.equal(s.total.site_visits, 1);
  for (const g of s.groups) {
    const list = await c.county.ok('/api/v1/study/activities?' + new URLSearchParams(g.filters.sessions));
    assert.equal(list.total, g.sessions, `${g.key}: the list behind the figure`);
  }
  const lecturers = await c.county.ok('/api/v1/study/activities?' + new URLSearchParams(s.total.filters.member_lecturers));
  assert.equal(lecturers.total, 1);
  const byUnit = await c.county.ok(`/api/v1/study/stats?from=${firstOfMonth}&group=unit`);
  for (const g of byUnit.groups) {
    const list = await c.county.ok('/api/v1/study/activities?' + new URLSearchParams(g.filters.sessions));
    assert.equal(list.total, g.sessions, `unit ${g.label}`);
  }
  assert.ok(byUnit.groups.some((g) => g.label === '甲镇'));
  const mine = await c.clerka.ok(`/api/v1/study/stats?from=${firstOfMonth}`);
  assert.equal(mine.total.outreach, 3, 'the township sees its own');

  const sum = await c.county.ok(`/api/v1/study/summary?from=${firstOfMonth}`);
  assert.match(sum.text, /全县开展县委理论学习中心组学习1次、研讨1次/);
  assert.match(sum.text, /开展宣讲活动3场次，受众180人次/);
  assert.match(sum.text, /1名普通党员上讲台讲党课/);
  const town = await c.clerka.ok(`/api/v1/study/summary?from=${firstOfMonth}`);
  assert.match(town.text, /甲镇/);
  assert.doesNotMatch(town.text, /全县/);
  const docx = await c.county.get(`/api/v1/study/summary.docx?from=${firstOfMonth}`);
  assert.equal(docx.status, 200);
  assert.match(docx.headers.get('content-type'), /wordprocessingml/);
  const txt = await c.county.get(`/api/v1/study/summary.txt?from=${firstOfMonth}`);
  assert.match(txt.text, /开展宣讲活动3场次/);
  assertError(await c.county.get('/api/v1/study/stats?group=nope'), 400, 'bad_query', 'group');
  assertError(await c.county.get('/api/v1/study/summary?from=2025-02-30'), 400, 'bad_query', 'from');
});

test('kinds a county adds as data; study endpoints refuse the signed-out and the unrelated', async () => {
  const k = await c.county.post('/api/v1/study/kinds', { name: 'reading_club', title: '读书班', category: 'study' });
  assert.equal(k.status, 201, k.text);
  assertError(await c.clerka.post('/api/v1/study/kinds', { name: 'x_club', title: '某班', category: 'study' }), 403, 'forbidden');
  assertError(await c.county.post('/api/v1/study/kinds', { name: 'bad name', title: '某班', category: 'study' }), 400, 'field_invalid', 'name');
  assertError(await c.county.post('/api/v1/study/kinds', { name: 'other', title: '某班', category: 'party' }), 400, 'field_invalid', 'category');
  const kinds = await c.clerka.ok('/api/v1/study/kinds');
  assert.ok(kinds.items.some((x) => x.name === 'reading_club' && !x.builtin));
  const anon = await srv.client().get('/api/v1/study/activities');
  assertError(anon, 401, 'unauthenticated');
  const list = await c.admin.ok('/api/v1/study/activities');
  assert.equal(list.total, 0, 'the system administrator reads no study records');
  assertError(await c.county.post('/api/v1/study/activities', { kind: 'seminar', unit_id: 1, held_on: today, topic: 'x', extra: 1 }), 400, 'field_unknown', 'extra');
});
