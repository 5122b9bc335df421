// Budget performance (成本预算绩效) through its API: a project with its cost sheet and targets,
// the machine gate on every save (every failure at once, naming the line or indicator) that
// blocks submission, bad input refused with nothing written, scope by department, the review
// flow with every refusal (no permission, stale version, a third party outside its assignment,
// a department reviewing itself, a cut approval without its note), rounds with their opinions,
// the public page's fields, figures with drill-down, the indicator library and the CLI.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, runCli } from './lib/server.mjs';
import { budgetCounty, goodProject, act } from './lib/budget.mjs';
import { xlsxRows } from './lib/problems.mjs';

let srv, u, c;
const s = {};

test.before(async () => {
  srv = await startServer();
  ({ u, c } = await budgetCounty(srv));
});
test.after(() => srv.stopClean());

const codes = (gate) => gate.failures.map((f) => f.code);
// A submission the gate refused: 400 budget_gate with the failures as the error's details.
function gateRefused(res, code) {
  assert.equal(res.status, 400, res.text);
  assert.equal(res.body.error.code, 'budget_gate', res.text);
  assert.ok(codes(res.body.error.details).includes(code), res.text);
}

test('a project that passes the gate is saved with its sheet, targets and total', async () => {
  const res = await c.eduClerk.post('/api/v1/budget/projects', goodProject(u.edu.id));
  assert.equal(res.status, 201, res.text);
  const p = res.body;
  assert.deepEqual(p.gate, { ok: true, failures: [] });
  assert.equal(p.cost_total, 10000000);
  assert.equal(p.requested, 10000000);
  assert.equal(p.state, 'drafted');
  assert.equal(p.stage, '储备');
  assert.equal(p.lines.length, 2);
  assert.equal(p.lines[0].children.length, 2);
  assert.equal(p.lines[1].quantity, '12.5');
  assert.equal(p.indicators[1].target, '333.33');
  assert.equal(p.has_cost_target, true);
  s.project = p;
});

test('the gate lists every failure at once, naming the line or indicator', async () => {
  const empty = await c.eduClerk.post('/api/v1/budget/projects', { year: 2024, unit_id: u.edu.id, name: '空项目', class: 'public_funds' });
  assert.equal(empty.status, 201, empty.text);
  assert.equal(empty.body.gate.ok, false);
  for (const code of ['sheet_empty', 'requested_zero', 'level1_missing'])
    assert.ok(codes(empty.body.gate).includes(code), code);
  assert.equal(codes(empty.body.gate).filter((x) => x === 'level1_missing').length, 4);
  s.empty = empty.body;

  const body = goodProject(u.edu.id, { name: '有问题的项目' });
  body.lines[1].amount = 7000000; // 12.5 × 5600.08 = 70001.00, not 70000.00
  body.lines[0].children[1].basis = '';
  body.indicators[0].target = '9.5'; // 总成本 ≠ the sheet
  body.indicators[3].target = '按要求';
  body.indicators[6].weight = '10'; // weights 95
  body.indicators[5].target = '优秀';
  const bad = await c.eduClerk.post('/api/v1/budget/projects', body);
  assert.equal(bad.status, 201, bad.text);
  const f = bad.body.gate.failures;
  const by = (code) => f.find((x) => x.code === code);
  assert.equal(by('line_amount').field, 'line:4:amount');
  assert.match(by('line_amount').message, /第2行「教学设备」.*70000\.00 元.*70001\.00 元/);
  assert.equal(by('line_basis').field, 'line:3:basis');
  assert.match(by('line_basis').message, /第1行第2项「培训资料印刷」/);
  assert.match(by('sheet_total').message, /99999\.00 元与申请金额合计 100000\.00 元/);
  assert.match(by('total_cost_value').message, /项目总成本/);
  assert.match(by('target_number').message, /培训合格率.*按要求/);
  assert.match(by('target_grade').message, /教师教学能力提升/);
  assert.match(by('weights_sum').message, /95 分/);
  assert.ok(f.every((x) => /[\u4e00-\u9fff]/.test(x.message)));
  s.bad = bad.body;

  const refused = await act(c.eduClerk, s.bad.id, 'submit');
  assert.equal(refused.status, 400, refused.text);
  const e = refused.body.error;
  assert.equal(e.code, 'budget_gate');
  assert.equal(e.field, 'gate');
  assert.match(e.message, /未通过机审（7 项问题）/);
  assert.deepEqual(codes(e.details).sort(), codes(bad.body.gate).sort());
  const still = await c.eduClerk.ok(`/api/v1/budget/projects/${s.bad.id}`);
  assert.equal(still.state, 'drafted');
});

