// The ledger (台账) in the browser: export gives exactly what the filter shows, and an import
// with a bad row shows the per-row report and writes nothing.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, USER_PW } from '../api/lib/server.mjs';
import { county, problemBody, register, parseCsv, toCsv } from '../api/lib/problems.mjs';
import { launch, newPage, login, shot } from './lib/browser.mjs';
import { chooseUnit, assertClean } from './lib/ui.mjs';

let srv;
let browser;
let ctx;
test.before(async () => {
  srv = await startServer();
  ctx = await county(srv);
  for (const unit of [ctx.units.townA, ctx.units.townA, ctx.units.townB])
    await register(ctx.operator, problemBody(unit.id));
  browser = await launch();
});
test.after(async () => {
  await browser?.close();
  await srv?.stopClean();
});

test('export gives exactly the problems the filter shows', async () => {
  const page = await newPage(browser, srv.url);
  await login(page, 'operator', USER_PW);
  await page.goto(srv.url + '/problems');
  await page.locator('.summary', { hasText: '共 3 条' }).waitFor();
  await chooseUnit(page, page, '责任单位', '甲镇');
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('.summary', { hasText: '共 2 条' }).waitFor();
  await page.getByRole('button', { name: '导出' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: '导出 CSV' }).click(),
  ]);
  const rows = parseCsv(fs.readFileSync(await download.path(), 'utf8'));
  const unitCol = rows[0].indexOf('责任单位');
  assert.ok(unitCol >= 0, rows[0].join(','));
  assert.equal(rows.length - 1, 2);
  assert.ok(rows.slice(1).every((r) => r[unitCol] === '甲镇'));
  assertClean(page, 'export');
});

test('an import with a bad row shows the report per row and writes nothing', async () => {
  const res = await ctx.operator.get('/api/v1/problems/export.csv');
  const rows = parseCsv(res.text);
  const unitCol = rows[0].indexOf('责任单位');
  const good = [...rows[1]];
  const bad = [...rows[1]];
  bad[unitCol] = '不存在的镇';
  const file = toCsv([rows[0], good, bad]);
  const before = (await ctx.operator.ok('/api/v1/problems?limit=1')).total;

  const page = await newPage(browser, srv.url);
  await login(page, 'operator', USER_PW);
  await page.goto(srv.url + '/problems');
  await page.getByRole('button', { name: '导入台账' }).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.locator('input[type=file]').setInputFiles({ name: '台账.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
  await dialog.getByRole('button', { name: '开始导入' }).click();
  await dialog.locator('.faults').waitFor();
  await dialog.getByText(/有 1 行不符合要求，未导入任何数据/).waitFor();
  const cells = await dialog.locator('.faults .el-table__body tr').first().locator('td').allTextContents();
  assert.equal(cells[0].trim(), '3');
  assert.equal(cells[1].trim(), '责任单位');
  assert.match(cells[2], /单位/);
  await shot(page, 'import-report');
  assert.equal((await ctx.operator.ok('/api/v1/problems?limit=1')).total, before, 'nothing written');
  assertClean(page, 'import', [/^400 POST \/api\/v1\/problems\/import$/]);
});
