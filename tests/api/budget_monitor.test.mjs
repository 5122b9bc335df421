// 执行监控 of approved budget projects through the API (clock set to 2024-07-05): the
// department's monthly report with the flags computed from execution against the time
// schedule and from each indicator (绿 黄 红, thresholds exactly at their boundaries), every
// refusal (not approved, another department, no budget.apply, a future month, a month already
// reported, an earlier month, spending going down or over the 批复 amount, a foreign or
// repeated indicator, a non-numeric actual, a flagged report without explanation), nothing
// written on refusal, the drill-down, the finance bureau's list with its flag filter and
// export, and the tick announcing each flagged report once.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, runCli } from './lib/server.mjs';
import { budgetCounty, goodProject, approvedProject } from './lib/budget.mjs';
import { xlsxRows } from './lib/problems.mjs';

const url = (id) => `/api/v1/budget/projects/${id}/monitor`;
const NOW = '2024-07-05T09:00:00+08:00';
let srv, u, c;
const s = {};

test.before(async () => {
  srv = await startServer({ env: { DUBAN_NOW: NOW } });
  ({ u, c } = await budgetCounty(srv));
  s.p = await approvedProject(c, c.eduClerk, c.eduHead, u.edu, '教师能力提升培训');
  s.ind = Object.fromEntries((await c.eduClerk.ok(url(s.p.id))).indicators.map((i) => [i.name, i.id]));
  s.draft = (await c.eduClerk.post('/api/v1/budget/projects', goodProject(u.edu.id, { name: '未批复项目' }))).body;
});
test.after(() => srv.stopClean());

test('refusals: not approved, outside the department, no permission, bad months and money; nothing written', async () => {
  const id = s.p.id;
  assertError(await c.eduClerk.post(url(s.draft.id), { month: 3, spent: 0 }), 409, 'budget_not_approved');
  assertError(await c.healthClerk.post(url(id), { month: 3, spent: 0 }), 404, 'not_found');
  assertError(await c.reviewer.post(url(id), { month: 3, spent: 0 }), 403, 'forbidden');
  assertError(await c.eduClerk.post(url(id), { spent: 0 }), 400, 'field_required', 'month');
  assertError(await c.eduClerk.post(url(id), { month: 13, spent: 0 }), 400, undefined, 'month');
  assertError(await c.eduClerk.post(url(id), { month: 8, spent: 0 }), 400, 'field_invalid', 'month');
  assertError(await c.eduClerk.post(url(id), { month: 3, spent: -1 }), 400, undefined, 'spent');
  assertError(await c.eduClerk.post(url(id), { month: 3, spent: 10000001 }), 400, 'field_invalid', 'spent');
  assertError(await c.eduClerk.post(url(id), { month: 3, spent: 0, values: [{ indicator_id: 999999, actual: '1' }] }), 400, 'field_invalid', 'values:1:indicator_id');
  assertError(await c.eduClerk.post(url(id), { month: 3, spent: 2500000, values: [{ indicator_id: s.ind['培训人数'], actual: '100' }, { indicator_id: s.ind['培训人数'], actual: '90' }] }), 400, 'field_invalid', 'values:2:indicator_id');
  const r = await c.eduClerk.post(url(id), { month: 3, spent: 2500000, values: [{ indicator_id: s.ind['培训人数'], actual: '一百人' }] });
  assertError(r, 400, 'field_invalid', 'values:1:actual');
  assert.match(r.body.error.message, /培训人数/);
  assertError(await c.eduClerk.post(url(id), { month: 3, spent: 0, values: [{ indicator_id: s.ind['培训人数'] }] }), 400, 'field_required', 'values:1:actual');
  assertError(await c.eduClerk.post(url(id), { month: 3, spent: 0, extra: 1 }), 400, 'field_unknown');
  assert.equal((await c.eduClerk.ok(url(id))).reports.length, 0, 'nothing written');
});

test('a report on schedule is green; lag exactly at the threshold is still green', async () => {
  const id = s.p.id;
  // March: time 250‰; spent 50000 fen of 10000000 = 5‰… use exactly 20 points behind: 50‰ → lag 200
  let r = await c.eduClerk.post(url(id), { month: 3, spent: 500000, values: [
    { indicator_id: s.ind['培训人数'], actual: '15' }, // 50‰ completion, lag 200: green
    { indicator_id: s.ind['教师教学能力提升'], actual: '较好' },
    { indicator_id: s.ind['人均培训成本'], actual: '300' },
  ] });
  assert.equal(r.status, 201, r.text);
  const m = r.body.reports[0];
  assert.equal(m.month, 3);
  assert.equal(m.time_permille, 250);
  assert.equal(m.exec_permille, 50);
  assert.equal(m.flag, 'green');
  assert.equal(m.reporter.name, '刘会计');
  assert.equal(m.reporter.unit_name, '区教育和体育局');
  assert.deepEqual(m.values.map((v) => [v.name, v.completion_permille, v.flag]),
    [['人均培训成本', 1000, 'green'], ['培训人数', 50, 'green'], ['教师教学能力提升', null, 'green']]);
  assertError(await c.eduClerk.post(url(id), { month: 3, spent: 600000 }), 409, 'budget_month_reported');
});