test('bad input is refused naming the field, and nothing is written', async () => {
  const before = (await c.eduClerk.ok('/api/v1/budget/projects')).total;
  const cases = [
    [{ class: 'xx' }, 'class'],
    [{ year: 1999 }, 'year'],
    [{ end_year: 2023 }, 'end_year'],
    [{ fund_fiscal: -1 }, 'fund_fiscal'],
    [{ fund_fiscal: 1.5 }, 'fund_fiscal'],
  ];
  for (const [extra, field] of cases) {
    const r = await c.eduClerk.post('/api/v1/budget/projects', goodProject(u.edu.id, { name: `坏${field}`, ...extra }));
    assert.equal(r.status, 400, `${field}: ${r.text}`);
    assert.equal(r.body.error.field, field, r.text);
  }
  const q = goodProject(u.edu.id, { name: '坏数量' });
  q.lines[1].quantity = '12.5555';
  assertError(await c.eduClerk.post('/api/v1/budget/projects', q), 400, 'field_invalid', 'line:4:quantity');
  const k = goodProject(u.edu.id, { name: '坏类别' });
  k.lines[1].kind = '吃饭';
  assertError(await c.eduClerk.post('/api/v1/budget/projects', k), 400, 'field_invalid', 'line:4:kind');
  const l2 = goodProject(u.edu.id, { name: '坏二级' });
  l2.indicators[2].level2 = '经济成本';
  assertError(await c.eduClerk.post('/api/v1/budget/projects', l2), 400, 'field_invalid', 'indicator:3:level2');
  const ck = goodProject(u.edu.id, { name: '坏成本' });
  ck.indicators[2].cost_kind = '总成本';
  assertError(await c.eduClerk.post('/api/v1/budget/projects', ck), 400, 'field_invalid', 'indicator:3:cost_kind');
  const cmp = goodProject(u.edu.id, { name: '坏比较' });
  cmp.indicators[0].comparison = '约';
  assertError(await c.eduClerk.post('/api/v1/budget/projects', cmp), 400, 'field_invalid', 'indicator:1:comparison');
  const deep = goodProject(u.edu.id, { name: '坏层级' });
  deep.lines[0].children[0].children = [{ item: '孙项' }];
  assertError(await c.eduClerk.post('/api/v1/budget/projects', deep), 400, 'field_invalid', 'line:2:children');
  assertError(await c.eduClerk.post('/api/v1/budget/projects', goodProject(u.edu.id)), 409, 'duplicate', 'name');
  assertError(await c.eduClerk.post('/api/v1/budget/projects', goodProject(9999, { name: '无单位' })), 400, 'field_invalid', 'unit_id');
  assert.equal((await c.eduClerk.ok('/api/v1/budget/projects')).total, before);
});

test('scope: a department drafts and sees only its own projects', async () => {
  assertError(await c.healthClerk.post('/api/v1/budget/projects', goodProject(u.edu.id, { name: '越界' })), 403, 'forbidden');
  assertError(await c.healthClerk.get(`/api/v1/budget/projects/${s.project.id}`), 403, 'forbidden');
  assert.equal((await c.healthClerk.ok('/api/v1/budget/projects')).total, 0);
  assert.equal((await c.tp1.ok('/api/v1/budget/projects')).total, 0, 'a third party sees nothing unassigned');
  assertError(await c.tp1.get(`/api/v1/budget/projects/${s.project.id}`), 403, 'forbidden');
  const mine = await c.eduClerk.ok('/api/v1/budget/projects');
  assert.ok(mine.items.every((p) => p.unit_id === u.edu.id));
});

