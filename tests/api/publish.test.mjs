// The publishing review (稿件审核) through its API: term lists replaced by the propaganda side
// (refused to others, a symbol-only term refused) and in force at the next scan without a
// restart; a scan's hits with their span in the original text and the normalisation that made
// them match; drafts scanned on save; 三审 with every refusal (the author reviewing their own
// draft, one person taking two levels, a level without its permission, a high-severity hit at
// 终审 without an override reason, a rejection without a comment, edits after submission);
// publishing with the URL and time; 撤稿 with a reason; the trail with people named by name and
// unit; lists filtered by state, and drafts of other units refused.
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
  u.townA = await addUnit(admin, { code: 'xiaa', name: '银城镇' });
  u.townB = await addUnit(admin, { code: 'xiab', name: '新盛店镇' });
  u.xcb = await addUnit(admin, { code: 'xcb', name: '县委宣传部', kind: 'department' });
  const people = {
    author: { name: '张撰稿', unit: u.townA.id, grants: [['publish_author', u.townA.id]] },
    first: { name: '李初审', unit: u.townA.id, grants: [['publish_first', u.townA.id]] },
    second: { name: '王复审', unit: u.townA.id, grants: [['publish_second', u.townA.id]] },
    multi: {
      name: '赵多岗', unit: u.townA.id,
      grants: [['publish_author', u.townA.id], ['publish_first', u.townA.id], ['publish_second', u.townA.id]],
    },
    final: { name: '孙宣传', unit: u.xcb.id, grants: [['publish_final', 1]] },
    outsider: { name: '周外镇', unit: u.townB.id, grants: [['publish_author', u.townB.id], ['publish_first', u.townB.id]] },
  };
  for (const [login, p] of Object.entries(people))
    c[login] = await roleUser(srv, admin, secadmin, { login: `pub${login}`, name: p.name, unit_id: p.unit, grants: p.grants });
});
test.after(() => srv.stopClean());

const ok = (res, status = 200) => {
  assert.equal(res.status, status, res.text);
  return res.body;
};

test('term lists: the propaganda side replaces them; bad ones refused; in force at once', async () => {
  ok(await c.final.put('/api/v1/publish/lists/违法广告', { category: '广告', severity: 3, terms: ['代开发票', ' 赌博 ', ''] }));
  ok(await c.final.put('/api/v1/publish/lists/低俗用语', { category: '低俗', severity: 1, terms: ['ass'] }));
  ok(await c.final.put('/api/v1/publish/lists/白名单', { kind: 'white', severity: 1, terms: ['宪法轮流'] }));
  assertRefused(await c.author.put('/api/v1/publish/lists/违法广告', { severity: 1, terms: ['x'] }), 'author');
  assertError(await c.final.put('/api/v1/publish/lists/坏', { severity: 2, terms: ['@@ '] }), 400, 'bad_term', 'terms');
  assertError(await c.final.put('/api/v1/publish/lists/坏', { severity: 4, terms: ['好'] }), 400, undefined, 'severity');
  assertError(await c.final.put('/api/v1/publish/lists/坏', { severity: 2, kind: 'other', terms: ['好'] }), 400, 'field_invalid', 'kind');
  const lists = ok(await c.author.get('/api/v1/publish/lists')).items;
  const ad = lists.find((l) => l.name === '违法广告');
  assert.deepEqual(ad.terms, ['代开发票', '赌博']);
  assert.equal(ad.severity, 3);
  assert.ok(!lists.some((l) => l.name === '坏'), 'nothing of a refused list written');

  // a new term serves at the next scan; the list's version grows
  assert.equal(ok(await c.author.post('/api/v1/publish/scan', { text: '一个新词' })).hits.length, 0);
  ok(await c.final.put('/api/v1/publish/lists/测试词', { category: '测试', severity: 2, terms: ['新词'] }));
  const s = ok(await c.author.post('/api/v1/publish/scan', { text: '一个新词' }));
  assert.equal(s.hits.length, 1);
  assert.equal(s.hits[0].list, '测试词');
  // replacing a list takes the version its editor saw (security finding 9): none → 428, stale → 409
  const put = (body) => c.final.put('/api/v1/publish/lists/测试词', { category: '测试', severity: 2, terms: ['旧词'], ...body });
  assertError(await put({}), 428, 'version_required', 'version');
  assertError(await put({ version: 2 }), 409, 'conflict');
  assert.equal(ok(await c.author.post('/api/v1/publish/scan', { text: '一个新词' })).hits.length, 1, 'nothing replaced');
  assert.equal(ok(await put({ version: 1 })).version, 2);
  assert.equal(ok(await c.author.post('/api/v1/publish/scan', { text: '一个新词' })).hits.length, 0);
  assert.equal(ok(await c.author.get('/api/v1/publish/lists')).items.find((l) => l.name === '测试词').version, 2);
});

