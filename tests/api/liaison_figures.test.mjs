// 统战联络、党建联盟 (issue #16) beyond the registers, as of 2025-08-15 (DUBAN_NOW): the figures of a
// year, a quarter and a month, every number with the filters of the list behind it (and that
// list's total equal to it), the summary naming the viewer's own scope, one alliance on one
// page (members with branches, departments, teams, the rotation in month order, meetings with
// their problems and those problems' state on the problem list now, activities), and
// `duban liaison persons|person|due|stats` with personal data masked unless --as may see it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUnit, assertError, runCli, sql } from './lib/server.mjs';
import { roleUser, closeLoop } from './lib/problems.mjs';

const NOW = '2025-08-15T10:00:00+08:00';
let srv;
const u = {};
const c = {};

async function create(client, path, body) {
  const res = await client.post(`/api/v1/liaison/${path}`, body);
  assert.equal(res.status, 201, `${path}: ${res.text}`);
  return res.body;
}

const cli = (args) => runCli([...args, '--db', srv.db], { env: { DUBAN_NOW: NOW } });

test.before(async () => {
  srv = await startServer({ env: { DUBAN_NOW: NOW } });
  const [admin, secadmin] = await Promise.all([srv.admin(), srv.secadmin()]);
  u.townA = await addUnit(admin, { code: 'xicheng', name: '西城街道' });
  u.townB = await addUnit(admin, { code: 'dongcheng', name: '东城街道' });
  u.ducha = await addUnit(admin, { code: 'ducha', name: '县委督查室', kind: 'department' });
  u.anjian = await addUnit(admin, { code: 'anjian', name: '县应急管理局', kind: 'department' });
  const people = {
    clerka: { name: '刘统战', unit: u.townA.id, grants: [['liaison_clerk', u.townA.id]] },
    clerkb: { name: '孙统战', unit: u.townB.id, grants: [['liaison_clerk', u.townB.id]] },
    county: { name: '钱统战部', unit: 1, grants: [['liaison_clerk', 1], ['operator', 1]] },
    cadre1: { name: '王干部', unit: u.townA.id, grants: [['liaison_cadre', u.townA.id]] },
    cadre2: { name: '赵干部', unit: u.townA.id, grants: [['liaison_cadre', u.townA.id]] },
    cadreb: { name: '郑干部', unit: u.townB.id, grants: [['liaison_cadre', u.townB.id]] },
    chief: { name: '李书记', unit: u.townA.id, grants: [['leader', u.townA.id]] },
    operator: { name: '周督查', unit: u.ducha.id, grants: [['operator', 1]] },
    supervisor: { name: '吴核查', unit: u.ducha.id, grants: [['supervisor', 1]] },
    handlerd: { name: '冯应急', unit: u.anjian.id, grants: [['handler', u.anjian.id]] },
  };
  for (const [login, p] of Object.entries(people))
    c[login] = await roleUser(srv, admin, secadmin, { login, name: p.name, unit_id: p.unit, grants: p.grants });
  u.a = await create(c.clerka, 'persons', { unit_id: u.townA.id, category: 'democratic_party', party: '民盟', name: '陈明', phone: '13800000001', birth_date: '1980-05-06' });
  u.b = await create(c.clerka, 'persons', { unit_id: u.townA.id, category: 'overseas_family', name: '何芳' });
  u.x = await create(c.clerkb, 'persons', { unit_id: u.townB.id, category: 'taiwan_family', name: '许台' });
  u.ent = await create(c.clerka, 'enterprises', { unit_id: u.townA.id, name: '华侨食品有限公司', kind: 'overseas' });
  u.asg1 = await create(c.clerka, 'assignments', { unit_id: u.townA.id, cadre_user_id: c.cadre1.user.id, frequency: 'quarterly', starts_on: '2025-01-01', person_ids: [u.a.id, u.b.id] });
  u.asg2 = await create(c.clerka, 'assignments', { unit_id: u.townA.id, cadre_user_id: c.cadre2.user.id, frequency: 'quarterly', starts_on: '2025-01-01', enterprise_ids: [u.ent.id] });
  u.asgb = await create(c.clerkb, 'assignments', { unit_id: u.townB.id, cadre_user_id: c.cadreb.user.id, frequency: 'quarterly', starts_on: '2025-01-01', person_ids: [u.x.id] });
  // 陈明 visited in Q1 and Q3, 何芳 in Q2, the enterprise in Q2 (with a request), 许台 never
  for (const [who, asg, target, on, requests] of [
    [c.cadre1, u.asg1, { person_id: u.a.id }, '2025-02-10'],
    [c.cadre1, u.asg1, { person_id: u.a.id }, '2025-08-01'],
    [c.cadre1, u.asg1, { person_id: u.b.id }, '2025-05-05'],
    [c.cadre2, u.asg2, { enterprise_id: u.ent.id }, '2025-04-20', '冷库用电增容'],
  ]) u.lastVisit = await create(who, 'visits', { assignment_id: asg.id, ...target, visited_on: on, form: 'visit', requests });
  const res = await c.clerka.post(`/api/v1/liaison/visits/${u.lastVisit.id}/problem`, { unit_id: u.townA.id });
  assert.equal(res.status, 201, res.text);
  await create(c.clerka, 'activities', { unit_id: u.townA.id, kind: 'fellowship', held_on: '2025-02-01', title: '新春联谊会', participants: 80 });
  await create(c.clerka, 'activities', { unit_id: u.townA.id, kind: 'tongxin', held_on: '2025-07-20', title: '同心助学', participants: 20 });
});
test.after(() => srv.stopClean());

