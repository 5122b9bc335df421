// The audit chain: verify reports an intact log, and finds every kind of tampering done
// directly in the database (a changed record, a deleted one, two swapped, the tail cut off, the
// head file removed or forged) — through the API and through `duban audit verify`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  ADMIN_PW,
  AUDITOR_PW,
  Client,
  PG,
  addUnit,
  addUser,
  keyFile,
  runCli,
  sql,
  sqlite,
  startServer,
  tempDir,
  uid,
} from './lib/server.mjs';

// The tampering below edits copies of the database file; the chain's checks do not depend on
// the engine, so on PostgreSQL the suite keeps the intact chain, the triggers and the export.
const FILE_ONLY = PG ? 'tampering works on copies of a SQLite file' : false;

let srv, last, tokenSecret;

before(async () => {
  srv = await startServer();
  const admin = await srv.admin();
  const auditor = await srv.auditor();
  const a = await addUnit(admin, { code: uid('t'), name: '审计镇' });
  await addUnit(admin, { code: uid('v'), name: '审计村', kind: 'village', parent_id: a.id });
  await admin.patch(`/api/v1/units/${a.id}`, { name: '审计镇改', version: a.version });
  await addUser(admin, { login: uid('au'), name: '审计对象', unit_id: a.id });
  await admin.get('/api/v1/audit'); // a refusal, audited too
  // A token lets the tests read a copy of the database without logging in (a login would
  // append records and change what the copy holds).
  const tok = await auditor.post('/api/v1/tokens', { name: 'verify' });
  assert.equal(tok.status, 201, tok.text);
  tokenSecret = tok.body.secret;
});

after(async () => {
  if (srv) await srv.stop();
});

describe('an intact chain', () => {
  test('verify over the API says ok, with the number of records', async () => {
    const auditor = await srv.auditor();
    const v = await auditor.ok('/api/v1/audit/verify');
    assert.equal(v.ok, true, JSON.stringify(v));
    assert.equal(v.first_bad_seq, null);
    assert.ok(v.records >= 10);
    assert.equal(typeof v.reason_zh, 'string');
  });

  test('records chain: each prev is the previous mac, seqs are 1..n', async () => {
    const auditor = await srv.auditor();
    const body = await auditor.ok('/api/v1/audit?limit=500');
    const items = body.items.slice().reverse();
    items.forEach((r, i) => assert.equal(r.seq, i + 1));
    for (const r of items) assert.match(r.mac, /^[0-9a-f]{64}$/);
    assert.equal(new Set(items.map((r) => r.mac)).size, items.length);
  });

  test('`duban audit verify` agrees while the server runs', () => {
    const r = runCli(['audit', 'verify', '--db', srv.db]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /audit chain intact: \d+ records/);
  });

  test('the database refuses to change or delete audit records', () => {
    assert.throws(() => sql(srv.db, 'UPDATE audit SET detail = \'{}\' WHERE seq = 2;'), /cannot be changed/);
    assert.throws(() => sql(srv.db, 'DELETE FROM audit WHERE seq = 2;'), /cannot be deleted/);
  });

  test('the server stops cleanly; the key file is private and the head names the last record', async () => {
    assert.equal(await srv.stop(), 0, srv.stderr());
    last = Number(sql(srv.db, 'SELECT max(seq) FROM audit;'));
    assert.ok(last >= 10);
    const key = fs.statSync(keyFile(srv.db));
    assert.equal(key.mode & 0o077, 0, 'the audit key must be readable by its owner only');
    const head = fs.readFileSync(`${keyFile(srv.db)}.head`, 'utf8');
    assert.match(head, new RegExp(`^${last} [0-9a-f]{64} [0-9a-f]{64}\\n$`));
  });
});

/** A copy of the stopped server's database, key and head in a new directory. */
function copyDb() {
  const dir = tempDir('duban-audit-');
  const db = path.join(dir, 'duban.db');
  for (const suffix of ['', '-wal', '.key', '.key.head'])
    if (fs.existsSync(srv.db + suffix)) fs.copyFileSync(srv.db + suffix, db + suffix);
  return { dir, db };
}

/** Runs the CLI verify; returns {code, out}. */
function cliVerify(db, extra = []) {
  const r = runCli(['audit', 'verify', '--db', db, ...extra]);
  return { code: r.code, out: r.stdout + r.stderr };
}

/** Starts a server on the copy and asks its verify endpoint with the auditor's token. */
async function apiVerify(dir) {
  const s = await startServer({ dir });
  try {
    const c = Client.withToken(s.url, tokenSecret);
    const res = await c.get('/api/v1/audit/verify');
    assert.equal(res.status, 200, res.text);
    return res.body;
  } finally {
    await s.stopClean();
  }
}

