// Outbound channels, rules, the durable outbox and 催办 (issue 17, parts 1-4), against loopback
// receivers standing in for 钉钉, 企业微信 and an SMTP server (tests/api/lib/receivers.mjs):
// channels per unit with sealed secrets and a test send; the overdue message reaching the
// township's 钉钉 group within one scheduler tick, signed, with the keyword, the unit, the
// deadline, the link and the @ of the handler's mobile; the digest held over a holiday and sent
// at 08:30 of the next working day; quiet hours; the per-robot rate; dead letters with the
// platform's error and their retry; 催办 on the timeline and in the figures, a second one
// refused; a kill -9 mid-send loses nothing, and a normal restart sends nothing twice; an
// escalation sent at once at night; the exponential backoff read from the messages' next times.
// The server's clock is set (DUBAN_NOW) across restarts: 2025-10-08 is a holiday (国庆).
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, sleep, sql, PG } from './lib/server.mjs';
import { county, problemBody, register, actOk, roleUser } from './lib/problems.mjs';
import { robotReceiver, smtpReceiver, testCert } from './lib/receivers.mjs';

let srv, k, ding, wecom, smtp, cert;
const ch = {};
const p = {};
const SECRET_A = 'SECa1b2c3d4e5f6SignSecretOfJiazhen';
const MAIL_PW = 'mail-Pw-0451';

function flags(extra = []) {
  return ['--tick_interval', '1', '--outbox_poll', '100', '--outbox_backoff', '1', '--outbox_attempts', '2',
    '--outbox_lease', '2', '--urge_interval', '3600', '--public_url', 'http://duban.test',
    '--dingtalk_url', ding.url, '--wecom_url', wecom.url, '--smtp_ca', cert.caFile, ...extra];
}

async function restart(now, extra, onReady) {
  await srv.stopClean();
  srv = await startServer({ dir: srv.dir, flags: flags(extra), env: { DUBAN_NOW: now } });
  if (onReady) onReady();
  // the clients' sessions live in the database: log in again all the same (new server, new url)
  for (const key of Object.keys(k.logins)) k[key] = await srv.login(key.toLowerCase(), k.logins[key]);
}

async function until(what, fn, ms = 8000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await sleep(100);
  }
  assert.fail(`timed out waiting for ${what}`);
}

test.before(async () => {
  ding = await robotReceiver('dingtalk', {
    tokA: { secret: SECRET_A, keyword: '督办' },
    tokBad: { secret: '', keyword: '' },
  });
  wecom = await robotReceiver('wecom', { keyB: {} }, { rate: 3 });
  cert = testCert();
  smtp = await smtpReceiver({ 'duban@test.gov.cn': MAIL_PW }, { tls: 'starttls', cert });
  srv = await startServer({ flags: flags(), env: { DUBAN_NOW: '2025-10-08T10:00:00+08:00' } });
  k = await county(srv);
  const USER_PW = 'Gu4rd!an-2024';
  k.logins = {};
  for (const key of ['operator', 'handlerA', 'handlerB']) k.logins[key] = USER_PW;
  const mk = async (login, unit, scope) => {
    k[login] = await roleUser(srv, k.admin, k.secadmin, { login: login.toLowerCase(), name: `${login}管理员`, unit_id: unit, grants: [['notify_admin', scope]] });
    k.logins[login] = USER_PW;
  };
  await mk('adminA', k.units.townA.id, k.units.townA.id);
  await mk('adminB', k.units.townB.id, k.units.townB.id);
  await mk('adminC', k.units.ducha.id, 1);
  k.logins.admin = undefined;
  delete k.logins.admin;
});
test.after(async () => {
  await srv.stopClean();
  for (const r of [ding, wecom, smtp]) r.close();
});

