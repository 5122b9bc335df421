// The problem list from the command line: import (with its per-row report) and export of the
// ledger, problem list|show|act (acting as a user, with that user's checks), the holiday
// calendar (list|add), and the demo county — checked through the API of a server over it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { USER_PW, runCli, sqlite, startServer, tempDir } from './lib/server.mjs';
import { LEDGER_HEADERS, parseCsv, toCsv, xlsxRows } from './lib/problems.mjs';

let dir, db;
const servers = [];

function cli(args, opts) {
  return runCli([...args, '--db', opts?.db || db], opts);
}

function ok(args, opts) {
  const r = cli(args, opts);
  assert.equal(r.code, 0, `duban ${args.join(' ')}: ${r.stderr}`);
  return r;
}

/** --version N for `problem act`: the version `problem show ID` prints now. */
function ver(id) {
  return ['--version', ok(['problem', 'show', String(id)]).stdout.match(/版本 (\d+)/)[1]];
}

/** Logs in a user the CLI added (USER_PW, to be changed at first login), changing it once. */
const changed = new Set();
async function firstLogin(srv, login) {
  const next = 'Ch4nged!-2024';
  if (changed.has(login)) return srv.login(login, next);
  const c = await srv.login(login, USER_PW);
  const res = await c.put('/api/v1/me/password', { old_password: USER_PW, new_password: next });
  assert.equal(res.status, 200, res.text);
  changed.add(login);
  return c;
}

function ledgerRow(o) {
  return LEDGER_HEADERS.map((h) => o[h] ?? '');
}

const base = { 问题来源: '调研', 问题类别: '用工', 发现时间: '2024-03-05', 责任单位: '甲镇', 完成时限: '2099-01-01', 整改方式: '立行立改' };

before(() => {
  dir = tempDir();
  db = path.join(dir, 'cli.db');
  ok(['init']);
  ok(['unit', 'add', 'ducha', '--name', '县委督查室', '--kind', 'department', '--parent', 'county']);
  ok(['unit', 'add', 'jiazhen', '--name', '甲镇', '--kind', 'township', '--parent', 'county']);
  ok(['unit', 'add', 'yizhen', '--name', '乙镇', '--kind', 'township', '--parent', 'county']);
  for (const [login, name, unit, role, scope] of [
    ['zhangsan', '张三', 'jiazhen', 'handler', 'jiazhen'],
    ['zhou', '周督查', 'ducha', 'operator', 'county'],
    ['wang', '王核查', 'ducha', 'supervisor', 'county'],
  ]) {
    ok(['user', 'add', login, '--name', name, '--unit', unit, '--password-stdin'], { input: `${USER_PW}\n` });
    ok(['grant', login, role, scope]);
  }
});

after(async () => {
  for (const s of servers) await s.stopClean();
});