test('behind schedule: yellow over 20 points, red over 40 or a cost cap exceeded; flagged needs explanation', async () => {
  const id = s.p.id;
  assertError(await c.eduClerk.post(url(id), { month: 4, spent: 400000 }), 400, 'field_invalid', 'spent');
  // April: time 333‰; spent 1300000 = 130‰: lag 203 → yellow
  let r = await c.eduClerk.post(url(id), { month: 4, spent: 1300000 });
  assertError(r, 400, 'field_required', 'explanation');
  assert.match(r.body.error.message, /黄色预警.*执行率 13\.0%.*时间进度 33\.3%/);
  assertError(await c.eduClerk.post(url(id), { month: 4, spent: 1300000, explanation: '设备招标延期' }), 400, 'field_required', 'measures');
  r = await c.eduClerk.post(url(id), { month: 4, spent: 1300000, explanation: '设备招标延期', measures: '5月底前完成招标' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.reports[1].flag, 'yellow');
  // June: time 500‰, execution fine (600‰) but the unit cost cap is exceeded → red
  r = await c.eduClerk.post(url(id), { month: 6, spent: 6000000, values: [{ indicator_id: s.ind['人均培训成本'], actual: '333.34' }],
    explanation: '讲课费上涨', measures: '压减资料印刷' });
  assert.equal(r.status, 201, r.text);
  const june = r.body.reports[2];
  assert.equal(june.flag, 'red');
  assert.match(june.reasons, /人均培训成本 333\.34元\/人（目标 ≤333\.33）/);
  assertError(await c.eduClerk.post(url(id), { month: 5, spent: 6000000 }), 400, 'field_invalid', 'month');
});

test('the finance bureau lists approved projects with their latest flag, filters and exports', async () => {
  let l = await c.reviewer.ok('/api/v1/budget/monitor?year=2024');
  const mine = l.items.find((p) => p.id === s.p.id);
  assert.equal(mine.latest.flag, 'red');
  assert.equal(mine.latest.month, 6);
  assert.equal(mine.spent_yuan, '60000.00');
  assert.equal(mine.exec_rate, '60.0%');
  assert.ok(!l.items.some((p) => p.id === s.draft.id), 'drafts are not monitored');
  l = await c.reviewer.ok('/api/v1/budget/monitor?flag=green');
  assert.ok(!l.items.some((p) => p.id === s.p.id));
  l = await c.reviewer.ok('/api/v1/budget/monitor?flag=red');
  assert.deepEqual(l.items.map((p) => p.id), [s.p.id]);
  assertError(await c.reviewer.get('/api/v1/budget/monitor?flag=blue'), 400, 'bad_query');
  assertError(await c.tp1.get('/api/v1/budget/monitor'), 403, 'forbidden');
  assert.equal((await c.healthClerk.ok('/api/v1/budget/monitor?flag=red')).total, 0, 'another department sees none of it');
  const x = await fetch(srv.url + '/api/v1/budget/monitor/export.xlsx?flag=red', { headers: { Cookie: `duban_session=${c.reviewer.session}` } });
  assert.equal(x.status, 200);
  const rows = xlsxRows(Buffer.from(await x.arrayBuffer()));
  assert.equal(rows[0][0], '年度');
  assert.ok(rows.some((row) => row.includes('教师能力提升培训') && row.includes('红')), JSON.stringify(rows));
  const d = await c.reviewer.ok(url(s.p.id));
  assert.equal(d.reports.length, 3);
  assert.equal(d.may_report, false);
  assert.equal((await c.eduClerk.ok(url(s.p.id))).may_report, true);
  assertError(await c.tp2.get(url(s.p.id)), 404, 'not_found');
});

test('the tick announces each flagged report once to the department and the finance bureau', async () => {
  const first = runCli(['tick', '--db', srv.db], { env: { DUBAN_NOW: NOW } });
  assert.equal(first.code, 0, first.stderr);
  const m = first.stdout.match(/(\d+) budget monitoring warnings/);
  assert.ok(m && Number(m[1]) >= 4, first.stdout); // 2 reports × (clerk + reviewer)
  const again = runCli(['tick', '--db', srv.db], { env: { DUBAN_NOW: NOW } });
  assert.match(again.stdout, /0 budget monitoring warnings/);
  const clerk = (await c.eduClerk.ok('/api/v1/notifications')).items.filter((n) => n.kind === 'budget_monitor');
  assert.equal(clerk.length, 2);
  assert.ok(clerk.some((n) => /红色预警：教师能力提升培训（6 月）/.test(n.title)), JSON.stringify(clerk));
  const fin = (await c.reviewer.ok('/api/v1/notifications')).items.filter((n) => n.kind === 'budget_monitor');
  assert.equal(fin.length, 2);
  assert.equal((await c.healthClerk.ok('/api/v1/notifications')).items.filter((n) => n.kind === 'budget_monitor').length, 0);
});

test('every report is audited and on the project timeline', async () => {
  const d = await c.eduClerk.ok(`/api/v1/budget/projects/${s.p.id}`);
  const evs = (d.events || d.timeline || []).filter((e) => e.action === 'monitor');
  assert.equal(evs.length, 3, JSON.stringify(Object.keys(d)));
  const auditor = await srv.auditor();
  const log = await auditor.ok('/api/v1/audit?limit=500');
  assert.equal(log.items.filter((a) => a.action === 'budget.monitor').length, 3);
});
