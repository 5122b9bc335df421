// The ledger (台账): export as XLSX and CSV (what the filter shows, the office's columns),
// import with a report per bad row (all or nothing, or skip_bad), and the round trip: a ledger
// exported from one server and imported into a fresh one exports again the same, apart from 序号.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, startServer } from './lib/server.mjs';
import {
  LEDGER_HEADERS,
  actOk,
  closeLoop,
  county,
  parseCsv,
  problemBody,
  register,
  toCsv,
  xlsxRows,
} from './lib/problems.mjs';

const servers = [];
let srv, ctx, U;
const made = {}; // the problems of the first server by role in the ledger

before(async () => {
  srv = await startServer({ flags: ['--tick_interval', '86400'] });
  servers.push(srv);
  ctx = await county(srv);
  U = ctx.units;
  made.ongoing = await register(
    ctx.operator,
    problemBody(U.townA.id, {
      title: '污水管网建设滞后',
      description: '群众反映，"东街"污水管网未接通，\n夏季异味明显。',
      mode: '持续推进',
      goal: '年内全部纳管',
      counit_ids: [U.dept.id, U.townB.id],
      leader: '王副镇长',
      person: '李四',
      measures: '铺设管网，分段推进',
      note: '群众多次反映',
      found_on: '2024-05-06',
      deadline: '2025-05-06',
      category: '居住环境',
    }),
  );
  made.assigned = await register(ctx.operator, problemBody(U.townB.id, { source: '驻厂', category: '融资', found_on: '2024-06-01', deadline: '2099-06-30' }));
  await actOk(ctx.operator, made.assigned.id, 'assign', {});
  made.reported = await register(ctx.operator, problemBody(U.villageA.id, { source: '督查', category: '安全生产', found_on: '2024-07-01', deadline_workdays: 10, deadline: undefined }));
  await actOk(ctx.operator, made.reported.id, 'assign', {});
  await actOk(ctx.handlerA, made.reported.id, 'sign', {});
  await actOk(ctx.handlerA, made.reported.id, 'report', { progress: '已完成隐患排查，正在整改' });
  made.closed = await register(ctx.operator, problemBody(U.townA.id, { category: '安全生产', found_on: '2024-08-01' }));
  await closeLoop(ctx, ctx.handlerA, made.closed.id);
  made.extended = await register(ctx.operator, problemBody(U.dept.id, { source: '督查', category: '用工', found_on: '2024-09-02', deadline: '2099-01-31' }));
  await actOk(ctx.operator, made.extended.id, 'assign', {});
  await actOk(ctx.handlerD, made.extended.id, 'sign', {});
  await actOk(ctx.handlerD, made.extended.id, 'request_extension', { new_deadline: '2099-03-31', reason: '招聘周期长' });
  await actOk(ctx.operator, made.extended.id, 'approve_extension', { new_deadline: '2099-03-31' });
  made.county = await register(ctx.operator, problemBody(1, { category: '项目推进', found_on: '2024-10-08' }));
});

after(async () => {
  for (const s of servers) await s.stopClean();
});

const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);

function checkDisposition(res, ext) {
  const cd = res.headers.get('content-disposition') || '';
  const m = /^attachment; filename\*=UTF-8''(.+)$/.exec(cd);
  assert.ok(m, `Content-Disposition: ${cd}`);
  const name = decodeURIComponent(m[1]);
  assert.equal(name, `问题清单-${today()}.${ext}`);
}