describe('import and export problems', () => {
  test('bad rows: "FILE: row R, column C: reason" lines, exit 1, nothing imported', () => {
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(
      file,
      toCsv([
        LEDGER_HEADERS,
        ledgerRow({ ...base, 问题描述: '熟练工人短缺' }),
        ledgerRow({ ...base, 问题描述: '日期错误', 发现时间: '2024-02-30' }),
        ledgerRow({ ...base, 问题描述: '单位错误', 责任单位: '丙镇' }),
        ledgerRow({ ...base, 问题描述: '缺少方式', 整改方式: '' }),
      ]),
    );
    const r = cli(['import', 'problems', file]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.ok(lines.includes(`${file}: row 3, column 发现时间: 不是有效日期（如 2024-03-05）`), r.stderr);
    assert.ok(lines.includes(`${file}: row 4, column 责任单位: 找不到此单位`), r.stderr);
    assert.ok(lines.includes(`${file}: row 5, column 整改方式: 此项为必填项`), r.stderr);
    assert.equal(lines.filter((l) => l.startsWith(`${file}: row `)).length, 3);
    assert.match(r.stderr, /3 bad rows; nothing imported/);
    assert.equal(r.stdout, '');
    assert.match(ok(['problem', 'list']).stdout, /^0 of 0 problems$/m);
  });

  test('a missing file or header is refused (exit 1)', () => {
    assert.equal(cli(['import', 'problems', path.join(dir, 'nope.csv')]).code, 1);
    const file = path.join(dir, 'nohead.csv');
    fs.writeFileSync(file, toCsv([['问题描述', '责任单位'], ['x', '甲镇']]));
    const r = cli(['import', 'problems', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /缺少“问题来源”列/);
    assert.equal(cli(['import', 'problems', file, '--format', 'ods']).code, 1);
  });

  test('a good file is imported: "imported N of N rows"', () => {
    const file = path.join(dir, 'good.csv');
    fs.writeFileSync(
      file,
      toCsv([
        LEDGER_HEADERS,
        ledgerRow({ ...base, 问题描述: '熟练工人短缺，影响订单交付', 状态: '整改中', 问题标题: '招工难' }),
        ledgerRow({ ...base, 问题描述: '外销渠道单一', 责任单位: 'yizhen', 问题类别: '市场', 问题标题: '外销渠道单一' }),
        ledgerRow({ ...base, 问题描述: '消防通道堆放杂物', 问题类别: '安全生产', 状态: '已销号', 核查情况: '电话核实：已清理', 销号时间: '2024-04-01', 问题标题: '消防通道被占用' }),
      ]),
    );
    const r = ok(['import', 'problems', file]);
    assert.equal(r.stdout.trim(), `imported 3 of 3 rows from ${file}`);
  });

  test('problem list: newest first, with filters', () => {
    const r = ok(['problem', 'list']);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.at(-1), '3 of 3 problems');
    assert.match(lines[0], /^\s+3\s+已销号\s+2099-01-01\s+甲镇\s+消防通道被占用$/);
    assert.match(lines[1], /^\s+2\s+已登记\s+2099-01-01\s+乙镇\s+外销渠道单一$/);
    assert.match(lines[2], /^\s+1\s+整改中\s+2099-01-01\s+甲镇\s+招工难$/);
    const s = ok(['problem', 'list', '--state', 'in_progress']).stdout.trimEnd().split('\n');
    assert.deepEqual(s.length, 2);
    assert.match(s[0], /招工难/);
    assert.equal(s[1], '1 of 1 problems');
    assert.match(ok(['problem', 'list', '--q', '渠道']).stdout, /外销渠道单一\n1 of 1 problems/);
    assert.equal(cli(['problem', 'list', '--limit', '0']).code, 2);
  });

  test('problem show ID: the problem and its timeline', () => {
    const r = ok(['problem', 'show', '1']);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], '#1 招工难');
    assert.equal(lines[1], '熟练工人短缺，影响订单交付');
    assert.match(r.stdout, /来源 调研 · 类别 用工 · 责任单位 甲镇 · 立行立改 · 发现 2024-03-05 · 时限 2099-01-01 \(原 2099-01-01\)/);
    assert.match(r.stdout, /状态 整改中/);
    assert.match(r.stdout, /^\s+\d{4}-\d\d-\d\dT[\d:]+Z\s+import\s+→ in_progress/m);
    const missing = cli(['problem', 'show', '99']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /不存在/);
  });

  test('problem act ID report --as LOGIN: done with the user’s rights', () => {
    const r = ok(['problem', 'act', '1', 'report', '--as', 'zhangsan', '--fields', '{"progress":"已举办专场招聘会"}', ...ver(1)]);
    assert.equal(r.stdout.trim(), 'problem 1: 整改中');
    const show = ok(['problem', 'show', '1']).stdout;
    assert.match(show, /report\s+in_progress → in_progress zhangsan/);
  });

  test('a refused action exits 1 with the reason in Chinese', () => {
    const cases = [
      // [action, login, fields, reason, code]
      ['verify_pass', 'zhangsan', '{"method":"电话核实","finding":"好"}', '当前状态为「整改中」，不能执行「核查通过并销号」', 'flow_state'],
      ['supervise', 'zhangsan', '{"leader_id":1}', '没有执行「挂牌督办」的权限', 'forbidden'],
      ['claim', 'zhangsan', '{"summary":"已整改"}', '「申请销号」至少需要 1 份佐证材料', 'flow_evidence'],
      ['report', 'zhangsan', '{}', '「进展情况」为必填项', 'field_required'],
      ['report', 'zhou', '{"progress":"x"}', '没有执行「报送进展」的权限', 'forbidden'],
    ];
    for (const [action, login, fields, reason, code] of cases) {
      const r = cli(['problem', 'act', '1', action, '--as', login, '--fields', fields, ...ver(1)]);
      assert.equal(r.code, 1, `${action} as ${login}: ${r.stdout}`);
      assert.ok(r.stderr.includes(reason), `${action}: ${r.stderr}`);
      assert.ok(r.stderr.includes(`(${code})`), `${action}: ${r.stderr}`);
      assert.equal(r.stdout, '');
    }
    // 乙镇's problem is outside zhangsan's scope.
    const outside = cli(['problem', 'act', '2', 'report', '--as', 'zhangsan', '--fields', '{"progress":"x"}', ...ver(2)]);
    assert.equal(outside.code, 1);
    assert.match(outside.stderr, /\(forbidden\)/);
    const nobody = cli(['problem', 'act', '1', 'report', '--as', 'nobody', '--fields', '{"progress":"x"}', ...ver(1)]);
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /no user 'nobody'/);
    assert.equal(cli(['problem', 'act', '1', 'report', '--fields', '{"progress":"x"}', ...ver(1)]).code, 2, '--as is required');
    // A locked account acts no more through the CLI than through the API.
    ok(['user', 'lock', 'zhangsan']);
    const locked = cli(['problem', 'act', '1', 'report', '--as', 'zhangsan', '--fields', '{"progress":"x"}', ...ver(1)]);
    assert.equal(locked.code, 1);
    assert.match(locked.stderr, /账户已停用.*\(account_disabled\)/);
    ok(['user', 'unlock', 'zhangsan']);
    assert.equal(cli(['problem', 'act', '1', 'report', '--as', 'zhangsan', '--fields', '[1]', ...ver(1)]).code, 2);
    // Without --version, or with one that is stale, nothing is done (security finding 9).
    const bare = cli(['problem', 'act', '1', 'report', '--as', 'zhangsan', '--fields', '{"progress":"x"}']);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /--version N is required/);
    const stale = Number(ver(1)[1]) - 1;
    const old = cli(['problem', 'act', '1', 'report', '--as', 'zhangsan', '--fields', '{"progress":"x"}', '--version', String(stale)]);
    assert.equal(old.code, 1);
    assert.match(old.stderr, /记录已被他人修改.*\(conflict\)/);
    // Nothing of that changed the problem: one report only.
    const show = ok(['problem', 'show', '1']).stdout;
    assert.equal((show.match(/ report /g) || []).length, 1);
  });

  test('export problems --out FILE.xlsx and .csv', () => {
    const xlsx = path.join(dir, 'ledger.xlsx');
    const r = ok(['export', 'problems', '--out', xlsx]);
    assert.equal(r.stdout, '');
    const rows = xlsxRows(fs.readFileSync(xlsx));
    assert.deepEqual(rows[0], LEDGER_HEADERS);
    assert.deepEqual(rows.slice(1).map((x) => x[18]), ['招工难', '外销渠道单一', '消防通道被占用']);
    assert.equal(rows[1][13], '已举办专场招聘会', 'the progress reported through the CLI');
    const csv = path.join(dir, 'ledger.csv');
    ok(['export', 'problems', '--out', csv]);
    const c = parseCsv(fs.readFileSync(csv, 'utf8'));
    // The workbook holds dates as date cells (Excel serial numbers).
    const asDate = (v) => (/^\d+$/.test(v) ? new Date((Number(v) - 25569) * 86400000).toISOString().slice(0, 10) : v);
    const dated = rows.map((x, i) => (i ? x.map((v, k) => ([4, 11, 16].includes(k) ? asDate(v) : v)) : x));
    assert.equal(rows[1][4], '45356', '2024-03-05 as a serial number');
    assert.deepEqual(c.map((x) => x.slice(1)), dated.map((x) => x.slice(1)), 'the CSV says what the workbook says');
    const closed = parseCsv(ok(['export', 'problems', '--format', 'csv', '--state', 'closed']).stdout);
    assert.deepEqual(closed.slice(1).map((x) => x[18]), ['消防通道被占用']);
    const unit = parseCsv(ok(['export', 'problems', '--format', 'csv', '--unit', 'yizhen']).stdout);
    assert.deepEqual(unit.slice(1).map((x) => x[18]), ['外销渠道单一']);
    assert.equal(cli(['export', 'problems', '--state', 'done']).code, 1);
    assert.equal(cli(['export', 'problems', '--unit', 'nowhere']).code, 1);
    assert.equal(cli(['export', 'problems', '--format', 'pdf']).code, 1);
  });

  test('a server over the database shows what the CLI did; the audit chain holds', async () => {
    const srv = await startServer({ dir, db, flags: ['--tick_interval', '86400'] });
    servers.push(srv);
    const c = await firstLogin(srv, 'zhangsan');
    const p = await c.ok('/api/v1/problems/1');
    assert.equal(p.progress, '已举办专场招聘会');
    assert.deepEqual(p.events.map((e) => [e.action, e.actor]), [
      ['import', 'cli:root'],
      ['report', 'zhangsan'],
    ]);
    // Acting through the CLI while the server runs.
    ok(['problem', 'act', '1', 'report', '--as', 'zhangsan', '--fields', '{"progress":"已招聘20人"}', ...ver(1)]);
    assert.equal((await c.ok('/api/v1/problems/1')).progress, '已招聘20人');
    const list = await c.ok('/api/v1/problems');
    assert.deepEqual(list.items.map((x) => x.id), [3, 1], '甲镇’s problems only');
    await srv.stopClean();
    servers.pop();
    const v = ok(['audit', 'verify']);
    assert.match(v.stdout, /intact/);
  });
});