test('the flow: submit, department head, finance, an assigned third party, return, revise, pass, approve, publish', async () => {
  const id = s.project.id;
  // saving needs the current version
  assertError(await c.eduClerk.put(`/api/v1/budget/projects/${id}`, goodProject(u.edu.id)), 400, 'field_required', 'version');
  assertError(await act(c.eduClerk, id, 'submit', {}, { version: s.project.version + 5 }), 409, 'conflict');
  assertError(await act(c.eduClerk, id, 'submit', {}, { version: null }), 428, 'version_required', 'version');
  let r = await act(c.eduClerk, id, 'submit', { note: '首次申报' }, { version: s.project.version });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'submitted');
  assertError(await c.eduClerk.put(`/api/v1/budget/projects/${id}`, goodProject(u.edu.id, { version: r.body.version })), 409, 'budget_locked');
  assertError(await act(c.eduClerk, id, 'dept_approve'), 403, 'forbidden');
  assertError(await act(c.reviewer, id, 'assign', { reviewer_id: c.tp1.user.id }), 409, 'flow_state');
  r = await act(c.eduHead, id, 'dept_approve', { opinion: '同意申报' });
  assert.equal(r.body.state, 'finance_review', r.text);

  // the assignment offers the firm's reviewers
  const acts = await c.reviewer.ok(`/api/v1/budget/projects/${id}/actions`);
  const assign = acts.items.find((a) => a.name === 'assign');
  assert.deepEqual(assign.fields[0].options.map((o) => o.id).sort(), [c.tp1.user.id, c.tp2.user.id].sort());
  assertError(await act(c.reviewer, id, 'assign', { reviewer_id: c.eduClerk.user.id }), 400, 'field_invalid', 'reviewer_id');
  r = await act(c.reviewer, id, 'assign', { reviewer_id: c.tp1.user.id, opinion: '请重点审核设备单价' });
  assert.equal(r.body.state, 'third_party', r.text);

  // only the assigned reviewer sees and reviews it
  assertError(await c.tp2.get(`/api/v1/budget/projects/${id}`), 403, 'forbidden');
  assert.equal((await c.tp2.ok('/api/v1/budget/projects')).total, 0);
  assertError(await act(c.tp2, id, 'third_party_review', { conclusion: '通过', opinion: '越权' }), 403);
  assert.equal((await c.tp1.ok('/api/v1/budget/projects')).total, 1);
  const seen = await c.tp1.ok(`/api/v1/budget/projects/${id}`);
  assert.equal(seen.lines.length, 2);
  assertError(await act(c.tp1, id, 'third_party_review', { conclusion: '修改后通过', opinion: '单价偏高' }, { opinions: [{ target: 'line:9', text: '不存在' }] }), 400, 'field_invalid', 'opinions:1');
  r = await act(c.tp1, id, 'third_party_review', { conclusion: '修改后通过', opinion: '设备单价偏高，建议按政府采购限价重新测算' },
    { opinions: [{ target: 'line:4', text: '单价高于市场询价均值' }, { target: 'indicator:2', text: '单位成本口径应与培训人数一致' }] });
  assert.equal(r.body.state, 'deciding', r.text);
  assertError(await act(c.eduClerk, id, 'return', { opinion: '自己退回' }), 403);
  r = await act(c.reviewer, id, 'return', { opinion: '请按第三方意见修改后重新报送' });
  assert.equal(r.body.state, 'returned', r.text);
  assert.equal(r.body.stage, '审核中');

  // revise: a stale version is refused, the current one saves; resubmit opens round 2
  const body = goodProject(u.edu.id, { version: r.body.version + 1 });
  assertError(await c.eduClerk.put(`/api/v1/budget/projects/${id}`, body), 409, 'conflict');
  body.version = r.body.version;
  body.lines[1].price = 480008; // 12.5 × 4800.08 = 60001.00
  body.lines[1].amount = 6000100;
  body.fund_fiscal = 7000000;
  body.indicators[0].target = '9';
  body.indicators[1].target = '300';
  r = await c.eduClerk.put(`/api/v1/budget/projects/${id}`, body);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.gate.failures, []);
  r = await act(c.eduClerk, id, 'submit', { note: '已按意见核减设备单价' });
  assert.equal(r.body.round, 2, r.text);
  await act(c.eduHead, id, 'dept_approve');
  await act(c.reviewer, id, 'assign', { reviewer_id: c.tp1.user.id });
  r = await act(c.tp1, id, 'third_party_review', { conclusion: '通过', opinion: '已按意见修改' });
  assert.equal(r.status, 200, r.text);
  r = await act(c.reviewer, id, 'pass', { opinion: '同意入库' });
  assert.equal(r.body.state, 'stored', r.text);
  assert.equal(r.body.passed_round, 2);

  // approval: the amount is checked, a cut needs its note, and is recorded
  assertError(await act(c.approver, id, 'approve', { approved_amount: '90000.01' }), 400, 'budget_amount', 'approved_amount');
  assertError(await act(c.approver, id, 'approve', { approved_amount: '0.001' }), 400, 'budget_amount', 'approved_amount');
  assertError(await act(c.approver, id, 'approve', { approved_amount: '85000' }), 400, 'field_required', 'note');
  r = await act(c.approver, id, 'approve', { approved_amount: '85000.00', note: '压减设备购置5000元，设备数量指标相应调整' });
  assert.equal(r.body.approved_amount, 8500000, r.text);
  assert.match(r.body.approval_note, /压减/);
  r = await act(c.approver, id, 'publish');
  assert.equal(r.body.state, 'published', r.text);

  // rounds and opinions are kept
  const d = await c.eduClerk.ok(`/api/v1/budget/projects/${id}`);
  assert.deepEqual(d.rounds.map((x) => x.round), [1, 2]);
  assert.equal(d.rounds[0].snapshot.lines[1].price, 560008);
  assert.equal(d.rounds[1].snapshot.lines[1].price, 480008);
  const round1 = d.opinions.filter((o) => o.round === 1);
  assert.ok(round1.some((o) => o.target === 'line:4' && o.side === 'third_party' && o.author.name === '吴评审'));
  assert.ok(round1.some((o) => o.side === 'finance' && /第三方意见/.test(o.text)));
  assert.ok(d.events.some((e) => e.action === 'third_party_review' && e.actor_person.name === '吴评审'));
  assert.equal((await c.tp1.ok('/api/v1/budget/projects')).total, 1, 'the reviewer still sees what it reviewed');
  s.published = d;

  // whoever must act next was told, once per step, and the page a notification opens is the project's
  const notes = async (cl) => (await cl.ok('/api/v1/notifications')).items.filter((n) => n.flow === 'budget' && n.item_id === id);
  const tpNotes = await notes(c.tp1);
  assert.equal(tpNotes.filter((n) => /已委托您评审/.test(n.title)).length, 2, 'one per assignment');
  assert.equal((await notes(c.tp2)).length, 0);
  const clerkNotes = await notes(c.eduClerk);
  assert.ok(clerkNotes.some((n) => n.kind === 'budget_returned' && /退回修改/.test(n.title)));
  assert.ok(clerkNotes.some((n) => n.kind === 'budget_approved'));
  assert.ok((await notes(c.eduHead)).some((n) => /待单位审核/.test(n.title)));
  assert.ok((await notes(c.approver)).some((n) => /待批复/.test(n.title)));
});