test('channels per unit: sealed secrets never shown again, scope, refusals, test send', async () => {
  const res = await k.adminA.post('/api/v1/outward/channels', { unit_id: k.units.townA.id, kind: 'dingtalk', name: '甲镇督办工作群', target: 'tokA', keyword: '督办', secret: SECRET_A });
  assert.equal(res.status, 201, res.text);
  ch.a = res.body;
  assert.equal(ch.a.secret, '******');
  assert.equal(ch.a.has_secret, true);
  assert.equal(ch.a.unit_name, '甲镇');
  const list = await k.adminA.ok('/api/v1/outward/channels');
  assert.deepEqual(list.items.map((c) => c.id), [ch.a.id]);
  assert.ok(!JSON.stringify(list).includes(SECRET_A));
  // another township's administrator neither sees nor changes it
  assert.equal((await k.adminB.ok('/api/v1/outward/channels')).total, 0);
  assertError(await k.adminB.patch(`/api/v1/outward/channels/${ch.a.id}`, { name: 'x', version: 1 }), 403, 'forbidden');
  assertError(await k.adminB.post('/api/v1/outward/channels', { unit_id: k.units.townA.id, kind: 'wecom', name: '越权', secret: 'k' }), 403, 'forbidden');
  assert.equal((await k.handlerA.ok('/api/v1/outward/channels')).total, 0);
  assertError(await k.handlerA.post('/api/v1/outward/channels', { unit_id: k.units.townA.id, kind: 'wecom', name: 'x', secret: 'k' }), 403, 'forbidden');
  // bad input, nothing written
  assertError(await k.adminB.post('/api/v1/outward/channels', { unit_id: k.units.townB.id, kind: 'wecom', name: '乙镇群' }), 400, 'secret_required', 'secret');
  assertError(await k.adminB.post('/api/v1/outward/channels', { unit_id: k.units.townB.id, kind: 'sms', name: '短信' }), 400, 'field_invalid', 'kind');
  assertError(await k.adminB.post('/api/v1/outward/channels', { unit_id: k.units.townB.id, kind: 'dingtalk', name: '无令牌' }), 400, 'field_required', 'target');
  assertError(await k.adminC.post('/api/v1/outward/channels', { unit_id: 1, kind: 'email', name: '邮箱', target: 'http://x', sender: 'a@b.cn' }), 400, 'field_invalid', 'target');
  assertError(await k.adminC.post('/api/v1/outward/channels', { unit_id: 1, kind: 'email', name: '邮箱', target: smtp.url, sender: 'nobody' }), 400, 'field_invalid', 'sender');
  assertError(await k.adminA.post('/api/v1/outward/channels', { unit_id: k.units.townA.id, kind: 'dingtalk', name: '第二个', target: 'tok2' }), 409, 'duplicate');
  assertError(await k.adminA.post('/api/v1/outward/channels', { unit_id: k.units.townA.id, kind: 'dingtalk', name: 'x', target: 't', colour: 1 }), 400, 'field_unknown', 'colour');
  assert.equal((await k.adminB.ok('/api/v1/outward/channels')).total, 0);
  ch.b = (await k.adminB.post('/api/v1/outward/channels', { unit_id: k.units.townB.id, kind: 'wecom', name: '乙镇工作群', secret: 'keyB' })).body;
  ch.mail = (await k.adminC.post('/api/v1/outward/channels', { unit_id: 1, kind: 'email', name: '县委督查室邮箱', target: smtp.url, sender: 'duban@test.gov.cn', secret: MAIL_PW })).body;
  assert.equal(ch.mail.secret, '******');
  // a version is required to change, a stale one refused, the secret kept when not given
  assertError(await k.adminA.patch(`/api/v1/outward/channels/${ch.a.id}`, { name: '改名' }), 400, 'field_required', 'version');
  assertError(await k.adminA.patch(`/api/v1/outward/channels/${ch.a.id}`, { name: '改名', version: 9 }), 409, 'conflict');
  const renamed = await k.adminA.patch(`/api/v1/outward/channels/${ch.a.id}`, { name: '甲镇督办群', version: ch.a.version });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.body.has_secret, true);
  // sealed at rest: the database never holds the secrets' text, nor does the log
  const enc = PG ? "encode(secret, 'escape')" : 'CAST(secret AS TEXT)';
  assert.equal(sql(srv.db, `SELECT count(*) FROM notify_channel WHERE ${enc} LIKE '%SECa1b2%' OR ${enc} LIKE '%keyB%' OR ${enc} LIKE '%mail-Pw%';`), '0');
  // the test send: signed, with the keyword
  const t = await k.adminA.post(`/api/v1/outward/channels/${ch.a.id}/test`, {});
  assert.equal(t.status, 200, t.text);
  assert.equal(ding.of('tokA').length, 1);
  assert.match(ding.of('tokA')[0].content, /渠道测试/);
  assert.match(ding.of('tokA')[0].content, /督办/);
  assert.equal((await k.adminB.post(`/api/v1/outward/channels/${ch.b.id}/test`, {})).status, 200);
  assert.equal(wecom.of('keyB').length, 1);
  assertError(await k.adminB.post(`/api/v1/outward/channels/${ch.a.id}/test`, {}), 404, 'not_found');
  // e-mail: to the tester's own address, which must be set first
  assertError(await k.adminC.post(`/api/v1/outward/channels/${ch.mail.id}/test`, {}), 400, 'field_required', 'email');
  assertError(await k.adminC.put('/api/v1/outward/contact', { email: 'not an address' }), 400, 'field_invalid', 'email');
  assertError(await k.adminC.put('/api/v1/outward/contact', { mobile: '12345' }), 400, 'field_invalid', 'mobile');
  assert.equal((await k.adminC.put('/api/v1/outward/contact', { email: 'adminc@test.gov.cn' })).status, 200);
  const mt = await k.adminC.post(`/api/v1/outward/channels/${ch.mail.id}/test`, {});
  assert.equal(mt.status, 200, mt.text);
  assert.equal(smtp.mails.length, 1);
  assert.deepEqual(smtp.mails[0].to, ['adminc@test.gov.cn']);
  assert.equal(smtp.mails[0].subject, '督办平台渠道测试');
  assert.equal(smtp.mails[0].tls, true, 'sent after STARTTLS');
  assert.equal(smtp.plainAuths, 0, 'the password never went in clear');
  // a wrong SMTP password: the server's refusal comes back, 502
  const bad = (await k.adminC.patch(`/api/v1/outward/channels/${ch.mail.id}`, { secret: 'wrong', version: ch.mail.version })).body;
  const bt = await k.adminC.post(`/api/v1/outward/channels/${ch.mail.id}/test`, {});
  assertError(bt, 502, 'send_failed', 'target');
  ch.mail = (await k.adminC.patch(`/api/v1/outward/channels/${ch.mail.id}`, { secret: MAIL_PW, version: bad.version })).body;
  assert.ok(!srv.stderr().includes(SECRET_A) && !srv.stderr().includes(MAIL_PW));
  // contacts of the handlers: their e-mail, and the mobile the robots @
  assert.equal((await k.handlerA.put('/api/v1/outward/contact', { email: 'handlera@test.gov.cn', mobile: '13800000001' })).status, 200);
  assert.deepEqual(await k.handlerA.ok('/api/v1/outward/contact'), { email: 'handlera@test.gov.cn', mobile: '13800000001' });
});

