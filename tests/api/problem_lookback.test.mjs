// Monthly look-backs (回头看): a county-level leader who owns closed problems gets this month's
// tasks from the scheduler, may record that a problem held or reopen it (问题反弹, counted in
// the figures), only once, and nobody else may complete the leader's tasks. 挂牌督办 too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, runCli, sql, startServer } from './lib/server.mjs';
import { actOk, closeLoop, county, problemBody, register } from './lib/problems.mjs';

let srv, ctx, U, held, back;

before(async () => {
  srv = await startServer({ flags: ['--tick_interval', '86400'] });
  ctx = await county(srv);
  U = ctx.units;
  const leaderId = ctx.leader.user.id;
  held = await register(ctx.operator, problemBody(U.townA.id, { leader_user_id: leaderId }));
  back = await register(ctx.operator, problemBody(U.townA.id, { leader_user_id: leaderId }));
  await closeLoop(ctx, ctx.handlerA, held.id);
  await closeLoop(ctx, ctx.handlerA, back.id);
});

after(async () => {
  if (srv) await srv.stopClean();
});

describe('look-back tasks', () => {
  test('a leader without the look-back permission cannot be named', async () => {
    const res = await ctx.operator.post('/api/v1/problems', problemBody(U.townA.id, { leader_user_id: ctx.handlerA.user.id }));
    assertError(res, 400, 'field_invalid', 'leader_user_id');
  });

  test('the scheduler gives the leader a task per closed problem, once a month', async () => {
    // The server's own tick at start-up already handed out this month's tasks (there were no
    // closed problems then). Forget that, as if a new month had begun.
    const month = sql(srv.db, "SELECT value FROM meta WHERE key = 'lookback_month';").trim();
    assert.match(month, /^\d{4}-\d{2}$/);
    const quiet = runCli(['tick', '--db', srv.db]);
    assert.match(quiet.stdout, /0 look-back tasks/);
    sql(srv.db, "DELETE FROM meta WHERE key = 'lookback_month';");
    const first = runCli(['tick', '--db', srv.db]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /2 look-back tasks/);
    const again = runCli(['tick', '--db', srv.db]);
    assert.match(again.stdout, /0 look-back tasks/);
    const tasks = await ctx.leader.ok('/api/v1/lookbacks');
    assert.deepEqual(tasks.items.map((t) => t.problem_id).sort(), [held.id, back.id].sort());
    assert.ok(tasks.items.every((t) => !t.done && /^\d{4}-\d{2}$/.test(t.month)));
    const notes = await ctx.leader.ok('/api/v1/notifications?limit=50');
    assert.equal(notes.items.filter((n) => n.kind === 'lookback').length, 1);
    const others = await ctx.handlerA.ok('/api/v1/lookbacks');
    assert.equal(others.items.length, 0);
  });

  test('nobody else completes the leader\'s task', async () => {
    const tasks = await ctx.leader.ok('/api/v1/lookbacks');
    const t = tasks.items.find((x) => x.problem_id === held.id);
    const res = await ctx.operator.post(`/api/v1/lookbacks/${t.id}`, { result: 'held', finding: '未反弹' });
    assertError(res, 403, 'forbidden');
  });

  test('held: recorded once; the problem stays closed', async () => {
    const tasks = await ctx.leader.ok('/api/v1/lookbacks');
    const t = tasks.items.find((x) => x.problem_id === held.id);
    const bad = await ctx.leader.post(`/api/v1/lookbacks/${t.id}`, { result: 'maybe' });
    assertError(bad, 400, 'field_invalid', 'result');
    const ok = await ctx.leader.post(`/api/v1/lookbacks/${t.id}`, { result: 'held', finding: '未反弹' });
    assert.equal(ok.status, 200, ok.text);
    const twice = await ctx.leader.post(`/api/v1/lookbacks/${t.id}`, { result: 'held' });
    assertError(twice, 409, 'conflict');
    const p = await ctx.leader.ok(`/api/v1/problems/${held.id}`);
    assert.equal(p.state, 'closed');
    assert.equal(p.reopened, 0);
  });

  test('reopened: the problem comes back, counted as 问题反弹, with its new deadline', async () => {
    const before = await ctx.operator.ok('/api/v1/problems/stats?group=unit');
    const tasks = await ctx.leader.ok('/api/v1/lookbacks');
    const t = tasks.items.find((x) => x.problem_id === back.id);
    const missing = await ctx.leader.post(`/api/v1/lookbacks/${t.id}`, { result: 'reopened', finding: '道路再次破损' });
    assertError(missing, 400, 'field_invalid', 'new_deadline');
    const ok = await ctx.leader.post(`/api/v1/lookbacks/${t.id}`, { result: 'reopened', finding: '道路再次破损', new_deadline: '2099-06-30' });
    assert.equal(ok.status, 200, ok.text);
    const p = await ctx.leader.ok(`/api/v1/problems/${back.id}`);
    assert.equal(p.state, 'in_progress');
    assert.equal(p.reopened, 1);
    assert.equal(p.deadline, '2099-06-30');
    assert.equal(p.closed_at, null);
    assert.equal(p.events.at(-1).action, 'reopen');
    const after = await ctx.operator.ok('/api/v1/problems/stats?group=unit');
    assert.equal(after.total.reopened, before.total.reopened + 1);
    const list = await ctx.operator.ok('/api/v1/problems?reopened=1');
    assert.deepEqual(list.items.map((x) => x.id), [back.id]);
    const done = await ctx.leader.ok('/api/v1/lookbacks');
    assert.ok(done.items.every((x) => x.done));
    assert.equal(done.items.find((x) => x.problem_id === back.id).result, 'reopened');
  });

  test('a task whose problem came back another way cannot be confirmed as held', async () => {
    const third = await register(ctx.operator, problemBody(U.townA.id, { leader_user_id: ctx.leader.user.id }));
    await closeLoop(ctx, ctx.handlerA, third.id);
    sql(srv.db, "DELETE FROM meta WHERE key = 'lookback_month';");
    assert.equal(runCli(['tick', '--db', srv.db]).code, 0);
    const task = (await ctx.leader.ok('/api/v1/lookbacks?limit=500')).items.find((t) => t.problem_id === third.id && !t.done);
    assert.ok(task, 'a task for the third problem');
    const past = await ctx.leader.post(`/api/v1/problems/${third.id}/actions/reopen`, { fields: { finding: '反弹', new_deadline: '2020-01-01' } });
    assertError(past, 400, 'field_invalid', 'new_deadline');
    await actOk(ctx.leader, third.id, 'reopen', { finding: '反弹', new_deadline: '2099-01-01' });
    const held = await ctx.leader.post(`/api/v1/lookbacks/${task.id}`, { result: 'held' });
    assertError(held, 409, 'conflict');
    const page = await ctx.leader.ok('/api/v1/lookbacks?limit=1');
    assert.equal(page.items.length, 1);
  });

  test('挂牌督办: the leader puts a problem under named supervision', async () => {
    const p = await register(ctx.operator, problemBody(U.townB.id));
    const res = await ctx.handlerB.post(`/api/v1/problems/${p.id}/actions/supervise`, { fields: { leader_id: ctx.leader.user.id } });
    assertError(res, 403, 'forbidden');
    const after = await actOk(ctx.leader, p.id, 'supervise', { leader_id: ctx.leader.user.id, note: '月底前办结' });
    assert.equal(after.supervised, true);
    assert.equal(after.supervisor, '张县长');
    const list = await ctx.operator.ok('/api/v1/problems?supervised=1');
    assert.deepEqual(list.items.map((x) => x.id), [p.id]);
  });
});
