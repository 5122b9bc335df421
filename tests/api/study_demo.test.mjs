// The demo county's study and outreach registry (issue #5 item 9): `duban demo` writes two years
// of records at the seed's scale, and a server over it shows them — the county's figures and its
// summary, last month's 三定一分享 with branches on both sides, observers' feedback, and a
// township clerk confined to his township.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runCli, startServer, tempDir } from './lib/server.mjs';

const PW = 'Ningjin@2024';
// The demo writes two years back from "today": the suite sets today, so its figures do not
// depend on the date it runs (the dates below include a month's first day and a leap day).
const TODAY = '2026-12-03T10:00:00+08:00';
const NOW = { DUBAN_NOW: TODAY };
let db, srv;

function ok(args, env = NOW) {
  const r = runCli([...args, '--db', db], { env });
  assert.equal(r.code, 0, `duban ${args.join(' ')}: ${r.stderr}`);
  return r;
}

/** YYYY-MM of the month before TODAY's. */
function lastMonth() {
  const [y, m] = TODAY.slice(0, 7).split('-').map(Number);
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
}

/** The demo's study line, parsed: the counts it wrote. */
function studyLine(stdout) {
  const m = /study: (\d+) sessions \((\d+) 中心组, (\d+) 研讨\), (\d+) outreach events to (\d+) people, (\d+) persons in (\d+) branches/.exec(stdout);
  assert.ok(m, stdout);
  const [sessions, cg, sem, outreach, audience, persons, branches] = m.slice(1).map(Number);
  return { sessions, cg, sem, outreach, audience, persons, branches };
}

/** The seed's figures: "1300余次", "研讨764场", "5000余场次，受众20万余人次". */
function assertSeedScale(f, when) {
  assert.ok(f.cg >= 1300 && f.cg < 1400, `${when}: 中心组 ${f.cg}`);
  assert.equal(f.sem, 764, when);
  assert.ok(f.sessions > f.cg + f.sem, when);
  assert.ok(f.outreach >= 5000 && f.outreach < 5100, `${when}: outreach ${f.outreach}`);
  assert.ok(f.audience >= 200000 && f.audience < 300000, `${when}: audience ${f.audience}`);
  assert.ok(f.persons >= 500 && f.persons <= 2000, `${when}: persons ${f.persons}`);
  assert.ok(f.branches >= 10, `${when}: branches ${f.branches}`);
}

before(() => {
  db = path.join(tempDir('duban-study-demo-'), 'demo.db');
  ok(['init']);
});

after(async () => {
  if (srv) await srv.stopClean();
});

