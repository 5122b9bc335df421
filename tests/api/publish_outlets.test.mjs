// The register of outlets (政务网站 and 新媒体账号) through the API: 开设 filed by the unit and
// approved by the propaganda side before the account counts as running; 变更 applied only when
// approved; one pending 备案 at a time; 关停 and 注销; refusals (another unit, the unit approving
// its own filing, a rejection without a comment, a future last-post date); 年检 once a year;
// freshness flags from the last post with the server's clock (DUBAN_NOW), thresholds
// configurable; lists filtered by flag.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUnit, assertError, assertRefused } from './lib/server.mjs';
import { roleUser } from './lib/problems.mjs';

let srv;
const u = {};
const c = {};

test.before(async () => {
  srv = await startServer({ env: { DUBAN_NOW: '2026-05-01T09:00:00+08:00' } });
  const [admin, secadmin] = await Promise.all([srv.admin(), srv.secadmin()]);
  u.townA = await addUnit(admin, { code: 'oua', name: '银城镇' });
  u.townB = await addUnit(admin, { code: 'oub', name: '新盛店镇' });
  u.xcb = await addUnit(admin, { code: 'oxcb', name: '县委宣传部', kind: 'department' });
  const people = {
    clerk: { name: '张账号', unit: u.townA.id, grants: [['publish_author', u.townA.id]] },
    other: { name: '周外镇', unit: u.townB.id, grants: [['publish_author', u.townB.id]] },
    xcb: { name: '孙宣传', unit: u.xcb.id, grants: [['publish_final', 1]] },
  };
  for (const [login, p] of Object.entries(people))
    c[login] = await roleUser(srv, admin, secadmin, { login: `out${login}`, name: p.name, unit_id: p.unit, grants: p.grants });
});
test.after(() => srv.stopClean());

const ok = (res, status = 200) => {
  assert.equal(res.status, status, res.text);
  return res.body;
};
const open = (client, body) => client.post('/api/v1/publish/outlets', {
  unit_id: u.townA.id, platform: 'wechat', leader: '刘副镇长', admins: '张账号、李编辑', password_holder: '张账号',
  purpose: '政务信息发布', fans: 12000, reason: '新开政务公众号', ...body,
});

test('开设: filed by the unit, running only once the propaganda side approves', async () => {
  const o = ok(await open(c.clerk, { name: '银城发布', account_id: 'yincheng_fb', last_post_on: '2026-04-28' }), 201);
  assert.equal(o.status, 'pending');
  assert.equal(o.status_title, '开设备案中');
  assert.equal(o.flag, 'none');
  assert.equal(o.pending_filing.kind, 'open');
  assert.equal(o.filings[0].filed_by_label, '张账号（银城镇）');
  assertError(await open(c.clerk, { name: '银城发布' }), 409, 'duplicate', 'name');
  assertError(await open(c.clerk, { name: '坏平台', platform: 'myspace' }), 400, 'field_invalid', 'platform');
  assertError(await open(c.clerk, { name: '未来', last_post_on: '2026-05-02' }), 400, 'date_in_future', 'last_post_on');
  assertRefused(await open(c.other, { name: '越权号' }), 'another unit');
  assertRefused(await c.other.get(`/api/v1/publish/outlets/${o.id}`), 'read another unit');
  // the unit cannot approve its own filing; the propaganda side sees it pending
  assertRefused(await c.clerk.post(`/api/v1/publish/filings/${o.pending_filing.id}/decide`, { decision: 'approve' }), 'self approval');
  const desk = ok(await c.xcb.get('/api/v1/publish/filings'));
  assert.deepEqual(desk.items.map((f) => [f.outlet_name, f.kind_title, f.unit_name]), [['银城发布', '开设', '银城镇']]);
  assertError(await c.xcb.post(`/api/v1/publish/filings/${o.pending_filing.id}/decide`, { decision: 'reject' }), 400, 'field_required', 'comment');
  const a = ok(await c.xcb.post(`/api/v1/publish/filings/${o.pending_filing.id}/decide`, { decision: 'approve', comment: '同意开设' }));
  assert.equal(a.status, 'open');
  assert.equal(a.flag, 'fresh');
  assert.equal(a.days_since_post, 3);
  assert.equal(a.filings[0].decided_by_label, '孙宣传（县委宣传部）');
  assertError(await c.xcb.post(`/api/v1/publish/filings/${o.pending_filing.id}/decide`, { decision: 'approve' }), 409, 'publish_state');
  u.main = a;
});