test('a project exports as one workbook: the cost sheet, its particulars and the targets, amounts exact', async () => {
  const get = (cl, url) => fetch(srv.url + url, { headers: { Cookie: `duban_session=${cl.session}` } });
  const res = await get(c.eduClerk, `/api/v1/budget/projects/${s.project.id}/export.xlsx`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-disposition') || '', /attachment/);
  const rows = xlsxRows(Buffer.from(await res.arrayBuffer()));
  const text = rows.map((r) => r.join('|'));
  assert.deepEqual(rows[0].slice(0, 8), ['序号', '测算内容', '类别', '数量', '单位', '单价（元）', '金额（元）', '测算依据']);
  assert.ok(text.some((t) => t.startsWith('1.2|  培训资料印刷|印刷|300|册|33.33|9999.00|')), text.join('\n'));
  assert.ok(text.some((t) => t.startsWith('2|教学设备|设备购置|12.5|套|4800.08|60001.00')), text.join('\n'));
  assert.ok(text.some((t) => t === '|合计|||||90000.00|' || t.startsWith('|合计|||||90000.00')), text.join('\n'));
  assert.ok(text.some((t) => t.startsWith('成本指标|经济成本|单位成本|人均培训成本|≤ 300|元/人|10')));
  assert.equal((await get(c.healthClerk, `/api/v1/budget/projects/${s.project.id}/export.xlsx`)).status, 403);
});

test('nobody reviews their own department', async () => {
  const r = await c.finClerk.post('/api/v1/budget/projects', goodProject(u.fin.id, { name: '财政信息化运维' }));
  assert.equal(r.status, 201, r.text);
  await act(c.finClerk, r.body.id, 'submit');
  assertError(await act(c.finClerk, r.body.id, 'dept_approve'), 403);
  const ok = await act(c.finHead, r.body.id, 'dept_approve');
  assert.equal(ok.body.state, 'finance_review', ok.text);
  assertError(await act(c.reviewer, r.body.id, 'assign', { reviewer_id: c.tp1.user.id }), 403, 'flow_outside_unit');
  const acts = await c.reviewer.ok(`/api/v1/budget/projects/${r.body.id}/actions`);
  assert.deepEqual(acts.items, []);
});

test('the public page shows published projects, their public fields only, without a login', async () => {
  const anon = srv.client();
  const res = await anon.get('/api/v1/public/budget?year=2024');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.total, 1);
  const p = res.body.items[0];
  assert.equal(p.name, '教师能力提升培训');
  assert.equal(p.unit_name, '区教育和体育局');
  assert.equal(p.approved_amount, 8500000);
  assert.equal(p.indicators.length, 7);
  for (const hidden of ['contact', 'phone', 'lines', 'opinions', 'fund_fiscal', 'approval_note', 'rounds'])
    assert.ok(!(hidden in p), hidden);
  assert.deepEqual(Object.keys(p.indicators[0]).sort(), ['comparison', 'level1', 'level2', 'measure_unit', 'name', 'target']);
  assert.equal((await anon.get(`/api/v1/public/budget?unit_id=${u.health.id}`)).body.total, 0);
  assertError(await anon.get('/api/v1/public/budget?year=abc'), 400, 'bad_query', 'year');
});

