// The feeds mechanism (#17 items 5–7), run as of 2 November 2026 (DUBAN_NOW): the working-day
// calendar kept current — 2026 exact from its notice, administrators asked for 2027 from
// 1 November (banner status and one notification per tick run), estimated 2027 deadlines marked
// in the API and the ledger export and counted again, with a timeline entry, once 2027 is
// imported; each user's private ICS feed parsed strictly (tests/api/lib/ics.mjs), revocable;
// the public results page: publish permission and audit, the whitelist checked against an item
// whose every field carries a marker, search, paging, per county, rate limit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, runCli, sql, startServer, uid } from './lib/server.mjs';
import { actOk, county, problemBody, register, roleUser, upload, pngOfSize, xlsxRows } from './lib/problems.mjs';
import { events, parse } from './lib/ics.mjs';

const NOW = '2026-11-02T09:00:00+08:00';
const NOTICE_2027 = '国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕9号）';
let srv, ctx;
const P = {};

before(async () => {
  srv = await startServer({ env: { DUBAN_NOW: NOW }, flags: ['--tick_interval', '86400'] });
  ctx = await county(srv);
  const A = ctx.units.townA.id;
  P.over = await register(ctx.operator, problemBody(A, { title: '跨年工作日时限', found_on: '2026-12-28', deadline: undefined, deadline_workdays: 5 }));
  P.dated = await register(ctx.operator, problemBody(A, { title: '按日期的2027年时限', deadline: '2027-03-31' }));
  P.exact = await register(ctx.operator, problemBody(A, { title: '国庆前后五个工作日', found_on: '2026-09-30', deadline: undefined, deadline_workdays: 5 }));
});

after(async () => {
  await srv?.stopClean();
});

// the 列席旁听反馈 Excel export as rows of cell texts
async function feedbackSheet(cl) {
  const res = await fetch(`${srv.url}/api/v1/study/feedback/export.xlsx`, { headers: { Cookie: `duban_session=${cl.session}` } });
  assert.equal(res.status, 200);
  return xlsxRows(Buffer.from(await res.arrayBuffer()));
}

const tick = () => {
  const r = runCli(['tick', '--db', srv.db], { env: { DUBAN_NOW: NOW } });
  assert.equal(r.code, 0, r.stderr);
  return r;
};

