// `duban move-to-postgres`: a county that ran on its own SQLite file joins the province
// database with all of its records. The demo county (every mechanism's records) is moved
// under a city; the counts match table by table, the moved people sign in with their own
// passwords and see exactly their county, evidence files come along byte for byte, the audit
// chain verifies (with the county's chain archived), sealed records (cadre files, channel
// secrets) are re-sealed under the target's key and still open there, and every refusal
// (collisions, the same county twice, a county whose chain is broken, sealed values that do
// not open with the county's key) writes nothing. On PostgreSQL this is the
// province setup; on SQLite the same command moves a county into a city's file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { addUnit, keyFile, runCli, sql, sqlite, startServer, tempDir } from './lib/server.mjs';
import { robotReceiver } from './lib/receivers.mjs';

const DEMO_PW = 'Ningjin@2024';
const DEMO_SECRET = 'SECdemo0000000000000000000000000000000000000000000'; // src/outward/demo.c
let prov, target, ningjin, lingcheng, ding;

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
  ningjin = county('宁津县'); // every mechanism, the sealed cadre files and channel secrets too
  lingcheng = county('陵城区', 'problem');
  prov = await startServer({ flags: ['--root_kind', 'province', '--county', '山东省'] });
  target = prov.db;
  await addUnit(await prov.admin(), { code: 'dezhou', name: '德州市', kind: 'city', parent_id: 1 });
  await prov.stop();
});

after(async () => {
  await prov?.stop();
  await ding?.close();
});

const MOVED_TABLES = ['problem', 'flow_event', 'attachment', 'notification', 'lookback_task',
  'activity', 'attendance', 'person', 'team_member', 'budget_project', 'budget_line',
  'budget_opinion', 'budget_monitor', 'liaison_visit', 'liaison_problem',
  'liaison_alliance_enterprise', 'publish_draft', 'publish_outlet', 'problem_public', 'cadre',
  'cadre_clue', 'cadre_decision', 'cadre_response', 'notify_channel'];

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

test('sealed values that do not open with the county\'s key are refused, naming them', () => {
  const rotated = county('临邑县', 'cadre');
  const r0 = runCli(['cadre', 'rekey', '--db', rotated.db, path.join(rotated.dir, 'cadre.key')]);
  assert.equal(r0.code, 0, r0.stderr);
  const r = move(rotated, '--login_prefix', 'ly_', '--code_prefix', 'ly-');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /干部身份证号（cadre 表第 \d+ 行）不能用县级密钥解开/);
  assert.equal(count(target, 'county_move'), 0);
  assert.equal(count(target, 'cadre'), 0);
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
  const token = sql(target, "SELECT target FROM notify_channel WHERE kind = 'dingtalk' ORDER BY id LIMIT 1;");
  ding = await robotReceiver('dingtalk', { [token]: { secret: DEMO_SECRET, keyword: '督办' } });
  prov = await startServer({ dir: prov.dir, db: target, flags: ['--dingtalk_url', ding.url] });
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

test('sealed records open under the province\'s key: cadre files, ID numbers, channel secrets', async () => {
  // The two keys differ, so a value copied as it was could not open here.
  assert.notEqual(fs.readFileSync(`${ningjin.db}.key`, 'utf8'), fs.readFileSync(keyFile(target), 'utf8'));
  const section = await prov.login('nj_ganbujiandu', DEMO_PW);
  const clues = await section.ok('/api/v1/cadre/clues?limit=50');
  assert.ok(clues.total > 0 && clues.total === count(ningjin.db, 'cadre_clue'), `${clues.total} clues`);
  for (const c of clues.items.slice(0, 5)) {
    const clue = await section.ok(`/api/v1/cadre/clues/${c.id}`);
    assert.ok(clue.description.length > 4 && !/无法解密/.test(clue.description), clue.description);
  }
  const id = sql(target, 'SELECT id FROM cadre WHERE id_sealed IS NOT NULL ORDER BY id LIMIT 1;');
  const cadre = await section.ok(`/api/v1/cadre/cadres/${id}?reveal=1`);
  assert.match(cadre.id_number, /^\d{17}[\dX]$/);
  // The lookup hash was made again under this key: the same person cannot be registered twice.
  const dup = await section.post('/api/v1/cadre/cadres', { unit_id: cadre.unit_id, name: '重复登记',
    position: '科员', id_number: cadre.id_number });
  assert.equal(dup.status, 409, dup.text);
  assert.equal(dup.body.error.field, 'id_number');
  // A moved 钉钉 robot still signs with its secret: the receiver checks the signature.
  const admin = await prov.login('nj_qudao01', DEMO_PW);
  const ch = sql(target, "SELECT id FROM notify_channel WHERE kind = 'dingtalk' ORDER BY id LIMIT 1;");
  const sent = await admin.post(`/api/v1/outward/channels/${ch}/test`, {});
  assert.equal(sent.status, 200, sent.text);
  assert.equal(ding.accepted.length, 1, JSON.stringify(ding.refused));
});
