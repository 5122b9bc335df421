// 通报排名: GET /problems/ranking ranks the units under one unit on the figures of a period
// (solve rate, overdue count, average working days to close), computed from the problems
// registered here and agreeing with GET /problems/stats; its 红黄绿 marks follow the thresholds
// an administrator sets (PUT /problems/ranking/thresholds: checked, audited, refused to others);
// every figure's filter lists exactly its problems; the ranked unit is scope-checked.
// The clock is fixed (DUBAN_NOW), so durations never depend on the day the suite runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, sql, startServer } from './lib/server.mjs';
import { actOk, closeLoop, county, problemBody, query, register } from './lib/problems.mjs';

let srv, ctx, U;
const NOW = '2026-05-01T09:00:00+08:00';

before(async () => {
  srv = await startServer({ env: { DUBAN_NOW: NOW }, flags: ['--tick_interval', '86400'] });
  ctx = await county(srv);
  U = ctx.units;
  const reg = (unit, extra) => register(ctx.operator, problemBody(unit, extra));
  // 甲镇: two found in April, both closed (one in its village) — 100 %.
  for (const unit of [U.townA.id, U.villageA.id]) {
    const p = await reg(unit, { found_on: '2026-04-01', deadline: '2026-06-30' });
    await closeLoop(ctx, unit === U.townA.id ? ctx.handlerA : ctx.handlerA, p.id);
  }
  // 乙镇: one closed, one overdue since April, one found late in April still open — 33 %.
  const b1 = await reg(U.townB.id, { found_on: '2026-04-07', deadline: '2026-06-30' });
  await closeLoop(ctx, ctx.handlerB, b1.id);
  await reg(U.townB.id, { found_on: '2026-03-02', deadline: '2026-04-10' });
  await reg(U.townB.id, { found_on: '2026-04-20', deadline: '2026-06-30' });
  // 应急管理局: one open, on time — 0 %.
  const d = await reg(U.dept.id, { found_on: '2026-04-08', deadline: '2026-06-30' });
  await actOk(ctx.operator, d.id, 'assign', { note: '请按期办结' });
});

after(async () => {
  if (srv) await srv.stopClean();
});

const byLabel = (r) => Object.fromEntries(r.items.map((i) => [i.label, i]));

test('the county ranks its units: order, ranks, figures as the stats count them', async () => {
  const r = await ctx.operator.ok('/api/v1/problems/ranking');
  assert.equal(r.parent.id, U.root.id);
  assert.deepEqual(r.thresholds, { rate_green: 90, rate_yellow: 70, overdue_yellow: 1, overdue_red: 3, days_yellow: 20, days_red: 40 });
  assert.deepEqual(r.items.map((i) => [i.label, i.rank]), [
    ['甲镇', 1], ['乙镇', 2], ['县应急管理局', 3], ['县委办公室', null], ['县委督查室', null],
  ]);
  const u = byLabel(r);
  assert.equal(u['甲镇'].found, 2);
  assert.equal(u['甲镇'].solved, 2);
  assert.equal(u['甲镇'].solve_rate, 1);
  assert.equal(u['乙镇'].found, 3);
  assert.equal(u['乙镇'].solved, 1);
  assert.equal(u['乙镇'].overdue, 1);
  assert.equal(u['县应急管理局'].solve_rate, 0);
  // The same figures as the unit grouping of the stats.
  const stats = await ctx.operator.ok('/api/v1/problems/stats?group=unit');
  for (const g of stats.groups.filter((x) => x.key !== '0')) {
    const it = u[g.label];
    assert.equal(it.found, g.found, g.label);
    assert.equal(it.overdue, g.overdue, g.label);
    assert.equal(it.avg_workdays_to_close, g.avg_workdays_to_close, g.label);
  }
  // 1 April to 1 May 2026 in working days (清明 and 劳动节 are holidays): well above zero.
  assert.ok(u['甲镇'].avg_workdays_to_close > 10 && u['甲镇'].avg_workdays_to_close < 23);
  assert.equal(r.total.found, 6);
});