// Every figure's list has as many records as the figure says.
async function drills(client, s) {
  const checks = [];
  const rows = [{ ...s.plan, title: '合计' }, ...s.plan.by_unit, ...s.plan.by_period, ...s.plan.by_cadre];
  for (const r of rows) {
    checks.push(['plan', r.filters, r.planned, `${r.title} planned`]);
    for (const st of ['done', 'pending', 'overdue']) checks.push(['plan', { ...r.filters, status: st }, r[st], `${r.title} ${st}`]);
  }
  checks.push(['visits', s.visits.filters, s.visits.recorded, 'visits recorded']);
  checks.push(['visits', s.stations.filters, s.stations.visits, 'station visits']);
  checks.push(['enterprises', s.enterprises.filters, s.enterprises.total, 'enterprises']);
  checks.push(['meetings', s.alliances.meeting_filters, s.alliances.meetings, 'meetings']);
  checks.push(['alliances', s.alliances.filters, s.alliances.count, 'alliances']);
  checks.push(['persons', s.persons.filters, s.persons.total, 'persons']);
  for (const k of [...s.persons.by_category, ...s.persons.by_status]) checks.push(['persons', k.filters, k.count, `persons ${k.code}`]);
  for (const p of s.problems) {
    checks.push(['problems', p.filters.raised, p.raised, `${p.code} raised`]);
    checks.push(['problems', p.filters.solved, p.solved, `${p.code} solved`]);
  }
  for (const a of s.activities) checks.push(['activities', a.filters, a.count, `activities ${a.code}`]);
  for (const [path, f, n, what] of checks) {
    const list = await client.ok(`/api/v1/liaison/${path}?${new URLSearchParams(f)}&limit=500`);
    assert.equal(list.total, n, `${what}: ${path}?${new URLSearchParams(f)}`);
  }
  return checks.length;
}

