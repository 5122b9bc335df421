// 消息推送 and 催办 in a real browser, against loopback robot receivers: a township's channel
// administrator adds the group's 钉钉 robot (the secret shown only as 已设置) and sends a test
// message; sets a rule; sees a dead letter with the platform's error and sends it again; the
// supervisor urges a problem from its page and sees the 催办 on the timeline and in the figures
// of 工作台 (催办情况 by unit), and a second urge refused with the time it is allowed. Screenshots at 1440×900 and 390×844.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, USER_PW } from '../api/lib/server.mjs';
import { county, problemBody, register, actOk, roleUser } from '../api/lib/problems.mjs';
import { robotReceiver } from '../api/lib/receivers.mjs';
import { launch, newPage, login, shot, PHONE } from './lib/browser.mjs';
import { fill, chooseUnit, assertClean } from './lib/ui.mjs';

const WIDE = { width: 1440, height: 900 };
let srv, browser, k, ding, wecom, prob;

test.before(async () => {
  ding = await robotReceiver('dingtalk', { tokA: { secret: 'SECe2eSecret', keyword: '督办' } });
  wecom = await robotReceiver('wecom', { keyA: {} });
  wecom.fail.set('keyA', { errcode: 93000, errmsg: 'invalid webhook url' });
  srv = await startServer({ flags: ['--outbox_poll', '100', '--outbox_attempts', '1', '--dingtalk_url', ding.url, '--wecom_url', wecom.url, '--public_url', 'http://duban.test'], env: { DUBAN_NOW: '2025-10-09T10:00:00+08:00' } });
  k = await county(srv);
  k.adminA = await roleUser(srv, k.admin, k.secadmin, { login: 'admina', name: '甲镇渠道管理员', unit_id: k.units.townA.id, grants: [['notify_admin', k.units.townA.id]] });
  prob = await register(k.operator, problemBody(k.units.townA.id, { title: '甲镇集贸市场排水不畅', found_on: '2025-09-01', deadline: '2025-12-31' }));
  await actOk(k.operator, prob.id, 'assign', {});
  browser = await launch();
});
test.after(async () => {
  await browser?.close();
  await srv?.stopClean();
  ding.close();
  wecom.close();
});

async function as(loginName, viewport = WIDE) {
  const page = await newPage(browser, srv.url, viewport);
  await login(page, loginName, USER_PW);
  return page;
}

test('the township\'s administrator adds the group robot, tests it, sets a rule', async () => {
  const page = await as('admina');
  await page.goto(srv.url + '/outward/channels');
  await page.getByRole('button', { name: '新增渠道' }).click();
  const dialog = page.locator('.el-dialog:visible');
  await chooseUnit(page, dialog, '单位', '甲镇');
  await fill(dialog, '名称', '甲镇督办工作群');
  await fill(dialog, 'access_token', 'tokA');
  await fill(dialog, '自定义关键词', '督办');
  await fill(dialog, '加签密钥', 'SECe2eSecret');
  await shot(page, 'outward-channel-form');
  await dialog.getByRole('button', { name: '保存' }).click();
  const row = page.locator('.el-table__row', { hasText: '甲镇督办工作群' });
  await row.waitFor();
  assert.match(await row.textContent(), /已设置/);
  assert.ok(!(await page.content()).includes('SECe2eSecret'));
  await row.getByRole('button', { name: '测试发送' }).click();
  await page.getByText('测试消息已发送到“甲镇督办工作群”').waitFor();
  assert.equal(ding.of('tokA').length, 1);
  // rules of the township
  await page.locator('.rules .el-select__wrapper').first().click();
  await page.keyboard.type('甲镇');
  await page.locator('.el-popper:visible .el-tree-node').getByText('甲镇', { exact: true }).first().click();
  await page.keyboard.press('Escape');
  const remind = page.locator('.rules .el-table__row', { hasText: '即将到期' });
  await remind.waitFor();
  await shot(page, 'outward-channels');
  const phone = await as('admina', PHONE);
  await phone.goto(srv.url + '/outward/channels');
  await phone.locator('.el-table__row', { hasText: '甲镇督办工作群' }).waitFor();
  await shot(phone, 'outward-channels-phone');
  assertClean(page, 'channels');
  assertClean(phone, 'channels at phone width');
});

