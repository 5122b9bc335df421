// `duban move-to-postgres`: a county that ran on its own SQLite file joins the province
// database with all of its records. The demo county (every mechanism's records) is moved
// under a city; the counts match table by table, the moved people sign in with their own
// passwords and see exactly their county, evidence files come along byte for byte, the audit
// chain verifies (with the county's chain archived), and every refusal (collisions, the same
// county twice, a county whose chain is broken) writes nothing. On PostgreSQL this is the
// province setup; on SQLite the same command moves a county into a city's file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { addUnit, runCli, sql, sqlite, startServer, tempDir } from './lib/server.mjs';

const DEMO_PW = 'Ningjin@2024';
let prov, target, ningjin, lingcheng;

/** A county of its own: a SQLite file, its key and files, filled by the demo. */
function county(name, only) {
  const dir = tempDir('duban-county-');
  const db = path.join(dir, 'county.db');
  let r = runCli(['init', '--db', db, '--county', name]);
  assert.equal(r.code, 0, r.stderr);
  r = runCli(['demo', '--db', db, ...(only ? ['--only', only] : [])]);
  assert.equal(r.code, 0, r.stderr);
  return { dir, db };
}

function move(from, ...flags) {
  return runCli(['move-to-postgres', '--db', target, '--from', from.db, '--under', 'dezhou', ...flags]);
}

const count = (db, table, where = '') =>
  Number((db.endsWith('.db') ? sqlite : sql)(db, `SELECT count(*) FROM "${table}" ${where};`));

before(async () => {
  // every mechanism but those holding sealed records (refused below: the move does not re-seal)
  ningjin = county('宁津县', 'problem,study,budget,liaison,publish,feeds');
  lingcheng = county('陵城区', 'problem');
  prov = await startServer({ flags: ['--root_kind', 'province', '--county', '山东省'] });
  target = prov.db;
  await addUnit(await prov.admin(), { code: 'dezhou', name: '德州市', kind: 'city', parent_id: 1 });
  await prov.stop();
});

after(async () => {
  await prov?.stop();
});

const MOVED_TABLES = ['problem', 'flow_event', 'attachment', 'notification', 'lookback_task',
  'activity', 'attendance', 'person', 'team_member', 'budget_project', 'budget_line',
  'budget_opinion', 'budget_monitor', 'liaison_visit', 'liaison_problem',
  'liaison_alliance_enterprise', 'publish_draft', 'publish_outlet', 'problem_public'];

test('--check reports the whole move and writes nothing', () => {
  const r = move(ningjin, '--login_prefix', 'nj_', '--check');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /check passed/);
  assert.match(r.stdout, new RegExp(`^problem\\s+${count(ningjin.db, 'problem')}\\s`, 'm'));
  assert.equal(count(target, 'problem'), 0);
  assert.equal(count(target, 'county_move'), 0);
});

test('colliding logins are refused, listed, and nothing is written', () => {
  const units = count(target, 'unit');
  const r = move(ningjin);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /登录名与目标数据库重复：admin、auditor、secadmin/);
  assert.match(r.stderr, /--login_prefix/);
  assert.equal(count(target, 'unit'), units);
});

test('a county whose audit chain is broken is refused', () => {
  const dir = tempDir('duban-county-');
  const db = path.join(dir, 'county.db');
  fs.copyFileSync(lingcheng.db, db);
  fs.copyFileSync(`${lingcheng.db}.key`, `${db}.key`);
  fs.copyFileSync(`${lingcheng.db}.key.head`, `${db}.key.head`);
  sqlite(db, "DROP TRIGGER audit_no_update; UPDATE audit SET detail = '{}' WHERE seq = 2;");
  const r = move({ db }, '--login_prefix', 'x_', '--code_prefix', 'x_');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /审计链校验未通过/);
  assert.equal(count(target, 'problem'), 0);
});

test('a county with records sealed under its own key is refused, not moved unreadable', () => {
  const sealed = county('临邑县', 'cadre');
  const r = move(sealed, '--login_prefix', 'ly_', '--code_prefix', 'ly-');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /以县级密钥加密的干部监督档案/);
  assert.equal(count(target, 'county_move'), 0);
});

