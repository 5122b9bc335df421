// The united-front liaison and alliance mechanism (统战联络、党建联盟) through its API:
// representative persons with their categories' own fields, read only by the 统战 side and
// audited; key enterprises; contact assignments with a leader's least number of contacts;
// visits on one's own assignment only, the plan's periods and a cadre's current visits; a
// visit's 困难诉求 sent to the problem list with its state shown back; an alliance with its
// members, departments, teams, rotation and meetings whose problems go to a department on the
// problem list; 驻厂员 and their problems; figures with the summary; the tick's reminders.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUnit, assertError, runCli, sql } from './lib/server.mjs';
import { roleUser, closeLoop, actOk } from './lib/problems.mjs';

let srv;
const u = {};
const c = {};
const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
const year = Number(today.slice(0, 4));

test.before(async () => {
  srv = await startServer();
  const [admin, secadmin] = await Promise.all([srv.admin(), srv.secadmin()]);
  u.townA = await addUnit(admin, { code: 'xicheng', name: '西城街道' });
  u.townB = await addUnit(admin, { code: 'dongcheng', name: '东城街道' });
  u.ducha = await addUnit(admin, { code: 'ducha', name: '县委督查室', kind: 'department' });
  u.anjian = await addUnit(admin, { code: 'anjian', name: '县应急管理局', kind: 'department' });
  u.huanbao = await addUnit(admin, { code: 'huanbao', name: '县生态环境分局', kind: 'department' });
  const people = {
    clerka: { name: '刘统战', unit: u.townA.id, grants: [['liaison_clerk', u.townA.id]] },
    clerkb: { name: '孙统战', unit: u.townB.id, grants: [['liaison_clerk', u.townB.id]] },
    cadre1: { name: '王干部', unit: u.townA.id, grants: [['liaison_cadre', u.townA.id]] },
    cadre2: { name: '赵干部', unit: u.townA.id, grants: [['liaison_cadre', u.townA.id]] },
    leader: { name: '李书记', unit: u.townA.id, grants: [['liaison_cadre', u.townA.id]] },
    // the alliance's office: its registers, and the problem list over the county
    office: { name: '周联盟', unit: u.townA.id, grants: [['liaison_clerk', u.townA.id], ['operator', 1]] },
    operator: { name: '钱督查', unit: u.ducha.id, grants: [['operator', 1]] },
    supervisor: { name: '吴核查', unit: u.ducha.id, grants: [['supervisor', 1]] },
    handler: { name: '郑经办', unit: u.townA.id, grants: [['handler', u.townA.id]] },
    handlerd: { name: '冯应急', unit: u.anjian.id, grants: [['handler', u.anjian.id]] },
  };
  for (const [login, p] of Object.entries(people))
    c[login] = await roleUser(srv, admin, secadmin, { login, name: p.name, unit_id: p.unit, grants: p.grants });
});
test.after(() => srv.stopClean());

async function create(client, path, body) {
  const res = await client.post(`/api/v1/liaison/${path}`, body);
  assert.equal(res.status, 201, `${path}: ${res.text}`);
  return res.body;
}