test('the supervisor urges from the problem page: on the timeline, in the group; a second is refused', async () => {
  const page = await as('operator');
  await page.goto(`${srv.url}/problems/${prob.id}`);
  await page.getByRole('button', { name: /^催办/ }).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.locator('textarea').fill('请于本周五前报送整改进展。');
  await dialog.getByRole('button', { name: '发送催办' }).click();
  await page.locator('.timeline').getByText('请于本周五前报送整改进展。').waitFor().catch(async (e) => { await shot(page, 'outward-urge-debug'); throw e; });
  await page.getByRole('button', { name: /已催办 1 次/ }).waitFor();
  await page.locator('.timeline').getByText('催办', { exact: true }).waitFor();
  await page.locator('.timeline').getByText('请于本周五前报送整改进展。').waitFor();
  const deadline = Date.now() + 8000;
  while (!ding.of('tokA').some((m) => m.content.includes('催办')) && Date.now() < deadline) await page.waitForTimeout(100);
  assert.ok(ding.of('tokA').some((m) => m.content.includes('甲镇集贸市场排水不畅')));
  await shot(page, 'outward-urge-timeline');
  // the figures: 催办 by responsible unit on 工作台, a unit opening its problems
  await page.goto(srv.url + '/');
  const card = page.getByTestId('urge-figures');
  await card.waitFor();
  assert.match(await card.textContent(), /共催办 1 次/);
  const unitRow = card.locator('.el-table__row', { hasText: '甲镇' });
  assert.match(await unitRow.textContent(), /甲镇\s*1\s*1/);
  await shot(page, 'outward-urge-figures');
  await unitRow.click();
  await page.waitForURL(new RegExp(`/problems\\?unit_id=${k.units.townA.id}$`));
  await page.goto(`${srv.url}/problems/${prob.id}`);
  await page.getByRole('button', { name: /^催办/ }).click();
  const again = page.locator('.el-dialog:visible');
  await again.locator('textarea').fill('再次催办');
  await again.getByRole('button', { name: '发送催办' }).click();
  await again.locator('.el-form-item__error').filter({ hasText: '后方可再次催办' }).waitFor();
  await shot(page, 'outward-urge-refused');
  assertClean(page, 'urge', [/^429 POST \/api\/v1\/problems\/\d+\/urge$/]);
});

test('a dead letter shows the platform\'s error and is sent again', async () => {
  // the township's 企业微信 robot, whose key the platform refuses
  const c = await k.adminA.post('/api/v1/outward/channels', { unit_id: k.units.townA.id, kind: 'wecom', name: '甲镇企业微信群', secret: 'keyA' });
  assert.equal(c.status, 201, c.text);
  const p2 = await register(k.operator, problemBody(k.units.townA.id, { title: '甲镇路灯损坏未修复', deadline: '2025-12-31' }));
  await actOk(k.operator, p2.id, 'assign', {});
  assert.equal((await k.operator.post(`/api/v1/problems/${p2.id}/urge`, { message: '请尽快修复' })).status, 201);
  const page = await as('admina');
  const deadline = Date.now() + 8000;
  while ((await k.adminA.ok('/api/v1/outward/outbox?state=dead')).total === 0 && Date.now() < deadline) await page.waitForTimeout(100);
  await page.goto(srv.url + '/outward/outbox');
  const row = page.locator('.el-table__row', { hasText: '甲镇路灯损坏未修复' });
  await row.waitFor();
  assert.match(await row.textContent(), /errcode 93000，invalid webhook url/);
  await shot(page, 'outward-dead-letters');
  wecom.fail.delete('keyA');
  await row.getByRole('button', { name: '重新发送' }).click();
  await page.getByText('已重新排队发送').waitFor();
  const end = Date.now() + 8000;
  while (!wecom.of('keyA').length && Date.now() < end) await page.waitForTimeout(100);
  assert.equal(wecom.of('keyA').length, 1);
  const phone = await as('admina', PHONE);
  await phone.goto(srv.url + '/outward/outbox');
  await phone.getByText('没有发送失败的消息').waitFor();
  await shot(phone, 'outward-outbox-phone');
  const contact = await as('handlera', PHONE);
  await contact.goto(srv.url + '/outward/contact');
  await fill(contact, '手机号码', '13800000001');
  await contact.getByRole('button', { name: '保存' }).click();
  await contact.getByText('已保存').waitFor();
  await shot(contact, 'outward-contact-phone');
  assertClean(page, 'dead letters');
  assertClean(contact, 'contact');
});