test('marks follow the thresholds, the worst figure marks the unit', async () => {
  const r = await ctx.operator.ok('/api/v1/problems/ranking');
  const u = byLabel(r);
  const days = (v) => (v >= 40 ? 'red' : v >= 20 ? 'yellow' : 'green');
  assert.deepEqual(u['甲镇'].marks, { solve_rate: 'green', overdue: 'green', avg_workdays_to_close: days(u['甲镇'].avg_workdays_to_close) });
  assert.equal(u['乙镇'].marks.solve_rate, 'red');
  assert.equal(u['乙镇'].marks.overdue, 'yellow');
  assert.equal(u['乙镇'].mark, 'red');
  assert.equal(u['县委办公室'].mark, null, 'a unit without problems has no mark');

  const t = { rate_green: 30, rate_yellow: 0, overdue_yellow: 2, overdue_red: 5, days_yellow: 1, days_red: 100 };
  const put = await ctx.operator.put('/api/v1/problems/ranking/thresholds', t);
  assert.equal(put.status, 200, put.text);
  const r2 = await ctx.operator.ok('/api/v1/problems/ranking');
  const v = byLabel(r2);
  assert.deepEqual(r2.thresholds, t);
  assert.deepEqual(v['乙镇'].marks, { solve_rate: 'green', overdue: 'green', avg_workdays_to_close: 'yellow' });
  assert.equal(v['乙镇'].mark, 'yellow');
  assert.equal(v['县应急管理局'].marks.solve_rate, 'yellow');
  assert.deepEqual(await ctx.leader.ok('/api/v1/problems/ranking/thresholds'), t);

  // Audited, with the values before and after.
  const rows = sql(srv.db, "SELECT detail FROM audit WHERE action = 'problem.ranking.thresholds'");
  assert.match(rows, /"rate_green":\s*90/);
  assert.match(rows, /"rate_green":\s*30/);
});

test('thresholds: bad values refused in Chinese, nothing written; only the county\'s assigner sets them', async () => {
  const before = await ctx.operator.ok('/api/v1/problems/ranking/thresholds');
  const bad = { ...before, rate_yellow: 80, rate_green: 60 };
  await assertError(await ctx.operator.put('/api/v1/problems/ranking/thresholds', bad), 400, 'threshold_order', 'rate_yellow');
  await assertError(await ctx.operator.put('/api/v1/problems/ranking/thresholds', { ...before, days_red: 'x' }), 400, 'field_type', 'days_red');
  await assertError(await ctx.operator.put('/api/v1/problems/ranking/thresholds', { ...before, rate_green: 101 }), 400, undefined, 'rate_green');
  const missing = { ...before };
  delete missing.overdue_red;
  await assertError(await ctx.operator.put('/api/v1/problems/ranking/thresholds', missing), 400, undefined, 'overdue_red');
  assert.equal((await ctx.handlerA.put('/api/v1/problems/ranking/thresholds', before)).status, 403);
  assert.equal((await ctx.supA.put('/api/v1/problems/ranking/thresholds', before)).status, 403);
  assert.deepEqual(await ctx.operator.ok('/api/v1/problems/ranking/thresholds'), before);
});

test('every figure opens the list behind it', async () => {
  const r = await ctx.operator.ok('/api/v1/problems/ranking');
  for (const it of r.items) {
    for (const [fig, count] of [['found', it.found], ['solved', it.solved], ['overdue', it.overdue]]) {
      const list = await ctx.operator.ok(`/api/v1/problems?${query(it.filters[fig])}&limit=500`);
      assert.equal(list.total, count, `${it.label} ${fig}`);
    }
  }
});

test('a period ranks on the problems found in it', async () => {
  const r = await ctx.operator.ok('/api/v1/problems/ranking?found_from=2026-04-15&found_to=2026-04-30');
  assert.deepEqual(r.period, { from: '2026-04-15', to: '2026-04-30' });
  const u = byLabel(r);
  assert.equal(u['乙镇'].found, 1);
  assert.equal(u['乙镇'].rank, 1);
  assert.equal(u['甲镇'].found, 0);
  assert.equal(u['甲镇'].rank, null);
  const list = await ctx.operator.ok(`/api/v1/problems?${query(u['乙镇'].filters.found)}`);
  assert.equal(list.total, 1);
  await assertError(await ctx.operator.get('/api/v1/problems/ranking?found_from=2026-13-01'), 400, undefined, 'found_from');
});

test('scope: a township ranks its own subtree, never the county or a neighbour', async () => {
  const r = await ctx.supA.ok('/api/v1/problems/ranking');
  assert.equal(r.parent.id, U.townA.id);
  assert.deepEqual(r.items.map((i) => [i.label, i.found, i.rank]), [['甲镇东街村', 1, 1]]);
  assert.equal((await ctx.supA.get(`/api/v1/problems/ranking?unit_id=${U.root.id}`)).status, 403);
  assert.equal((await ctx.supA.get(`/api/v1/problems/ranking?unit_id=${U.townB.id}`)).status, 403);
  await assertError(await ctx.operator.get('/api/v1/problems/ranking?unit_id=99999'), 400, 'bad_query', 'unit_id');
  // The county's operator may rank one township's villages.
  const a = await ctx.operator.ok(`/api/v1/problems/ranking?unit_id=${U.townA.id}`);
  assert.equal(a.parent.name, '甲镇');
  assert.equal(a.items.length, 1);
});