test('persons: categories as data with their own fields, the 统战 side only, reads audited', async () => {
  const meta = await c.clerka.ok('/api/v1/liaison/meta');
  assert.ok(meta.categories.some((k) => k.code === 'nonparty_deputy' && k.parent === 'nonparty_rep'));
  assert.ok(meta.choices.party.includes('民盟'));
  assert.equal(meta.settings.leader_min_targets, 2);
  u.p = {};
  u.p.a = await create(c.clerka, 'persons', { unit_id: u.townA.id, category: 'democratic_party', party: '民盟', name: '陈明', employer: '西城中学', post: '教师', status: 'training', phone: '13800000001' });
  u.p.b = await create(c.clerka, 'persons', { unit_id: u.townA.id, category: 'new_stratum', stratum_kind: '新媒体从业人员', name: '林晓', gender: 'female' });
  u.p.c = await create(c.clerka, 'persons', { unit_id: u.townA.id, category: 'nonparty_deputy', name: '黄海', congress: 'cppcc', term: '第十届', elected_on: '2022-01-10', term_ends_on: '2027-01-09' });
  u.p.d = await create(c.clerka, 'persons', { unit_id: u.townA.id, category: 'overseas_family', name: '何芳' });
  u.p.x = await create(c.clerkb, 'persons', { unit_id: u.townB.id, category: 'taiwan_family', name: '许台' });
  assertError(await c.clerka.post('/api/v1/liaison/persons', { unit_id: u.townA.id, category: 'democratic_party', name: '缺党派' }), 400, 'field_not_for_category', 'party');
  assertError(await c.clerka.post('/api/v1/liaison/persons', { unit_id: u.townA.id, category: 'nonparty', name: '缺认定' }), 400, 'field_not_for_category', 'recognized_on');
  assertError(await c.clerka.post('/api/v1/liaison/persons', { unit_id: u.townA.id, category: 'ethnic_religious', name: '多党派', party: '民革' }), 400, 'field_not_for_category', 'party');
  assertError(await c.clerka.post('/api/v1/liaison/persons', { unit_id: u.townA.id, category: 'democratic_party', party: '不存在党', name: '错党派' }), 400, 'field_invalid', 'party');
  assertError(await c.clerka.post('/api/v1/liaison/persons', { unit_id: u.townA.id, category: 'nosuch', name: '错类别' }), 400, 'field_invalid', 'category');
  assertError(await c.clerka.post('/api/v1/liaison/persons', { unit_id: u.townA.id, category: 'overseas_family', name: '甲', status: '提拔' }), 400, 'field_invalid', 'status');
  assertError(await c.clerka.post('/api/v1/liaison/persons', { unit_id: u.townA.id, category: 'overseas_family', name: '乙', shoe: 42 }), 400, 'field_unknown', 'shoe');
  assertError(await c.clerka.post('/api/v1/liaison/persons', { unit_id: u.townA.id, category: 'nonparty_deputy', name: '丙', congress: 'npc', elected_on: '2022-01-10', term_ends_on: '2021-01-09' }), 400, 'end_before_start', 'term_ends_on');
  assertError(await c.clerka.post('/api/v1/liaison/persons', { unit_id: u.townB.id, category: 'overseas_family', name: '越界' }), 403, 'forbidden');
  assertError(await c.clerka.post('/api/v1/liaison/persons', { unit_id: u.townA.id, category: 'democratic_party', party: '民盟', name: '陈明', employer: '西城中学' }), 409, 'duplicate');
  assertError(await c.cadre1.post('/api/v1/liaison/persons', { unit_id: u.townA.id, category: 'overseas_family', name: '干部加' }), 403, 'forbidden');
  // nothing of the refused ones was written
  const mine = await c.clerka.ok('/api/v1/liaison/persons');
  assert.deepEqual(mine.items.map((p) => p.name).sort(), ['何芳', '林晓', '陈明', '黄海'].sort());
  const one = mine.items.find((p) => p.name === '陈明');
  assert.equal(one.category_title, '民主党派成员');
  assert.equal(one.status_title, '培养');
  // sub-kinds under their parent category
  const reps = await c.clerka.ok('/api/v1/liaison/persons?category=nonparty_rep');
  assert.deepEqual(reps.items.map((p) => p.name), ['黄海']);
  // another township neither lists nor reads them
  const b = await c.clerkb.ok('/api/v1/liaison/persons');
  assert.deepEqual(b.items.map((p) => p.name), ['许台']);
  assertError(await c.clerkb.get(`/api/v1/liaison/persons/${u.p.a.id}`), 403, 'forbidden');
  // the problem list's operator is not the 统战 side: no persons at all
  const op = await c.operator.ok('/api/v1/liaison/persons');
  assert.equal(op.total, 0);
  assertError(await c.operator.get(`/api/v1/liaison/persons/${u.p.a.id}`), 403, 'forbidden');
  // a change by version, and the status moving on
  const got = await c.clerka.ok(`/api/v1/liaison/persons/${u.p.a.id}`);
  assert.equal(got.phone, '13800000001');
  assertError(await c.clerka.patch(`/api/v1/liaison/persons/${u.p.a.id}`, { status: 'selected' }), 400, 'field_required', 'version');
  const ch = await c.clerka.patch(`/api/v1/liaison/persons/${u.p.a.id}`, { status: 'selected', version: got.version });
  assert.equal(ch.status, 200, ch.text);
  assertError(await c.clerka.patch(`/api/v1/liaison/persons/${u.p.a.id}`, { status: 'used', version: got.version }), 409, 'conflict');
  // reads of personal data are in the audit chain
  const reads = sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'read' AND object LIKE '%liaison%person%'");
  assert.ok(Number(reads) >= 3, `audited reads: ${reads}`);
});