describe('the demo county\'s study records', () => {
  test('duban demo writes them, prints their line, and the audit chain and tick still work', () => {
    const r = ok(['demo', '--problems', '60']);
    assertSeedScale(studyLine(r.stdout), TODAY);
    assert.match(r.stdout, /xuanchuanbu01/);
    assert.match(r.stdout, /chaihudian_xx/);
    assert.match(r.stdout, /liexi01/);
    assert.match(ok(['audit', 'verify']).stdout, /intact/);
    ok(['tick']);
  });

  test('the county clerk sees the figures, the summary, compliance and feedback', async () => {
    srv = await startServer({ db, dir: path.dirname(db), flags: ['--tick_interval', '86400'], env: NOW });
    const c = await srv.login('xuanchuanbu01', PW);
    const s = await c.ok('/api/v1/study/stats');
    assert.ok(s.total.outreach >= 5000, `outreach ${s.total.outreach}`);
    assert.ok(s.total.audience > 200000, `audience ${s.total.audience}`);
    assert.equal(s.total.discussions, 764);
    assert.equal(s.total.member_lecturers, 136);
    assert.ok(s.total.attendance_rate > 0.8 && s.total.attendance_rate < 1, `attendance ${s.total.attendance_rate}`);
    assert.ok(s.total.outputs >= 40, `outputs ${s.total.outputs}`);
    const lecturers = await c.ok('/api/v1/study/activities?' + new URLSearchParams(s.total.filters.member_lecturers) + '&limit=1');
    assert.ok(lecturers.total >= 136, 'the drill-down behind 普通党员上讲台');

    const sum = await c.ok('/api/v1/study/summary');
    assert.match(sum.text, /^(截至\d{4}年\d{1,2}月\d{1,2}日|\d{4}年(\d{1,2}月(\d{1,2}日)?)?以来)，/, sum.text);
    assert.match(sum.text, /全县/);
    assert.match(sum.text, /全县开展县委理论学习中心组学习16次、研讨13次/, sum.text);
    assert.match(sum.text, /1300余次/);
    assert.match(sum.text, /开展宣讲活动5000余场次，受众20万余人次/, sum.text);

    const comp = await c.ok(`/api/v1/study/compliance?month=${lastMonth()}`);
    assert.ok(comp.items.length >= 10, `${comp.items.length} branches`);
    assert.ok(comp.items.some((b) => b.compliant), 'some branch kept 三定一分享 last month');
    assert.ok(comp.items.some((b) => !b.compliant && b.fixed_day), 'some branch with a fixed day missed it');
    assert.ok(comp.items.some((b) => b.fixed_day === null), 'some branch declared no day');

    const fb = await c.ok('/api/v1/study/feedback?limit=100');
    const states = fb.items.map((f) => f.state);
    assert.ok(states.filter((x) => x === 'answered').length > states.filter((x) => x === 'open').length, states.join(','));
    assert.ok((await c.ok('/api/v1/study/feedback?overdue=1')).total >= 1, 'one observation lapsed unanswered');
    for (const p of ['plans', 'brands', 'teams', 'sites', 'visits'])
      assert.ok((await c.ok(`/api/v1/study/${p}`)).items.length > 0, p);
  });

  test('a township clerk sees his township\'s records only', async () => {
    const county = await srv.login('xuanchuanbu01', PW);
    const all = await county.ok('/api/v1/study/stats');
    const t = await srv.login('chaihudian_xx', PW);
    const units = await t.ok('/api/v1/units');
    const names = new Set((units.items ?? units).map((u) => u.name));
    const acts = await t.ok('/api/v1/study/activities?limit=500');
    assert.ok(acts.total > 0 && acts.total < all.total.sessions, `${acts.total}`);
    for (const a of acts.items) assert.ok(names.has(a.unit_name) || /柴胡店镇/.test(a.unit_name), a.unit_name);
    assert.ok(acts.items.some((a) => a.unit_name === '柴胡店镇'));
    assert.ok(!acts.items.some((a) => /县委|津城街道|县应急管理局/.test(a.unit_name)));
    const persons = await t.ok('/api/v1/study/persons?limit=500');
    assert.ok(persons.total > 0 && persons.items.every((p) => !/县委|县应急管理局|津城街道/.test(p.unit_name)));
    const mine = await t.ok('/api/v1/study/stats');
    assert.ok(mine.total.outreach > 0 && mine.total.outreach < all.total.outreach);
    const comp = await t.ok(`/api/v1/study/compliance?month=${lastMonth()}`);
    assert.deepEqual(comp.items.map((b) => b.name), ['柴胡店镇机关党支部']);
    const fb = await t.ok('/api/v1/study/feedback?limit=100');
    assert.ok(fb.items.length > 0 && fb.items.every((f) => f.unit_name === '柴胡店镇'), fb.items.map((f) => f.unit_name).join(','));
    const sum = await t.ok('/api/v1/study/summary');
    assert.match(sum.text, /柴胡店镇/);
    assert.doesNotMatch(sum.text, /全县/);
  });
});

test('demo --only refuses a name that is no mechanism with a demo part', () => {
  const other = path.join(tempDir('duban-study-demo-only-'), 'demo.db');
  assert.equal(runCli(['init', '--db', other]).code, 0);
  const r = runCli(['demo', '--only', 'study,nosuch', '--db', other]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--only names a mechanism without a demo part: study,nosuch/);
});

describe('the demo reaches the seed\'s figures whatever the date', () => {
  for (const when of ['2027-01-01T08:00:00+08:00', '2028-02-29T23:30:00+08:00', '2027-03-01T00:10:00+08:00']) {
    test(`as of ${when}`, () => {
      const other = path.join(tempDir('duban-study-demo-date-'), 'demo.db');
      const env = { DUBAN_NOW: when };
      const run = (args) => {
        const r = runCli([...args, '--db', other], { env });
        assert.equal(r.code, 0, `duban ${args.join(' ')} (${when}): ${r.stderr}`);
        return r;
      };
      run(['init']);
      // The study registry's part alone: the other mechanisms' demos have suites of their own.
      assertSeedScale(studyLine(run(['demo', '--problems', '20', '--only', 'study']).stdout), when);
      assert.match(run(['audit', 'verify']).stdout, /intact/);
    });
  }
});