async function download(c, url) {
  const res = await fetch(c.base + url, { headers: { Cookie: `duban_session=${c.session}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function exportCsv(c, q = '') {
  const res = await download(c, `/api/v1/problems/export.csv${q}`);
  assert.equal(res.status, 200, res.bytes.toString());
  return res;
}

async function importFile(c, bytes, q = '', type = 'text/csv') {
  return c.post(`/api/v1/problems/import${q}`, undefined, { body: bytes, type });
}

const total = async (c) => (await c.ok('/api/v1/problems?limit=1')).total;

describe('export', () => {
  test('export.csv: an attachment with a BOM, the header row and one row per problem', async () => {
    const res = await exportCsv(ctx.operator);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    checkDisposition(res, 'csv');
    assert.deepEqual([...res.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM for Excel');
    const rows = parseCsv(res.bytes.toString('utf8'));
    assert.deepEqual(rows[0], LEDGER_HEADERS);
    assert.equal(rows.length, 1 + 6);
    // Oldest first, numbered from 1.
    assert.deepEqual(rows.slice(1).map((r) => r[0]), ['1', '2', '3', '4', '5', '6']);
    assert.deepEqual(rows.slice(1).map((r) => r[18]), [made.ongoing, made.assigned, made.reported, made.closed, made.extended, made.county].map((p) => p.title));
    const col = (name) => LEDGER_HEADERS.indexOf(name);
    const r1 = rows[1];
    assert.equal(r1[col('问题来源')], '调研');
    assert.equal(r1[col('问题类别')], '居住环境');
    assert.equal(r1[col('问题描述')], '群众反映，"东街"污水管网未接通，\n夏季异味明显。', 'quotes and line breaks survive');
    assert.equal(r1[col('发现时间')], '2024-05-06');
    assert.equal(r1[col('责任单位')], '甲镇');
    assert.equal(r1[col('配合单位')], '县应急管理局、乙镇');
    assert.equal(r1[col('责任领导')], '王副镇长');
    assert.equal(r1[col('责任人')], '李四');
    assert.equal(r1[col('整改措施')], '铺设管网，分段推进');
    assert.equal(r1[col('整改目标')], '年内全部纳管');
    assert.equal(r1[col('完成时限')], '2025-05-06');
    assert.equal(r1[col('整改方式')], '持续推进');
    assert.equal(r1[col('状态')], '已登记');
    assert.equal(r1[col('备注')], '群众多次反映');
    assert.equal(rows[2][col('状态')], '已交办');
    assert.equal(rows[3][col('状态')], '整改中');
    assert.equal(rows[3][col('进展情况')], '已完成隐患排查，正在整改');
    assert.equal(rows[3][col('责任单位')], '甲镇东街村');
    assert.equal(rows[3][col('完成时限')], '2024-07-15', '10 workdays after 2024-07-01');
    assert.equal(rows[4][col('状态')], '已销号');
    assert.equal(rows[4][col('核查情况')], '电话核实：已解决');
    assert.equal(rows[4][col('销号时间')], today());
    assert.equal(rows[5][col('完成时限')], '2099-03-31（估算）', 'the deadline as extended, counted without 2099 holiday data');
    assert.equal(rows[6][col('责任单位')], '示范县');
    for (const r of rows) assert.equal(r.length, LEDGER_HEADERS.length);
  });

  test('export.xlsx: a workbook with the same rows', async () => {
    const res = await download(ctx.operator, '/api/v1/problems/export.xlsx');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    checkDisposition(res, 'xlsx');
    assert.equal(res.bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
    const rows = xlsxRows(res.bytes);
    assert.deepEqual(rows[0], LEDGER_HEADERS);
    assert.equal(rows.length, 7);
    assert.deepEqual(rows.slice(1).map((r) => r[0]), ['1', '2', '3', '4', '5', '6']);
    assert.deepEqual(rows.slice(1).map((r) => r[18]), [made.ongoing, made.assigned, made.reported, made.closed, made.extended, made.county].map((p) => p.title));
    assert.equal(rows[1][3], '群众反映，"东街"污水管网未接通，\n夏季异味明显。');
    assert.equal(rows[4][14], '已销号');
  });

  test('a filter exports only what it shows (state=closed, unit_id, q)', async () => {
    const closed = parseCsv((await exportCsv(ctx.operator, '?state=closed')).bytes.toString('utf8'));
    assert.equal(closed.length, 2);
    assert.equal(closed[1][18], made.closed.title);
    assert.equal(closed[1][0], '1');
    const xl = xlsxRows((await download(ctx.operator, '/api/v1/problems/export.xlsx?state=closed')).bytes);
    assert.equal(xl.length, 2);
    assert.equal(xl[1][18], made.closed.title);
    const inA = parseCsv((await exportCsv(ctx.operator, `?unit_id=${U.townA.id}`)).bytes.toString('utf8'));
    assert.deepEqual(inA.slice(1).map((r) => r[18]), [made.ongoing.title, made.reported.title, made.closed.title]);
    const none = parseCsv((await exportCsv(ctx.operator, `?q=${encodeURIComponent('不存在的问题')}`)).bytes.toString('utf8'));
    assert.deepEqual(none, [LEDGER_HEADERS]);
    const bad = await ctx.operator.get('/api/v1/problems/export.csv?state=finished');
    assertError(bad, 400, 'bad_query', 'state');
  });

  test('the export is scoped: 乙镇 sees its own problem and the one it helps with', async () => {
    const rows = parseCsv((await exportCsv(ctx.handlerB)).bytes.toString('utf8'));
    assert.deepEqual(rows.slice(1).map((r) => r[18]), [made.ongoing.title, made.assigned.title]);
    assertError(await ctx.admin.get('/api/v1/problems/export.csv'), 403, 'forbidden');
  });
});

describe('import', () => {
  const H = LEDGER_HEADERS;
  const row = (o) => H.map((h) => o[h] ?? '');
  const good1 = { 问题来源: '调研', 问题类别: '用工', 问题描述: '熟练工人招聘难，影响订单交付。', 发现时间: '2024/3/5', 责任单位: 'jiazhen', 完成时限: '2024年6月30日', 整改方式: '立行立改' };
  const good2 = { 问题来源: '驻厂', 问题类别: '市场', 问题描述: '外销渠道单一', 发现时间: '2024.4.1', 责任单位: '乙镇', 完成时限: '2099-12-31', 整改方式: 'ongoing', 整改目标: '拓展两个新渠道', 状态: '整改中', 问题标题: '外销渠道单一问题', 配合单位: '县应急管理局' };
  const badDate = { ...good1, 发现时间: '2024-02-30' };
  const badUnit = { ...good1, 责任单位: '丙镇' };
  const noMode = { ...good1, 整改方式: '' };
  const badState = { ...good1, 状态: '已完成' };
  const closedNoCheck = { ...good1, 状态: '已销号', 销号时间: '2024-07-01' };
  const file = toCsv([H, row(good1), row(badDate), row(badUnit), row(noMode), [], row(good2), row(badState), row(closedNoCheck)]);

  test('bad rows → 400 with a fault per row (row, column, reason); nothing written', async () => {
    const before = await total(ctx.operator);
    const res = await importFile(ctx.operator, Buffer.from(file));
    assert.equal(res.status, 400, res.text);
    const e = res.body.error;
    assert.equal(e.code, 'field_invalid');
    assert.equal(e.field, 'file');
    assert.match(e.message, /5 行/);
    const d = e.details;
    assert.equal(d.rows, 7, 'the blank line is no row');
    assert.equal(d.imported, 0);
    assert.equal(d.skipped, 5);
    assert.equal(d.fatal, null);
    assert.deepEqual(
      d.faults.map((f) => [f.row, f.column]),
      [
        [3, '发现时间'],
        [4, '责任单位'],
        [5, '整改方式'],
        [8, '状态'],
        [9, '核查情况'],
      ],
    );
    for (const f of d.faults) assert.match(f.reason, /[\u4e00-\u9fff]/);
    assert.match(d.faults[1].reason, /找不到此单位/);
    assert.match(d.faults[2].reason, /必填/);
    assert.equal(await total(ctx.operator), before, 'nothing written');
  });

  test('?skip_bad=1 imports the good rows only', async () => {
    const before = await total(ctx.operator);
    const res = await importFile(ctx.operator, Buffer.from(file), '?skip_bad=1');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.rows, 7);
    assert.equal(res.body.imported, 2);
    assert.equal(res.body.skipped, 5);
    assert.equal(res.body.faults.length, 5);
    assert.equal(await total(ctx.operator), before + 2);
    const list = await ctx.operator.ok('/api/v1/problems?limit=2');
    const [p2, p1] = list.items; // newest first
    assert.equal(p1.title, '熟练工人招聘难', 'a title from the description up to the first comma');
    assert.equal(p1.found_on, '2024-03-05');
    assert.equal(p1.deadline, '2024-06-30');
    assert.equal(p1.unit_id, U.townA.id);
    assert.equal(p1.state, 'registered');
    assert.equal(p2.title, '外销渠道单一问题');
    assert.equal(p2.state, 'in_progress');
    assert.equal(p2.mode, 'ongoing');
    assert.deepEqual(p2.counit_ids, [U.dept.id]);
    const d = await ctx.operator.ok(`/api/v1/problems/${p2.id}`);
    assert.deepEqual(d.events.map((e) => e.action), ['import']);
  });

  test('a file without a required column is refused as a whole', async () => {
    const res = await importFile(ctx.operator, Buffer.from(toCsv([H.filter((h) => h !== '问题来源'), ['x']])));
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.error.details.fatal, /问题来源/);
    assert.match(res.body.error.message, /问题来源/);
    const empty = await importFile(ctx.operator, Buffer.from(''));
    assertError(empty, 400, 'field_required', 'file');
  });

  test('only who may register imports', async () => {
    const res = await importFile(ctx.handlerA, Buffer.from(toCsv([H, row(good1)])));
    assertError(res, 403, 'forbidden');
  });
});

describe('the round trip into a fresh server', () => {
  let ledger, workbook;

  before(async () => {
    // The six problems made through the flow (found from May 2024), not the imports above.
    ledger = (await exportCsv(ctx.operator, '?found_from=2024-05-01')).bytes;
    workbook = (await download(ctx.operator, '/api/v1/problems/export.xlsx?found_from=2024-05-01')).bytes;
    assert.equal(parseCsv(ledger.toString('utf8')).length, 7);
  });

  const withoutNo = (rows) => rows.map((r) => r.slice(1));

  for (const [kind, type] of [
    ['CSV', 'text/csv'],
    ['XLSX', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ]) {
    test(`${kind}: import, export again → the same ledger apart from 序号`, async () => {
      const two = await startServer({ flags: ['--tick_interval', '86400'] });
      servers.push(two);
      const c2 = await county(two);
      // Something there already, so the numbers differ but the rest must not.
      await register(c2.operator, problemBody(c2.units.townB.id, { found_on: '2023-01-05' }));
      const res = await importFile(c2.operator, kind === 'CSV' ? ledger : workbook, '', type);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.imported, 6);
      assert.deepEqual(res.body.faults, []);
      const again = parseCsv((await exportCsv(c2.operator)).bytes.toString('utf8'));
      const orig = parseCsv(ledger.toString('utf8'));
      assert.equal(again.length, orig.length + 1);
      assert.equal(again[1][4], '2023-01-05', 'the older problem comes first');
      assert.deepEqual(withoutNo([again[0], ...again.slice(2)]), withoutNo(orig));
      assert.deepEqual(again.slice(2).map((r) => r[0]), ['2', '3', '4', '5', '6', '7'], '序号 differs');
      // The imported problems carry their states and figures.
      const closed = await c2.operator.ok('/api/v1/problems?state=closed');
      assert.equal(closed.total, 1);
      assert.match(closed.items[0].closed_at, /^\d{4}-\d\d-\d\dT/);
      const stats = await c2.operator.ok('/api/v1/problems/stats?group=source&found_from=2024-01-01');
      assert.equal(stats.total.found, 6);
      assert.equal(stats.total.solved, 1);
    });
  }
});
