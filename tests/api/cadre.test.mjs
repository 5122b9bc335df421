// Cadre supervision and early warning (干部监督预警) through its API: cadres with checked,
// sealed and masked ID numbers; clues from member units who see only their own submissions'
// state; 研判 sessions deciding clue by clue; responses only on a 研判 decision (a warning only
// proposes); assessments; the warning list with explanations and no clue texts for leaders;
// the configuration with its audit; 资格审查 naming rule and record; nobody reads their own
// file; every read audited and listed as "who looked at cadre X"; no planted plaintext in the
// SQLite file, its WAL or a backup. Runs as of 2026-05-01 (DUBAN_NOW).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, addUnit, assertError, runCli, tempDir, PG, USER_PW } from './lib/server.mjs';
import { roleUser } from './lib/problems.mjs';

const NOW = '2026-05-01T09:00:00+08:00';
let srv, auditor;
const u = {};
const c = {};
const k = {};

/** A valid 18-digit ID number for the first 17 digits (GB 11643 check character). */
function idno(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}
const PLANT_TEXT = '在某酒店多次接受宴请并收受购物卡PLANT7731';
const PLANT_ID = idno('37100219800101123');

test.before(async () => {
  srv = await startServer({ env: { DUBAN_NOW: NOW } });
  const [admin, secadmin] = await Promise.all([srv.admin(), srv.secadmin()]);
  auditor = await srv.auditor();
  u.zuzhi = await addUnit(admin, { code: 'zuzhibu', name: '县委组织部', kind: 'department' });
  u.jiwei = await addUnit(admin, { code: 'jiwei', name: '县纪委监委', kind: 'department' });
  u.xinfang = await addUnit(admin, { code: 'xinfang', name: '县信访局', kind: 'department' });
  u.townA = await addUnit(admin, { code: 'xicheng', name: '西城街道' });
  u.townB = await addUnit(admin, { code: 'dongcheng', name: '东城街道' });
  const people = {
    section: { name: '周监督', unit: u.zuzhi.id, grants: [['cadre_section', 1]] },
    sectionA: { name: '吴科员', unit: u.townA.id, grants: [['cadre_section', u.townA.id]] },
    jiwei: { name: '郑纪检', unit: u.jiwei.id, grants: [['cadre_member', 1]] },
    xinfang: { name: '冯信访', unit: u.xinfang.id, grants: [['cadre_member', 1]] },
    leader: { name: '陈部长', unit: u.zuzhi.id, grants: [['cadre_leader', 1]] },
    selfie: { name: '王镇长', unit: u.townA.id, grants: [['cadre_section', 1]] },
  };
  for (const [login, p] of Object.entries(people))
    c[login] = await roleUser(srv, admin, secadmin, { login, name: p.name, unit_id: p.unit, grants: p.grants });
});
test.after(() => srv?.stopClean());

async function created(res) {
  assert.equal(res.status, 201, res.text);
  return res.body;
}