test('e-mail: STARTTLS is required to send a password; smtps:// is TLS from the start', async () => {
  const plain = await smtpReceiver({ 'duban@test.gov.cn': MAIL_PW }, { tls: 'none' });
  const tlsFirst = await smtpReceiver({ 'duban@test.gov.cn': MAIL_PW }, { tls: 'implicit', cert });
  try {
    const move = async (target) => {
      const res = await k.adminC.patch(`/api/v1/outward/channels/${ch.mail.id}`, { target, version: ch.mail.version });
      assert.equal(res.status, 200, res.text);
      ch.mail = res.body;
    };
    // a server that offers no STARTTLS: refused before the password is sent
    await move(plain.url);
    const bt = await k.adminC.post(`/api/v1/outward/channels/${ch.mail.id}/test`, {});
    assertError(bt, 502, 'send_failed', 'target');
    assert.match(bt.body.error.message, /不支持 STARTTLS，密码不以明文发送/);
    assert.equal(plain.auths, 0);
    assert.equal(plain.mails.length, 0);
    // smtps://: TLS from the first byte, the certificate checked against smtp_ca
    await move(tlsFirst.url);
    const ok = await k.adminC.post(`/api/v1/outward/channels/${ch.mail.id}/test`, {});
    assert.equal(ok.status, 200, ok.text);
    assert.equal(tlsFirst.mails.length, 1);
    assert.equal(tlsFirst.mails[0].tls, true);
    assert.deepEqual(tlsFirst.mails[0].to, ['adminc@test.gov.cn']);
    // a certificate nobody vouches for is refused: the same server without smtp_ca
    await restart('2025-10-08T10:00:00+08:00', ['--smtp_ca', '']);
    const untrusted = await k.adminC.post(`/api/v1/outward/channels/${ch.mail.id}/test`, {});
    assertError(untrusted, 502, 'send_failed', 'target');
    assert.equal(tlsFirst.mails.length, 1);
    await restart('2025-10-08T10:00:00+08:00');
    await move(smtp.url);
    assert.ok(!srv.stderr().includes(MAIL_PW));
  } finally {
    plain.close();
    tlsFirst.close();
  }
});