test('scan: spans in the original text and why they matched; whitelist; personal data', async () => {
  const text = '提供代開@發票，class 宪法轮流 身份证371402199001011239';
  const s = ok(await c.author.post('/api/v1/publish/scan', { text }));
  assert.equal(s.high_hits, 1);
  const [hit, id] = s.hits;
  assert.equal(hit.term, '代开发票');
  assert.equal(hit.text, '代開@發票');
  assert.equal(hit.from, 2);
  assert.equal(hit.to, 7);
  assert.deepEqual(hit.how, ['t2s', 'separator']);
  assert.equal(hit.how_text, '繁体字、插入符号');
  assert.equal(hit.category, '广告');
  assert.equal(hit.severity, 3);
  assert.equal(id.kind, 'id_card');
  assert.equal(id.text, '371402199001011239');
  assert.equal(s.hits.length, 2, 'neither "ass" in class nor the whitelisted phrase');
  assertError(await c.author.post('/api/v1/publish/scan', {}), 400, 'field_required', 'text');
});

async function draft(client, body = {}) {
  return ok(await client.post('/api/v1/publish/drafts', {
    unit_id: u.townA.id, title: '银城镇开展春耕服务', body: '本周镇里组织春耕服务。', outlet: '银城发布公众号', ...body,
  }), 201);
}
const review = (client, id, body) => client.post(`/api/v1/publish/drafts/${id}/review`, body);

test('drafts: scanned on save; edits only before submission; other units refused', async () => {
  const d = await draft(c.author, { body: '有人在群里代開發票，联系138 1234 5678。' });
  assert.equal(d.state, 'draft');
  assert.equal(d.state_title, '草稿');
  assert.equal(d.author_label, '张撰稿（银城镇）');
  assert.equal(d.high_hits, 1);
  assert.deepEqual(d.hits.map((h) => h.kind), ['term', 'mobile']);
  // offsets count the title and a newline before the body
  assert.equal(d.hits[0].from, d.title_chars + 1 + 5);
  assertError(await c.author.post('/api/v1/publish/drafts', { unit_id: u.townA.id, body: 'x', outlet: 'y' }), 400, 'field_required', 'title');
  assertError(await c.author.post('/api/v1/publish/drafts', { unit_id: 999999, title: 't', body: 'x', outlet: 'y' }), 400, 'field_invalid', 'unit_id');
  assertRefused(await c.outsider.post('/api/v1/publish/drafts', { unit_id: u.townA.id, title: 't', body: 'x', outlet: 'y' }), 'other unit');
  assertRefused(await c.outsider.get(`/api/v1/publish/drafts/${d.id}`), 'read other unit');
  const e = ok(await c.author.patch(`/api/v1/publish/drafts/${d.id}`, { title: d.title, body: '春耕服务正常开展。', outlet: d.outlet, version: d.version }));
  assert.equal(e.high_hits, 0);
  assert.equal(e.hits.length, 0);
  assertError(await c.author.patch(`/api/v1/publish/drafts/${d.id}`, { title: d.title, body: 'x', outlet: d.outlet, version: d.version }), 409, 'conflict');
  ok(await c.author.post(`/api/v1/publish/drafts/${d.id}/submit`, {}));
  assertError(await c.author.patch(`/api/v1/publish/drafts/${d.id}`, { title: d.title, body: 'y', outlet: d.outlet }), 409, 'publish_state');
  assertError(await c.author.post(`/api/v1/publish/drafts/${d.id}/submit`, {}), 409, 'publish_state');
});

