// The publishing review in a real browser, from draft to published: the township's writer types
// a draft whose body slips in a traditional-character, separator-split term; the hit is marked
// in place as typed and listed with why it matched; the draft is saved and submitted; 初审 and
// 复审 pass it; the 终审 sees the blocking hit, is refused without a reason (shown next to the
// field), passes it with one; the writer marks it published with its URL; the trail names each
// reviewer. Then the outlet register with its idle and 僵尸 accounts, the term lists and the
// figures. Screenshots at 1440×900 and at phone width.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUnit, USER_PW } from '../api/lib/server.mjs';
import { roleUser } from '../api/lib/problems.mjs';
import { launch, newPage, login, shot, PHONE } from './lib/browser.mjs';
import { item, fill, fieldError, assertClean } from './lib/ui.mjs';

const WIDE = { width: 1440, height: 900 };
let srv, browser, draftId;
const u = {};
const c = {};

test.before(async () => {
  srv = await startServer({ env: { DUBAN_NOW: '2026-05-01T09:00:00+08:00' } });
  const [admin, secadmin] = await Promise.all([srv.admin(), srv.secadmin()]);
  u.town = await addUnit(admin, { code: 'epa', name: '银城镇' });
  u.xcb = await addUnit(admin, { code: 'epxcb', name: '县委宣传部', kind: 'department' });
  const people = {
    epauthor: { name: '张撰稿', unit: u.town.id, grants: [['publish_author', u.town.id]] },
    epfirst: { name: '李初审', unit: u.town.id, grants: [['publish_first', u.town.id]] },
    epsecond: { name: '王复审', unit: u.town.id, grants: [['publish_second', u.town.id]] },
    epfinal: { name: '孙宣传', unit: u.xcb.id, grants: [['publish_final', 1]] },
  };
  for (const [login, p] of Object.entries(people))
    c[login] = await roleUser(srv, admin, secadmin, { login, name: p.name, unit_id: p.unit, grants: p.grants });
  const put = async (name, body) => assert.equal((await c.epfinal.put(`/api/v1/publish/lists/${name}`, body)).status, 200);
  await put('违法广告', { category: '违法广告', severity: 3, terms: ['代开发票', '网络赌博'] });
  await put('广告极限词', { category: '极限词', severity: 1, terms: ['第一', '最佳'] });
  await put('白名单', { kind: 'white', severity: 1, terms: ['第一书记', '第一时间'] });
  // outlets: one fresh, one idle, one 僵尸 (as of 2026-05-01)
  for (const [name, last, platform] of [['银城发布', '2026-04-29', 'wechat'], ['银城融媒', '2026-04-10', 'douyin'], ['银城头条', '2026-01-05', 'toutiao']]) {
    const o = await c.epauthor.post('/api/v1/publish/outlets', { unit_id: u.town.id, platform, name, leader: '刘副镇长', admins: '张撰稿', fans: 12000, last_post_on: last, reason: '开设' });
    assert.equal(o.status, 201, o.text);
    const d = await c.epfinal.post(`/api/v1/publish/filings/${o.body.pending_filing.id}/decide`, { decision: 'approve' });
    assert.equal(d.status, 200, d.text);
  }
  browser = await launch();
});
test.after(async () => {
  await browser?.close();
  await srv?.stopClean();
});

async function as(loginName, viewport = WIDE) {
  const page = await newPage(browser, srv.url, viewport);
  await login(page, loginName, USER_PW);
  return page;
}

test('the writer drafts: the hit is marked in place as typed, saved and submitted', async () => {
  const page = await as('epauthor');
  await page.goto(srv.url + '/publish/drafts/new');
  await fill(page, '标题', '银城镇开展防范电信诈骗宣传');
  await item(page, '发布平台').locator('.el-select__wrapper').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '银城发布' }).click();
  await fill(page, '正文', '驻村第一书记第一时间赶到现场，提醒群众警惕代開@發票等诈骗手段。');
  const mark = page.locator('.preview mark[data-term="代开发票"]');
  await mark.waitFor();
  assert.equal(await mark.textContent(), '代開@發票');
  // the whitelist keeps 第一书记 and 第一时间 unmarked
  assert.equal(await page.locator('.preview mark').count(), 1);
  const row = page.locator('.hits .el-table__row').first();
  assert.match(await row.textContent(), /繁体字、插入符号/);
  await shot(page, 'publish-editor');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL(/\/publish\/drafts\/\d+$/);
  draftId = Number(page.url().split('/').pop());
  await page.getByRole('button', { name: '提交审核' }).click();
  await page.locator('.page-head .el-tag', { hasText: '待初审' }).waitFor();
  assertClean(page, 'editor');
  await page.close();
});