test('the overdue message reaches the township\'s 钉钉 group within one tick, on a holiday (urgent)', async () => {
  const before = ding.of('tokA').length; // the tick may flag it as soon as it is registered
  p.late = await register(k.operator, problemBody(k.units.townA.id, { title: '甲镇污水管网改造滞后', found_on: '2025-09-01', deadline: '2025-09-30' }));
  await actOk(k.operator, p.late.id, 'assign', {});
  const msg = await until('the overdue message', () => ding.of('tokA').slice(before).find((m) => m.content.includes('甲镇污水管网改造滞后')), 5000);
  assert.equal(msg.body.markdown.title, '问题已逾期：甲镇污水管网改造滞后');
  assert.match(msg.content, /【督办提醒】问题已逾期/);
  assert.match(msg.content, /\*\*责任单位：\*\*甲镇/);
  assert.match(msg.content, /\*\*完成时限：\*\*2025-09-30/);
  assert.ok(msg.content.includes(`(http://duban.test/problems/${p.late.id})`));
  assert.deepEqual(msg.body.at.atMobiles, ['13800000001']);
  assert.match(msg.content, /@13800000001/);
  assert.ok(msg.id.startsWith(`r${ch.a.id}:overdue:${p.late.id}:`));
  // one message for the group however many were told; the handler's e-mail too
  await until('the overdue e-mail', () => smtp.mails.find((m) => m.to[0] === 'handlera@test.gov.cn'));
  await sleep(1500);
  assert.equal(ding.of('tokA').filter((m) => m.content.includes('甲镇污水管网改造滞后')).length, 1);
  assert.deepEqual(ding.refused, []);
});

test('due-soon goes to the digest: held over the holiday, sent at 08:30 of the next working day', async () => {
  p.soon = await register(k.operator, problemBody(k.units.townA.id, { title: '甲镇农贸市场改造即将到期', found_on: '2025-09-01', deadline: '2025-10-10' }));
  await actOk(k.operator, p.soon.id, 'assign', {});
  const held = await until('the held reminder', async () => {
    const o = await k.adminA.ok('/api/v1/outward/outbox?state=held');
    return o.items.find((x) => x.title.includes('甲镇农贸市场改造即将到期'));
  });
  assert.equal(held.next_at, '2025-10-09T00:30:00Z'); // 08:30 local of the next working day
  await sleep(2500); // ticks on the holiday (past 08:30) send no digest
  assert.ok(!ding.of('tokA').some((m) => m.content.includes('每日汇总')));
  // the next working day, just before 08:30: nothing yet; then the digest
  const n = ding.accepted.length;
  await restart('2025-10-09T08:29:50+08:00', [], () =>
    assert.ok(!ding.of('tokA').slice(n).some((m) => m.content.includes('每日汇总')), 'not before 08:30'));
  const digest = await until('the digest', () => ding.of('tokA').find((m) => m.content.includes('每日汇总')), 20000);
  assert.match(digest.content, /每日汇总（2025-10-09，共 1 项）/);
  assert.ok(digest.content.includes(`[问题即将到期：甲镇农贸市场改造即将到期](http://duban.test/problems/${p.soon.id})`));
  assert.match(digest.content, /督办/);
  assert.deepEqual(ding.duplicates(), [], 'a normal restart sends nothing twice');
  const merged = await k.adminA.ok('/api/v1/outward/outbox?state=merged');
  assert.ok(merged.items.some((x) => x.id === held.id));
});