describe('the working-day calendar kept current', () => {
  test('2026 is exact: 5 working days from 9/30 pass 国庆 and the 10/10 Saturday make-up day', () => {
    assert.equal(P.exact.deadline, '2026-10-13', '10/8, 10/9, Sat 10/10, 10/12, 10/13');
    assert.equal(P.exact.deadline_estimated, false);
  });

  test('2027 without its notice: counted on weekends alone and flagged', () => {
    assert.equal(P.over.deadline, '2027-01-04', '12/29, 12/30, 12/31, 1/1, 1/4');
    assert.equal(P.over.deadline_estimated, true);
    assert.equal(P.dated.deadline_estimated, true);
  });

  test('from 1 November the administrators are asked for next year, others not', async () => {
    const s = await ctx.admin.ok('/api/v1/calendar/status');
    assert.equal(s.missing_year, 2027);
    assert.equal(s.ask, true);
    assert.ok(s.years.some((y) => y.year === 2026 && /国办发明电〔2025〕7号/.test(y.notice)));
    const o = await ctx.operator.ok('/api/v1/calendar/status');
    assert.equal(o.ask, false, 'not an administrator');
    assert.equal((await srv.client().get('/api/v1/calendar/status')).status, 401);
  });

  test('the tick notifies each administrator once, however often it runs', async () => {
    tick();
    tick();
    const n = await ctx.admin.ok('/api/v1/notifications');
    const asks = n.items.filter((x) => x.kind === 'calendar_missing');
    assert.equal(asks.length, 1, JSON.stringify(n.items));
    assert.match(asks[0].title, /请导入2027年节假日安排/);
    const o = await ctx.operator.ok('/api/v1/notifications');
    assert.equal(o.items.filter((x) => x.kind === 'calendar_missing').length, 0);
  });

  test('the ledger export marks estimated deadlines, and reads its own mark back', async () => {
    const res = await ctx.operator.get('/api/v1/problems/export.csv');
    assert.equal(res.status, 200);
    assert.match(res.text, /2027-01-04（估算）/);
    assert.match(res.text, /2027-03-31（估算）/);
    assert.doesNotMatch(res.text, /2026-10-13（估算）/);
  });

  test('a study feedback deadline running into 2027 is an estimate too', async () => {
    const clerk = await roleUser(srv, ctx.admin, ctx.secadmin, { login: 'studyclerk', name: '学习专员', unit_id: 1, grants: [['study_clerk', 1]] });
    const observer = await roleUser(srv, ctx.admin, ctx.secadmin, { login: 'observer', name: '列席员', unit_id: 1, grants: [['study_observer', 1]] });
    const a = await clerk.post('/api/v1/study/activities', { kind: 'seminar', unit_id: ctx.units.townA.id, held_on: '2026-11-02', topic: '专题研讨' });
    assert.equal(a.status, 201, a.text);
    const o = await observer.post(`/api/v1/study/activities/${a.body.id}/observations`, { observer: '刘', observer_body: '县委宣传部', rating: '较好', issues: ['联系实际不够'], deadline_workdays: 60 });
    assert.equal(o.status, 201, o.text);
    const list = await clerk.ok('/api/v1/study/feedback');
    P.feedback = list.items[0];
    assert.equal(P.feedback.deadline_estimated, true, JSON.stringify(P.feedback));
    P.clerk = clerk;
    const rows = await feedbackSheet(clerk);
    const col = rows[0].indexOf('答复期限');
    assert.ok(col >= 0, JSON.stringify(rows[0]));
    assert.ok(rows.some((r) => r[col] === `${P.feedback.deadline}（估算）`), JSON.stringify(rows));
  });

  test('importing 2027 counts the estimates again, with a timeline entry on each', async () => {
    const r = runCli(['calendar', 'add', '2027', NOTICE_2027, '--db', srv.db], { input: 'off 2027-01-01 元旦\noff 2027-01-04 测试假日\n' });
    assert.equal(r.code, 0, r.stderr);
    tick();
    const over = await ctx.operator.ok(`/api/v1/problems/${P.over.id}`);
    assert.equal(over.deadline, '2027-01-06', '1/1 and 1/4 off now: 12/29, 12/30, 12/31, 1/5, 1/6');
    assert.equal(over.deadline_estimated, false);
    const ev = over.events.filter((e) => e.action === 'recalendar');
    assert.equal(ev.length, 1);
    assert.equal(ev[0].action_title, '节假日安排导入后重算时限');
    assert.equal(ev[0].fields.previous_deadline, '2027-01-04');
    assert.equal(ev[0].fields.deadline, '2027-01-06');
    const dated = await ctx.operator.ok(`/api/v1/problems/${P.dated.id}`);
    assert.equal(dated.deadline, '2027-03-31');
    assert.equal(dated.deadline_estimated, false);
    assert.equal(dated.events.filter((e) => e.action === 'recalendar').length, 1);
    const exact = await ctx.operator.ok(`/api/v1/problems/${P.exact.id}`);
    assert.equal(exact.events.filter((e) => e.action === 'recalendar').length, 0, 'never an estimate');
    tick();
    const again = await ctx.operator.ok(`/api/v1/problems/${P.over.id}`);
    assert.equal(again.events.filter((e) => e.action === 'recalendar').length, 1, 'once');
    const audit = await (await srv.auditor()).ok(`/api/v1/audit?action=problem.recalendar`);
    assert.ok(audit.items.length >= 2);
    const fb = (await P.clerk.ok('/api/v1/study/feedback')).items.find((f) => f.id === P.feedback.id);
    assert.equal(fb.deadline_estimated, false);
    assert.ok(fb.deadline > P.feedback.deadline, `${fb.deadline} after ${P.feedback.deadline}: 1/1 and 1/4 are off`);
    const rows = await feedbackSheet(P.clerk);
    const col = rows[0].indexOf('答复期限');
    assert.ok(rows.some((r) => r[col] === fb.deadline), 'no mark once 2027 is in');
    assert.ok(!rows.some((r) => String(r[col]).includes('估算')));
    assert.equal((await (await srv.auditor()).ok('/api/v1/audit?action=feedback.recalendar')).items.length, 1);
  });

  test('with 2027 in, nobody is asked any more', async () => {
    for (let i = 0; i < 50; i++) {
      // the server reloads the imported year on its calendar check
      const s = await ctx.admin.ok('/api/v1/calendar/status');
      if (s.missing_year === null) return assert.equal(s.ask, false);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail('the server did not see 2027');
  });
});

describe('the private calendar feed (ICS)', () => {
  let url;
  const LONG = '排水管网改造,涉及;多个\\村组的雨污分流工程需要在汛期前全部完成并通过验收以确保群众安全度汛';

  test('no feed at first; making one gives its URL once', async () => {
    const s = await ctx.handlerA.ok('/api/v1/me/feed');
    assert.equal(s.active, false);
    const res = await ctx.handlerA.post('/api/v1/me/feed', {});
    assert.equal(res.status, 201, res.text);
    assert.match(res.body.path, /^\/api\/v1\/feeds\/duban\.ics\?token=[A-Za-z0-9_-]{43}$/);
    url = res.body.path;
    const again = await ctx.handlerA.ok('/api/v1/me/feed');
    assert.equal(again.active, true);
    assert.equal(again.path, undefined, 'the URL is never shown again');
  });

  test('the feed parses strictly and lists the unit’s deadlines as all-day events with reminders', async () => {
    const long = await register(ctx.operator, problemBody(ctx.units.townA.id, { title: LONG, deadline: '2026-12-15' }));
    const other = await register(ctx.operator, problemBody(ctx.units.townB.id, { title: '乙镇的问题', deadline: '2026-12-16' }));
    const co = await register(ctx.operator, problemBody(ctx.units.townB.id, { title: '甲镇配合的问题', deadline: '2026-12-17', counit_ids: [ctx.units.townA.id] }));
    sql(srv.db, `INSERT INTO activity(kind, unit_id, held_on, topic, place, created_at) VALUES ('seminar', ${ctx.units.townA.id}, '2026-10-28', '学习二十届四中全会精神', '镇会议室', 0)`);
    const A = ctx.units.townA.id;
    const me = ctx.handlerA.user.id, someoneElse = ctx.operator.user.id;
    sql(srv.db, `INSERT INTO liaison_enterprise(unit_id, name, kind, created_at) VALUES (${A}, '联系企业甲', 'private', 0)`);
    sql(srv.db, `INSERT INTO liaison_station(unit_id, cadre_user_id, starts_on, ends_on, created_at) VALUES (${A}, ${me}, '2026-01-01', '2026-12-31', 0)`);
    const addVisit = (user, on) => sql(srv.db, `INSERT INTO liaison_visit(unit_id, station_id, enterprise_id, visited_on, visitor_user_id, form, created_at) VALUES (${A}, (SELECT max(id) FROM liaison_station), (SELECT id FROM liaison_enterprise WHERE name = '联系企业甲'), '${on}', ${user}, 'talk', 0)`);
    addVisit(me, '2026-10-30');
    P.visit = sql(srv.db, 'SELECT max(id) FROM liaison_visit');
    addVisit(someoneElse, '2026-10-31');
    P.otherVisit = sql(srv.db, 'SELECT max(id) FROM liaison_visit');
    const res = await srv.client().get(url);
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type'), /^text\/calendar/);
    const cal = parse(res.text);
    const evs = events(cal);
    const byUid = Object.fromEntries(evs.map((e) => [e.uid, e]));
    const mine = byUid[`problem-${long.id}-deadline@duban`];
    assert.ok(mine, res.text);
    assert.equal(mine.summary, `【完成时限】${LONG}`, 'escaped and folded, read back whole');
    assert.equal(mine.start, '20261215');
    assert.equal(mine.startParams.VALUE, 'DATE');
    assert.equal(mine.end, '20261216');
    assert.deepEqual(mine.alarms, ['-P0DT15H']);
    assert.match(mine.description, /责任单位：甲镇/);
    assert.ok(byUid[`problem-${co.id}-deadline@duban`], 'a co-unit’s deadline too');
    assert.equal(byUid[`problem-${other.id}-deadline@duban`], undefined, 'another township’s is not');
    assert.ok(evs.some((e) => e.summary === '【专题研讨】学习二十届四中全会精神' && e.start === '20261028'), 'the kind by its title');
    const visit = evs.find((e) => e.uid === `liaison-visit-${P.visit}@duban`);
    assert.ok(visit, 'the liaison visit the user registered');
    assert.equal(visit.summary, '【统战联系】谈心谈话');
    assert.equal(visit.start, '20261030');
    assert.ok(!res.text.includes('联系企业甲'), 'no enterprise or person named');
    assert.ok(!evs.some((e) => e.uid === `liaison-visit-${P.otherVisit}@duban`), 'not another user\'s visit');
    assert.ok(res.text.split('\r\n').some((l) => l.startsWith(' ')), 'long lines are folded');
  });

  test('revoking stops the URL; a new token retires the old one', async () => {
    assert.equal((await ctx.handlerA.del('/api/v1/me/feed')).status, 200);
    assert.equal((await srv.client().get(url)).status, 404);
    assertError(await ctx.handlerA.del('/api/v1/me/feed'), 404, 'not_found');
    const a = (await ctx.handlerA.post('/api/v1/me/feed', {})).body.path;
    const b = (await ctx.handlerA.post('/api/v1/me/feed', {})).body.path;
    assert.equal((await srv.client().get(a)).status, 404);
    assert.equal((await srv.client().get(b)).status, 200);
    assert.equal((await srv.client().get('/api/v1/feeds/duban.ics?token=not-a-token')).status, 404);
    assert.equal((await srv.client().get('/api/v1/feeds/duban.ics')).status, 404);
    assert.doesNotMatch(srv.stderr(), new RegExp(b.split('token=')[1]), 'the token never reaches the log');
    const audit = await (await srv.auditor()).ok('/api/v1/audit?action=feed.revoke');
    assert.ok(audit.items.length >= 1);
  });
});

describe('the public results page', () => {
  const WHITELIST = ['category', 'closed_on', 'county', 'deadline', 'result', 'state_title', 'title', 'unit_name'];
  const M = (k) => `泄露标记${k}${uid('')}`;
  const markers = {};
  let full, coUnit;
  const responses = [];
  const pub = async (path) => {
    const res = await srv.client().get(path);
    responses.push(res.text);
    return res;
  };

  before(async () => {
    for (const k of ['source', 'description', 'leader', 'person', 'measures', 'goal', 'subject', 'note', 'assign', 'sign', 'progress', 'claim', 'finding', 'file', 'counit'])
      markers[k] = M(k);
    const co = await ctx.admin.post('/api/v1/units', { code: uid('co'), name: markers.counit, kind: 'department', parent_id: 1 });
    assert.equal(co.status, 201, co.text);
    coUnit = co.body;
    full = await register(ctx.operator, problemBody(ctx.units.townA.id, {
      source: markers.source.slice(0, 20), title: '公开标题：村道破损修复', category: '基础设施',
      description: markers.description, leader: markers.leader, person: markers.person, measures: markers.measures,
      goal: markers.goal, subject: markers.subject, note: markers.note, deadline: '2026-12-20', counit_ids: [coUnit.id],
      leader_user_id: ctx.leader.user.id,
    }));
    markers.source = markers.source.slice(0, 20);
    await actOk(ctx.operator, full.id, 'assign', { note: markers.assign });
    await actOk(ctx.handlerA, full.id, 'sign', { note: markers.sign });
    await actOk(ctx.handlerA, full.id, 'report', { progress: markers.progress, staged_result: true });
    const up = await upload(ctx.handlerA, full.id, `${markers.file}.png`, pngOfSize(300, 7));
    assert.equal(up.status, 201, up.text);
    await actOk(ctx.handlerA, full.id, 'claim', { summary: markers.claim }, [up.body.id]);
    await actOk(ctx.supervisor, full.id, 'verify_pass', { method: '电话核实', finding: markers.finding });
  });

  test('only the supervising side may publish; bad input is refused; it is audited', async () => {
    assertError(await ctx.handlerA.put(`/api/v1/problems/${full.id}/public`, { result: '已修复' }), 403, 'forbidden');
    assertError(await ctx.operator.put(`/api/v1/problems/${full.id}/public`, { result: 5 }), 400, 'field_type', 'result');
    assertError(await ctx.operator.put(`/api/v1/problems/${full.id}/public`, { result: 'x'.repeat(501) }), 400, 'field_too_long', 'result');
    assertError(await ctx.operator.put('/api/v1/problems/999999/public', { result: 'x' }), 404, 'not_found');
    const none = await ctx.operator.ok(`/api/v1/problems/${full.id}/public`);
    assert.equal(none.public, false);
    const res = await ctx.operator.put(`/api/v1/problems/${full.id}/public`, { result: '村道已全部修复，群众通行恢复正常。' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.public, true);
    const audit = await (await srv.auditor()).ok('/api/v1/audit?action=problem.publish');
    assert.ok(audit.items.some((a) => a.object === `problem:${full.id}`));
    const d = await ctx.operator.ok(`/api/v1/problems/${full.id}`);
    assert.ok(d.events.some((e) => e.action === 'publish' && e.action_title === '设为公开'));
  });

  test('the public list shows the whitelisted fields, without signing in', async () => {
    const res = await pub('/api/v1/public/results');
    assert.equal(res.status, 200, res.text);
    const it = res.body.items.find((x) => x.title === '公开标题：村道破损修复');
    assert.ok(it, res.text);
    assert.deepEqual(Object.keys(it).sort(), WHITELIST);
    assert.equal(it.category, '基础设施');
    assert.equal(it.unit_name, '甲镇');
    assert.equal(it.deadline, '2026-12-20');
    assert.equal(it.closed_on, '2026-11-02');
    assert.equal(it.result, '村道已全部修复，群众通行恢复正常。');
    assert.equal(it.state_title, '已销号');
  });

  test('search, county and paging', async () => {
    for (const t of ['公开检索甲', '公开检索乙', '公开检索丙']) {
      const p = await register(ctx.operator, problemBody(ctx.units.townB.id, { title: t, deadline: '2026-12-30' }));
      assert.equal((await ctx.operator.put(`/api/v1/problems/${p.id}/public`, { result: '' })).status, 200);
    }
    const q = await pub(`/api/v1/public/results?q=${encodeURIComponent('公开检索')}&limit=2`);
    assert.equal(q.body.total, 3);
    assert.equal(q.body.items.length, 2);
    const page2 = await pub(`/api/v1/public/results?q=${encodeURIComponent('公开检索')}&limit=2&offset=2`);
    assert.equal(page2.body.items.length, 1);
    const counties = await pub('/api/v1/public/counties');
    const c = counties.body.items.find((x) => x.id === 1);
    assert.ok(c && c.public >= 4, counties.text);
    assert.equal((await pub('/api/v1/public/results?county_id=1')).body.total, c.public);
    assert.equal((await pub(`/api/v1/public/results?county_id=${ctx.units.townA.id}`)).body.total, 0, 'a township is no county');
    assertError(await srv.client().get('/api/v1/public/results?limit=0'), 400, 'bad_query', 'limit');
  });

  test('unpublishing takes it off at once (the cache is cleared)', async () => {
    assert.equal((await ctx.operator.del(`/api/v1/problems/${full.id}/public`)).status, 200);
    const res = await pub('/api/v1/public/results');
    assert.equal(res.body.items.some((x) => x.title === '公开标题：村道破损修复'), false);
    assert.equal((await ctx.operator.put(`/api/v1/problems/${full.id}/public`, { result: '村道已全部修复，群众通行恢复正常。' })).status, 200);
    assert.ok((await pub('/api/v1/public/results')).body.items.some((x) => x.title === '公开标题：村道破损修复'));
  });

  test('no marker, person or login ever appears in a public reply', async () => {
    await pub(`/api/v1/public/results?q=${encodeURIComponent('村道')}`);
    const people = [];
    for (const k of ['operator', 'supervisor', 'leader', 'handlerA', 'handlerB', 'handlerD', 'supA']) {
      if (!ctx[k]?.user) continue;
      people.push(ctx[k].user.name, ctx[k].user.login);
    }
    const text = responses.join('\n');
    assert.ok(text.includes('村道已全部修复'));
    for (const [k, m] of Object.entries(markers)) assert.equal(text.includes(m), false, `${k} leaked`);
    for (const p of people.filter(Boolean)) assert.equal(text.includes(`"${p}"`) || text.includes(p), false, `${p} leaked`);
  });

  test('each client may ask 60 times a minute', async () => {
    let limited = null;
    for (let i = 0; i < 130 && !limited; i++) {
      const res = await srv.client().get(`/api/v1/public/results?offset=${i}`);
      if (res.status === 429) limited = res;
    }
    assert.ok(limited, 'no 429 within 130 requests');
    assertError(limited, 429, 'rate_limited');
  });
});
