// Audit retention (等保 安全审计, issue #18): no command, setting or code path deletes audit
// records (the database refuses, and no SQL in the source tries); a date range of the log is
// archived (`duban audit archive`, and GET /api/v1/audit/archive for the audit administrator)
// as a sealed file that `duban audit verify-archive` checks without the database — a changed,
// reordered or truncated archive is refused naming its line; the export is itself audited; and
// the scheduler warns the audit administrators when the SQLite database's disk runs low.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PG,
  assertError,
  keyFile,
  pgDatabase,
  runCli,
  sql,
  startServer,
  tempDir,
} from './lib/server.mjs';

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

// A log written on set days: init on 1 January 2027, then one archive (itself an audit record)
// on 10 January, 5 February and 1 March.
const dir = tempDir('duban-auditkeep-');
let db;
const cli = (args, now) => runCli([...args, '--db', db], { env: now ? { DUBAN_NOW: now } : {} });

function ok(r) {
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return r;
}
const lines = (file) => fs.readFileSync(file, 'utf8').trimEnd().split('\n');
const write = (name, ls) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, ls.join('\n') + '\n');
  return f;
};
const verify = (file, ...opts) => runCli(['audit', 'verify-archive', file, ...opts]);

before(() => {
  db = PG ? pgDatabase(dir) : path.join(dir, 'keep.db');
  ok(cli(['init'], '2027-01-01T09:00:00+08:00'));
  ok(cli(['audit', 'archive', '--out', path.join(dir, 'jan.jsonl')], '2027-01-10T10:00:00+08:00'));
  ok(cli(['audit', 'archive', '--out', path.join(dir, 'feb.jsonl')], '2027-02-05T10:00:00+08:00'));
  ok(cli(['audit', 'archive', '--out', path.join(dir, 'mar.jsonl')], '2027-03-01T10:00:00+08:00'));
});

describe('retention: nothing deletes audit records', () => {
  test('the database refuses DELETE and UPDATE of audit records (and TRUNCATE on PostgreSQL)', () => {
    assert.throws(() => sql(db, 'DELETE FROM audit WHERE seq = 1;'), /cannot be deleted/);
    assert.throws(() => sql(db, `DELETE FROM audit WHERE at < ${Date.parse('2027-07-01') / 1000};`), /cannot be deleted/);
    assert.throws(() => sql(db, "UPDATE audit SET detail = '{}' WHERE seq = 2;"), /cannot be changed/);
    if (PG) assert.throws(() => sql(db, 'TRUNCATE audit;'), /cannot be deleted/);
    assert.equal(Number(sql(db, 'SELECT count(*) FROM audit;')), 4);
  });

  test('no SQL in the source deletes, truncates or drops the audit tables', () => {
    const found = [];
    const walk = (d) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(c|h|sql)$/.test(e.name)) {
          const text = fs.readFileSync(p, 'utf8');
          const re = /(DELETE\s+FROM|TRUNCATE(\s+TABLE)?|DROP\s+TABLE(\s+IF\s+EXISTS)?|ALTER\s+TABLE|DROP\s+TRIGGER(\s+IF\s+EXISTS)?)\s+"?(audit\w*)/gi;
          for (const m of text.matchAll(re)) found.push(`${path.relative(SRC, p)}: ${m[0]}`);
        }
      }
    };
    walk(SRC);
    assert.deepEqual(found, []);
  });

  test('no setting prunes the log: none names a retention, and a record 180 days old stays', () => {
    const help = runCli(['serve', '--help']).stdout;
    assert.doesNotMatch(help, /retention|prune|purge|keep_days|audit_days/i);
    // Half a year and more later, the scheduler and an archive leave every record in place.
    ok(cli(['tick'], '2027-09-01T10:00:00+08:00'));
    const n = Number(sql(db, 'SELECT count(*) FROM audit;'));
    assert.ok(n >= 4);
    assert.equal(Number(sql(db, 'SELECT min(seq) FROM audit;')), 1);
    assert.equal(Number(sql(db, 'SELECT count(*) FROM audit;')), Number(sql(db, 'SELECT max(seq) FROM audit;')));
    const v = ok(cli(['audit', 'verify']));
    assert.match(v.stdout, /audit chain intact/);
  });

  test('a backup keeps every audit record', { skip: PG ? 'SQLite backup API' : false }, () => {
    const copy = path.join(dir, 'backup.db');
    ok(cli(['backup', copy]));
    assert.equal(sql(copy, 'SELECT count(*), max(seq) FROM audit;'), sql(db, 'SELECT count(*), max(seq) FROM audit;'));
  });
});

