// The demo county's budget preparation (issue #13, demo): `duban demo` writes the 2024 budget
// round of 30 budget units through the real flow, and a server over it shows it — the figures
// (every project with cost indicators, first-time pass rate, rounds, gate failures), a third
// party confined to its assignments, a department to its own projects, and the public page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, childEnv, startServer, tempDir } from './lib/server.mjs';

const PW = 'Ningjin@2024';
let db, srv, line;

// The whole demo county takes a while on a busy machine: more than runCli's minute.
function ok(args) {
  const r = spawnSync(BIN, [...args, '--db', db], { env: childEnv(), encoding: 'utf8', timeout: 540000 });
  assert.equal(r.status, 0, `duban ${args.join(' ')}: ${r.stderr}`);
  return r;
}

async function login(name) {
  const c = srv.client();
  const res = await c.login(name, PW);
  assert.equal(res.status, 200, `${name}: ${res.text}`);
  return c;
}

before(async () => {
  db = path.join(tempDir('duban-budget-demo-'), 'demo.db');
  ok(['init']);
  const out = ok(['demo']).stdout;
  const m = /budget: 2024 budget preparation of (\d+) units: (\d+) projects .*?(\d+) drafts failing the gate, (\d+) in review, (\d+) returned, (\d+) entered the library \((\d+) in two rounds, (\d+) in three\), (\d+) approved \((\d+) cut; [\d.]+ 元\), (\d+) published/.exec(out);
  assert.ok(m, out);
  const [units, projects, failing, review, returned, stored, two, three, approved, cut, published] = m.slice(1).map(Number);
  line = { units, projects, failing, review, returned, stored, two, three, approved, cut, published };
  const a = /事前评估 of (\d+) \((\d+) 调整后支持, (\d+) 不予支持\)/.exec(out);
  assert.ok(a, out);
  [line.assessed, line.adjusted, line.rejected] = a.slice(1).map(Number);
  const mo = /执行监控 at the end of June 2024: (\d+) approved projects reported, (\d+) flagged 黄, (\d+) 红/.exec(out);
  assert.ok(mo, out);
  [line.monitored, line.yellow, line.red] = mo.slice(1).map(Number);
  srv = await startServer({ db });
});
after(() => srv && srv.stopClean());

test('the demo line: 30 units, a few hundred projects, some in two or three rounds', () => {
  assert.equal(line.units, 30);
  assert.ok(line.projects >= 250 && line.projects <= 400, String(line.projects));
  assert.ok(line.two > 10 && line.three > 5, JSON.stringify(line));
  assert.ok(line.cut > 0 && line.cut < line.approved);
  assert.ok(line.published > 50 && line.failing > 0);
  assert.ok(line.assessed > 50 && line.adjusted > 0 && line.rejected > 0, JSON.stringify(line));
});

test('the finance bureau sees the county: cost indicators everywhere, pass rates, rounds, gate failures', async () => {
  const c = await login('yusuanke');
  const st = await c.ok('/api/v1/budget/stats?year=2024');
  assert.equal(st.totals.projects, line.projects);
  assert.equal(st.totals.with_cost, line.projects, 'every project has cost indicators (the seed)');
  assert.equal(st.totals.passed, line.stored);
  assert.equal(st.totals.published, line.published);
  assert.ok(st.totals.first_pass > 0 && st.totals.first_pass < st.totals.passed);
  assert.equal(st.by_unit.length, 30);
  assert.equal(st.by_class.length, 5);
  assert.deepEqual(st.rounds.map((r) => r.round), [1, 2, 3]);
  assert.ok(st.gate_failures.length >= 5);
  // drill-down agrees with the figure
  const g = st.gate_failures[0];
  const list = await c.ok(`/api/v1/budget/projects?year=2024&gate_code=${g.code}&limit=1`);
  assert.equal(list.total, g.projects);
  const three = await c.ok('/api/v1/budget/projects?round=3&limit=1');
  assert.equal(three.total, st.rounds.find((r) => r.round === 3).projects);
});

test('a third party sees only its assignments, a department only its own projects', async () => {
  const firm = await login('pingshen1');
  const mine = await firm.ok('/api/v1/budget/projects?limit=500');
  assert.ok(mine.total > 0 && mine.total < line.projects);
  const all = await (await login('yusuanke')).ok('/api/v1/budget/projects?limit=500');
  const other = all.items.find((p) => !mine.items.some((m) => m.id === p.id));
  assert.equal((await firm.get(`/api/v1/budget/projects/${other.id}`)).status, 403);
  const dept = await login('jiaotiju01');
  const own = await dept.ok('/api/v1/budget/projects?limit=100');
  assert.ok(own.total >= 8);
  assert.ok(own.items.every((p) => p.unit_name === '县教育和体育局'));
});

test('the public page lists the published projects by department without a login', async () => {
  const anon = srv.client();
  const res = await anon.ok('/api/v1/public/budget?year=2024&limit=200');
  assert.equal(res.total, line.published);
  assert.ok(res.items.every((p) => p.approved_amount > 0 && p.indicators.length === 8 && !('contact' in p)));
});

test('执行监控 at mid-year: every approved project reported, some flagged with explanations', async () => {
  assert.equal(line.monitored, line.approved);
  assert.ok(line.yellow > 0 && line.red > 0 && line.yellow + line.red < line.monitored, JSON.stringify(line));
  const c = await login('yusuanke');
  const red = await c.ok('/api/v1/budget/monitor?year=2024&flag=red');
  assert.equal(red.total, line.red);
  assert.ok(red.items.every((p) => p.latest.month === 6 && p.latest.explanation && p.latest.measures));
  const all = await c.ok('/api/v1/budget/monitor?year=2024');
  assert.equal(all.total, line.approved);
  const d = await c.ok(`/api/v1/budget/projects/${red.items[0].id}/monitor`);
  assert.deepEqual(d.reports.map((r) => r.month), [3, 6]);
});