test('quiet hours: a non-urgent message at night waits for the morning; rules per kind', async () => {
  await restart('2025-10-09T21:30:00+08:00');
  assertError(await k.adminA.put('/api/v1/outward/rules', { unit_id: k.units.townA.id, kind: 'problem.nosuch', robot: true, email: false, mode: 'now' }), 400, 'field_invalid', 'kind');
  assertError(await k.adminA.put('/api/v1/outward/rules', { unit_id: k.units.townA.id, kind: 'problem.overdue', robot: true, email: false, mode: 'sometimes' }), 400, 'field_invalid', 'mode');
  assertError(await k.adminB.put('/api/v1/outward/rules', { unit_id: k.units.townA.id, kind: 'problem.overdue', robot: true, email: false, mode: 'now' }), 403, 'forbidden');
  const set = await k.adminA.put('/api/v1/outward/rules', { unit_id: k.units.townA.id, kind: 'problem.overdue', robot: true, email: false, mode: 'now', urgent: false });
  assert.equal(set.status, 200, set.text);
  const rules = await k.adminA.ok(`/api/v1/outward/rules?unit_id=${k.units.townA.id}`);
  const od = rules.items.find((r) => r.kind === 'problem.overdue');
  assert.deepEqual([od.title, od.robot, od.email, od.urgent, od.mode], ['问题逾期', true, false, false, 'now']);
  assert.equal(rules.items.find((r) => r.kind === 'problem.remind').mode, 'digest');
  p.night = await register(k.operator, problemBody(k.units.townA.id, { title: '甲镇路灯维修夜间逾期', found_on: '2025-09-01', deadline: '2025-10-01' }));
  await actOk(k.operator, p.night.id, 'assign', {});
  const row = await until('the deferred message', async () => {
    const o = await k.adminA.ok('/api/v1/outward/outbox?state=pending');
    return o.items.find((x) => x.title.includes('甲镇路灯维修夜间逾期'));
  });
  assert.equal(row.next_at, '2025-10-10T00:30:00Z');
  await sleep(2000);
  assert.ok(!ding.of('tokA').some((m) => m.content.includes('甲镇路灯维修夜间逾期')));
  assert.ok(!smtp.mails.some((m) => m.subject.includes('甲镇路灯维修夜间逾期')), 'the rule turned e-mail off');
  // the next morning it goes
  await restart('2025-10-10T09:00:00+08:00');
  await until('the morning message', () => ding.of('tokA').find((m) => m.content.includes('甲镇路灯维修夜间逾期')));
});

test('催办: reaches the group, on the timeline and in the figures; a second within the interval is refused', async () => {
  assertError(await k.handlerA.post(`/api/v1/problems/${p.late.id}/urge`, { message: '快' }), 403, 'forbidden');
  assertError(await k.operator.post(`/api/v1/problems/${p.late.id}/urge`, {}), 400, 'field_required', 'message');
  assertError(await k.operator.post('/api/v1/problems/999999/urge', { message: '请尽快' }), 404, 'not_found');
  const n = ding.of('tokA').length;
  const res = await k.operator.post(`/api/v1/problems/${p.late.id}/urge`, { message: '请于本周五前报送整改进展。' });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.urged, 1);
  const msg = await until('the 催办 message', () => ding.of('tokA').slice(n).find((m) => m.content.includes('催办')));
  assert.equal(msg.body.markdown.title, '催办：甲镇污水管网改造滞后');
  assert.match(msg.content, /周督查（县委督查室）第 1 次催办：请于本周五前报送整改进展。/);
  const again = await k.operator.post(`/api/v1/problems/${p.late.id}/urge`, { message: '再催' });
  assertError(again, 429, 'urge_too_soon', 'message');
  assert.match(again.body.error.message, /后方可再次催办/);
  const detail = await k.operator.ok(`/api/v1/problems/${p.late.id}`);
  const ev = detail.events.find((e) => e.action === 'urge');
  assert.equal(ev.action_title, '催办');
  assert.equal(ev.fields.message, '请于本周五前报送整改进展。');
  assert.equal(ev.actor_person.name, '周督查');
  const urges = await k.handlerA.ok(`/api/v1/problems/${p.late.id}/urges`);
  assert.equal(urges.urged, 1);
  assert.equal(urges.items[0].by.name, '周督查');
  assert.ok(urges.next_allowed_at);
  const stats = await k.operator.ok('/api/v1/outward/urges/stats');
  assert.deepEqual(stats.items.map((x) => [x.unit_name, x.urged, x.problems]), [['甲镇', 1, 1]]);
  assert.equal((await k.handlerB.ok('/api/v1/outward/urges/stats')).urged, 0);
  const notes = await k.handlerA.ok('/api/v1/notifications');
  assert.ok(notes.items.some((x) => x.kind === 'urge'));
});

