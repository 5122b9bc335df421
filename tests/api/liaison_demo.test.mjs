// The liaison part of `duban demo` (issue #16) on either engine: its evidence photos (办结照片 of
// the problems it carried to 销号) download with their bytes — on PostgreSQL too, where the
// bytes live in the database — 小门家镇's alliance page holds the seed's numbers, and 西城街道's
// clerk reads figures that name 西城街道.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { PG, pgDatabase, runCli, sql, startServer, tempDir } from './lib/server.mjs';

const PW = 'Ningjin@2024';
let srv, dir, db;

before(async () => {
  dir = tempDir('duban-liaison-demo-');
  db = PG ? pgDatabase(dir) : path.join(dir, 'demo.db');
  for (const args of [['init'], ['demo', '--only', 'liaison']]) {
    const r = runCli([...args, '--db', db]);
    assert.equal(r.code, 0, `duban ${args.join(' ')}: ${r.stderr}`);
  }
  srv = await startServer({ db, dir });
});
after(() => srv?.stopClean());

async function login(name) {
  const c = srv.client();
  const res = await c.login(name, PW);
  assert.equal(res.status, 200, `${name}: ${res.text}`);
  return c;
}

test('a demo problem\'s evidence photo downloads with its bytes', async () => {
  const id = sql(db, "SELECT min(a.id) FROM attachment a JOIN liaison_problem lp ON lp.problem_id = a.item_id WHERE a.flow = 'problem'").trim();
  assert.match(id, /^\d+$/, 'a photo of a problem the liaison demo solved');
  const c = await login('lm_ducha');
  const res = await c.get(`/api/v1/attachments/${id}`);
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type'), /^image\/png/);
  assert.equal(res.text.slice(1, 4), 'PNG');
});

test('小门家镇\'s alliance on its page, with the seed\'s numbers', async () => {
  const c = await login('xmj_lianmeng');
  const list = await c.ok('/api/v1/liaison/alliances');
  const al = list.items.find((a) => a.model === '1+5+N');
  const v = await c.ok(`/api/v1/liaison/alliances/${al.id}/view`);
  assert.equal(v.members.length, 5);
  assert.ok(v.members.every((m) => m.branch.endsWith('党支部')));
  assert.equal(v.alliance.depts.length, 4);
  assert.equal(v.teams.length, 3);
  assert.equal(v.rotations.length, 12);
  assert.deepEqual(v.rotations.map((r) => r.month), [...v.rotations.map((r) => r.month)].sort());
  assert.equal(v.meetings.length, 6);
  assert.equal(v.figures.problems, 11);
  assert.equal(v.figures.solved, 11);
  assert.equal(v.figures.talents, 5);
});

test('西城街道\'s clerk reads figures that name 西城街道', async () => {
  const c = await login('tongzhan_xc');
  const s = await c.ok('/api/v1/liaison/stats');
  assert.equal(s.scope_name, '西城街道');
  assert.match(s.summary, /^\d{4}年，西城街道/);
  const county = await login('tongzhanbu01');
  assert.match((await county.ok('/api/v1/liaison/stats')).summary, /^\d{4}年，全县/);
});