test('figures by year, quarter and month: planned against done by unit, period and cadre', async () => {
  const y = await c.clerka.ok('/api/v1/liaison/stats?year=2025');
  assert.equal(y.title, '2025年');
  // Q1–Q3 have begun (Q4 not yet): 3 targets × 3 quarters
  assert.deepEqual([y.plan.planned, y.plan.done, y.plan.pending, y.plan.overdue], [9, 4, 2, 3]);
  assert.deepEqual(y.plan.by_period.map((p) => [p.key, p.done, p.overdue]), [['2025-Q1', 1, 2], ['2025-Q2', 2, 1], ['2025-Q3', 1, 0]]);
  const cadres = Object.fromEntries(y.plan.by_cadre.map((r) => [r.title, [r.planned, r.done, r.overdue]]));
  assert.deepEqual(cadres, { '王干部（西城街道）': [6, 3, 2], '赵干部（西城街道）': [3, 1, 1] });
  assert.deepEqual(y.plan.by_unit.map((r) => r.title), ['西城街道']);
  assert.ok(await drills(c.clerka, y) > 30);

  const q3 = await c.clerka.ok('/api/v1/liaison/stats?year=2025&quarter=3');
  assert.equal(q3.title, '2025年第三季度');
  assert.deepEqual([q3.from, q3.to], ['2025-07-01', '2025-09-30']);
  assert.deepEqual([q3.plan.planned, q3.plan.done, q3.plan.pending, q3.plan.overdue], [3, 1, 2, 0]);
  assert.equal(q3.visits.recorded, 1);
  assert.deepEqual(q3.activities.map((a) => [a.code, a.count]), [['tongxin', 1]]);
  assert.match(q3.summary, /^2025年第三季度，西城街道/);
  await drills(c.clerka, q3);

  const q2 = await c.clerka.ok('/api/v1/liaison/stats?year=2025&quarter=2');
  assert.deepEqual([q2.plan.planned, q2.plan.done, q2.plan.overdue], [3, 2, 1]);
  assert.deepEqual(q2.problems.map((p) => [p.code, p.raised, p.solved]), [['visit', 1, 0]]);
  await drills(c.clerka, q2);
  // a month: the periods due in it (June holds Q2's last day), the records dated in it
  const june = await c.clerka.ok('/api/v1/liaison/stats?year=2025&month=6');
  assert.equal(june.title, '2025年6月');
  assert.equal(june.plan.planned, 3);
  assert.equal(june.visits.recorded, 0);
  const may = await c.clerka.ok('/api/v1/liaison/stats?year=2025&month=5');
  assert.deepEqual([may.plan.planned, may.visits.recorded], [0, 1]);
  await drills(c.clerka, may);

  assertError(await c.clerka.get('/api/v1/liaison/stats?quarter=5'), 400, 'bad_query', 'quarter');
  assertError(await c.clerka.get('/api/v1/liaison/stats?quarter=1&month=2'), 400, 'bad_query', 'month');
  assertError(await c.clerka.get('/api/v1/liaison/plan?status=late'), 400, 'bad_query', 'status');
});

test('the list behind the plan: one row per target and period, within the reader\'s scope', async () => {
  const over = await c.clerka.ok('/api/v1/liaison/plan?year=2025&status=overdue');
  assert.deepEqual(over.items.map((r) => [r.period, r.name, r.status_title]).sort(), [
    ['2025-Q1', '何芳', '逾期未走访'], ['2025-Q1', '华侨食品有限公司', '逾期未走访'], ['2025-Q2', '陈明', '逾期未走访'],
  ].sort());
  assert.equal(over.items[0].cadre_label.endsWith('（西城街道）'), true);
  // another township sees only its own: 许台, never visited
  const b = await c.clerkb.ok('/api/v1/liaison/plan?year=2025');
  assert.deepEqual([...new Set(b.items.map((r) => r.name))], ['许台']);
  assert.equal((await c.clerkb.ok(`/api/v1/liaison/plan?year=2025&owner_unit_id=${u.townA.id}`)).total, 0);
  // a leader reading the figures without liaison.person sees no person's name
  const chief = await c.chief.ok('/api/v1/liaison/plan?year=2025&quarter=3');
  assert.deepEqual(chief.items.map((r) => r.name).sort(), ['华侨食品有限公司', '（统战对象）', '（统战对象）'].sort());
  const x = await c.clerka.get('/api/v1/liaison/plan/export.xlsx?year=2025');
  assert.equal(x.status, 200);
});

test('the summary names the viewer\'s scope: the township for its clerk, 全县 for the county', async () => {
  assert.match((await c.clerka.ok('/api/v1/liaison/stats?year=2025')).summary, /^2025年，西城街道/);
  const b = await c.clerkb.ok('/api/v1/liaison/stats?year=2025');
  assert.equal(b.scope_name, '东城街道');
  assert.match(b.summary, /^2025年，东城街道/);
  const all = await c.county.ok('/api/v1/liaison/stats?year=2025');
  assert.match(all.summary, /^2025年，全县/);
  assert.equal(all.plan.planned, 12);
  assert.match((await c.county.ok(`/api/v1/liaison/stats?year=2025&unit_id=${u.townB.id}`)).summary, /^2025年，东城街道/);
});