test('cadres: ID numbers checked, sealed and masked; only the section registers', async () => {
  k.a = await created(await c.section.post('/api/v1/cadre/cadres', {
    unit_id: u.townA.id, name: '李建国', position: '西城街道党工委副书记', rank: 'section', id_number: PLANT_ID,
    in_post_on: '2022-03-01' }));
  k.b = await created(await c.section.post('/api/v1/cadre/cadres', { unit_id: u.townA.id, name: '张红', position: '西城街道办事处副主任' }));
  k.c = await created(await c.section.post('/api/v1/cadre/cadres', { unit_id: u.townB.id, name: '赵强', position: '东城街道党工委委员' }));
  k.self = await created(await c.section.post('/api/v1/cadre/cadres', {
    unit_id: u.townA.id, name: '王镇长', position: '西城街道办事处主任', user_id: c.selfie.user.id }));
  assertError(await c.section.post('/api/v1/cadre/cadres', { unit_id: u.townA.id, name: '错号', position: '科员', id_number: '371002198001011230' }), 400, 'id_number_invalid', 'id_number');
  assertError(await c.section.post('/api/v1/cadre/cadres', { unit_id: u.townA.id, name: '错日', position: '科员', id_number: idno('37100219801301123') }), 400, 'id_number_invalid', 'id_number');
  assertError(await c.section.post('/api/v1/cadre/cadres', { unit_id: u.townA.id, name: '重号', position: '科员', id_number: PLANT_ID }), 409, 'duplicate', 'id_number');
  assertError(await c.section.post('/api/v1/cadre/cadres', { unit_id: u.townA.id, name: '错级', position: '科员', rank: 'general' }), 400, 'field_invalid', 'rank');
  assertError(await c.section.post('/api/v1/cadre/cadres', { unit_id: u.townA.id, position: '科员' }), 400, 'field_required', 'name');
  assertError(await c.sectionA.post('/api/v1/cadre/cadres', { unit_id: u.townB.id, name: '越界', position: '科员' }), 403, 'forbidden');
  assertError(await c.jiwei.post('/api/v1/cadre/cadres', { unit_id: u.townA.id, name: '成员', position: '科员' }), 403, 'forbidden');
  const list = await c.section.ok('/api/v1/cadre/cadres');
  assert.equal(list.total, 4);
  const a = list.items.find((x) => x.id === k.a.id);
  assert.equal(a.id_masked, PLANT_ID.slice(0, 6) + '********' + PLANT_ID.slice(14));
  assert.ok(!JSON.stringify(list).includes(PLANT_ID));
  // the township's section sees its own subtree only
  const mine = await c.sectionA.ok('/api/v1/cadre/cadres');
  assert.deepEqual(mine.items.map((x) => x.name).sort(), ['张红', '李建国', '王镇长'].sort());
  // the full number only on request, for cadre.write
  const full = await c.section.ok(`/api/v1/cadre/cadres/${k.a.id}?reveal=1`);
  assert.equal(full.id_number, PLANT_ID);
  assertError(await c.leader.get(`/api/v1/cadre/cadres/${k.a.id}`), 403, 'forbidden');
  assert.equal((await c.leader.ok('/api/v1/cadre/cadres')).total, 0);
});

test('clues: member units submit and see only their own submissions state', async () => {
  const pick = await c.jiwei.ok('/api/v1/cadre/pick?q=' + encodeURIComponent('李建'));
  assert.deepEqual(pick.items.map((x) => x.name), ['李建国']);
  assert.equal(pick.items[0].id_masked, undefined);
  assertError(await c.jiwei.get('/api/v1/cadre/pick'), 400, 'bad_query', 'q');
  k.clue1 = await created(await c.jiwei.post('/api/v1/cadre/clues', {
    cadre_id: k.a.id, source: 'discipline', circle: 'social', category: 'integrity', severity: 2,
    occurred_on: '2026-03-10', description: PLANT_TEXT }));
  k.clue2 = await created(await c.xinfang.post('/api/v1/cadre/clues', {
    cadre_id: k.a.id, source: 'petition', circle: 'work', category: 'duty', occurred_on: '2026-04-02',
    description: '群众反映推诿扯皮，办事拖延' }));
  k.clue3 = await created(await c.xinfang.post('/api/v1/cadre/clues', {
    cadre_id: k.c.id, source: 'personal_report', circle: 'life', category: 'conceal', occurred_on: '2026-02-01',
    description: '个人有关事项报告未报告配偶经商情况' }));
  assertError(await c.jiwei.post('/api/v1/cadre/clues', { cadre_id: k.a.id, source: 'nosuch', circle: 'work', category: 'duty', occurred_on: '2026-03-01', description: 'x' }), 400, 'field_invalid', 'source');
  assertError(await c.jiwei.post('/api/v1/cadre/clues', { cadre_id: k.a.id, source: 'audit', circle: 'home', category: 'duty', occurred_on: '2026-03-01', description: 'x' }), 400, 'field_invalid', 'circle');
  assertError(await c.jiwei.post('/api/v1/cadre/clues', { cadre_id: k.a.id, source: 'audit', circle: 'work', category: 'duty', occurred_on: '2026-06-01', description: 'x' }), 400, 'field_invalid', 'occurred_on');
  assertError(await c.jiwei.post('/api/v1/cadre/clues', { cadre_id: 99999, source: 'audit', circle: 'work', category: 'duty', occurred_on: '2026-03-01', description: 'x' }), 400, 'field_invalid', 'cadre_id');
  assertError(await c.leader.post('/api/v1/cadre/clues', { cadre_id: k.a.id, source: 'audit', circle: 'work', category: 'duty', occurred_on: '2026-03-01', description: 'x' }), 403, 'forbidden');
  const sj = await c.jiwei.ok('/api/v1/cadre/submissions');
  assert.equal(sj.total, 1);
  assert.equal(sj.items[0].state, '待研判');
  assert.equal(sj.items[0].description, undefined);
  const sx = await c.xinfang.ok('/api/v1/cadre/submissions');
  assert.equal(sx.total, 2);
  // a member unit reads no clue, not even its own text, and no file
  assertError(await c.jiwei.get(`/api/v1/cadre/clues/${k.clue2.id}`), 403, 'forbidden');
  assertError(await c.jiwei.get(`/api/v1/cadre/clues/${k.clue1.id}`), 403, 'forbidden');
  assertError(await c.jiwei.get(`/api/v1/cadre/cadres/${k.a.id}`), 403, 'forbidden');
  assert.equal((await c.jiwei.ok('/api/v1/cadre/clues')).total, 0);
  // the section reads the text
  const one = await c.section.ok(`/api/v1/cadre/clues/${k.clue1.id}`);
  assert.equal(one.description, PLANT_TEXT);
  assert.equal(one.reporter_unit, '县纪委监委');
  const pending = await c.section.ok('/api/v1/cadre/clues?state=pending');
  assert.equal(pending.total, 3);
});