test('enterprises and assignments: a leader links with at least the configured number', async () => {
  u.e = {};
  u.e.qiao = await create(c.clerka, 'enterprises', { unit_id: u.townA.id, name: '华侨食品有限公司', kind: 'overseas', sector: '食品加工', size: 'medium', contact_name: '陈经理', cadre_user_id: c.cadre1.user.id });
  u.e.tai = await create(c.clerka, 'enterprises', { unit_id: u.townA.id, name: '台鑫电子有限公司', kind: '台资', sector: '电子' });
  u.e.other = await create(c.clerkb, 'enterprises', { unit_id: u.townB.id, name: '东城外资有限公司', kind: 'foreign' });
  const ents = await c.clerka.ok('/api/v1/liaison/enterprises?kind=taiwan');
  assert.deepEqual(ents.items.map((e) => e.name), ['台鑫电子有限公司']);
  const qiao = await c.clerka.ok(`/api/v1/liaison/enterprises/${u.e.qiao.id}`);
  assert.equal(qiao.kind_title, '侨资');
  assert.equal(qiao.cadre_user_id_label, '王干部（西城街道）');
  assertError(await c.clerka.post('/api/v1/liaison/assignments', { unit_id: u.townA.id, cadre_user_id: c.leader.user.id, leader: true, starts_on: `${year}-01-01`, person_ids: [u.p.c.id] }), 400, 'too_few_targets', 'person_ids');
  assertError(await c.clerka.post('/api/v1/liaison/assignments', { unit_id: u.townA.id, cadre_user_id: c.cadre1.user.id, starts_on: `${year}-01-01`, enterprise_ids: [u.e.other.id] }), 400, 'field_invalid', 'enterprise_ids');
  u.a = {};
  u.a.leader = await create(c.clerka, 'assignments', { unit_id: u.townA.id, cadre_user_id: c.leader.user.id, leader: true, starts_on: `${year}-01-01`, person_ids: [u.p.c.id], enterprise_ids: [u.e.tai.id] });
  u.a.cadre1 = await create(c.clerka, 'assignments', { unit_id: u.townA.id, cadre_user_id: c.cadre1.user.id, frequency: 'quarterly', festivals: true, starts_on: `${year - 1}-01-01`, person_ids: [u.p.a.id, u.p.b.id], enterprise_ids: [u.e.qiao.id] });
  u.a.cadre2 = await create(c.clerka, 'assignments', { unit_id: u.townA.id, cadre_user_id: c.cadre2.user.id, starts_on: `${year}-01-01`, person_ids: [u.p.d.id] });
  // the least number is a setting of the county's 统战部 (liaison.write over the county)
  assertError(await c.clerka.put('/api/v1/liaison/settings', { leader_min_targets: 3 }), 403, 'forbidden');
  const mine = await c.cadre1.ok('/api/v1/liaison/assignments?mine=1');
  assert.equal(mine.total, 1);
  assert.deepEqual(mine.items[0].persons.map((p) => p.name).sort(), ['林晓', '陈明'].sort());
  // the registers' user fields pick from the people under one's liaison.write: name and unit
  const picked = await c.clerka.ok('/api/v1/liaison/users?q=干部');
  assert.deepEqual(picked.items.map((x) => x.label).sort(), ['王干部（西城街道）', '赵干部（西城街道）'].sort());
  assert.equal(picked.items[0].login, undefined);
  const other = await c.clerkb.ok('/api/v1/liaison/users?q=干部');
  assert.equal(other.items.length, 0);
  assert.equal((await c.cadre1.ok('/api/v1/liaison/users')).items.length, 0);
});