test('figures: totals, by department, class and stage, first-time pass, rounds, gate failures, with drill-down', async () => {
  const st = await c.reviewer.ok('/api/v1/budget/stats?year=2024');
  assert.equal(st.totals.projects, 4);
  assert.equal(st.totals.passed, 1);
  assert.equal(st.totals.first_pass, 0);
  assert.equal(st.totals.published, 1);
  assert.equal(st.totals.with_cost, 3);
  assert.ok(st.by_unit.some((g) => g.key === String(u.edu.id) && g.projects === 3));
  assert.ok(st.by_class.some((g) => g.key === 'special_fund' && g.label === '特定目标类·专项资金'));
  assert.ok(st.by_stage.some((g) => g.key === '预算批复' && g.projects === 1 && g.approved === 8500000));
  assert.deepEqual(st.rounds.find((x) => x.round === 2), { round: 2, projects: 1 });
  const top = st.gate_failures.find((g) => g.code === 'level1_missing');
  assert.ok(top && top.times >= 4 && top.projects >= 1 && top.title === '缺少一级指标');
  // drill-down: the list behind a figure has the figure's count
  const drill = await c.reviewer.ok('/api/v1/budget/projects?year=2024&gate_code=line_amount');
  assert.deepEqual(drill.items.map((p) => p.id), [s.bad.id]);
  assert.equal((await c.reviewer.ok(`/api/v1/budget/projects?unit_id=${u.edu.id}&stage=${encodeURIComponent('预算批复')}`)).total, 1);
  assert.equal((await c.reviewer.ok('/api/v1/budget/projects?round=2')).total, 1);
  assert.equal((await c.reviewer.ok('/api/v1/budget/projects?has_cost=0')).total, 1);
  assert.equal((await c.reviewer.ok('/api/v1/budget/projects?first_pass=0')).total, 1);
  assertError(await c.reviewer.get('/api/v1/budget/projects?stage=x'), 400, 'bad_query', 'stage');
  // a department's figures cover its own projects only
  const own = await c.healthClerk.ok('/api/v1/budget/stats');
  assert.equal(own.totals.projects, 0);
  const xlsx = await c.reviewer.get('/api/v1/budget/projects/export.xlsx?year=2024');
  assert.equal(xlsx.status, 200);
});