test('the robot\'s rate is kept; dead letters carry the platform\'s error and can be sent again', async () => {
  const ids = [];
  for (let i = 0; i < 5; i++) {
    const q = await register(k.operator, problemBody(k.units.townB.id, { title: `乙镇第${i + 1}项整改`, deadline: '2025-12-31' }));
    await actOk(k.operator, q.id, 'assign', {});
    ids.push(q.id);
  }
  // a robot key of its own for this part, and duban's rate set to the receiver's 3 a minute
  wecom.robots.keyR = {};
  const cb = (await k.adminB.ok('/api/v1/outward/channels')).items.find((c) => c.kind === 'wecom');
  assert.equal((await k.adminB.patch(`/api/v1/outward/channels/${cb.id}`, { secret: 'keyR', version: cb.version })).status, 200);
  await restart('2025-10-10T09:10:00+08:00', ['--outbox_rate', '3']);
  for (const id of ids) assert.equal((await k.operator.post(`/api/v1/problems/${id}/urge`, { message: '请加快进度' })).status, 201);
  await until('three messages', () => wecom.of('keyR').length === 3);
  await sleep(2000);
  assert.equal(wecom.of('keyR').length, 3, 'at most 3 a minute');
  assert.deepEqual(wecom.refused, [], 'duban never exceeded the robot\'s rate');
  const waiting = await k.adminB.ok('/api/v1/outward/outbox?state=pending');
  assert.equal(waiting.items.filter((x) => x.channel_kind === 'wecom').length, 2);
  assert.ok(waiting.items.every((x) => x.next_at > '2025-10-10T01:10:30Z'), 'waiting for the minute to pass');
  // a robot that refuses: after the attempts, a dead letter with its errcode
  const bad = await k.adminB.post('/api/v1/outward/channels', { unit_id: k.units.townB.id, kind: 'dingtalk', name: '乙镇领导群', target: 'tokBad' });
  assert.equal(bad.status, 201, bad.text);
  ding.fail.set('tokBad', { errcode: 310000, errmsg: 'keywords not in content' });
  const q = await register(k.operator, problemBody(k.units.townB.id, { title: '乙镇拒收测试', deadline: '2025-12-31' }));
  await actOk(k.operator, q.id, 'assign', {});
  assert.equal((await k.operator.post(`/api/v1/problems/${q.id}/urge`, { message: '请尽快' })).status, 201);
  const dead = await until('the dead letter', async () => (await k.adminB.ok('/api/v1/outward/outbox?state=dead')).items[0]);
  assert.equal(dead.attempts, 2);
  assert.match(dead.last_error, /钉钉 拒绝：errcode 310000，keywords not in content/);
  assert.equal((await k.adminA.ok('/api/v1/outward/outbox?state=dead')).total, 0);
  assertError(await k.adminA.post(`/api/v1/outward/outbox/${dead.id}/retry`, {}), 404, 'not_found');
  ding.fail.delete('tokBad');
  const rt = await k.adminB.post(`/api/v1/outward/outbox/${dead.id}/retry`, {});
  assert.equal(rt.status, 200, rt.text);
  await until('the retried message', () => ding.of('tokBad').find((m) => m.id === dead.dedupe));
  assertError(await k.adminB.post(`/api/v1/outward/outbox/${dead.id}/retry`, {}), 404, 'not_found');
});

