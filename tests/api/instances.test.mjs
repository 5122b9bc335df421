// Several duban instances in front of one PostgreSQL database (the province setup): any
// instance answers any request — sessions, evidence files, the audit chain and the scheduler
// live in the database — and when one instance is killed the other carries on with nothing
// acknowledged lost. PostgreSQL only: a SQLite file is served by one process.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PG, sleep, startServer, tempDir } from './lib/server.mjs';
import { actOk, county, pngOfSize, problemBody, register, upload } from './lib/problems.mjs';

const skip = PG ? false : 'several instances share a PostgreSQL database only';
const FLAGS = ['--tick_interval', '1'];
let a, b, ctx;

/** The same signed-in client, its requests sent to another instance. */
function via(c, srv) {
  return Object.assign(Object.create(Object.getPrototypeOf(c)), c, { base: srv.url });
}

/** Waits until the server's log matches re (a state, not a time: polled, bounded). */
async function logSays(srv, re, what) {
  for (let i = 0; i < 300; i++) {
    if (re.test(srv.stderr())) return;
    await sleep(100);
  }
  assert.fail(`${what}: not in the log of port ${srv.port}:\n${srv.stderr().slice(-2000)}`);
}

before(async () => {
  if (skip) return;
  a = await startServer({ flags: FLAGS });
  b = await startServer({ db: a.db, dir: tempDir(), flags: FLAGS });
  ctx = await county(a);
});

after(async () => {
  await a?.stop();
  await b?.stop();
});

test('exactly one instance runs the scheduler', { skip }, async () => {
  await logSays(a, /scheduler: (this instance ticks|another instance ticks)/, 'A decided');
  await logSays(b, /scheduler: (this instance ticks|another instance ticks)/, 'B decided');
  const leaders = [a, b].filter((s) => /scheduler: this instance ticks/.test(s.stderr()));
  assert.equal(leaders.length, 1, 'one leader');
});

test('the loop runs with every request alternating between the instances', { skip }, async () => {
  const s = [a, b];
  for (let i = 0; i < 4; i++) {
    const [x, y] = [s[i % 2], s[(i + 1) % 2]];
    const p = await register(via(ctx.operator, x), problemBody(ctx.units.townA.id));
    await actOk(via(ctx.operator, y), p.id, 'assign', { note: '请按期办结' });
    await actOk(via(ctx.handlerA, x), p.id, 'sign', {});
    const bytes = pngOfSize(300, i);
    const up = await upload(via(ctx.handlerA, y), p.id, `照片${i}.png`, bytes);
    assert.equal(up.status, 201, up.text);
    // The file uploaded to one instance is served by the other, byte for byte.
    const got = await fetch(`${x.url}/api/v1/attachments/${up.body.id}`, {
      headers: { Cookie: `duban_session=${ctx.handlerA.session}` },
    });
    assert.equal(got.status, 200);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), bytes);
    await actOk(via(ctx.handlerA, x), p.id, 'claim', { summary: '已整改完毕' }, [up.body.id]);
    const closed = await actOk(via(ctx.supervisor, y), p.id, 'verify_pass', { method: '电话核实', finding: '已解决' });
    assert.equal(closed.state, 'closed');
  }
  // A stale version is refused whichever instance holds the newer one.
  const p = await register(via(ctx.operator, a), problemBody(ctx.units.townA.id));
  const first = await via(ctx.operator, b).post(`/api/v1/problems/${p.id}/actions/assign`, { fields: { note: '一' }, version: p.version });
  assert.equal(first.status, 200, first.text);
  const stale = await via(ctx.operator, a).post(`/api/v1/problems/${p.id}/actions/assign`, { fields: { note: '二' }, version: p.version });
  assert.equal(stale.status, 409, stale.text);
});

test('concurrent writes through both instances keep one intact audit chain', { skip }, async () => {
  const writes = [];
  for (let i = 0; i < 20; i++)
    writes.push(register(via(ctx.operator, i % 2 ? a : b), problemBody(ctx.units.townB.id)));
  const made = await Promise.all(writes);
  assert.equal(new Set(made.map((p) => p.id)).size, 20);
  const auditor = await a.auditor();
  const v = await via(auditor, b).ok('/api/v1/audit/verify');
  assert.equal(v.ok, true, JSON.stringify(v));
});

test('an instance killed mid-way: the other serves on, loses nothing, and takes the scheduler', { skip }, async () => {
  const leader = /scheduler: this instance ticks/.test(a.stderr()) ? a : b;
  const other = leader === a ? b : a;
  const acked = [];
  const writing = (async () => {
    for (let i = 0; i < 30; i++) {
      const res = await via(ctx.operator, i % 2 ? leader : other).post('/api/v1/problems', problemBody(ctx.units.dept.id)).catch(() => null);
      if (res?.status === 201) acked.push(res.body.id);
    }
  })();
  await sleep(50);
  leader.stopping = true; // the kill is the test's, not a crash
  leader.proc.kill('SIGKILL');
  await writing;
  await leader.stop(); // reaps the killed process
  for (const id of acked) {
    const res = await via(ctx.operator, other).get(`/api/v1/problems/${id}`);
    assert.equal(res.status, 200, `acknowledged problem ${id} lost`);
  }
  await logSays(other, /scheduler: this instance ticks/, 'the survivor takes the scheduler');
  const auditor = await other.auditor();
  const v = await auditor.ok('/api/v1/audit/verify');
  assert.equal(v.ok, true, JSON.stringify(v));
});