test('the demo county moves in whole: every table, the audit chain archived and verifying', () => {
  const tables = [...MOVED_TABLES, 'unit', 'user', 'user_grant'];
  const before = Object.fromEntries(tables.map((t) => [t, count(target, t)]));
  const r = move(ningjin, '--login_prefix', 'nj_');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /moved:/);
  // Every dedupe key names the moved rows, so the first tick knows what was already sent.
  const keys = /notification keys rewritten: (\d+) of (\d+)/.exec(r.stdout);
  assert.ok(keys && keys[1] === keys[2] && Number(keys[1]) > 0, r.stdout);
  // (the province's own server may have notified its administrators already: hence before)
  for (const t of tables) assert.equal(count(target, t), before[t] + count(ningjin.db, t), t);
  // The county's root sits under the city; every unit of it inside the city's subtree.
  const city = sql(target, "SELECT path FROM unit WHERE code = 'dezhou';");
  assert.equal(count(target, 'unit', `WHERE path LIKE '${city}%' AND code <> 'dezhou'`), count(ningjin.db, 'unit'));
  // Its chain archived unchanged, the move on the target's chain, and it verifies.
  assert.equal(count(target, 'audit_archive'), count(ningjin.db, 'audit'));
  assert.equal(sql(target, 'SELECT action FROM audit ORDER BY seq DESC LIMIT 1;'), 'county.move');
  const v = runCli(['audit', 'verify', '--db', target]);
  assert.equal(v.code, 0, v.stderr + v.stdout);
  assert.match(v.stdout, /intact/);
});

test('the same county cannot be moved in twice', () => {
  const r = move(ningjin, '--login_prefix', 'nj2_');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /已经迁入过/);
  assert.equal(count(target, 'county_move'), 1);
});

test('a second county with the same unit codes needs a code prefix, then lands beside', () => {
  let r = move(lingcheng, '--login_prefix', 'lc_');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /单位编码与目标数据库重复/);
  r = move(lingcheng, '--login_prefix', 'lc_', '--code_prefix', 'lc-');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(count(target, 'county_move'), 2);
});

test('moved people sign in with their passwords and see their own county only', async () => {
  prov = await startServer({ dir: prov.dir, db: target });
  const nj = await prov.login('nj_duchayuan', DEMO_PW);
  const lc = await prov.login('lc_duchayuan', DEMO_PW);
  const mine = await nj.ok('/api/v1/problems?limit=1');
  assert.equal(mine.total, count(ningjin.db, 'problem'));
  const theirs = await lc.ok('/api/v1/problems?limit=1');
  assert.equal(theirs.total, count(lingcheng.db, 'problem'));
  // A problem of the other county is out of reach, as before the move.
  const other = await lc.ok('/api/v1/problems?limit=1');
  const res = await nj.get(`/api/v1/problems/${other.items[0].id}`);
  assert.equal(res.status, 403);
  // Evidence comes along, byte for byte.
  const att = JSON.parse(sqlite(ningjin.db, "SELECT json_object('sha', sha256, 'size', size) FROM attachment LIMIT 1;"));
  // (the other county's demo has the same photo: take one of this county's problems)
  const id = sql(target, `SELECT a.id FROM attachment a JOIN problem p ON p.id = a.item_id
    JOIN unit u ON u.id = p.unit_id WHERE a.flow = 'problem' AND a.sha256 = '${att.sha}'
    AND u.path LIKE (SELECT path FROM unit WHERE code = 'county') || '%' LIMIT 1;`);
  const file = await fetch(`${prov.url}/api/v1/attachments/${id}`, {
    headers: { Cookie: `duban_session=${nj.session}` },
  });
  assert.equal(file.status, 200);
  assert.equal((await file.arrayBuffer()).byteLength, att.size);
  // Notifications kept their reader and their read state (the first tick may add new ones).
  const notes = await nj.ok('/api/v1/notifications');
  const uid = Number(sqlite(ningjin.db, "SELECT id FROM user WHERE login = 'duchayuan';"));
  const unread = count(ningjin.db, 'notification', `WHERE user_id = ${uid} AND read_at IS NULL`);
  assert.ok(unread > 0 && notes.unread >= unread, `${notes.unread} unread, ${unread} before`);
});
