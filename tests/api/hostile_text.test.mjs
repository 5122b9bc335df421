// Text that reads differently from what it is (security review, findings 7 and 8): an escaped
// NUL in a path or a query value, C1 controls and bidi overrides in fields, and evidence names
// that hide their type. Each is refused with a 400 naming the field (or kept under a name whose
// extension is the file's real type), and nothing is written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, startServer } from './lib/server.mjs';
import { county, pngOfSize, problemBody, register, upload } from './lib/problems.mjs';

let srv, ctx, problem;

before(async () => {
  srv = await startServer();
  ctx = await county(srv);
  problem = await register(ctx.operator, problemBody(ctx.units.townA.id));
});

after(async () => {
  await srv?.stopClean();
});

test('an escaped NUL never cuts a path or a query value short', async () => {
  const c = ctx.operator;
  assert.equal((await c.get(`/api/v1/problems/${problem.id}`)).status, 200);
  assertError(await c.get(`/api/v1/problems/${problem.id}%00`), 400, 'bad_request');
  assertError(await c.get(`/api/v1/problems/${problem.id}%00.json`), 400, 'bad_request');
  const q = await c.get('/api/v1/problems?q=%E9%81%93%00x');
  assert.equal(q.status, 400, q.text);
  // An escaped percent sign followed by 00 is text, not a NUL.
  assert.equal((await c.get('/api/v1/problems?q=%2500')).status, 200);
});

test('C1 controls and bidi overrides are refused in fields', async () => {
  for (const bad of ['项目\u0085配套', '道路\u202E未完工', '隔离\u2066文字\u2069']) {
    const res = await ctx.operator.post('/api/v1/problems', problemBody(ctx.units.townA.id, { title: bad }));
    assertError(res, 400, 'field_invalid', 'title');
  }
  const list = await ctx.operator.ok('/api/v1/problems?limit=100');
  assert.equal(list.total, 1, 'nothing was registered');
});

test('evidence names: no NUL, no bidi controls, and the extension follows the real type', async () => {
  const h = ctx.operator; // the assigning side may add evidence before assigning
  const png = pngOfSize(120);
  for (const name of ['evil.html\u0000.png', 'photo\u202Egnp.html', 'a\u0085.png']) {
    const res = await upload(h, problem.id, name, png);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error.code, 'bad_query'); // the query value itself is refused
    assert.equal(res.body.error.field, 'name');
  }
  const up = await upload(h, problem.id, 'report.html', png);
  assert.equal(up.status, 201, up.text);
  assert.equal(up.body.filename, 'report.html.png');
  const keep = await upload(h, problem.id, '现场.PNG', png);
  assert.equal(keep.body.filename, '现场.PNG');
  const got = await fetch(`${srv.url}/api/v1/attachments/${up.body.id}`, {
    headers: { Cookie: `duban_session=${h.session}` },
  });
  assert.equal(got.status, 200);
  assert.match(got.headers.get('content-disposition'), /report\.html\.png/);
  assert.equal(got.headers.get('content-type'), 'image/png');
});