test('visits: on one\'s own assignment only, to its targets, never in the future', async () => {
  const body = { assignment_id: u.a.cadre1.id, person_id: u.p.a.id, visited_on: today, form: 'talk', thoughts: '拥护街道工作安排', suggestions: '建议多组织交流', requests: '学校门前道路破损，学生出行不便', help: '已联系社区' };
  const v = await create(c.cadre1, 'visits', body);
  u.visit = v;
  assertError(await c.cadre2.post('/api/v1/liaison/visits', body), 403, 'not_own_assignment');
  assertError(await c.clerkb.post('/api/v1/liaison/visits', body), 403, 'forbidden');
  assertError(await c.cadre1.post('/api/v1/liaison/visits', { ...body, person_id: u.p.d.id }), 400, 'not_a_target', 'person_id');
  assertError(await c.cadre1.post('/api/v1/liaison/visits', { ...body, visited_on: '2099-01-01' }), 400, 'date_in_future', 'visited_on');
  assertError(await c.cadre1.post('/api/v1/liaison/visits', { ...body, form: '喝茶' }), 400, 'field_invalid', 'form');
  assertError(await c.cadre1.post('/api/v1/liaison/visits', { ...body, enterprise_id: u.e.qiao.id }), 400, 'field_invalid', 'person_id');
  // the office records for the cadre: the visitor is the assignment's cadre
  const byOffice = await create(c.clerka, 'visits', { assignment_id: u.a.cadre1.id, enterprise_id: u.e.qiao.id, visited_on: today, form: 'visit', suggestions: '希望协调用工' });
  const got = await c.cadre1.ok(`/api/v1/liaison/visits/${byOffice.id}`);
  assert.equal(got.visitor_label, '王干部（西城街道）');
  assert.equal(got.target_name, '华侨食品有限公司');
  assert.equal(got.form_title, '走访');
  assertError(await c.clerkb.get(`/api/v1/liaison/visits/${v.id}`), 403, 'forbidden');
  const list = await c.clerka.ok(`/api/v1/liaison/visits?assignment_id=${u.a.cadre1.id}`);
  assert.equal(list.total, 2);
  // the cadre's own view: this period done for the two visited, pending or overdue for the third
  const mine = await c.cadre1.ok('/api/v1/liaison/mine');
  const chen = mine.items.find((t) => t.person_id === u.p.a.id);
  const cur = chen.periods.find((p) => p.from <= today && today <= p.due && !p.festival);
  assert.equal(cur.status, 'done');
  const lin = mine.items.find((t) => t.person_id === u.p.b.id);
  assert.ok(lin.periods.some((p) => p.status === 'overdue'), 'last year\'s lapsed periods are overdue');
  // a year view of the assignment: four quarters and the two festivals
  const plan = await c.clerka.ok(`/api/v1/liaison/assignments/${u.a.cadre1.id}/plan?year=${year - 1}`);
  const periods = plan.items[0].periods.map((p) => p.code);
  assert.deepEqual(periods.filter((p) => p.includes('Q')), [1, 2, 3, 4].map((q) => `${year - 1}-Q${q}`));
  assert.ok(periods.includes(`${year - 1}-spring`) && periods.includes(`${year - 1}-midautumn`));
  assert.ok(plan.items[0].periods.every((p) => p.status === 'overdue'));
  assertError(await c.clerkb.get(`/api/v1/liaison/assignments/${u.a.cadre1.id}/plan`), 404, 'not_found');
});