test('the indicator library is data the finance bureau extends', async () => {
  const lib = await c.eduClerk.ok('/api/v1/budget/library?class=special_fund');
  assert.ok(lib.items.some((x) => x.name === '项目总成本' && x.cost_kind === '总成本' && x.builtin));
  assert.ok(lib.items.some((x) => x.class === 'special_fund'));
  assert.ok(!lib.items.some((x) => x.class === 'personnel'));
  const add = { class: 'special_fund', level1: '产出指标', level2: '数量指标', name: '资助学生人数', comparison: '≥', measure_unit: '人', method: '资助名册' };
  assertError(await c.eduClerk.post('/api/v1/budget/library', add), 403, 'forbidden');
  const r = await c.reviewer.post('/api/v1/budget/library', add);
  assert.equal(r.status, 201, r.text);
  assertError(await c.reviewer.post('/api/v1/budget/library', add), 409, 'duplicate', 'name');
  assertError(await c.reviewer.post('/api/v1/budget/library', { ...add, name: 'x', level2: '经济成本' }), 400, 'field_invalid', 'level2');
  assert.ok((await c.eduClerk.ok('/api/v1/budget/library')).items.some((x) => x.name === '资助学生人数'));
});

test('every change is audited, and the audit log names projects', async () => {
  const auditor = await srv.auditor();
  const res = await auditor.ok(`/api/v1/budget/names?objects=budget:${s.project.id}`);
  assert.equal(res.items[0].name.title, '教师能力提升培训');
  const log = await auditor.ok('/api/v1/audit?limit=500');
  const actions = new Set(log.items.map((a) => a.action));
  for (const a of ['budget.create', 'budget.save', 'budget.submit', 'budget.assign', 'budget.third_party_review', 'budget.return', 'budget.pass', 'budget.approve', 'budget.publish', 'budget.library'])
    assert.ok(actions.has(a), a);
});