describe('archive and offline verification', () => {
  let file, all;
  before(() => {
    file = path.join(dir, 'range.jsonl');
    const r = ok(cli(['audit', 'archive', '--from', '2027-01-05', '--to', '2027-02-10', '--out', file], '2027-03-02T10:00:00+08:00'));
    assert.match(r.stderr, /archived 2 records \(seq 2\.\.3\)/);
    all = lines(file);
  });

  test('the archive holds the days asked for, contiguous, with a signed seal, owner-only', () => {
    assert.equal(all.length, 4);
    const head = JSON.parse(all[0]);
    assert.equal(head.format, 'duban-audit-archive');
    assert.equal(head.from, Date.parse('2027-01-05T00:00:00+08:00') / 1000);
    assert.equal(head.to, Date.parse('2027-02-11T00:00:00+08:00') / 1000);
    const recs = all.slice(1, -1).map((l) => JSON.parse(l));
    assert.deepEqual(recs.map((r) => r.seq), [2, 3]);
    assert.deepEqual(recs.map((r) => r.action), ['audit.archive', 'audit.archive']);
    assert.equal(typeof recs[0].detail, 'string'); // exactly the text the MAC covers
    assert.equal(recs[1].prev, recs[0].mac);
    const seal = JSON.parse(all.at(-1)).seal;
    assert.deepEqual([seal.first_seq, seal.last_seq, seal.records, seal.chain_verified], [2, 3, 2, true]);
    assert.match(seal.signature, /^[0-9a-f]{128}$/);
    assert.equal(fs.statSync(file).mode & 0o077, 0);
  });

  test('exporting is audited with its range, seqs and digest', () => {
    const row = sql(db, "SELECT detail FROM audit WHERE action = 'audit.archive' ORDER BY seq DESC LIMIT 1;");
    const d = JSON.parse(row);
    assert.equal(d.from_day, '2027-01-05');
    assert.equal(d.to_day, '2027-02-10');
    assert.equal(d.records, 2);
    assert.equal(d.first_seq, 2);
    assert.equal(d.digest, JSON.parse(all.at(-1)).seal.digest);
  });

  test('verify-archive reads neither the database nor its settings', () => {
    // Given the key file, every MAC is checked; the database need not exist.
    const key = keyFile(db);
    const r = ok(runCli(['audit', 'verify-archive', file, '--key', key, '--db', path.join(dir, 'none.db')]));
    assert.match(r.stdout, /archive intact: 2 records, seq 2\.\.3/);
    assert.match(r.stdout, /every record's MAC checked/);
    const pk = ok(runCli(['audit', 'public-key', '--db', db])).stdout.trim();
    assert.equal(pk, JSON.parse(all[0]).public_key);
    const p = ok(verify(file, '--public_key', pk));
    assert.match(p.stdout, new RegExp(`signed by public key ${pk}\n`));
    assert.match(p.stdout, /record MACs not checked/);
    const own = ok(verify(file));
    assert.match(own.stdout, /the archive's own: compare it/);
  });

  test('an altered record is found: named by its line with the key, by the digest without', () => {
    const rec = JSON.parse(all[2]);
    rec.detail = rec.detail.replace('"records":', '"records":1');
    const f = write('altered.jsonl', [all[0], all[1], JSON.stringify(rec), all[3]]);
    let r = verify(f, '--key', keyFile(db));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /archive BROKEN: line 3: record seq 3 was altered \(mac mismatch\)/);
    r = verify(f);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /a record was altered: the records' digest differs/);
  });

  test('reordered lines are named, with or without the key', () => {
    const f = write('swapped.jsonl', [all[0], all[2], all[1], all[3]]);
    for (const opts of [[], ['--key', keyFile(db)]]) {
      const r = verify(f, ...opts);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /line 3: seq 2 where 4 was expected: records missing or reordered/);
    }
    // Renumbered to look in order, the chain's links still give it away.
    const a = JSON.parse(all[1]), b = JSON.parse(all[2]);
    [a.seq, b.seq] = [3, 2];
    const g = write('renumbered.jsonl', [all[0], JSON.stringify(b), JSON.stringify(a), all[3]]);
    const r = verify(g);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /line 3: does not follow the line before it/);
  });

  test('a truncated archive is named: records cut before the seal, or the seal cut off', () => {
    let r = verify(write('cut.jsonl', [all[0], all[1], all[3]]));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /line 2: the archive ends at seq 2 but its seal covers seq 2\.\.3: records were cut out/);
    r = verify(write('noseal.jsonl', all.slice(0, 3)));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /line 3: the archive ends without its seal/);
    r = verify(write('head.jsonl', [all[0], all[2], all[3]]));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /line 3: the seal covers 2 records/);
  });

  test('a changed range, another signer or a foreign file is refused', () => {
    const head = JSON.parse(all[0]);
    head.from -= 86400;
    let r = verify(write('range2.jsonl', [JSON.stringify(head), ...all.slice(1)]));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /line 4: the seal's signature does not verify/);
    r = verify(file, '--public_key', '00'.repeat(32));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /line 1: the archive names public key/);
    r = verify(write('junk.jsonl', ['{"format":"other"}']));
    assert.match(r.stdout, /line 1: not a duban audit archive/);
    r = verify(write('json.jsonl', [all[0], 'not json', ...all.slice(2)]));
    assert.match(r.stdout, /line 2: not valid JSON/);
    r = verify(write('after.jsonl', [...all, all[1]]));
    assert.match(r.stdout, /line 5: text after the seal/);
  });

  test('bad dates are refused before anything is written', () => {
    let r = cli(['audit', 'archive', '--from', '2027-02-30']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--from: want a date/);
    r = cli(['audit', 'archive', '--from', '2027-03-01', '--to', '2027-02-01']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /to:/);
  });
});