test('warnings: score with its explanation, the count rule, no clue text for leaders', async () => {
  const w = await c.leader.ok('/api/v1/cadre/warnings');
  const a = w.items.find((x) => x.cadre_id === k.a.id);
  assert.ok(a, JSON.stringify(w));
  assert.equal(a.level, 'yellow');
  assert.match(a.count_rule, /2条未研判线索、来自2个不同来源/);
  assert.equal(a.explanation.length, 2);
  assert.ok(a.explanation.every((e) => e.points > 0 && e.title.startsWith('线索')));
  assert.ok(!JSON.stringify(w).includes('PLANT7731'));
  assert.ok(!JSON.stringify(w).includes('推诿'));
  assert.match(a.advice, /须经研判确认/);
  // the leader may not read the clue's text without cadre.read
  assertError(await c.leader.get(`/api/v1/cadre/clues/${k.clue1.id}`), 403, 'forbidden');
  assert.equal((await c.jiwei.ok('/api/v1/cadre/warnings')).total, 0);
});

test('a warning only proposes: no response without a 研判 decision', async () => {
  const body = { kind: 'remind', decided_on: '2026-04-20', content: '提醒谈话内容' };
  assertError(await c.section.post('/api/v1/cadre/responses', body), 409, 'no_judgement_decision', 'decision_id');
  assertError(await c.section.post('/api/v1/cadre/responses', { ...body, decision_id: 9999 }), 409, 'no_judgement_decision', 'decision_id');
});

test('研判: clue by clue and cadre by cadre, in one transaction', async () => {
  const session = {
    unit_id: 1, title: '2026年第一季度联席研判会', held_on: '2026-04-25',
    participants: '县委组织部、县纪委监委、县信访局',
    decisions: [
      { clue_id: k.clue1.id, disposal: 'talk_inquiry', response_kind: 'admonish', reason: '反映问题具体，予以诫勉' },
      { clue_id: k.clue2.id, disposal: 'close', reason: '经了解，反映不实' },
      { clue_id: k.clue3.id, disposal: 'verify', response_kind: 'inquiry', reason: '函询核实' },
    ],
  };
  assertError(await c.leader.post('/api/v1/cadre/sessions', session), 403, 'forbidden');
  assertError(await c.section.post('/api/v1/cadre/sessions', { ...session, decisions: [{ clue_id: k.clue1.id, disposal: 'forget', reason: 'x' }] }), 400, 'field_invalid', 'decisions:1:disposal');
  assertError(await c.section.post('/api/v1/cadre/sessions', { ...session, decisions: [{ cadre_id: k.a.id, reason: 'x' }] }), 400, 'field_required', 'decisions:1:response_kind');
  assertError(await c.sectionA.post('/api/v1/cadre/sessions', { ...session, unit_id: u.townA.id, decisions: [{ clue_id: k.clue3.id, disposal: 'close', reason: 'x' }] }), 403, 'forbidden');
  assertError(await c.selfie.post('/api/v1/cadre/sessions', { ...session, decisions: [{ cadre_id: k.self.id, response_kind: 'remind', reason: '自己' }] }), 403, 'own_cadre_file');
  const s = await created(await c.section.post('/api/v1/cadre/sessions', session));
  assert.equal(s.decisions.length, 3);
  k.decAdmonish = s.decisions[0];
  k.decInquiry = s.decisions[2];
  // a clue judged once cannot be judged again; nothing of the refused session stays
  assertError(await c.section.post('/api/v1/cadre/sessions', { ...session, decisions: [{ cadre_id: k.b.id, response_kind: 'remind', reason: '一并' }, { clue_id: k.clue2.id, disposal: 'hold', reason: 'x' }] }), 409, 'clue_already_judged', 'decisions:2:clue_id');
  assert.equal((await c.section.ok('/api/v1/cadre/sessions')).total, 1);
  const sj = await c.jiwei.ok('/api/v1/cadre/submissions');
  assert.equal(sj.items[0].state, '已研判');
});