test('one alliance on one page: members, departments, teams, rotation, meetings, problems, activities', async () => {
  const firms = [];
  for (const name of ['三和铸造有限公司', '蓬达机械有限公司'])
    firms.push(await create(c.county, 'enterprises', { unit_id: u.townA.id, name, kind: 'private', sector: '机械加工', branch: `${name.slice(0, 2)}党支部` }));
  // a member from another township, which 西城街道's clerk may not read in full
  firms.push(await create(c.county, 'enterprises', { unit_id: u.townB.id, name: '东城液压有限公司', kind: 'private', branch: '东城液压党支部' }));
  const al = await create(c.county, 'alliances', { unit_id: u.townA.id, name: '机械加工产业党建联盟', model: '1+5+N', core: '街道党工委', lead_enterprise_id: firms[0].id, base: '三和铸造共享基地', enterprise_ids: firms.map((f) => f.id), dept_ids: [u.anjian.id] });
  for (const [kind, name, members] of [['liaison', '企业联络员队伍', '张一、李二'], ['guide', '党建指导员队伍', '王三'], ['volunteer', '志愿服务队', '党员志愿者12人']])
    await create(c.county, 'teams', { alliance_id: al.id, kind, name, members });
  await create(c.county, 'rotations', { alliance_id: al.id, month: '2025-03', enterprise_id: firms[1].id, theme: '三会一课' });
  await create(c.county, 'rotations', { alliance_id: al.id, month: '2025-01', enterprise_id: firms[0].id, theme: '安全生产' });
  const m = await create(c.county, 'meetings', { alliance_id: al.id, kind: 'relief', held_on: '2025-06-10', topic: '企业纾困解难工作会', attendees: '街道党工委、联盟企业负责人', minutes: '议定由应急局牵头排查隐患', enterprise_ids: [firms[0].id], dept_ids: [u.anjian.id] });
  const raised = await c.county.post(`/api/v1/liaison/meetings/${m.id}/problems`, { unit_id: u.anjian.id, title: '铸造车间安全生产隐患', enterprise_id: firms[0].id });
  assert.equal(raised.status, 201, raised.text);
  await create(c.county, 'activities', { unit_id: u.townA.id, alliance_id: al.id, kind: 'talent', held_on: '2025-05-01', title: '人才集中招引', talents: 5, participants: 12, result: '引进硕士研究生5人' });

  let v = await c.clerka.ok(`/api/v1/liaison/alliances/${al.id}/view`);
  assert.equal(v.alliance.name, '机械加工产业党建联盟');
  assert.equal(v.alliance.lead_enterprise_id_name, '三和铸造有限公司');
  assert.equal(v.alliance.base, '三和铸造共享基地');
  assert.deepEqual(v.members.map((e) => [e.name, e.branch ?? null, e.lead]), [
    ['三和铸造有限公司', '三和党支部', true], ['蓬达机械有限公司', '蓬达党支部', false], ['东城液压有限公司', null, false],
  ]);
  assert.deepEqual(v.alliance.depts.map((d) => d.name), ['县应急管理局']);
  assert.deepEqual(v.teams.map((t) => [t.kind_title, t.members]), [['企业联络员', '张一、李二'], ['党建指导员', '王三'], ['志愿服务队', '党员志愿者12人']]);
  assert.deepEqual(v.rotations.map((r) => [r.month, r.enterprise_id_name]), [['2025-01', '三和铸造有限公司'], ['2025-03', '蓬达机械有限公司']]);
  assert.equal(v.meetings[0].minutes, '议定由应急局牵头排查隐患');
  assert.equal(v.meetings[0].attendees, '街道党工委、联盟企业负责人');
  assert.deepEqual(v.meetings[0].problems.map((p) => p.problem.title), ['铸造车间安全生产隐患']);
  assert.equal(v.problems[0].problem.state, 'registered');
  assert.equal(v.problems[0].meeting_topic, '企业纾困解难工作会');
  assert.equal(v.problems[0].problem.unit_name, '县应急管理局');
  assert.deepEqual(v.figures, { enterprises: 3, depts: 1, meetings: 1, problems: 1, solved: 0, activities: 1, participants: 12, talents: 5 });
  // the problem's state is the problem list's, live
  await closeLoop({ operator: c.operator, supervisor: c.supervisor }, c.handlerd, raised.body.problem_id);
  v = await c.clerka.ok(`/api/v1/liaison/alliances/${al.id}/view`);
  assert.equal(v.problems[0].problem.state, 'closed');
  assert.equal(v.figures.solved, 1);
  // another township's clerk does not read it; an unknown one is not found
  assertError(await c.clerkb.get(`/api/v1/liaison/alliances/${al.id}/view`), 403, 'forbidden');
  assertError(await c.clerka.get('/api/v1/liaison/alliances/999999/view'), 404, 'not_found');
  u.alliance = al;
});