describe('the holiday calendar', () => {
  const notice = '国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕9号）';

  test('calendar list: the built-in years', () => {
    const r = ok(['calendar', 'list']);
    for (const y of [2023, 2024, 2025, 2026]) assert.match(r.stdout, new RegExp(`^${y}  国务院办公厅关于${y}年部分节假日安排的通知`, 'm'));
    assert.doesNotMatch(r.stdout, /^2027  国务院/m);
  });

  test('a weekday "work" line is refused, naming its line; nothing is added', () => {
    const r = cli(['calendar', 'add', '2027', notice], { input: 'off 2027-01-01 2027-01-03 元旦\nwork 2027-01-05 元旦调休\n' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /standard input:2: a make-up workday must be a Saturday or Sunday/);
    const other = cli(['calendar', 'add', '2027', notice], { input: 'off 2027-01-01 2027-01-03 元旦\noff 2028-01-01 元旦\n' });
    assert.equal(other.code, 1);
    assert.match(other.stderr, /standard input:2: date outside its year/);
    assert.doesNotMatch(ok(['calendar', 'list']).stdout, /^2027  国务院/m);
  });

  test('calendar add 2027 from standard input; list shows it; a second time is refused', () => {
    const r = ok(['calendar', 'add', '2027', notice], { input: 'off 2027-01-01 2027-01-03 元旦\n' });
    assert.equal(r.stdout.trim(), `added 2027: ${notice}`);
    assert.match(ok(['calendar', 'list']).stdout, new RegExp(`^2027  ${notice.replace(/[()（）〔〕]/g, '.')}$`, 'm'));
    const again = cli(['calendar', 'add', '2027', notice], { input: 'off 2027-10-01 国庆节\n' });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already in the calendar/);
    assert.equal(cli(['calendar', 'add', '2024', 'x'], { input: 'off 2024-05-01 劳动节\n' }).code, 1, 'a built-in year');
  });

  test('the added year counts: 2027-01-01 is no workday for a server over the database', async () => {
    const srv = await startServer({ dir, db, flags: ['--tick_interval', '86400'] });
    servers.push(srv);
    const c = await firstLogin(srv, 'zhou');
    const res = await c.post('/api/v1/problems', {
      source: '调研', category: '用工', title: '元旦前后', description: '日历测试', found_on: '2026-12-31',
      unit_id: 2 /* 县委督查室, the first unit added */, mode: 'immediate', deadline_workdays: 1,
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.deadline, '2027-01-04', '01-01..03 off (01-02, 01-03 a weekend), 01-04 a Monday');
    assert.equal(res.body.deadline_estimated, false, '2027 is known now');
    await srv.stopClean();
    servers.pop();
  });
});

describe('the demo county', () => {
  let demoDb;

  test('duban demo --problems 60 fills a fresh database; the audit chain verifies', () => {
    demoDb = path.join(tempDir('duban-demo-'), 'demo.db');
    ok(['init'], { db: demoDb });
    const r = ok(['demo', '--problems', '60'], { db: demoDb });
    assert.match(r.stdout, /宁津县/);
    assert.match(r.stdout, /60 problems over two years/);
    const v = ok(['audit', 'verify'], { db: demoDb });
    assert.match(v.stdout, /intact/);
    const again = cli(['demo', '--problems', '5'], { db: demoDb });
    assert.equal(again.code, 1, 'a database with units is refused');
    assert.match(again.stderr, /already has units/);
  });

  test('a server over it lists the 60 problems', async () => {
    const srv = await startServer({ db: demoDb, dir: path.dirname(demoDb), flags: ['--tick_interval', '86400'] });
    servers.push(srv);
    const c = await srv.login('duchayuan', 'Ningjin@2024');
    const list = await c.ok('/api/v1/problems?limit=500');
    // the problem list's own 60, besides those the liaison demo sent there (its visits'
    // requests, alliance meetings and 驻厂员, remembered in liaison_problem)
    const sent = new Set(sqlite(demoDb, 'SELECT problem_id FROM liaison_problem').split('\n').filter(Boolean).map(Number));
    const own = list.items.filter((p) => !sent.has(p.id));
    assert.equal(own.length, 60);
    assert.equal(list.items.length, list.total);
    const states = new Set(own.map((p) => p.state));
    assert.ok(states.has('closed') && states.size >= 2, [...states].join(','));
    const stats = await c.ok('/api/v1/problems/stats?group=unit');
    assert.equal(stats.total.found, list.total);
    for (const g of stats.groups)
      for (const f of ['found', 'solved', 'overdue'])
        assert.equal(
          (await c.ok(`/api/v1/problems?${new URLSearchParams(g.filters[f])}&limit=500`)).total,
          g[f],
          `demo: ${g.label} ${f}`,
        );
    // A township handler sees his township's problems only.
    const h = await srv.login('chaihudian01', 'Ningjin@2024');
    const mine = await h.ok('/api/v1/problems?limit=500');
    assert.ok(mine.total < 60);
    assert.ok(mine.items.every((p) => p.unit_name === '柴胡店镇'), mine.items.map((p) => p.unit_name).join(','));
    await srv.stopClean();
    servers.pop();
  });
});