test('a visit\'s 困难诉求 goes to the problem list (统战走访) and its state is shown back', async () => {
  assertError(await c.cadre1.post(`/api/v1/liaison/visits/${u.visit.id}/problem`, { unit_id: u.townA.id }), 403, 'forbidden');
  assertError(await c.clerka.post(`/api/v1/liaison/visits/${u.visit.id}/problem`, { unit_id: u.anjian.id }), 403, 'forbidden');
  const silent = await create(c.cadre1, 'visits', { assignment_id: u.a.cadre1.id, person_id: u.p.b.id, visited_on: today, form: 'phone', thoughts: '思想稳定' });
  assertError(await c.clerka.post(`/api/v1/liaison/visits/${silent.id}/problem`, { unit_id: u.townA.id }), 400, 'no_request', 'requests');
  const res = await c.clerka.post(`/api/v1/liaison/visits/${u.visit.id}/problem`, { unit_id: u.townA.id, deadline_workdays: 10 });
  assert.equal(res.status, 201, res.text);
  const pid = res.body.problem_id;
  assertError(await c.clerka.post(`/api/v1/liaison/visits/${u.visit.id}/problem`, { unit_id: u.townA.id }), 409, 'duplicate');
  const pr = await c.operator.ok(`/api/v1/problems/${pid}`);
  assert.equal(pr.source, '统战走访');
  assert.equal(pr.title, '统战对象走访中反映的困难诉求'); // a person is not named in the title
  assert.equal(pr.description, '学校门前道路破损，学生出行不便');
  let v = await c.cadre1.ok(`/api/v1/liaison/visits/${u.visit.id}`);
  assert.equal(v.problem.id, pid);
  assert.equal(v.problem.state, 'registered');
  await actOk(c.operator, pid, 'assign', { note: '请西城街道办理' });
  v = await c.cadre1.ok(`/api/v1/liaison/visits/${u.visit.id}`);
  assert.equal(v.problem.state, 'assigned');
  assert.equal(v.problem.state_title, '已交办');
  await actOk(c.handler, pid, 'sign', {});
  const upload = await c.handler.post(`/api/v1/problems/${pid}/attachments?name=p.png`, undefined, { body: (await import('./lib/problems.mjs')).PNG, type: 'image/png' });
  assert.equal(upload.status, 201, upload.text);
  await actOk(c.handler, pid, 'claim', { summary: '道路已修复' }, [upload.body.id]);
  await actOk(c.supervisor, pid, 'verify_pass', { method: '电话核实', finding: '已修复' });
  v = await c.cadre1.ok(`/api/v1/liaison/visits/${u.visit.id}`);
  assert.equal(v.problem.state, 'closed');
  const raised = await c.clerka.ok('/api/v1/liaison/problems?origin=visit');
  assert.equal(raised.total, 1);
  assert.equal(raised.items[0].problem.state, 'closed');
});