test('kill -9 mid-send loses nothing (sent again after the lease); a normal restart sends nothing twice', async () => {
  const q = await register(k.operator, problemBody(k.units.townA.id, { title: '甲镇断电测试', deadline: '2025-12-31' }));
  await actOk(k.operator, q.id, 'assign', {});
  ding.stall.set('tokA', 2500);
  assert.equal((await k.operator.post(`/api/v1/problems/${q.id}/urge`, { message: '请立即整改' })).status, 201);
  await until('the message in flight', () => ding.inflight > 0);
  srv.stopping = true;
  srv.proc.kill('SIGKILL');
  await srv.exited;
  ding.stall.delete('tokA');
  // the stalled request completes at the receiver: duban never heard
  await until('the stalled request to end', () => ding.inflight === 0);
  const first = ding.of('tokA').filter((m) => m.content.includes('甲镇断电测试'));
  srv = await startServer({ dir: srv.dir, flags: flags(), env: { DUBAN_NOW: '2025-10-10T09:30:00+08:00' } });
  for (const key of Object.keys(k.logins)) k[key] = await srv.login(key.toLowerCase(), k.logins[key]);
  const all = await until('the message sent again', () => {
    const got = ding.of('tokA').filter((m) => m.content.includes('甲镇断电测试'));
    return got.length > first.length ? got : null;
  });
  assert.equal(first.length, 1, 'the receiver had it before the kill');
  assert.equal(all.length, 2, 'at least once: sent again once after the lease ran out');
  assert.ok(all.every((m) => m.id === all[0].id), 'the same dedupe key, for the receiver to drop');
  const sent = await k.adminA.ok('/api/v1/outward/outbox?state=sent');
  assert.equal(sent.items.filter((x) => x.dedupe === all[0].id).length, 1);
  assert.equal((await k.adminA.ok('/api/v1/outward/outbox?state=sending')).total, 0);
  // a normal restart: nothing already sent goes again
  const dups = ding.duplicates();
  const count = ding.accepted.length;
  await restart('2025-10-10T09:40:00+08:00');
  await sleep(2500);
  assert.deepEqual(ding.duplicates(), dups);
  assert.equal(ding.accepted.length, count);
  // the audit chain holds every change
  const auditor = await srv.auditor();
  const v = await auditor.get('/api/v1/audit/verify');
  assert.equal(v.status, 200, v.text);
});

test('two instances on one PostgreSQL database: each message claimed and sent once', { skip: !PG && 'PostgreSQL only (one SQLite file has one server)' }, async () => {
  // one clock for both (a lease is only as good as the instances' clocks agree)
  await restart('2025-10-10T09:50:00+08:00', ['--outbox_lease', '60']);
  const second = await startServer({ db: srv.db, flags: flags(['--outbox_lease', '60']), env: { DUBAN_NOW: '2025-10-10T09:50:00+08:00' } });
  try {
    const dups = ding.duplicates();
    const titles = [];
    for (let i = 0; i < 6; i++) {
      const q = await register(k.operator, problemBody(k.units.townA.id, { title: `甲镇双实例第${i + 1}项`, deadline: '2025-12-31' }));
      await actOk(k.operator, q.id, 'assign', {});
      assert.equal((await k.operator.post(`/api/v1/problems/${q.id}/urge`, { message: '请按期完成' })).status, 201);
      titles.push(`甲镇双实例第${i + 1}项`);
    }
    await until('six messages', () => titles.every((t) => ding.of('tokA').some((m) => m.content.includes(t))), 10000);
    await sleep(2000);
    for (const t of titles) assert.equal(ding.of('tokA').filter((m) => m.content.includes(t)).length, 1, t);
    assert.deepEqual(ding.duplicates(), dups);
  } finally {
    await second.stopClean();
  }
});

