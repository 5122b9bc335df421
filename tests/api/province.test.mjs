// Many counties on one database (the province setup, on either engine): the root is the
// province, cities and counties under it; a county's staff see their county only, and a
// city's see the roll-up of its counties in the figures, with drill-down into each county.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { addUnit, assertRefused, startServer } from './lib/server.mjs';
import { roleUser, problemBody, register } from './lib/problems.mjs';

let srv, admin, secadmin;
const U = {};
const people = {};

before(async () => {
  srv = await startServer({ flags: ['--root_kind', 'province', '--county', '山东省'] });
  [admin, secadmin] = await Promise.all([srv.admin(), srv.secadmin()]);
  U.dezhou = await addUnit(admin, { code: 'dezhou', name: '德州市', kind: 'city', parent_id: 1 });
  U.jinan = await addUnit(admin, { code: 'jinan', name: '济南市', kind: 'city', parent_id: 1 });
  U.ningjin = await addUnit(admin, { code: 'ningjin', name: '宁津县', kind: 'county', parent_id: U.dezhou.id });
  U.xiajin = await addUnit(admin, { code: 'xiajin', name: '夏津县', kind: 'county', parent_id: U.dezhou.id });
  U.zhangqiu = await addUnit(admin, { code: 'zhangqiu', name: '章丘区', kind: 'county', parent_id: U.jinan.id });
  for (const c of ['ningjin', 'xiajin', 'zhangqiu'])
    U[`${c}_town`] = await addUnit(admin, { code: `${c}_t`, name: `${U[c].name}某镇`, parent_id: U[c].id });
  const grants = {
    ningjin: [['operator', U.ningjin.id]],
    xiajin: [['operator', U.xiajin.id]],
    zhangqiu: [['operator', U.zhangqiu.id]],
    dezhou: [['leader', U.dezhou.id]],
  };
  for (const [key, g] of Object.entries(grants))
    people[key] = await roleUser(srv, admin, secadmin, { login: `op_${key}`, name: `${U[key].name}督查员`, unit_id: U[key].id, grants: g });
  for (const c of ['ningjin', 'xiajin', 'zhangqiu'])
    for (let i = 0; i < (c === 'ningjin' ? 3 : 2); i++)
      await register(people[c], problemBody(U[`${c}_town`].id, { source: '省级督查' }));
});

after(async () => {
  await srv?.stopClean();
});

test('the root is the province; cities and counties are units of their own kinds', async () => {
  const units = await admin.ok('/api/v1/units');
  const root = units.items.find((u) => u.id === 1);
  assert.equal(root.kind, 'province');
  assert.equal(root.name, '山东省');
  assert.equal(units.items.find((u) => u.id === U.dezhou.id).kind, 'city');
  assert.equal(units.items.find((u) => u.id === U.dezhou.id).kind_title, '市委市政府');
});

test('a county sees its own county only', async () => {
  const mine = await people.ningjin.ok('/api/v1/problems?limit=100');
  assert.equal(mine.total, 3);
  const xiajin = await people.xiajin.ok('/api/v1/problems?limit=100');
  assert.equal(xiajin.total, 2);
  assertRefused(await people.ningjin.get(`/api/v1/problems/${xiajin.items[0].id}`), 'another county’s problem');
  const stats = await people.xiajin.ok('/api/v1/problems/stats?group=unit');
  assert.ok(!JSON.stringify(stats).includes('宁津'), 'no other county in the figures');
});

test('a city sees the roll-up of its counties, with drill-down into one, and no other city', async () => {
  const city = await people.dezhou.ok(`/api/v1/problems/stats?group=unit&unit_id=${U.dezhou.id}`);
  const byKey = Object.fromEntries(city.groups.map((g) => [g.key, g]));
  assert.equal(byKey[String(U.ningjin.id)].found, 3);
  assert.equal(byKey[String(U.xiajin.id)].found, 2);
  assert.equal(city.total.found, 5);
  assert.ok(!JSON.stringify(city).includes('章丘'), 'another city’s county stays out');
  // Drill-down: the figure's filters list exactly the county's problems.
  const list = await people.dezhou.ok(`/api/v1/problems?${new URLSearchParams(byKey[String(U.ningjin.id)].filters.found)}&limit=100`);
  assert.equal(list.total, 3);
  const county = await people.dezhou.ok(`/api/v1/problems/stats?group=unit&unit_id=${U.ningjin.id}`);
  assert.equal(county.total.found, 3);
});