test('an alliance: members, the N departments, teams, rotation, meetings feeding the problem list', async () => {
  const firms = [];
  for (const name of ['三和铸造有限公司', '蓬达机械有限公司', '恒力精工有限公司'])
    firms.push(await create(c.office, 'enterprises', { unit_id: u.townA.id, name, kind: 'private', sector: '机械加工', branch: `${name.slice(0, 2)}党支部` }));
  assertError(await c.office.post('/api/v1/liaison/alliances', { unit_id: u.townA.id, name: '错联盟', lead_enterprise_id: firms[0].id, enterprise_ids: [firms[1].id] }), 400, 'not_an_alliance_member', 'lead_enterprise_id');
  assertError(await c.office.post('/api/v1/liaison/alliances', { unit_id: u.townA.id, name: '错部门', dept_ids: [u.townB.id] }), 400, 'not_an_alliance_member', 'dept_ids');
  const al = await create(c.office, 'alliances', { unit_id: u.townA.id, name: '机械加工产业党建联盟', model: '1+5+N', core: '镇党委', lead_enterprise_id: firms[0].id, base: '三和铸造共享基地', enterprise_ids: firms.map((f) => f.id), dept_ids: [u.anjian.id, u.huanbao.id] });
  u.alliance = al;
  await create(c.office, 'teams', { alliance_id: al.id, kind: 'liaison', name: '企业联络员队伍', members: '张一、李二' });
  await create(c.office, 'teams', { alliance_id: al.id, kind: 'guide', name: '党建指导员队伍' });
  await create(c.office, 'teams', { alliance_id: al.id, kind: 'volunteer', name: '志愿服务队' });
  await create(c.office, 'rotations', { alliance_id: al.id, month: `${year}-01`, enterprise_id: firms[0].id, theme: '安全生产' });
  assertError(await c.office.post('/api/v1/liaison/rotations', { alliance_id: al.id, month: `${year}-01`, enterprise_id: firms[1].id }), 409, 'duplicate');
  assertError(await c.office.post('/api/v1/liaison/rotations', { alliance_id: al.id, month: `${year}-02`, enterprise_id: u.e.qiao.id }), 400, 'not_an_alliance_member', 'enterprise_id');
  assertError(await c.office.post('/api/v1/liaison/rotations', { alliance_id: al.id, month: `${year}-13`, enterprise_id: firms[1].id }), 400, 'field_invalid', 'month');
  assertError(await c.clerkb.post('/api/v1/liaison/teams', { alliance_id: al.id, kind: 'guide', name: '越界队伍' }), 403, 'forbidden');
  const m = await create(c.office, 'meetings', { alliance_id: al.id, kind: 'relief', held_on: today, topic: '企业贷款难题', attendees: '镇党委书记、各企业负责人', minutes: '议定由应急局牵头排查隐患', enterprise_ids: [firms[0].id, firms[1].id], dept_ids: [u.anjian.id] });
  assertError(await c.office.post('/api/v1/liaison/meetings', { alliance_id: al.id, kind: 'council', held_on: today, topic: '错部门', dept_ids: [u.ducha.id] }), 400, 'not_an_alliance_member', 'dept_ids');
  const meeting = await c.clerka.ok(`/api/v1/liaison/meetings/${m.id}`);
  assert.equal(meeting.kind_title, '纾困解难会');
  assert.deepEqual(meeting.depts.map((d) => d.name), ['县应急管理局']);
  assertError(await c.office.post(`/api/v1/liaison/meetings/${m.id}/problems`, { unit_id: u.ducha.id, title: '隐患' }), 400, 'not_an_alliance_member', 'unit_id');
  assertError(await c.office.post(`/api/v1/liaison/meetings/${m.id}/problems`, { unit_id: u.anjian.id }), 400, 'field_required', 'title');
  assertError(await c.clerka.post(`/api/v1/liaison/meetings/${m.id}/problems`, { unit_id: u.anjian.id, title: '无权登记' }), 403, 'forbidden');
  const res = await c.office.post(`/api/v1/liaison/meetings/${m.id}/problems`, { unit_id: u.anjian.id, title: '铸造车间安全生产隐患', enterprise_id: firms[0].id, category: '安全生产' });
  assert.equal(res.status, 201, res.text);
  const pr = await c.operator.ok(`/api/v1/problems/${res.body.problem_id}`);
  assert.equal(pr.source, '联盟议事');
  assert.equal(pr.unit_id, u.anjian.id);
  assert.equal(pr.subject, '三和铸造有限公司');
  const ctx = { operator: c.operator, supervisor: c.supervisor };
  await closeLoop(ctx, c.handlerd, res.body.problem_id);
  const view = await c.clerka.ok(`/api/v1/liaison/problems?alliance_id=${al.id}`);
  assert.equal(view.total, 1);
  assert.equal(view.items[0].problem.state, 'closed');
  assert.equal(view.items[0].problem.unit_name, '县应急管理局');
  await create(c.office, 'activities', { unit_id: u.townA.id, alliance_id: al.id, kind: 'talent', held_on: today, title: '人才集中招引', talents: 5 });
  await create(c.office, 'activities', { unit_id: u.townA.id, alliance_id: al.id, kind: 'party_education', held_on: today, title: '杨子荣纪念馆党性教育', participants: 30 });
});