test('an escalation goes to the supervising side\'s group at once, even at night', async () => {
  // the county office's own 钉钉 group (no signature, no keyword)
  ding.robots.tokC = { secret: '', keyword: '' };
  const c = await k.adminC.post('/api/v1/outward/channels', { unit_id: k.units.ducha.id, kind: 'dingtalk', name: '县委督查室工作群', target: 'tokC' });
  assert.equal(c.status, 201, c.text);
  // 22:30 on a working day: quiet hours; escalation is urgent by default, the township's
  // overdue message was made not urgent above and waits for the morning
  await restart('2025-10-10T22:30:00+08:00');
  const q = await register(k.operator, problemBody(k.units.townA.id, { title: '甲镇河道清障超期', found_on: '2025-09-01', deadline: '2025-10-09' }));
  await actOk(k.operator, q.id, 'assign', {});
  const msg = await until('the escalation', () => ding.of('tokC').find((m) => m.content.includes('甲镇河道清障超期')));
  assert.equal(msg.body.markdown.title, '下级单位问题逾期：甲镇河道清障超期');
  assert.match(msg.content, /\*\*责任单位：\*\*甲镇/);
  assert.match(msg.content, /\*\*完成时限：\*\*2025-10-09/);
  assert.ok(msg.content.includes(`(http://duban.test/problems/${q.id})`));
  assert.ok(msg.id.startsWith(`r${c.body.id}:escalate:${q.id}:`));
  const held = await k.adminA.ok('/api/v1/outward/outbox?state=pending');
  const od = held.items.find((x) => x.title === '问题已逾期：甲镇河道清障超期');
  assert.ok(od, JSON.stringify(held));
  assert.ok(Date.parse(od.next_at) > Date.parse('2025-10-10T14:30:00Z') + 8 * 3600e3, 'the morning after');
  assert.ok(!ding.of('tokA').some((m) => m.content.includes('甲镇河道清障超期')));
  await sleep(1500);
  assert.equal(ding.of('tokC').filter((m) => m.content.includes('甲镇河道清障超期')).length, 1);
  // the township's administrator does not see the county's group messages
  assert.ok(!held.items.some((x) => x.channel_name === '县委督查室工作群'));
});

test('exponential backoff: a refused message waits backoff × 2^(n−1) after its n-th attempt', async () => {
  const START = Date.parse('2025-10-11T10:00:00+08:00');
  const iso = (t) => new Date(t).toISOString().replace('.000', '');
  await restart(iso(START), ['--outbox_backoff', '60', '--outbox_attempts', '4']);
  ding.fail.set('tokBad', { errcode: 130101, errmsg: 'send too fast' });
  const q = await register(k.operator, problemBody(k.units.townB.id, { title: '乙镇退避测试', deadline: '2025-12-31' }));
  await actOk(k.operator, q.id, 'assign', {});
  assert.equal((await k.operator.post(`/api/v1/problems/${q.id}/urge`, { message: '请尽快' })).status, 201);
  const row = (attempts) => until(`attempt ${attempts}`, async () => {
    const o = await k.adminB.ok('/api/v1/outward/outbox');
    const x = o.items.find((y) => y.title === '催办：乙镇退避测试' && y.channel_kind === 'dingtalk');
    return x && x.attempts === attempts && x.state !== 'sending' ? x : null;
  });
  // each attempt made within a few seconds of the (restarted) clock: next_at − clock is the delay
  let clock = START;
  for (const [n, delay] of [[1, 60], [2, 120], [3, 240]]) {
    const x = await row(n);
    assert.equal(x.state, 'pending');
    assert.match(x.last_error, /errcode 130101，send too fast/);
    const wait = (Date.parse(x.next_at) - clock) / 1000;
    assert.ok(wait >= delay && wait < delay + 15, `attempt ${n}: waits ${wait}s, not ${delay}s`);
    // nothing is tried again before next_at
    await sleep(1200);
    assert.equal((await row(n)).attempts, n);
    clock = Date.parse(x.next_at) + 1000;
    await restart(iso(clock), ['--outbox_backoff', '60', '--outbox_attempts', '4']);
  }
  const dead = await row(4);
  assert.equal(dead.state, 'dead', 'a dead letter after the 4th attempt');
  ding.fail.delete('tokBad');
});