test('responses: on the decision only, once, with the 诫勉谈话记录 and its impact period', async () => {
  const adm = { decision_id: k.decAdmonish, kind: 'admonish', decided_on: '2026-04-28', talker: '陈部长（县委组织部部长）',
    recorder: '周监督（县委组织部干部监督科）', place: '县委组织部302会议室', content: '诫勉谈话：指出问题PLANT_TALK_5521，提出整改要求' };
  assertError(await c.section.post('/api/v1/cadre/responses', { ...adm, kind: 'remind' }), 409, 'no_judgement_decision', 'kind');
  assertError(await c.section.post('/api/v1/cadre/responses', { ...adm, talker: '' }), 400, 'field_required', 'talker');
  assertError(await c.section.post('/api/v1/cadre/responses', { ...adm, decided_on: '2026-04-01' }), 400, 'field_invalid', 'decided_on');
  assertError(await c.sectionA.post('/api/v1/cadre/responses', { ...adm, decision_id: k.decInquiry, kind: 'inquiry', reply_due: '2026-05-15' }), 403, 'forbidden');
  const r = await created(await c.section.post('/api/v1/cadre/responses', adm));
  assert.equal(r.impact_until, '2026-10-28');
  assertError(await c.section.post('/api/v1/cadre/responses', adm), 409, 'duplicate', 'decision_id');
  assertError(await c.section.post('/api/v1/cadre/responses', { decision_id: k.decInquiry, kind: 'inquiry', decided_on: '2026-04-28', content: '函询' }), 400, 'field_required', 'reply_due');
  await created(await c.section.post('/api/v1/cadre/responses', { decision_id: k.decInquiry, kind: 'inquiry', decided_on: '2026-04-28', reply_due: '2026-05-15', finding: 'true', content: '函询回复：确有瞒报配偶经商情况' }));
  const file = await c.section.ok(`/api/v1/cadre/cadres/${k.a.id}`);
  assert.equal(file.responses.length, 1);
  assert.equal(file.responses[0].in_impact, true);
  assert.match(file.responses[0].content, /PLANT_TALK_5521/);
  assert.equal(file.clues.length, 2);
  assert.equal(file.clues.find((x) => x.id === k.clue2.id).disposal_title, '予以了结');
  assert.ok(file.timeline.length >= 4);
  assert.ok(file.warning.explanation.some((e) => e.kind === 'response'));
});