test('驻厂员: a cadre stationed in enterprises, their visits and problems (驻厂)', async () => {
  const st = await create(c.office, 'stations', { unit_id: u.townA.id, cadre_user_id: c.cadre2.user.id, starts_on: `${year}-01-01`, ends_on: `${year}-12-31`, enterprise_ids: [u.e.qiao.id, u.e.tai.id] });
  assertError(await c.office.post('/api/v1/liaison/stations', { unit_id: u.townA.id, cadre_user_id: c.cadre2.user.id, starts_on: `${year}-05-01`, ends_on: `${year}-01-01`, enterprise_ids: [u.e.qiao.id] }), 400, 'end_before_start', 'ends_on');
  await create(c.cadre2, 'visits', { station_id: st.id, enterprise_id: u.e.tai.id, visited_on: today, form: 'visit', requests: '用工紧张' });
  assertError(await c.cadre1.post('/api/v1/liaison/visits', { station_id: st.id, enterprise_id: u.e.tai.id, visited_on: today, form: 'visit' }), 403, 'not_own_assignment');
  assertError(await c.office.post(`/api/v1/liaison/stations/${st.id}/problems`, { unit_id: u.townA.id, title: '用工', enterprise_id: u.e.other.id }), 400, 'not_a_target', 'enterprise_id');
  const res = await c.office.post(`/api/v1/liaison/stations/${st.id}/problems`, { unit_id: u.townA.id, title: '台鑫电子招工难', enterprise_id: u.e.tai.id, category: '用工' });
  assert.equal(res.status, 201, res.text);
  const pr = await c.operator.ok(`/api/v1/problems/${res.body.problem_id}`);
  assert.equal(pr.source, '驻厂');
  assert.equal(pr.category, '用工');
});

test('figures: persons, visits planned against done, problems, stations, alliances and the paragraph', async () => {
  const s = await c.clerka.ok(`/api/v1/liaison/stats?unit_id=${u.townA.id}`);
  assert.equal(s.persons.total, 4);
  const cats = Object.fromEntries(s.persons.by_category.map((k) => [k.code, k.count]));
  assert.deepEqual(cats, { nonparty_rep: 1, democratic_party: 1, new_stratum: 1, overseas_family: 1 });
  assert.ok(s.plan.planned > 0 && s.plan.done >= 3, JSON.stringify(s.plan));
  assert.equal(s.plan.done + s.plan.pending + s.plan.overdue, s.plan.planned);
  assert.ok(s.plan.by_cadre.some((r) => r.title === '王干部（西城街道）'));
  const probs = Object.fromEntries(s.problems.map((p) => [p.code, [p.raised, p.solved]]));
  assert.deepEqual(probs, { visit: [1, 1], meeting: [1, 1], station: [1, 0] });
  assert.equal(s.stations.cadres, 1);
  assert.equal(s.stations.enterprises, 2);
  assert.equal(s.alliances.count, 1);
  assert.equal(s.alliances.meetings, 1);
  assert.match(s.summary, new RegExp(`^${year}年，西城街道`));
  assert.match(s.summary, /收集困难诉求1个，经问题清单解决1个/);
  assert.match(s.summary, /1名干部作为驻厂员进驻2家企业/);
  assert.match(s.summary, /引进人才5人/);
  // another township sees none of it
  const b = await c.clerkb.ok(`/api/v1/liaison/stats`);
  assert.equal(b.persons.total, 1);
  assert.equal(b.problems.length, 0);
  const x = await c.clerka.get('/api/v1/liaison/visits/export.xlsx');
  assert.equal(x.status, 200);
});

test('the tick reminds of overdue visits once', async () => {
  const first = runCli(['tick', '--db', srv.db]);
  assert.equal(first.code, 0, first.stderr);
  const m = first.stdout.match(/(\d+) visit reminders of overdue periods/);
  assert.ok(m && Number(m[1]) > 0, first.stdout);
  const again = runCli(['tick', '--db', srv.db]);
  assert.match(again.stdout, /0 visit reminders of overdue periods, 0 of periods due soon/);
  const notes = await c.cadre1.ok('/api/v1/notifications');
  assert.ok(notes.items.some((n) => n.title.startsWith('走访逾期')), JSON.stringify(notes.items.slice(0, 3)));
});

// last, so that the figures above count one request
test('the office may give a request its own short title on the problem list', async () => {
  const titled = await create(c.cadre1, 'visits', { assignment_id: u.a.cadre1.id, enterprise_id: u.e.qiao.id, visited_on: today, form: 'visit', requests: '冷库扩建用地手续办理慢' });
  const t = await c.clerka.post(`/api/v1/liaison/visits/${titled.id}/problem`, { unit_id: u.townA.id, title: '冷库扩建用地手续' });
  assert.equal(t.status, 201, t.text);
  assert.equal((await c.operator.ok(`/api/v1/problems/${t.body.problem_id}`)).title, '冷库扩建用地手续');
});
