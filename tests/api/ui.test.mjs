// What the browser UI stands on: the embedded UI's files and page for client-side routes,
// GET /api/v1/session for signed-out visitors (no 401 in the console), the flow definition,
// and "my tasks" (GET /api/v1/me/tasks) with the task= list filter behind each count.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { county, problemBody, register, actOk, act, upload, pngOfSize } from './lib/problems.mjs';

let srv;
let ctx;
test.before(async () => {
  srv = await startServer();
  ctx = await county(srv);
});
test.after(() => srv.stopClean());

test('the UI page is served for / and for the UI\'s own paths, with no caching', async () => {
  for (const path of ['/', '/problems', '/problems/12', '/admin/users']) {
    const res = await fetch(srv.url + path);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(await res.text(), /<div id="app">/);
  }
});

test('hashed assets are cached for good and sent gzipped to clients that accept it', async () => {
  const html = await (await fetch(srv.url + '/')).text();
  const js = /src="(\/assets\/[^"]+\.js)"/.exec(html)[1];
  const plain = await fetch(srv.url + js, { headers: { 'Accept-Encoding': 'identity' } });
  assert.equal(plain.status, 200);
  assert.match(plain.headers.get('content-type'), /^text\/javascript/);
  assert.match(plain.headers.get('cache-control'), /immutable/);
  assert.equal(plain.headers.get('content-encoding'), null);
  const body = await plain.text();
  // fetch decodes gzip itself: the same text arrives, in fewer bytes on the wire.
  const gz = await fetch(srv.url + js, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(gz.headers.get('content-encoding'), 'gzip');
  assert.equal(await gz.text(), body);
});

test('missing files and unknown API paths are 404 errors, not the UI page', async () => {
  for (const path of ['/assets/nope-123.js', '/favicon.ico.bak', '/api/v1/nope', '/api/nothing']) {
    const res = await fetch(srv.url + path);
    assert.equal(res.status, 404, path);
    const body = await res.json();
    assert.equal(body.error.code, 'route_not_found', path);
  }
  const post = await fetch(srv.url + '/problems', { method: 'POST' });
  assert.equal(post.status, 404);
});

test('GET /api/v1/session answers signed-out callers with 200 and says when a login ended', async () => {
  const anon = await srv.client().get('/api/v1/session');
  assert.equal(anon.status, 200);
  assert.equal(anon.body.user, null);
  assert.equal(anon.body.session_ended, false);

  const stale = await srv.client().get('/api/v1/session', { headers: { Cookie: 'duban_session=not-a-session' } });
  assert.equal(stale.status, 200);
  assert.equal(stale.body.user, null);
  assert.equal(stale.body.session_ended, true);

  const me = await ctx.operator.get('/api/v1/session');
  assert.equal(me.status, 200);
  assert.equal(me.body.user.login, 'operator');
  assert.equal(me.body.csrf_token, ctx.operator.csrf);
  assert.ok(me.body.permissions.some((p) => p.permission === 'problem.register'));
});

test('GET /api/v1/problems/flow gives the states and every action with its fields', async () => {
  const f = await ctx.operator.ok('/api/v1/problems/flow');
  assert.deepEqual(f.states.map((s) => s.name), ['registered', 'assigned', 'in_progress', 'claimed', 'closed']);
  const verify = f.actions.find((a) => a.name === 'verify_pass');
  assert.equal(verify.title, '核查通过并销号');
  assert.deepEqual(verify.fields.find((x) => x.name === 'method').choices, ['电话核实', '实地核查（四不两直）']);
  assert.equal(f.actions.find((a) => a.name === 'claim').evidence, 1);
  const anon = await srv.client().get('/api/v1/problems/flow');
  assert.equal(anon.status, 401);
});

async function tasks(c) {
  const r = await c.ok('/api/v1/me/tasks');
  return Object.fromEntries(r.items.map((t) => [t.key, t]));
}

async function listTotal(c, filters) {
  const r = await c.ok('/api/v1/problems?' + new URLSearchParams(filters));
  return r.total;
}

test('my tasks follow a problem through the loop, and each count is its list', async () => {
  const { townA } = ctx.units;
  const before = { a: await tasks(ctx.handlerA), b: await tasks(ctx.handlerB), sup: await tasks(ctx.supervisor),
    op: await tasks(ctx.operator) };
  const p = await register(ctx.operator, problemBody(townA.id));
  await actOk(ctx.operator, p.id, 'assign', {});
  let a = await tasks(ctx.handlerA);
  assert.equal(a.sign.count, before.a.sign.count + 1);
  assert.equal((await tasks(ctx.handlerB)).sign.count, before.b.sign.count, 'another township sees nothing');

  await actOk(ctx.handlerA, p.id, 'sign', {});
  a = await tasks(ctx.handlerA);
  assert.equal(a.sign.count, before.a.sign.count);
  assert.equal(a.report.count, before.a.report.count + 1);

  await actOk(ctx.handlerA, p.id, 'request_extension', { new_deadline: '2099-12-31', reason: '汛期施工受阻' });
  assert.equal((await tasks(ctx.operator)).approve.count, before.op.approve.count + 1);
  assert.equal((await tasks(ctx.handlerA)).approve.count, 0, 'the requester cannot approve');
  await actOk(ctx.operator, p.id, 'approve_extension', { new_deadline: '2099-12-31' });
  assert.equal((await tasks(ctx.operator)).approve.count, before.op.approve.count);

  const up = await upload(ctx.handlerA, p.id, '照片.png', pngOfSize(300, 7));
  await actOk(ctx.handlerA, p.id, 'claim', { summary: '已整改' }, [up.body.id]);
  const sup = await tasks(ctx.supervisor);
  assert.equal(sup.verify.count, before.sup.verify.count + 1);
  // The township's own supervisor may not verify his township's work: not his task.
  assert.equal((await tasks(ctx.supA)).verify.count, 0);

  for (const [c, t] of [[ctx.handlerA, 'report'], [ctx.supervisor, 'verify'], [ctx.operator, 'overdue'], [ctx.supA, 'verify']]) {
    const all = await tasks(c);
    assert.equal(await listTotal(c, all[t].filters), all[t].count, `${t} list total = count`);
  }
  await actOk(ctx.supervisor, p.id, 'verify_pass', { method: '电话核实', finding: '已解决' });
  assert.equal((await tasks(ctx.supervisor)).verify.count, before.sup.verify.count);
});

test('task= narrows the list to where the caller holds the task\'s permission, and is checked', async () => {
  const bad = await ctx.operator.get('/api/v1/problems?task=everything');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'task');
  // The leader has no problem.handle anywhere: nothing to sign or report, whatever exists.
  const p = await register(ctx.operator, problemBody(ctx.units.dept.id));
  await actOk(ctx.operator, p.id, 'assign', {});
  assert.equal(await listTotal(ctx.leader, { task: 'sign' }), 0);
  assert.ok(await listTotal(ctx.handlerD, { task: 'sign' }) >= 1);
  const res = await act(ctx.leader, p.id, 'sign', {});
  assert.equal(res.status, 403);
  // The figures carry the task into their drill-down filters.
  const stats = await ctx.handlerD.ok('/api/v1/problems/stats?group=unit&task=sign');
  assert.equal(stats.total.filters.found.task, 'sign');
});