test('事前绩效评估: new and large projects need it; 不予支持 blocks; 调整后支持 passes once adjusted', async () => {
  const body = goodProject(u.health.id, { name: '社区卫生服务站设备更新', is_new: true });
  let r = await c.healthClerk.post('/api/v1/budget/projects', body);
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;
  assert.deepEqual(codes(r.body.gate), ['pre_assessment']);
  assert.equal(r.body.gate.failures[0].field, 'assessment');
  assert.match(r.body.gate.failures[0].message, /新增项目须先通过事前绩效评估/);
  assert.equal(r.body.assessment_required, true);
  assert.equal(r.body.assessment_state, 'none');
  gateRefused(await act(c.healthClerk, id, 'submit'), 'pre_assessment');

  const grades = { 立项必要性: '优', 投入经济性: '良', 绩效目标合理性: '良', 实施方案可行性: '中', 筹资合规性: '优' };
  const assess = (cl, extra) => cl.post(`/api/v1/budget/projects/${id}/assessment`, { grades, conclusion: '予以支持', ...extra });
  assertError(await assess(c.healthClerk), 403, 'forbidden');
  assertError(await assess(c.reviewer, { grades: { ...grades, 投入经济性: '较好' } }), 400, 'field_invalid', 'grades:投入经济性');
  assertError(await assess(c.reviewer, { grades: { 立项必要性: '优' } }), 400, 'field_required', 'grades:投入经济性');
  assertError(await assess(c.reviewer, { conclusion: '支持' }), 400, 'field_invalid', 'conclusion');
  assertError(await assess(c.reviewer, { conclusion: '调整后支持' }), 400, 'field_required', 'opinion');

  r = await assess(c.reviewer, { conclusion: '不予支持', opinion: '与区卫健局年度重点任务不符' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.assessment.total, 20 + 16 + 16 + 12 + 20);
  assert.equal(r.body.assessment_state, 'rejected');
  assert.match(r.body.gate.failures[0].message, /不予支持/);
  assert.ok(r.body.events.some((e) => e.action === 'assess' && e.action_title === '事前绩效评估'));
  gateRefused(await act(c.healthClerk, id, 'submit'), 'pre_assessment');

  r = await assess(c.reviewer, { conclusion: '调整后支持', opinion: '设备数量按实际需求核减' });
  assert.equal(r.body.assessment_state, 'adjust', r.text);
  assert.match(r.body.gate.failures[0].message, /调整后支持/);
  gateRefused(await act(c.healthClerk, id, 'submit', {}, { version: r.body.version }), 'pre_assessment');
  r = await c.healthClerk.put(`/api/v1/budget/projects/${id}`, { ...body, version: r.body.version });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.assessment_state, 'passed');
  assert.deepEqual(r.body.gate.failures, []);
  r = await act(c.healthClerk, id, 'submit');
  assert.equal(r.body.state, 'submitted', r.text);
  assertError(await assess(c.reviewer), 409, 'flow_state');

  // the finance bureau does not assess its own project; a large continuing one needs it too
  const own = await c.finClerk.post('/api/v1/budget/projects', goodProject(u.fin.id, { name: '财政一体化系统升级', is_new: true }));
  assertError(await c.reviewer.post(`/api/v1/budget/projects/${own.body.id}/assessment`, { grades, conclusion: '予以支持' }), 403, 'flow_outside_unit');
  const big = goodProject(u.health.id, { name: '区人民医院门诊楼改造', fund_fiscal: 500000000, fund_carryover: 0 });
  big.lines = [{ item: '门诊楼改造工程', kind: '工程', quantity: '1', measure_unit: '项', price: 500000000, amount: 500000000, basis: '概算：施工图预算' }];
  r = await c.healthClerk.post('/api/v1/budget/projects', big);
  const pre = r.body.gate.failures.find((f) => f.code === 'pre_assessment');
  assert.match(pre.message, /申请金额达到 5000000\.00 元的项目须先通过事前绩效评估/);
});

test('the CLI lists, shows with the gate, and acts as a user', async () => {
  const list = runCli(['budget', 'list', '--year', '2024', '--db', srv.db]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /教师能力提升培训/);
  const show = runCli(['budget', 'show', String(s.bad.id), '--db', srv.db]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /机审问题 \d+：第2行「教学设备」/);
  const ver = (id) => ['--version', runCli(['budget', 'show', String(id), '--db', srv.db]).stdout.match(/版本 (\d+)/)[1]];
  const refused = runCli(['budget', 'act', String(s.bad.id), 'submit', '--as', 'educlerk', ...ver(s.bad.id), '--db', srv.db]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /未通过机审/);
  // without --version nothing is done (security finding 9)
  const bare = runCli(['budget', 'act', String(s.empty.id), 'terminate', '--as', 'reviewer', '--fields', '{"opinion":"x"}', '--db', srv.db]);
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /--version N is required/);
  const ok = runCli(['budget', 'act', String(s.empty.id), 'terminate', '--as', 'reviewer', '--fields', '{"opinion":"不具备申报条件"}', ...ver(s.empty.id), '--db', srv.db]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /已终止/);
});