async function pass(loginName, stateAfter) {
  const page = await as(loginName);
  await page.goto(`${srv.url}/publish/drafts/${draftId}`);
  await page.locator('.marked mark').first().waitFor();
  await fill(page, '审核意见', '同意');
  await page.getByRole('button', { name: '通过', exact: true }).click();
  await page.locator('.page-head .el-tag', { hasText: stateAfter }).waitFor();
  assertClean(page, loginName);
  await page.close();
}

test('初审 and 复审 pass it; the 终审 must give a reason for the blocking hit', async () => {
  await pass('epfirst', '待复审');
  await pass('epsecond', '待终审');
  const page = await as('epfinal');
  await page.goto(`${srv.url}/publish/drafts/${draftId}`);
  await page.locator('.el-alert', { hasText: '高风险词' }).waitFor();
  await page.getByRole('button', { name: '通过', exact: true }).click();
  assert.match(await fieldError(page, '放行理由'), /放行理由/);
  await fill(page, '放行理由', '系防诈骗警示内容');
  await shot(page, 'publish-final-review');
  await page.getByRole('button', { name: '通过', exact: true }).click();
  await page.locator('.page-head .el-tag', { hasText: '审核通过待发布' }).waitFor();
  assertClean(page, 'final', [/^409 POST \/api\/v1\/publish\/drafts\/\d+\/review$/]);
  await page.close();
});

test('the writer marks it published; the trail names each reviewer; phone width', async () => {
  const page = await as('epauthor');
  await page.goto(`${srv.url}/publish/drafts/${draftId}`);
  await fill(page, '发布链接', 'https://mp.weixin.qq.com/s/yincheng');
  await page.getByRole('button', { name: '标记为已发布' }).click();
  await page.locator('.page-head .el-tag', { hasText: '已发布' }).waitFor();
  const trail = await page.locator('.el-timeline').textContent();
  for (const who of ['李初审（银城镇）', '王复审（银城镇）', '孙宣传（县委宣传部）', '放行理由：系防诈骗警示内容']) assert.ok(trail.includes(who), who);
  await shot(page, 'publish-published');
  assertClean(page, 'published');
  await page.close();
  const phone = await as('epauthor', PHONE);
  await phone.goto(`${srv.url}/publish/drafts/${draftId}`);
  await phone.locator('.marked mark').first().waitFor();
  await shot(phone, 'publish-published-phone');
  assertClean(phone, 'phone');
  await phone.close();
});

test('the register flags idle and 僵尸 accounts; lists and figures', async () => {
  const page = await as('epfinal');
  await page.goto(srv.url + '/publish/outlets');
  await page.locator('.el-table__row', { hasText: '银城头条' }).locator('.el-tag', { hasText: '僵尸账号' }).waitFor();
  await page.locator('.el-table__row', { hasText: '银城融媒' }).locator('.el-tag', { hasText: '超过两周未更新' }).waitFor();
  await shot(page, 'publish-outlets');
  await page.locator('.el-table__row', { hasText: '银城发布' }).click();
  await page.locator('.el-drawer', { hasText: '备案记录' }).waitFor();
  await shot(page, 'publish-outlet-drawer');
  await page.goto(srv.url + '/publish/lists');
  await page.locator('.el-table__row', { hasText: '违法广告' }).waitFor();
  await shot(page, 'publish-lists');
  await page.goto(srv.url + '/publish/figures');
  await page.getByRole('link', { name: '违法广告' }).waitFor();
  await shot(page, 'publish-figures');
  await page.getByRole('link', { name: '违法广告' }).click();
  await page.waitForURL(/category=/);
  await page.locator('.el-table__row', { hasText: '防范电信诈骗' }).waitFor();
  assertClean(page, 'register');
  await page.close();
});