test('三审: three different people, none the author; a blocking hit needs the 终审 override', async () => {
  const d = await draft(c.author, { body: '警惕代开发票诈骗，严禁赌博。' });
  assert.equal(d.high_hits, 2);
  assertError(await review(c.first, d.id, { decision: 'approve' }), 409, 'publish_state'); // not submitted
  ok(await c.author.post(`/api/v1/publish/drafts/${d.id}/submit`, {}));
  assertError(await review(c.second, d.id, { decision: 'approve' }), 403, 'forbidden'); // 复审 cannot take 初审
  assertError(await review(c.first, d.id, { decision: 'maybe' }), 400, 'field_invalid', 'decision');
  assertError(await review(c.first, d.id, { decision: 'reject' }), 400, 'field_required', 'comment');
  ok(await review(c.multi, d.id, { decision: 'approve', comment: '可以' }));
  assertError(await review(c.multi, d.id, { decision: 'approve' }), 403, 'two_levels');
  const s2 = ok(await review(c.second, d.id, { decision: 'approve', comment: '同意' }));
  assert.equal(s2.state, 'final');
  assertError(await review(c.final, d.id, { decision: 'approve' }), 409, 'blocking_hit', 'override_reason');
  assert.equal(ok(await c.final.get(`/api/v1/publish/drafts/${d.id}`)).state, 'final', 'nothing written');
  const f = ok(await review(c.final, d.id, { decision: 'approve', override_reason: '系反诈宣传，词语用于警示' }));
  assert.equal(f.state, 'approved');
  assert.equal(f.override_reason, '系反诈宣传，词语用于警示');
  assert.deepEqual(f.trail.map((t) => [t.level_title, t.reviewer_label, t.decision_title]), [
    ['初审', '赵多岗（银城镇）', '通过'],
    ['复审', '王复审（银城镇）', '通过'],
    ['终审', '孙宣传（县委宣传部）', '通过'],
  ]);
  assert.equal(f.trail[2].override_reason, '系反诈宣传，词语用于警示');

  // publish with the URL and the server's time; then 撤稿 with a reason
  assertError(await c.author.post(`/api/v1/publish/drafts/${d.id}/publish`, { url: 'ftp://x' }), 400, 'field_invalid', 'url');
  const p = ok(await c.author.post(`/api/v1/publish/drafts/${d.id}/publish`, { url: 'https://mp.weixin.qq.com/s/abc' }));
  assert.equal(p.state, 'published');
  assert.match(p.published_at, /^2026-05-01T01:/); // the server's clock, set to 09:00 Beijing time
  assertError(await c.author.post(`/api/v1/publish/drafts/${d.id}/publish`, { url: 'https://x.cn/' }), 409, 'publish_state');
  assertError(await c.author.post(`/api/v1/publish/drafts/${d.id}/withdraw`, {}), 400, 'field_required', 'reason');
  assertRefused(await c.outsider.post(`/api/v1/publish/drafts/${d.id}/withdraw`, { reason: 'x' }), 'outsider withdraw');
  const w = ok(await c.final.post(`/api/v1/publish/drafts/${d.id}/withdraw`, { reason: '数据有误，撤稿更正' }));
  assert.equal(w.state, 'withdrawn');
  assert.equal(w.withdrawn_reason, '数据有误，撤稿更正');

  const list = ok(await c.final.get('/api/v1/publish/drafts?state=withdrawn'));
  assert.deepEqual(list.items.map((x) => x.id), [d.id]);
  assertError(await c.final.get('/api/v1/publish/drafts?state=nope'), 400, 'bad_query', 'state');
  assert.equal(ok(await c.outsider.get('/api/v1/publish/drafts')).total, 0);
});

test('三审: the author may not review their own draft; a rejection starts a new round', async () => {
  const d = await draft(c.multi);
  ok(await c.multi.post(`/api/v1/publish/drafts/${d.id}/submit`, {}));
  assertError(await review(c.multi, d.id, { decision: 'approve' }), 403, 'own_draft');
  ok(await review(c.first, d.id, { decision: 'approve' }));
  const back = ok(await review(c.second, d.id, { decision: 'reject', comment: '标题不准确' }));
  assert.equal(back.state, 'draft');
  const edit = { title: '银城镇春耕服务有序开展', body: d.body, outlet: d.outlet };
  assertError(await c.multi.patch(`/api/v1/publish/drafts/${d.id}`, edit), 428, 'version_required', 'version');
  ok(await c.multi.patch(`/api/v1/publish/drafts/${d.id}`, { ...edit, version: back.version }));
  const r2 = ok(await c.multi.post(`/api/v1/publish/drafts/${d.id}/submit`, {}));
  assert.equal(r2.round, 2);
  // in the new round the same people take their levels again; no hits, so no override needed
  ok(await review(c.first, d.id, { decision: 'approve' }));
  ok(await review(c.second, d.id, { decision: 'approve' }));
  const f = ok(await review(c.final, d.id, { decision: 'approve', override_reason: '无需' }));
  assert.equal(f.state, 'approved');
  assert.equal(f.override_reason, '', 'a reason is kept only where it overrides');
  assert.equal(f.trail.length, 5);
});

test('figures: drafts by state, hits by category with drill-down, overrides, turnaround', async () => {
  const s = ok(await c.final.get('/api/v1/publish/stats'));
  assert.equal(s.drafts.total, 3);
  assert.equal(s.drafts.overrides, 1);
  assert.equal(s.drafts.by_state.find((x) => x.state === 'withdrawn').count, 1);
  const ad = s.hits_by_category.find((x) => x.category === '广告');
  assert.deepEqual([ad.hits, ad.drafts], [2, 1]); // the first draft's hit went with its edit
  assert.equal(s.turnaround.approved, 2);
  assert.ok(s.turnaround.avg_hours >= 0);
  assert.equal(s.turnaround.by_unit[0].unit_name, '银城镇');
  const drill = ok(await c.final.get('/api/v1/publish/drafts?category=广告'));
  assert.equal(drill.total, 1);
  assertError(await c.final.get('/api/v1/publish/drafts?category=%22x'), 400, 'bad_query', 'category');
  assert.equal(ok(await c.outsider.get('/api/v1/publish/stats')).drafts.total, 0);
});
