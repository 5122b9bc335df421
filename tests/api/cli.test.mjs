// The command line: help, usage errors (exit 2, naming the culprit), settings from flags, the
// environment and a config file, init, backup while serving, and CLI changes seen by the API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  ADMIN_PW,
  PG,
  USER_PW,
  addUnit,
  assertError,
  keyFile,
  pgDatabase,
  runCli,
  sqlite,
  startServer,
  tempDir,
  uid,
} from './lib/server.mjs';

let srv, admin;

before(async () => {
  srv = await startServer();
  admin = await srv.admin();
});

after(async () => {
  if (srv) await srv.stopClean();
});

describe('help', () => {
  test('duban --help lists the commands and exits 0', () => {
    const r = runCli(['--help']);
    assert.equal(r.code, 0, r.stderr);
    for (const cmd of ['serve', 'init', 'user', 'unit', 'grant', 'audit', 'backup', 'version'])
      assert.match(r.stdout, new RegExp(`\\b${cmd}\\b`), cmd);
  });

  test('duban user --help lists the subcommands', () => {
    const r = runCli(['user', '--help']);
    assert.equal(r.code, 0, r.stderr);
    for (const sub of ['add', 'passwd', 'lock', 'unlock', 'list']) assert.match(r.stdout, new RegExp(`\\b${sub}\\b`));
  });

  test('duban user add --help explains its options and the settings', () => {
    const r = runCli(['user', 'add', '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /usage: duban user add LOGIN/);
    for (const opt of ['--name', '--unit', '--password-stdin', '--db', '--config']) assert.ok(r.stdout.includes(opt), opt);
  });

  test('duban serve --help names every setting', () => {
    const r = runCli(['serve', '--help']);
    assert.equal(r.code, 0, r.stderr);
    for (const s of ['--listen', '--db', '--session_idle', '--session_max', '--lockout_seconds', '--body_limit'])
      assert.ok(r.stdout.includes(s), s);
  });

  test('duban version', () => {
    const r = runCli(['version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^duban \d+\.\d+\.\d+/);
  });
});

describe('usage errors exit 2 and name the culprit', () => {
  test('no command, an unknown command', () => {
    const none = runCli([]);
    assert.equal(none.code, 2);
    const r = runCli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
    const sub = runCli(['user', 'frobnicate']);
    assert.equal(sub.code, 2);
    assert.match(sub.stderr, /frobnicate/);
  });

  test('an unknown flag', () => {
    const r = runCli(['serve', '--bogus-flag', '1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--bogus-flag/);
    const r2 = runCli(['unit', 'list', '--nme=x']);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /--nme/);
  });

  test('a bad --listen value', () => {
    for (const v of ['nope', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:65536', '1.2.3:80', 'example.com:80', '127.0.0.1:80x']) {
      const db = path.join(tempDir(), 'x.db');
      const r = runCli(['serve', '--listen', v, '--db', db]);
      assert.equal(r.code, 2, `${v}: ${r.stderr}`);
      assert.ok(r.stderr.includes(`'${v}'`) && r.stderr.includes('listen'), `${v}: ${r.stderr}`);
      assert.ok(!fs.existsSync(db), 'a refused serve must not create the database');
    }
  });

  test('bad numbers and booleans', () => {
    const r = runCli(['serve', '--threads', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /threads/);
    const r2 = runCli(['serve', '--session_idle', 'ten']);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /'ten'.*session_idle/);
    const r3 = runCli(['serve', '--trust_proxy', 'maybe']);
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /trust_proxy/);
  });

  test('a bad value in the environment names the variable', () => {
    const r = runCli(['unit', 'list', '--db', srv.db], { env: { DUBAN_THREADS: 'lots' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /DUBAN_THREADS/);
  });

  test('missing arguments and options', () => {
    const r = runCli(['user', 'add', '--db', srv.db]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing arguments/);
    const r2 = runCli(['user', 'add', 'someone', '--db', srv.db]);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /--name and --unit are required/);
    const r3 = runCli(['serve', '--listen']);
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /needs a value/);
  });
});

describe('settings: environment and config file', () => {
  test('DUBAN_DB is honoured, and --db overrides it', () => {
    const r = runCli(['unit', 'list'], { env: { DUBAN_DB: srv.db } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /county/);
    const missing = path.join(tempDir(), 'missing.db');
    const r2 = runCli(['unit', 'list', '--db', srv.db], { env: { DUBAN_DB: missing } });
    assert.equal(r2.code, 0, r2.stderr);
    const r3 = runCli(['unit', 'list', '--db', missing], { env: { DUBAN_DB: srv.db } });
    assert.equal(r3.code, 1);
    assert.ok(r3.stderr.includes(missing), r3.stderr);
    assert.ok(!fs.existsSync(missing), 'a read command must not create a database');
  });

  test('a config file (--config or DUBAN_CONFIG) is honoured; flags win over it', () => {
    const dir = tempDir();
    const conf = path.join(dir, 'duban.conf');
    fs.writeFileSync(conf, `# duban settings\n\ndb = ${srv.db}\nkey_file = ${keyFile(srv.db)}\nthreads = 2\n`);
    const r = runCli(['unit', 'list', '--config', conf]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /county/);
    const r2 = runCli(['unit', 'list'], { env: { DUBAN_CONFIG: conf } });
    assert.equal(r2.code, 0, r2.stderr);
    const missing = path.join(dir, 'missing.db');
    const r3 = runCli(['unit', 'list', '--config', conf, '--db', missing]);
    assert.equal(r3.code, 1, 'the flag must win over the file');
    assert.ok(r3.stderr.includes(missing));
    // The environment wins over the file too.
    const r4 = runCli(['unit', 'list', '--config', conf], { env: { DUBAN_DB: missing } });
    assert.equal(r4.code, 1, 'the environment must win over the file');
  });

  test('a bad config file is refused, naming the file, line and key', () => {
    const dir = tempDir();
    const conf = path.join(dir, 'bad.conf');
    fs.writeFileSync(conf, `db = ${srv.db}\ncolour = blue\n`);
    const r = runCli(['unit', 'list', '--config', conf]);
    assert.equal(r.code, 2);
    assert.ok(r.stderr.includes(`${conf}:2`), r.stderr);
    assert.match(r.stderr, /colour/);
    fs.writeFileSync(conf, 'just words\n');
    const r2 = runCli(['unit', 'list', '--config', conf]);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /key = value/);
    const r3 = runCli(['unit', 'list', '--config', path.join(dir, 'none.conf')]);
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /none\.conf/);
  });
});

describe('migrate', () => {
  test('`migrate --check` on a current database: up to date, nothing changed', () => {
    const r = runCli(['migrate', '--check', '--db', srv.db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /up to date: nothing to apply/);
  });

  test('on an empty PostgreSQL database: --check lists every migration, migrate applies them', { skip: !PG }, () => {
    const db = pgDatabase(tempDir());
    const check = runCli(['migrate', '--check', '--db', db]);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /schema version 0/);
    assert.match(check.stdout, /would apply 0001-foundation\.sql/);
    assert.equal(runCli(['migrate', '--check', '--db', db]).stdout, check.stdout, '--check changed nothing');
    const r = runCli(['migrate', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(runCli(['migrate', '--check', '--db', db]).stdout, /up to date/);
  });
});

describe('init', () => {
  test('init on an existing database refuses and leaves it alone', () => {
    const before_ = fs.readFileSync(keyFile(srv.db), 'utf8');
    const r = runCli(['init', '--db', srv.db]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already exists/);
    assert.equal(fs.readFileSync(keyFile(srv.db), 'utf8'), before_, 'the audit key must be untouched');
    assert.ok(fs.existsSync(`${keyFile(srv.db)}.head`), 'the head must be untouched');
  });

  test('init with a weak password from the environment refuses and creates nothing', () => {
    const db = path.join(tempDir(), 'weak.db');
    const r = runCli(['init', '--db', db], { env: { DUBAN_ADMIN_PASSWORD: 'admin123' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /DUBAN_ADMIN_PASSWORD/);
    assert.ok(!fs.existsSync(db));
  });

  test('every file duban writes is the owner\'s only, and a database open to others is refused', { skip: PG ? 'SQLite files only' : false }, () => {
    const dir = tempDir();
    const db = path.join(dir, 'modes.db');
    assert.equal(runCli(['init', '--db', db]).code, 0);
    assert.equal(runCli(['backup', path.join(dir, 'copy.db'), '--db', db]).code, 0);
    for (const f of fs.readdirSync(dir)) {
      const st = fs.statSync(path.join(dir, f));
      assert.equal(st.mode & 0o077, 0, `${f} is mode ${(st.mode & 0o777).toString(8)}`);
    }
    fs.chmodSync(db, 0o644);
    let r = runCli(['user', 'list', '--db', db]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /open to other users \(mode 644\): run 'chmod 600/);
    fs.chmodSync(db, 0o600);
    fs.chmodSync(`${db}.key`, 0o640);
    r = runCli(['user', 'list', '--db', db]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /audit key .* open to other users \(mode 640\)/);
    fs.chmodSync(`${db}.key`, 0o600);
    assert.equal(runCli(['user', 'list', '--db', db]).code, 0);
  });

  test('init without passwords prints one-time passwords that must be changed', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'fresh.db');
    const r = runCli(['init', '--db', db, '--county', '测试县'], {
      env: { DUBAN_ADMIN_PASSWORD: '', DUBAN_SECADMIN_PASSWORD: '', DUBAN_AUDITOR_PASSWORD: '' },
    });
    assert.equal(r.code, 0, r.stderr);
    const m = /admin\s+\S+\s+one-time password: (\S+)/.exec(r.stdout);
    assert.ok(m, r.stdout);
    const key = fs.statSync(`${db}.key`);
    assert.equal(key.mode & 0o777, 0o600);
    const s = await startServer({ dir, db });
    try {
      const c = s.client();
      const res = await c.login('admin', m[1]);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.must_change_password, true);
      assertError(await c.get('/api/v1/units'), 403, 'password_change_required');
      assert.equal((await c.put('/api/v1/me/password', { old_password: m[1], new_password: USER_PW })).status, 200);
      const units = await c.ok('/api/v1/units');
      assert.equal(units.items[0].name, '测试县');
    } finally {
      await s.stopClean();
    }
  });
});

describe('while the server runs', () => {
  test('on PostgreSQL, backup refuses and names the tools that do it', { skip: !PG }, () => {
    const r = runCli(['backup', path.join(tempDir(), 'backup.db'), '--db', srv.db]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /pg_dump/);
  });

  test('backup makes a consistent copy holding the units', { skip: PG && 'SQLite only' }, async () => {
    const code = uid('bk');
    await addUnit(admin, { code, name: '备份镇' });
    const file = path.join(tempDir(), 'backup.db');
    const r = runCli(['backup', file, '--db', srv.db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /backed up/);
    assert.equal(sqlite(file, 'PRAGMA integrity_check;'), 'ok');
    assert.ok(sqlite(file, 'SELECT code FROM unit;').split('\n').includes(code));
    assert.equal(sqlite(file, 'PRAGMA journal_mode;'), 'delete');
    assert.ok(Number(sqlite(file, 'SELECT count(*) FROM audit;')) > 0);
  });

  test('a user added by the CLI logs in over the API with the printed one-time password', async () => {
    const unitCode = uid('cu');
    await addUnit(admin, { code: unitCode, name: '命令行镇' });
    const login = uid('cli');
    const r = runCli(['user', 'add', login, '--name', '命令行用户', '--unit', unitCode, '--db', srv.db]);
    assert.equal(r.code, 0, r.stderr);
    const m = /one-time password: (\S+)/.exec(r.stdout);
    assert.ok(m, r.stdout);
    const c = srv.client();
    const res = await c.login(login, m[1]);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.must_change_password, true);
    assert.equal(res.body.user.unit_name, '命令行镇');
  });

  test('CLI lock and unlock take effect on the API at once', async () => {
    const login = uid('cl');
    const r = runCli(['user', 'add', login, '--name', '锁定', '--unit', 'county', '--password-stdin', '--db', srv.db], {
      input: 'Cli#Strong2024\n',
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!/one-time password/.test(r.stdout));
    const c = srv.client();
    assert.equal((await c.login(login, 'Cli#Strong2024')).status, 200);
    assert.equal(runCli(['user', 'lock', login, '--db', srv.db]).code, 0);
    assertError(await c.get('/api/v1/me'), 401, 'unauthenticated');
    assertError(await srv.client().login(login, 'Cli#Strong2024'), 401, 'bad_credentials');
    assert.equal(runCli(['user', 'unlock', login, '--db', srv.db]).code, 0);
    assert.equal((await srv.client().login(login, 'Cli#Strong2024')).status, 200);
  });

  test('CLI unlock also lifts the lock of an address locked out of the account after failed logins', async () => {
    const login = uid('cp');
    const r = runCli(['user', 'add', login, '--name', '地址锁定', '--unit', 'county', '--password-stdin', '--db', srv.db], {
      input: 'Cli#Strong2024\n',
    });
    assert.equal(r.code, 0, r.stderr);
    for (let i = 1; i <= 5; i++) assertError(await srv.client().login(login, `Wrong#${i}abc`), 401, 'bad_credentials');
    // This address is now locked out of the account: the right password reads as a wrong one.
    assertError(await srv.client().login(login, 'Cli#Strong2024'), 401, 'bad_credentials');
    assert.equal(runCli(['user', 'unlock', login, '--db', srv.db]).code, 0);
    assert.equal((await srv.client().login(login, 'Cli#Strong2024')).status, 200);
  });

  test('the CLI enforces the password policy and 三员分立 too', () => {
    const r = runCli(['user', 'passwd', 'admin', '--password-stdin', '--db', srv.db], { input: 'weak\n' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /password_weak/);
    const g = runCli(['grant', 'admin', 'auditadmin', 'county', '--db', srv.db]);
    assert.equal(g.code, 1);
    assert.match(g.stderr, /separation_of_duties/);
    const u = runCli(['unit', 'add', uid('c'), '--name', 'x', '--kind', 'planet', '--parent', 'county', '--db', srv.db]);
    assert.equal(u.code, 1);
    assert.match(u.stderr, /kind/);
  });

  test('CLI and server writing together keep one intact audit chain', async () => {
    const work = [];
    for (let i = 0; i < 5; i++) {
      work.push(addUnit(admin, { code: uid('srv'), name: `服务端${i}` }));
      runCli(['unit', 'add', uid('cli'), '--name', `命令行${i}`, '--kind', 'department', '--parent', 'county', '--db', srv.db]);
    }
    await Promise.all(work);
    const v = runCli(['audit', 'verify', '--db', srv.db]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    const auditor = await srv.auditor();
    const body = await auditor.ok('/api/v1/audit/verify');
    assert.equal(body.ok, true, JSON.stringify(body));
    const cliRecords = await auditor.ok('/api/v1/audit?action=unit.create&limit=100');
    assert.ok(cliRecords.items.some((x) => x.actor.startsWith('cli:')));
    assert.ok((await srv.client().login('admin', ADMIN_PW)).status === 200);
  });
});