test('assessments and 资格审查: who is ineligible, by which rule and record', async () => {
  await created(await c.section.post('/api/v1/cadre/assessments', { cadre_id: k.b.id, year: 2025, grade: 'basic', evidence: '年度考核民主测评' }));
  await created(await c.section.post('/api/v1/cadre/assessments', { cadre_id: k.a.id, year: 2025, grade: 'competent' }));
  await created(await c.section.post('/api/v1/cadre/assessments', { cadre_id: k.a.id, year: 2026, quarter: 1, grade: 'competent' }));
  assertError(await c.section.post('/api/v1/cadre/assessments', { cadre_id: k.b.id, year: 2025, grade: 'excellent' }), 409, 'duplicate');
  assertError(await c.section.post('/api/v1/cadre/assessments', { cadre_id: k.b.id, year: 2024, grade: 'great' }), 400, 'field_invalid', 'grade');
  assertError(await c.section.post('/api/v1/cadre/assessments', { cadre_id: k.b.id, year: 2024, quarter: 5, grade: 'basic' }), 400, 'field_invalid', 'quarter');
  const promo = await c.section.post('/api/v1/cadre/eligibility', { purpose: 'promotion', cadre_ids: [k.a.id, k.b.id, k.c.id] });
  assert.equal(promo.status, 200, promo.text);
  const by = Object.fromEntries(promo.body.items.map((x) => [x.cadre_id, x]));
  assert.equal(by[k.a.id].eligible, false);
  assert.equal(by[k.a.id].reasons[0].rule, 'promotion_impact');
  assert.match(by[k.a.id].reasons[0].record.title, /诫勉/);
  assert.equal(by[k.a.id].reasons[0].record.until, '2026-10-28');
  assert.equal(by[k.b.id].eligible, true);
  assert.equal(by[k.c.id].reasons[0].rule, 'promotion_conceal');
  assert.equal(promo.body.ineligible, 2);
  const award = await c.section.post('/api/v1/cadre/eligibility', { purpose: 'award', year: 2025, cadre_ids: [k.b.id] });
  assert.equal(award.body.items[0].reasons[0].rule, 'award_grade');
  assert.match(award.body.items[0].reasons[0].record.title, /2025年度考核：基本称职/);
  assertError(await c.section.post('/api/v1/cadre/eligibility', { purpose: 'party', cadre_ids: [k.a.id] }), 400, 'field_invalid', 'purpose');
  assertError(await c.selfie.post('/api/v1/cadre/eligibility', { purpose: 'promotion', cadre_ids: [k.a.id, k.self.id] }), 403, 'own_cadre_file');
  assertError(await c.leader.post('/api/v1/cadre/eligibility', { purpose: 'promotion', cadre_ids: [k.a.id] }), 403, 'forbidden');
});

test('nobody reads their own file; every read is listed under the cadre', async () => {
  assertError(await c.selfie.get(`/api/v1/cadre/cadres/${k.self.id}`), 403, 'own_cadre_file');
  const list = await c.selfie.ok('/api/v1/cadre/clues');
  assert.ok(list.items.every((x) => x.cadre_id !== k.self.id));
  assert.ok((await c.selfie.ok(`/api/v1/cadre/cadres/${k.a.id}`)).name === '李建国');
  assertError(await c.section.get(`/api/v1/cadre/cadres/${k.a.id}/reads`), 403, 'forbidden');
  const who = await auditor.ok(`/api/v1/cadre/cadres/${k.a.id}/reads`);
  const names = new Set(who.items.map((x) => x.who));
  assert.ok(names.has('周监督（县委组织部）'), JSON.stringify([...names]));
  assert.ok(names.has('王镇长（西城街道）'));
  assert.ok(names.has('陈部长（县委组织部）'));
  assert.ok(who.items.some((x) => x.object === `cadre_clue:${k.clue1.id}`));
  assert.ok(who.items.some((x) => x.what === 'eligibility'));
  assert.ok(who.items.some((x) => x.permission === 'cadre.warning.read'));
});

test('configuration: weights and levels, audited; a change moves the level', async () => {
  const cfg = await c.section.ok('/api/v1/cadre/config');
  assert.equal(cfg.settings.window_days, 365);
  assertError(await c.leader.put('/api/v1/cadre/config', { settings: { level_red: 1 } }), 403, 'forbidden');
  assertError(await c.sectionA.put('/api/v1/cadre/config', { settings: { level_red: 9000 } }), 403, 'forbidden');
  assertError(await c.section.put('/api/v1/cadre/config', { settings: { level_yellow: 99999 } }), 400, 'field_invalid', 'settings:level_yellow');
  assertError(await c.section.put('/api/v1/cadre/config', { settings: { bogus: 1 } }), 400, 'field_unknown', 'settings:bogus');
  assertError(await c.section.put('/api/v1/cadre/config', { weights: [{ dim: 'source', code: 'nosuch', weight: 10 }] }), 400, 'field_invalid', 'weights:1:code');
  assert.equal((await c.section.ok('/api/v1/cadre/config')).settings.level_yellow, 4000);
  const res = await c.section.put('/api/v1/cadre/config', { settings: { level_blue: 500, level_yellow: 1000, level_red: 1500 }, weights: [{ dim: 'response', code: 'admonish', weight: 4000 }] });
  assert.equal(res.status, 200, res.text);
  const w = await c.leader.ok('/api/v1/cadre/warnings?level=red');
  assert.ok(w.items.some((x) => x.cadre_id === k.a.id && x.level === 'red'));
  const log = await auditor.ok('/api/v1/audit?action=cadre.config');
  assert.ok(log.items.length >= 1);
  assert.equal(log.items[0].detail.after.settings.level_red, 1500);
  assert.equal(log.items[0].detail.before.settings.level_red, 7000);
});