test('变更 applied only when approved; one pending 备案 at a time; 关停 then 注销', async () => {
  const id = u.main.id;
  assertError(await c.clerk.post(`/api/v1/publish/outlets/${id}/filings`, { kind: 'change', reason: '换管理员' }), 400, 'field_required', 'changes');
  assertError(await c.clerk.post(`/api/v1/publish/outlets/${id}/filings`, { kind: 'change', changes: { fans: 1 }, reason: 'x' }), 400, undefined, 'changes.fans');
  assertError(await c.clerk.post(`/api/v1/publish/outlets/${id}/filings`, { kind: 'open', reason: 'x' }), 400, 'field_invalid', 'kind');
  const f = ok(await c.clerk.post(`/api/v1/publish/outlets/${id}/filings`, { kind: 'change', changes: { admins: '王编辑', password_holder: '王编辑' }, reason: '人员调整' }), 201);
  assert.equal(f.admins, '张账号、李编辑', 'not applied before approval');
  assertError(await c.clerk.post(`/api/v1/publish/outlets/${id}/filings`, { kind: 'close', reason: '停更' }), 409, 'filing_pending');
  const fid = f.pending_filing.id;
  const a = ok(await c.xcb.post(`/api/v1/publish/filings/${fid}/decide`, { decision: 'approve' }));
  assert.equal(a.admins, '王编辑');
  assert.equal(a.password_holder, '王编辑');
  // a rejected 关停 leaves it running; an approved one closes it; then 注销
  const cl = ok(await c.clerk.post(`/api/v1/publish/outlets/${id}/filings`, { kind: 'close', reason: '合并账号' }), 201);
  assert.equal(ok(await c.xcb.post(`/api/v1/publish/filings/${cl.pending_filing.id}/decide`, { decision: 'reject', comment: '暂缓' })).status, 'open');
  const cl2 = ok(await c.clerk.post(`/api/v1/publish/outlets/${id}/filings`, { kind: 'close', reason: '合并账号' }), 201);
  assert.equal(ok(await c.xcb.post(`/api/v1/publish/filings/${cl2.pending_filing.id}/decide`, { decision: 'approve' })).status, 'closed');
  assertError(await c.clerk.post(`/api/v1/publish/outlets/${id}/filings`, { kind: 'change', changes: { leader: 'x' }, reason: 'x' }), 409, 'publish_state');
  const ca = ok(await c.clerk.post(`/api/v1/publish/outlets/${id}/filings`, { kind: 'cancel', reason: '注销' }), 201);
  const done = ok(await c.xcb.post(`/api/v1/publish/filings/${ca.pending_filing.id}/decide`, { decision: 'approve' }));
  assert.equal(done.status, 'cancelled');
  assert.equal(done.filings.length, 5);
});

async function running(name, last) {
  const o = ok(await open(c.clerk, { name, last_post_on: last }), 201);
  return ok(await c.xcb.post(`/api/v1/publish/filings/${o.pending_filing.id}/decide`, { decision: 'approve' }));
}

test('freshness: idle after two weeks, 僵尸 after three months, thresholds configurable', async () => {
  const fresh = await running('银城政务抖音', '2026-04-20');
  const idle = await running('银城视频号', '2026-04-10'); // 21 days
  const zombie = await running('银城头条号', '2026-01-15'); // 106 days
  const unknown = await running('银城微博', '');
  assert.deepEqual([fresh.flag, idle.flag, zombie.flag, unknown.flag], ['fresh', 'idle', 'zombie', 'unknown']);
  assert.equal(zombie.flag_title, '僵尸账号');
  const names = async (q) => ok(await c.xcb.get(`/api/v1/publish/outlets?${q}`)).items.map((o) => o.name).sort();
  assert.deepEqual(await names('flag=idle'), ['银城视频号']);
  assert.deepEqual(await names('flag=zombie'), ['银城头条号']);
  assertError(await c.xcb.get('/api/v1/publish/outlets?flag=old'), 400, 'bad_query', 'flag');
  assert.deepEqual(ok(await c.other.get('/api/v1/publish/outlets')).items, []);

  // a post entered today makes it fresh; a future date is refused
  const upd = ok(await c.clerk.put(`/api/v1/publish/outlets/${idle.id}/activity`, { last_post_on: '2026-05-01', fans: 3400 }));
  assert.equal(upd.flag, 'fresh');
  assert.equal(upd.fans, 3400);
  assertError(await c.clerk.put(`/api/v1/publish/outlets/${idle.id}/activity`, { last_post_on: '2026-06-01' }), 400, 'date_in_future', 'last_post_on');
  assertRefused(await c.other.put(`/api/v1/publish/outlets/${idle.id}/activity`, { last_post_on: '2026-05-01' }), 'other unit');

  // thresholds: 7 and 30 days
  assertRefused(await c.clerk.put('/api/v1/publish/settings', { idle_days: 7, zombie_days: 30 }), 'clerk');
  assertError(await c.xcb.put('/api/v1/publish/settings', { idle_days: 30, zombie_days: 7 }), 400, 'field_invalid', 'zombie_days');
  ok(await c.xcb.put('/api/v1/publish/settings', { idle_days: 7, zombie_days: 30 }));
  assert.equal(ok(await c.xcb.get(`/api/v1/publish/outlets/${fresh.id}`)).flag, 'idle'); // 11 days
  assert.deepEqual(await names('flag=zombie'), ['银城头条号']);
  ok(await c.xcb.put('/api/v1/publish/settings', { idle_days: 14, zombie_days: 90 }));
});

test('年检: by the propaganda side, once a year, not of the future', async () => {
  const o = await running('银城发布2', '2026-04-30');
  assertRefused(await c.clerk.post(`/api/v1/publish/outlets/${o.id}/checks`, { year: 2025, result: 'pass' }), 'clerk');
  assertError(await c.xcb.post(`/api/v1/publish/outlets/${o.id}/checks`, { year: 2027, result: 'pass' }), 400, 'field_invalid', 'year');
  assertError(await c.xcb.post(`/api/v1/publish/outlets/${o.id}/checks`, { year: 2025, result: 'ok' }), 400, 'field_invalid', 'result');
  const r = ok(await c.xcb.post(`/api/v1/publish/outlets/${o.id}/checks`, { year: 2025, result: 'fix', note: '简介未写主办单位' }), 201);
  assert.equal(r.last_check_year, 2025);
  assert.equal(r.checks[0].result_title, '限期整改');
  assert.equal(r.checks[0].checked_by_label, '孙宣传（县委宣传部）');
  assertError(await c.xcb.post(`/api/v1/publish/outlets/${o.id}/checks`, { year: 2025, result: 'pass' }), 409, 'duplicate', 'year');
});