describe('tampering is found', { skip: FILE_ONLY }, () => {
  test('a changed record: broken at its seq', async () => {
    const { dir, db } = copyDb();
    const k = Math.floor(last / 2);
    sqlite(db, `DROP TRIGGER audit_no_update; UPDATE audit SET detail = '{"tampered":true}' WHERE seq = ${k};`);
    const cli = cliVerify(db);
    assert.equal(cli.code, 1, cli.out);
    assert.match(cli.out, new RegExp(`BROKEN at seq ${k}\\b`));
    const v = await apiVerify(dir);
    assert.equal(v.ok, false);
    assert.equal(v.first_bad_seq, k);
    assert.ok(/[\u4e00-\u9fff]/.test(v.reason_zh), v.reason_zh);
  });

  test('any changed field is found (actor, action, time, object)', () => {
    const k = 3;
    for (const set of ["actor = 'someone'", "action = 'unit.view'", 'at = at + 1', "object = 'unit:999'", 'actor_id = 2']) {
      const { db } = copyDb();
      sqlite(db, `DROP TRIGGER audit_no_update; UPDATE audit SET ${set} WHERE seq = ${k};`);
      const cli = cliVerify(db);
      assert.equal(cli.code, 1, `${set}: ${cli.out}`);
      assert.match(cli.out, new RegExp(`BROKEN at seq ${k}\\b`), set);
    }
  });

  test('a deleted record in the middle: broken at the missing seq', async () => {
    const { dir, db } = copyDb();
    const k = Math.floor(last / 2);
    sqlite(db, `DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = ${k};`);
    const cli = cliVerify(db);
    assert.equal(cli.code, 1, cli.out);
    assert.match(cli.out, new RegExp(`BROKEN at seq ${k}\\b`));
    const v = await apiVerify(dir);
    assert.equal(v.ok, false);
    assert.equal(v.first_bad_seq, k);
  });

  test('two records swapped (reordered): broken at the first of them', async () => {
    const { dir, db } = copyDb();
    const k = Math.floor(last / 2);
    sqlite(
      db,
      `DROP TRIGGER audit_no_update;
       UPDATE audit SET seq = -1 WHERE seq = ${k};
       UPDATE audit SET seq = ${k} WHERE seq = ${k + 1};
       UPDATE audit SET seq = ${k + 1} WHERE seq = -1;`,
    );
    const cli = cliVerify(db);
    assert.equal(cli.code, 1, cli.out);
    assert.match(cli.out, new RegExp(`BROKEN at seq ${k}\\b`));
    const v = await apiVerify(dir);
    assert.equal(v.ok, false);
    assert.equal(v.first_bad_seq, k);
  });

  test('the last records cut off (truncation): broken at the first missing seq', async () => {
    const { dir, db } = copyDb();
    sqlite(db, `DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq > ${last - 3};`);
    const cli = cliVerify(db);
    assert.equal(cli.code, 1, cli.out);
    assert.match(cli.out, new RegExp(`BROKEN at seq ${last - 2}\\b`));
    const v = await apiVerify(dir);
    assert.equal(v.ok, false);
    assert.equal(v.first_bad_seq, last - 2);
  });

  test('a truncation stays visible after the server appends new records past the old end', async () => {
    const { dir, db } = copyDb();
    sqlite(db, `DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq > ${last - 3};`);
    const s = await startServer({ dir });
    try {
      // Each login appends a record: together they reuse the cut seqs and go past the old end.
      for (let i = 0; i < 6; i++) await s.login('admin', ADMIN_PW);
    } finally {
      await s.stopClean();
    }
    assert.ok(Number(sqlite(db, 'SELECT max(seq) FROM audit;')) > last);
    const cli = cliVerify(db);
    assert.equal(cli.code, 1, `the cut must not heal: ${cli.out}`);
    assert.match(cli.out, /BROKEN/);
  });

  test('the whole log emptied: broken (the head file remembers)', () => {
    const { db } = copyDb();
    sqlite(db, 'DROP TRIGGER audit_no_delete; DELETE FROM audit;');
    const cli = cliVerify(db);
    assert.equal(cli.code, 1, cli.out);
    assert.match(cli.out, /BROKEN at seq 1\b/);
  });

  test('the head file removed: broken, the end cannot be confirmed', async () => {
    const { dir, db } = copyDb();
    fs.unlinkSync(`${db}.key.head`);
    const cli = cliVerify(db);
    assert.equal(cli.code, 1, cli.out);
    assert.match(cli.out, /BROKEN/);
    const v = await apiVerify(dir);
    assert.equal(v.ok, false);
  });

  test('the head file forged: broken', () => {
    const { db } = copyDb();
    const head = fs.readFileSync(`${db}.key.head`, 'utf8').split(' ');
    head[0] = String(Number(head[0]) - 2); // claim an earlier end, to hide a truncation
    fs.writeFileSync(`${db}.key.head`, head.join(' '));
    const cli = cliVerify(db);
    assert.equal(cli.code, 1, cli.out);
    assert.match(cli.out, /BROKEN/);
  });

  test('a different key: broken at the first record', () => {
    const { dir, db } = copyDb();
    const other = path.join(dir, 'other.key');
    fs.writeFileSync(other, 'ab'.repeat(32) + '\n', { mode: 0o600 });
    const cli = cliVerify(db, ['--key_file', other]);
    assert.equal(cli.code, 1, cli.out);
    assert.match(cli.out, /BROKEN/);
  });

  test('an untouched copy still verifies (the copies above were really tampered)', async () => {
    const { dir, db } = copyDb();
    const cli = cliVerify(db);
    assert.equal(cli.code, 0, cli.out);
    assert.match(cli.out, new RegExp(`intact: ${last} records`));
    const v = await apiVerify(dir);
    assert.equal(v.ok, true, JSON.stringify(v));
    assert.equal(v.records, last);
  });
});

describe('export', () => {
  test('`duban audit export` writes every record and a signed checkpoint', () => {
    const { dir, db } = PG ? { dir: tempDir(), db: srv.db } : copyDb();
    const out = path.join(dir, 'export.jsonl');
    const r = runCli(['audit', 'export', '--db', db, '--out', out]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines[0].format, 'duban-audit-export');
    assert.equal(lines.length, last + 2);
    const cp = lines.at(-1).checkpoint;
    assert.equal(cp.seq, last);
    assert.equal(cp.verified, true);
    assert.match(cp.signature, /^[0-9a-f]{128}$/);
    assert.ok(!fs.readFileSync(out, 'utf8').includes(AUDITOR_PW));
  });
});
