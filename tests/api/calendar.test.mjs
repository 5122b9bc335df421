// A holiday year imported while servers run (`duban calendar add`, from the CLI or through
// another instance on the same database) reaches every running server within a tick: deadlines
// counted in working days over it stop being estimates.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, sleep, startServer } from './lib/server.mjs';
import { county, problemBody, register } from './lib/problems.mjs';

let srv, ctx;
const NOTICE = '国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕9号）';

before(async () => {
  srv = await startServer({ flags: ['--tick_interval', '1'] });
  ctx = await county(srv);
});

after(async () => {
  await srv?.stopClean();
});

const overNewYear = () =>
  register(ctx.operator, problemBody(ctx.units.townA.id, { found_on: '2026-12-31', deadline: undefined, deadline_workdays: 1 }));

test('a year imported by the CLI while the server runs counts there after a tick', async () => {
  const before_ = await overNewYear();
  assert.equal(before_.deadline_estimated, true, '2027 unknown yet: weekends only');
  assert.equal(before_.deadline, '2027-01-01');
  const r = runCli(['calendar', 'add', '2027', NOTICE, '--db', srv.db], { input: 'off 2027-01-01 元旦\nwork 2027-01-09 元旦调休\n' });
  assert.equal(r.code, 0, r.stderr);
  for (let i = 0; i < 100 && !/calendar: now with/.test(srv.stderr()); i++) await sleep(100);
  assert.match(srv.stderr(), /calendar: now with the database's 1 imported years/);
  const after_ = await overNewYear();
  assert.equal(after_.deadline_estimated, false);
  assert.equal(after_.deadline, '2027-01-04', '01-01 off, 01-02 and 01-03 a weekend');
});