describe('the audit page: archive download and the low-disk warning', () => {
  let srv;
  before(async () => {
    // A threshold of 1 PB: any disk is "low".
    srv = await startServer({ flags: ['--audit_disk_warn_mb', '1073741824'] });
  });
  after(async () => {
    if (srv) await srv.stop();
  });

  test('the audit administrator downloads an archive that verifies offline; it is audited', async () => {
    const auditor = await srv.auditor();
    const res = await auditor.get('/api/v1/audit/archive?from=2020-01-01&to=2099-12-31');
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-disposition'), /audit-2020-01-01-2099-12-31\.jsonl/);
    const f = path.join(dir, 'download.jsonl');
    fs.writeFileSync(f, res.text);
    const r = ok(verify(f, '--key', keyFile(srv.db)));
    assert.match(r.stdout, /archive intact: \d+ records, seq 1\.\./);
    const log = await auditor.ok('/api/v1/audit?action=audit.archive');
    assert.equal(log.items.length, 1);
    assert.equal(log.items[0].actor, 'auditor');
    assert.equal(log.items[0].detail.from_day, '2020-01-01');
  });

  test('bad dates get 400 naming the field; others than the auditor get 403', async () => {
    const auditor = await srv.auditor();
    assertError(await auditor.get('/api/v1/audit/archive?from=2027-13-01'), 400, 'bad_query', 'from');
    assertError(await auditor.get('/api/v1/audit/archive?from=2027-03-01&to=2027-02-01'), 400, 'bad_query', 'to');
    const admin = await srv.admin();
    assert.equal((await admin.get('/api/v1/audit/archive')).status, 403);
    assert.equal((await admin.get('/api/v1/audit/disk')).status, 403);
  });

  test('disk space: low on SQLite below the threshold; on PostgreSQL the DBA watches it', async () => {
    const auditor = await srv.auditor();
    const d = await auditor.ok('/api/v1/audit/disk');
    assert.equal(d.threshold_bytes, 1073741824 * 1048576);
    if (PG) {
      assert.deepEqual([d.engine, d.monitored, d.low, d.free_bytes], ['postgresql', false, false, null]);
    } else {
      assert.deepEqual([d.engine, d.monitored, d.low], ['sqlite', true, true]);
      assert.ok(d.free_bytes > 0);
    }
  });

  test('the scheduler tells the audit administrators once a day while space is low', async () => {
    const env = { DUBAN_NOW: '2027-04-01T10:00:00+08:00' };
    const flags = ['--db', srv.db, '--audit_disk_warn_mb', '1073741824'];
    const t1 = runCli(['tick', ...flags], { env });
    assert.equal(t1.code, 0, t1.stderr);
    const t2 = runCli(['tick', ...flags], { env });
    assert.equal(t2.code, 0, t2.stderr);
    const auditor = await srv.auditor();
    // The server's own ticks (at today's date) may have warned too: count those of that day.
    const ofDay = (items, day) => items.filter((n) => n.kind === 'audit_disk_low' && n.created_at.startsWith(day));
    const list = ofDay((await auditor.ok('/api/v1/notifications')).items, '2027-04-01');
    const admin = await srv.admin();
    const theirs = (await admin.ok('/api/v1/notifications')).items.filter((n) => n.kind === 'audit_disk_low');
    assert.equal(theirs.length, 0);
    if (PG) {
      assert.equal(list.length, 0);
      return;
    }
    assert.equal(list.length, 1);
    assert.match(list[0].title, /磁盘空间不足/);
    assert.match(list[0].body, /低于告警阈值 1073741824 MB/);
    assert.match(t1.stdout + t1.stderr, /told of low disk space/);
    // Off (0), nothing is said.
    const t3 = runCli(['tick', '--db', srv.db, '--audit_disk_warn_mb', '0'], { env: { DUBAN_NOW: '2027-04-02T10:00:00+08:00' } });
    assert.equal(t3.code, 0, t3.stderr);
    assert.equal(ofDay((await auditor.ok('/api/v1/notifications')).items, '2027-04-02').length, 0);
  });
});
