// Overdue problems and the scheduler (`duban tick` beside the running server: notifications,
// once only, read/unread), and the figures of the problem list: every count of
// GET /problems/stats matches the problems created, and every figure's `filters`, given back to
// GET /problems, lists exactly that many problems (drill-down consistency). 共性问题 too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, runCli, startServer } from './lib/server.mjs';
import { actOk, closeLoop, county, problemBody, query, register } from './lib/problems.mjs';

let srv, ctx, U;

before(async () => {
  // The server ticks once as it starts and then not again during the test: `duban tick` does.
  srv = await startServer({ flags: ['--tick_interval', '86400'] });
  ctx = await county(srv);
  U = ctx.units;
});

after(async () => {
  if (srv) await srv.stopClean();
});

async function notes(c, q = '') {
  return c.ok(`/api/v1/notifications?limit=200${q}`);
}

describe('overdue problems and the scheduler', () => {
  let late, onTime;

  test('a problem registered with a past deadline is overdue at once', async () => {
    late = await register(ctx.operator, problemBody(U.townA.id, { title: '危化品存放不规范', found_on: '2024-01-02', deadline: '2024-01-10' }));
    assert.equal(late.overdue, true);
    assert.equal(late.overdue_since, '2024-01-11');
    onTime = await register(ctx.operator, problemBody(U.townA.id, { title: '按期问题' }));
    assert.equal(onTime.overdue, false);
    assert.equal(onTime.overdue_since, null);
    const list = await ctx.handlerA.ok('/api/v1/problems?overdue=1&limit=500');
    assert.deepEqual(list.items.map((p) => p.id), [late.id]);
    assert.equal(list.total, 1);
  });

  test('before the tick nobody has notifications', async () => {
    for (const c of [ctx.handlerA, ctx.handlerB, ctx.operator]) {
      const n = await notes(c);
      assert.deepEqual(n.items, []);
      assert.equal(n.unread, 0);
    }
  });

  test('`duban tick` (beside the running server) notifies the handler and escalates', async () => {
    const r = runCli(['tick', '--db', srv.db]);
    assert.equal(r.code, 0, r.stderr);
    const h = await notes(ctx.handlerA);
    const overdue = h.items.filter((n) => n.kind === 'overdue');
    assert.equal(overdue.length, 1, JSON.stringify(h));
    assert.equal(overdue[0].item_id, late.id);
    assert.equal(overdue[0].flow, 'problem');
    assert.equal(overdue[0].read, false);
    assert.match(overdue[0].title, /逾期/);
    assert.match(overdue[0].title, /危化品存放不规范/);
    assert.match(overdue[0].body, /2024-01-10/);
    assert.ok(!h.items.some((n) => n.item_id === onTime.id), 'nothing about the problem on time');
    assert.equal(h.unread, h.items.length);
    // The assigning side hears of it too; the neighbouring township does not.
    const op = await notes(ctx.operator);
    assert.ok(op.items.some((n) => n.kind === 'escalate' && n.item_id === late.id), JSON.stringify(op));
    assert.deepEqual((await notes(ctx.handlerB)).items, []);
    // The flag is still there, and the detail says since when.
    const d = await ctx.handlerA.ok(`/api/v1/problems/${late.id}`);
    assert.equal(d.overdue, true);
    assert.equal(d.overdue_since, '2024-01-11');
  });

  test('running tick twice adds no notifications', async () => {
    const before = {
      h: (await notes(ctx.handlerA)).items.length,
      o: (await notes(ctx.operator)).items.length,
    };
    const r = runCli(['tick', '--db', srv.db]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await notes(ctx.handlerA)).items.length, before.h);
    assert.equal((await notes(ctx.operator)).items.length, before.o);
  });

  test('reading one, then all, changes `unread`', async () => {
    // A second overdue problem gives the handler a second notification.
    const late2 = await register(ctx.operator, problemBody(U.townA.id, { title: '消防器材过期', found_on: '2024-03-01', deadline: '2024-03-05' }));
    assert.equal(runCli(['tick', '--db', srv.db]).code, 0);
    const n0 = await notes(ctx.handlerA);
    assert.ok(n0.items.some((n) => n.item_id === late2.id && n.kind === 'overdue'));
    assert.ok(n0.unread >= 2, JSON.stringify(n0));
    const first = n0.items[0];
    const r1 = await ctx.handlerA.post(`/api/v1/notifications/${first.id}/read`);
    assert.equal(r1.status, 200, r1.text);
    const n1 = await notes(ctx.handlerA);
    assert.equal(n1.unread, n0.unread - 1);
    assert.equal(n1.items.find((n) => n.id === first.id).read, true);
    assert.equal((await notes(ctx.handlerA, '&unread=1')).items.length, n1.unread);
    // Another user cannot mark the handler's notification.
    const other = n1.items.find((n) => !n.read);
    await ctx.handlerB.post(`/api/v1/notifications/${other.id}/read`);
    assert.equal((await notes(ctx.handlerA)).unread, n1.unread);
    const r2 = await ctx.handlerA.post('/api/v1/notifications/read');
    assert.equal(r2.status, 200, r2.text);
    const n2 = await notes(ctx.handlerA);
    assert.equal(n2.unread, 0);
    assert.ok(n2.items.every((n) => n.read));
    assert.equal(n2.items.length, n0.items.length);
    assert.deepEqual((await notes(ctx.handlerA, '&unread=1')).items, []);
    // The operator's own notifications are untouched.
    assert.ok((await notes(ctx.operator)).unread > 0);
  });

  test('an extension past today clears the overdue flag', async () => {
    await actOk(ctx.operator, late.id, 'assign', {});
    await actOk(ctx.handlerA, late.id, 'sign', {});
    await actOk(ctx.handlerA, late.id, 'request_extension', { new_deadline: '2099-01-31', reason: '需上级审批' });
    const p = await actOk(ctx.operator, late.id, 'approve_extension', { new_deadline: '2099-01-31' });
    assert.equal(p.overdue, false);
    assert.equal(p.overdue_since, null);
    assert.equal(p.original_deadline, '2024-01-10');
    const list = await ctx.handlerA.ok('/api/v1/problems?overdue=1&limit=500');
    assert.ok(!list.items.some((x) => x.id === late.id));
  });
});