test('figures by source, circle, category, month, disposal and grade, with drill-down', async () => {
  const s = await c.section.ok('/api/v1/cadre/stats');
  const n = (arr, key) => arr.find((g) => g.key === key)?.n;
  assert.equal(n(s.by_source, 'discipline'), 1);
  assert.equal(s.by_source.find((g) => g.key === 'petition').label, '信访');
  assert.equal(n(s.by_category, 'conceal'), 1);
  assert.equal(n(s.by_circle, 'work'), 1);
  assert.deepEqual(s.by_month.map((g) => g.key), ['2026-02', '2026-03', '2026-04']);
  assert.equal(s.by_disposal.find((g) => g.key === 'close').label, '予以了结');
  assert.equal(s.responses, 2);
  assert.equal(s.first_form_permille, 1000);
  assert.equal(s.avg_days_to_disposal, 51);
  const drill = await c.section.ok('/api/v1/cadre/clues?source=discipline');
  assert.deepEqual(drill.items.map((x) => x.id), [k.clue1.id]);
  assert.equal((await c.section.ok('/api/v1/cadre/clues?month=2026-04&disposal=close')).total, 1);
  assert.equal((await c.sectionA.ok('/api/v1/cadre/stats')).by_source.length, 2); // 西城街道's cadres only
  assert.deepEqual((await c.leader.ok('/api/v1/cadre/stats')).by_source, []);
});

test('no planted plaintext in the database file, its WAL or a backup', { skip: PG ? 'SQLite files only' : false }, async () => {
  const plants = [PLANT_TEXT, 'PLANT7731', 'PLANT_TALK_5521', PLANT_ID, '瞒报配偶经商'];
  const files = [srv.db, srv.db + '-wal'].filter((f) => fs.existsSync(f));
  const backup = path.join(tempDir(), 'backup.db');
  const r = runCli(['backup', backup, '--db', srv.db]);
  assert.equal(r.code, 0, r.stderr);
  files.push(backup);
  for (const f of files) {
    const bytes = fs.readFileSync(f);
    for (const p of plants) assert.equal(bytes.indexOf(Buffer.from(p, 'utf8')), -1, `${p} found in ${f}`);
  }
  // but the names (not sealed) are there: the scan reads the real file
  assert.notEqual(fs.readFileSync(backup).indexOf(Buffer.from('李建国', 'utf8')), -1);
});

test('key rotation: re-encrypted under a new key file, readable only with it', async () => {
  await srv.stop();
  const newKey = path.join(tempDir(), 'cadre.key');
  const r = runCli(['cadre', 'rekey', newKey, '--db', srv.db], { env: { DUBAN_NOW: NOW } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /re-encrypted \d+ values/);
  assert.equal(fs.statSync(newKey).mode & 0o777, 0o600);
  // the same key again is refused
  const again = runCli(['cadre', 'rekey', newKey, '--db', srv.db], { env: { DUBAN_NOW: NOW, DUBAN_CADRE_KEY_FILE: newKey } });
  assert.equal(again.code, 2, again.stderr);
  // with the new key: everything reads, and the ID numbers' uniqueness still holds
  srv = await startServer({ dir: srv.dir, db: srv.db, env: { DUBAN_NOW: NOW, DUBAN_CADRE_KEY_FILE: newKey } });
  let section = await srv.login('section', USER_PW);
  assert.equal((await section.ok(`/api/v1/cadre/clues/${k.clue1.id}`)).description, PLANT_TEXT);
  assert.equal((await section.ok(`/api/v1/cadre/cadres/${k.a.id}?reveal=1`)).id_number, PLANT_ID);
  assertError(await section.post('/api/v1/cadre/cadres', { unit_id: u.townA.id, name: '重号', position: '科员', id_number: PLANT_ID }), 409, 'duplicate', 'id_number');
  const auditor2 = await srv.auditor();
  assert.equal((await auditor2.ok('/api/v1/audit?action=cadre.rekey')).items.length, 1);
  await srv.stop();
  // with the old key the texts do not open
  srv = await startServer({ dir: srv.dir, db: srv.db, env: { DUBAN_NOW: NOW } });
  section = await srv.login('section', USER_PW);
  assert.equal((await section.ok(`/api/v1/cadre/clues/${k.clue1.id}`)).description, '〔无法解密〕');
});
