// Reading the audit log as people do: each record names its actor as a person (姓名（单位）,
// the CLI as 命令行·系统管理员), the foundation's objects by name, and the mechanisms' objects
// through their …/names endpoints, which only the audit administrator may call. Grants name
// grantee and grantor the same way. And every action code the C code appends has a Chinese
// name and sentence in the UI's vocabulary (web/src/mechs/*/audit.js), so none shows bare.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertError, startServer } from './lib/server.mjs';
import { actOk, county, problemBody, register } from './lib/problems.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let srv, ctx, auditor, p;

before(async () => {
  srv = await startServer();
  ctx = await county(srv);
  auditor = await srv.auditor();
  p = await register(ctx.operator, problemBody(ctx.units.townA.id, { title: '村口垃圾堆放' }));
  await actOk(ctx.operator, p.id, 'assign', { note: '限期清理' });
});
after(async () => {
  await srv?.stop();
});

test('records name their actor as a person, never by login; the CLI as 命令行·系统管理员', async () => {
  const r = await auditor.ok('/api/v1/audit?action=problem.assign');
  const rec = r.items.find((x) => x.object === `problem:${p.id}`);
  assert.equal(rec.actor, 'operator');
  assert.deepEqual(
    { name: rec.actor_person.name, unit: rec.actor_person.unit_name, label: rec.actor_person.label, kind: rec.actor_person.kind },
    { name: '周督查', unit: '县委督查室', label: '周督查（县委督查室）', kind: 'user' },
  );
  const init = (await auditor.ok('/api/v1/audit?action=system.init')).items[0];
  assert.match(init.actor, /^cli:/);
  assert.equal(init.actor_person.label, '命令行·系统管理员');
  assert.equal(init.actor_person.id, null);
});

test('foundation objects are named: a unit, a user, a grant with its scope', async () => {
  const unit = (await auditor.ok('/api/v1/audit?action=unit.create')).items.find((x) => x.object === `unit:${ctx.units.townA.id}`);
  assert.equal(unit.object_name, '甲镇');
  const user = (await auditor.ok('/api/v1/audit?action=user.create')).items.find((x) => x.object === `user:${ctx.handlerA.user.id}`);
  assert.equal(user.object_name, '甲镇经办人（甲镇）');
  const grants = (await auditor.ok('/api/v1/audit?action=grant.create&limit=500')).items;
  assert.ok(grants.some((g) => g.object_name === '甲镇经办人（甲镇），范围：甲镇'), JSON.stringify(grants.map((g) => g.object_name)));
});

test('a mechanism names its objects for the audit administrator only', async () => {
  const r = await auditor.ok(`/api/v1/problems/names?objects=problem:${p.id},problem:999999,unit:1,bad`);
  assert.deepEqual(r.items, [{ object: `problem:${p.id}`, name: { title: '村口垃圾堆放', unit_name: '甲镇' }, page_id: p.id }]);
  const s = await auditor.ok('/api/v1/study/names?objects=activity:999999');
  assert.deepEqual(s.items, []);
  assertError(await ctx.operator.get(`/api/v1/problems/names?objects=problem:${p.id}`), 403, 'forbidden');
  assertError(await ctx.operator.get('/api/v1/study/names?objects=activity:1'), 403, 'forbidden');
});

test('grants name the grantee and the grantor as people', async () => {
  const secadmin = await srv.secadmin();
  const r = await secadmin.ok(`/api/v1/grants?user_id=${ctx.handlerA.user.id}`);
  assert.equal(r.items[0].user.label, '甲镇经办人（甲镇）');
  assert.equal(r.items[0].granted_by.label, '安全管理员（示范县）');
  const mine = await secadmin.ok(`/api/v1/grants?user_id=${secadmin.user.id}`);
  assert.equal(mine.items[0].granted_by.label, '命令行·系统管理员');
});

test('the tree\'s history names who changed it', async () => {
  const admin = await srv.admin();
  const h = await admin.ok(`/api/v1/units/${ctx.units.townA.id}/history`);
  assert.equal(h.items[0].actor_person.label, '系统管理员（示范县）');
});

// Every literal action code passed to app_audit / audit_append, and the flow actions the
// problem list records as problem.<action>, the brands, teams and sites as study.<t>.create.
function appendedCodes() {
  const codes = new Set();
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (f.endsWith('.c')) {
        const text = fs.readFileSync(f, 'utf8');
        for (const m of text.matchAll(/(?:app_audit|audit_change|audit_append|liaison_audit)\s*\(([^;]*?)\)\s*;/gs))
          for (const c of m[1].matchAll(/"([a-z_]+(?:\.[a-z_]+)+|logout)"/g)) codes.add(c[1]);
      }
    }
  };
  walk(path.join(ROOT, 'src'));
  const flow = JSON.parse(fs.readFileSync(path.join(ROOT, 'flows/problem.json'), 'utf8'));
  for (const a of flow.actions) codes.add(`problem.${a.name}`);
  const budget = JSON.parse(fs.readFileSync(path.join(ROOT, 'flows/budget.json'), 'utf8'));
  for (const a of budget.actions) codes.add(`budget.${a.name}`);
  for (const t of ['brand', 'team', 'edu_site']) codes.add(`study.${t}.create`);
  // the liaison registers' changes are liaison.<register>.create|update, their raised problems
  // liaison.<origin>.raise (src/liaison/reg.c, problems.c)
  const regs = fs.readFileSync(path.join(ROOT, 'src/liaison/registers.c'), 'utf8');
  for (const m of regs.matchAll(/\.name = "([a-z_]+)"/g)) for (const v of ['create', 'update']) codes.add(`liaison.${m[1]}.${v}`);
  for (const o of ['visit', 'meeting', 'station']) codes.add(`liaison.${o}.raise`);
  return codes;
}

test('every action code the server appends has a Chinese name and sentence in the UI', async () => {
  const vocab = {};
  const mechs = fs.readdirSync(path.join(ROOT, 'web/src/mechs')).filter((m) =>
    fs.existsSync(path.join(ROOT, `web/src/mechs/${m}/audit.js`)));
  for (const m of mechs)
    Object.assign(vocab, (await import(path.join(ROOT, `web/src/mechs/${m}/audit.js`))).default.actions);
  const codes = appendedCodes();
  assert.ok(codes.size > 50, [...codes].join(' '));
  for (const c of ['study.feedback.answer', 'problem.supervise', 'login.success', 'grant.create', 'logout', 'calendar.import', 'liaison.visit.create', 'liaison.alliance.update', 'liaison.meeting.raise'])
    assert.ok(codes.has(c), `found ${c}`);
  const missing = [...codes].filter((c) => !vocab[c]?.name || !vocab[c]?.say);
  assert.deepEqual(missing, []);
  for (const [code, v] of Object.entries(vocab)) assert.match(v.name, /[\u4e00-\u9fff]/, code);
});