describe('figures and their drill-down', () => {
  // What is created, so the expected figures can be counted here.
  const made = [];
  // Sources and categories of this suite carry a prefix, so its figures can be told apart.
  const baseline = 'FIG';

  before(async () => {
    const plan = [
      // unit, source, category, found_on, deadline (past = overdue), closed
      ['townA', '调研', '安全生产', '2024-01-15', '2024-02-01', false],
      ['townA', '调研', '安全生产', '2024-01-20', '2099-01-01', true],
      ['villageA', '驻厂', '融资', '2024-03-05', '2099-01-01', false],
      ['villageA', '督查', '安全生产', '2024-03-06', '2024-03-10', false],
      ['townB', '调研', '安全生产', '2024-03-07', '2099-01-01', true],
      ['townB', '驻厂', '用工', '2024-03-08', '2024-04-01', false],
      ['dept', '督查', '居住环境', '2025-07-01', '2099-01-01', false],
      ['root', '调研', '居住环境', '2025-07-02', '2025-07-03', false],
    ];
    for (const [unit, source, category, found_on, deadline, closed] of plan) {
      const p = await register(
        ctx.operator,
        problemBody(U[unit].id, { source: `${baseline}${source}`, category: `${baseline}${category}`, found_on, deadline }),
      );
      const handler = { townA: ctx.handlerA, villageA: ctx.handlerA, townB: ctx.handlerB, dept: ctx.handlerD }[unit];
      if (closed) await closeLoop(ctx, handler, p.id);
      made.push({ id: p.id, unit, source: `${baseline}${source}`, category: `${baseline}${category}`, month: found_on.slice(0, 7), overdue: deadline < '2026-01-01' && !closed, closed });
    }
  });

  // Which top-level unit (child of the county) a unit key rolls up into.
  const topOf = (unit) => ({ townA: 'townA', villageA: 'townA', townB: 'townB', dept: 'dept', root: 'root' })[unit];

  function expected(keyOf, rows = made) {
    const m = new Map();
    for (const p of rows) {
      const k = keyOf(p);
      const g = m.get(k) || { found: 0, solved: 0, open: 0, overdue: 0 };
      g.found++;
      if (p.closed) g.solved++;
      else g.open++;
      if (p.overdue) g.overdue++;
      m.set(k, g);
    }
    return m;
  }

  /** Checks each group's figures against want and each figure's filters against the list. */
  async function checkGroups(c, url, want, keyName) {
    const stats = await c.ok(url);
    const got = new Map(stats.groups.map((g) => [keyName(g), g]));
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), `groups of ${url}`);
    for (const [k, w] of want) {
      const g = got.get(k);
      for (const f of ['found', 'solved', 'open', 'overdue']) assert.equal(g[f], w[f], `${url} ${k} ${f}`);
      assert.equal(g.solve_rate, w.solved / w.found);
      for (const f of ['found', 'solved', 'open', 'overdue']) {
        const list = await c.ok(`/api/v1/problems?${query(g.filters[f])}&limit=500`);
        assert.equal(list.total, g[f], `${url} group ${k}: filters.${f} ${JSON.stringify(g.filters[f])} lists ${list.total}, figure ${g[f]}`);
        assert.equal(list.items.length, g[f]);
      }
    }
    let sum = { found: 0, solved: 0, open: 0, overdue: 0 };
    for (const w of want.values()) for (const f of Object.keys(sum)) sum[f] += w[f];
    for (const f of Object.keys(sum)) {
      assert.equal(stats.total[f], sum[f], `${url} total ${f}`);
      const list = await c.ok(`/api/v1/problems?${query(stats.total.filters[f])}&limit=500`);
      assert.equal(list.total, sum[f], `${url} total filters.${f}`);
    }
    return stats;
  }

  const only = (extra = '') => `source=${encodeURIComponent(baseline + '调研')}${extra}`;

  test('by category', async () => {
    // Per source of this suite (the category table itself holds only this suite's categories).
    for (const src of ['调研', '驻厂', '督查']) {
      const rows = made.filter((p) => p.source === baseline + src);
      await checkGroups(
        ctx.operator,
        `/api/v1/problems/stats?group=category&source=${encodeURIComponent(baseline + src)}`,
        expected((p) => p.category, rows),
        (g) => g.key,
      );
    }
  });

  test('by source', async () => {
    const stats = await ctx.operator.ok('/api/v1/problems/stats?group=source');
    const mine = stats.groups.filter((g) => g.key.startsWith(baseline));
    const want = expected((p) => p.source);
    assert.deepEqual(mine.map((g) => g.key).sort(), [...want.keys()].sort());
    for (const g of mine) {
      const w = want.get(g.key);
      for (const f of ['found', 'solved', 'open', 'overdue']) {
        assert.equal(g[f], w[f], `${g.key} ${f}`);
        const list = await ctx.operator.ok(`/api/v1/problems?${query(g.filters[f])}&limit=500`);
        assert.equal(list.total, g[f], `source ${g.key} filters.${f}`);
      }
    }
    // The whole table, whatever else the server holds, is consistent too.
    for (const g of stats.groups)
      for (const f of ['found', 'solved', 'open', 'overdue'])
        assert.equal((await ctx.operator.ok(`/api/v1/problems?${query(g.filters[f])}&limit=500`)).total, g[f]);
  });

  test('by month', async () => {
    for (const src of ['调研', '驻厂', '督查'])
      await checkGroups(
        ctx.operator,
        `/api/v1/problems/stats?group=month&source=${encodeURIComponent(baseline + src)}`,
        expected((p) => p.month, made.filter((p) => p.source === baseline + src)),
        (g) => g.key,
      );
  });

  test('by unit, county-wide: townships roll up their villages; 本级 is the county itself', async () => {
    const byId = new Map(Object.entries(U).map(([k, u]) => [String(u.id), k]));
    for (const src of ['调研', '驻厂', '督查']) {
      const stats = await checkGroups(
        ctx.operator,
        `/api/v1/problems/stats?group=unit&source=${encodeURIComponent(baseline + src)}`,
        expected((p) => topOf(p.unit), made.filter((p) => p.source === baseline + src)),
        (g) => (g.key === '0' ? 'root' : byId.get(g.key)),
      );
      for (const g of stats.groups) {
        if (g.key === '0') {
          assert.equal(g.label, '本级');
          assert.equal(g.filters.found.unit_id, 1);
        }
        else assert.equal(g.label, U[byId.get(g.key)].name);
      }
    }
  });

  test('by unit inside a township: its villages and its own 本级 problems', async () => {
    const byId = new Map(Object.entries(U).map(([k, u]) => [String(u.id), k]));
    const inA = made.filter((p) => p.unit === 'townA' || p.unit === 'villageA');
    const url = `/api/v1/problems/stats?group=unit&unit_id=${U.townA.id}&${only()}`;
    await checkGroups(
      ctx.operator,
      url,
      expected((p) => p.unit, inA.filter((p) => p.source === baseline + '调研')),
      (g) => (g.key === '0' ? 'townA' : byId.get(g.key)),
    );
    const all = `/api/v1/problems/stats?group=unit&unit_id=${U.townA.id}`;
    const stats = await ctx.operator.ok(all);
    for (const g of stats.groups)
      for (const f of ['found', 'solved', 'open', 'overdue'])
        assert.equal(
          (await ctx.operator.ok(`/api/v1/problems?${query(g.filters[f])}&limit=500`)).total,
          g[f],
          `${all}: group ${g.key} (${g.label}) filters.${f} ${JSON.stringify(g.filters[f])}`,
        );
  });

  test('a township handler’s figures cover his scope only', async () => {
    const stats = await ctx.handlerA.ok(`/api/v1/problems/stats?group=unit&${only()}`);
    assert.deepEqual(stats.groups.map((g) => g.key), [String(U.townA.id)]);
    assert.equal(stats.total.found, made.filter((p) => p.source === baseline + '调研' && topOf(p.unit) === 'townA').length);
    assert.ok(!JSON.stringify(stats).includes('乙镇'));
    for (const f of ['found', 'solved', 'open', 'overdue'])
      assert.equal((await ctx.handlerA.ok(`/api/v1/problems?${query(stats.total.filters[f])}&limit=500`)).total, stats.total[f]);
  });

  test('bad groupings and filters are refused', async () => {
    assertError(await ctx.operator.get('/api/v1/problems/stats?group=colour'), 400, 'bad_query', 'group');
    assertError(await ctx.operator.get('/api/v1/problems/stats?state=done'), 400, 'bad_query', 'state');
    assertError(await ctx.operator.get('/api/v1/problems?found_from=2024-13-01'), 400, 'bad_query', 'found_from');
    assertError(await ctx.admin.get('/api/v1/problems/stats'), 403, 'forbidden');
    assertError(await ctx.operator.get('/api/v1/problems?unit_only=1'), 400, 'bad_query', 'unit_only');
  });

  test('/problems/recurring?min_units=2 lists a category found in two units', async () => {
    const r = await ctx.operator.ok('/api/v1/problems/recurring?min_units=2');
    assert.equal(r.min_units, 2);
    const cats = new Map(r.items.map((x) => [x.category, x]));
    // 安全生产: 甲镇, 甲镇东街村, 乙镇 — three units, four problems.
    const safety = cats.get(baseline + '安全生产');
    assert.ok(safety, JSON.stringify(r));
    assert.equal(safety.units, 3);
    assert.equal(safety.problems, 4);
    // 居住环境: 应急管理局 and the county itself.
    assert.equal(cats.get(baseline + '居住环境').units, 2);
    // 融资 and 用工 were found in one unit each.
    assert.ok(!cats.has(baseline + '融资'));
    assert.ok(!cats.has(baseline + '用工'));
    const list = await ctx.operator.ok(`/api/v1/problems?${query(safety.filter)}&limit=500`);
    assert.equal(list.total, safety.problems);
    const three = await ctx.operator.ok('/api/v1/problems/recurring?min_units=3');
    assert.ok(three.items.some((x) => x.category === baseline + '安全生产'));
    assert.ok(!three.items.some((x) => x.category === baseline + '居住环境'));
    assertError(await ctx.operator.get('/api/v1/problems/recurring?min_units=1'), 400, 'bad_query', 'min_units');
  });
});