test('duban liaison: persons masked unless --as may see them, one person, visits due, figures', async () => {
  const masked = cli(['liaison', 'persons']);
  assert.equal(masked.code, 0, masked.stderr);
  assert.match(masked.stdout, /陈\*/);
  assert.match(masked.stdout, /138\*\*\*\*0001/);
  assert.doesNotMatch(masked.stdout, /陈明|13800000001/);
  assert.match(masked.stdout, /^3 of 3 persons$/m);
  const clear = cli(['liaison', 'persons', '--as', 'clerka']);
  assert.equal(clear.code, 0, clear.stderr);
  assert.match(clear.stdout, /陈明\s.*13800000001/);
  assert.doesNotMatch(clear.stdout, /许台/); // 东城街道's person is outside 西城街道's scope
  assert.match(clear.stdout, /^2 of 2 persons$/m);
  assert.match(cli(['liaison', 'persons', '--category', 'democratic_party', '--unit', 'xicheng']).stdout, /^1 of 1 persons$/m);
  const refused = cli(['liaison', 'persons', '--as', 'chief']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /forbidden/);
  assert.equal(cli(['liaison', 'persons', '--as', 'nobody']).code, 1);

  const one = cli(['liaison', 'person', String(u.a.id)]);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /^#\d+ 陈\*（西城街道）$/m);
  assert.match(one.stdout, /出生日期\s+1980-\*\*-\*\*/);
  assert.match(one.stdout, /党派\s+民盟/);
  const full = cli(['liaison', 'person', String(u.a.id), '--as', 'clerka']);
  assert.match(full.stdout, /陈明/);
  assert.match(full.stdout, /出生日期\s+1980-05-06/);
  assert.equal(cli(['liaison', 'person', String(u.a.id), '--as', 'clerkb']).code, 1);
  assert.equal(cli(['liaison', 'person', '999999']).code, 1);
  const reads = sql(srv.db, `SELECT count(*) FROM audit WHERE action = 'read' AND object = 'liaison_person:${u.a.id}' AND actor LIKE 'cli:%'`);
  assert.ok(Number(reads) >= 1, `CLI reads audited: ${reads}`);

  const due = cli(['liaison', 'due', '--as', 'cadre1', '--mine', '--overdue']);
  assert.equal(due.code, 0, due.stderr);
  assert.match(due.stdout, /^2025-03-31\s+逾期未走访\s+2025年第一季度\s+王干部（西城街道）\s+何芳$/m);
  assert.match(due.stdout, /^2025-06-30\s+逾期未走访\s+2025年第二季度\s+王干部（西城街道）\s+陈明$/m);
  assert.match(due.stdout, /^2 visits not made in 2025年 \(2 overdue\)$/m);
  const all = cli(['liaison', 'due', '--quarter', '3']);
  assert.match(all.stdout, /^3 visits not made in 2025年第三季度 \(0 overdue\)$/m);
  assert.match(all.stdout, /许\*/);
  assert.equal(cli(['liaison', 'due', '--mine']).code, 2);
  assert.equal(cli(['liaison', 'due', '--quarter', '5']).code, 2);

  const st = cli(['liaison', 'stats', '--as', 'clerka', '--quarter', '3']);
  assert.equal(st.code, 0, st.stderr);
  assert.match(st.stdout, /^2025年第三季度 西城街道（2025-07-01 至 2025-09-30）$/m);
  assert.match(st.stdout, /计划走访 3 次：已走访 1，待走访 2，逾期 0/);
  assert.match(st.stdout, /^2025年第三季度，西城街道/m);
  assert.match(cli(['liaison', 'stats']).stdout, /^2025年，全县/m);
});
