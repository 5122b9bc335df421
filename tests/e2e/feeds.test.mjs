// The feeds mechanism in a real browser, as of 2 November 2026 (DUBAN_NOW): the administrator's
// 工作台 shows the banner asking for the 2027 holiday notice; a 2027 deadline shows 估算 in the
// problem list and on its page; the supervising side makes a closed problem public from its
// page; a township clerk makes a calendar feed on the profile page and the address it shows
// serves a calendar; the public results page, without a login, shows the published problem and
// none of its description, persons or evidence. Screenshots at 1440×900 and at phone width.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PW, startServer, USER_PW } from '../api/lib/server.mjs';
import { closeLoop, county, problemBody, register } from '../api/lib/problems.mjs';
import { parse, events } from '../api/lib/ics.mjs';
import { launch, newPage, login, shot, PHONE } from './lib/browser.mjs';
import { assertClean } from './lib/ui.mjs';

const WIDE = { width: 1440, height: 900 };
let srv, browser, ctx, est, closed;

test.before(async () => {
  srv = await startServer({ env: { DUBAN_NOW: '2026-11-02T09:00:00+08:00' }, flags: ['--tick_interval', '86400'] });
  ctx = await county(srv);
  est = await register(ctx.operator, problemBody(ctx.units.townA.id, { title: '跨年道路维修', found_on: '2026-12-28', deadline: undefined, deadline_workdays: 5 }));
  closed = await register(ctx.operator, problemBody(ctx.units.townA.id, { title: '村口路灯不亮', description: '内部描述：不公开的细节', person: '李责任', deadline: '2026-11-20' }));
  await closeLoop(ctx, ctx.handlerA, closed.id);
  browser = await launch();
});
test.after(async () => {
  await browser?.close();
  await srv?.stopClean();
});

async function as(loginName, password = USER_PW, viewport = WIDE) {
  const page = await newPage(browser, srv.url, viewport);
  await login(page, loginName, password);
  return page;
}

test('the administrator sees the banner asking for the 2027 notice; others do not', async () => {
  const page = await as('admin', ADMIN_PW);
  await page.goto(srv.url + '/');
  const banner = page.getByTestId('calendar-banner');
  await banner.waitFor();
  assert.match(await banner.textContent(), /尚未导入 2027 年节假日安排/);
  await shot(page, 'feeds-calendar-banner');
  assertClean(page, 'the dashboard');
  const op = await as('operator');
  await op.goto(srv.url + '/');
  await op.waitForLoadState('networkidle');
  assert.equal(await op.getByTestId('calendar-banner').count(), 0);
});

test('a 2027 deadline shows 估算 in the list and on its page', async () => {
  const page = await as('operator');
  await page.goto(srv.url + '/problems');
  const row = page.locator('.el-table__row', { hasText: '跨年道路维修' });
  await row.getByTestId('estimated').waitFor();
  assert.equal(await page.locator('.el-table__row', { hasText: '村口路灯不亮' }).getByTestId('estimated').count(), 0);
  await shot(page, 'feeds-list-estimated');
  await page.goto(`${srv.url}/problems/${est.id}`);
  await page.getByTestId('estimated').waitFor();
  assertClean(page, 'the list and the page');
});

test('the supervising side makes a closed problem public from its page', async () => {
  const page = await as('operator');
  await page.goto(`${srv.url}/problems/${closed.id}`);
  const card = page.getByTestId('publish-card');
  await card.getByRole('button', { name: '设为公开' }).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.locator('textarea').fill('路灯已更换，夜间照明恢复。');
  await dialog.getByRole('button', { name: '公开', exact: true }).click();
  await card.locator('.el-tag', { hasText: '已公开' }).waitFor();
  await page.locator('.timeline', { hasText: '设为公开' }).waitFor();
  await shot(page, 'feeds-publish-card');
  const phone = await as('operator', USER_PW, PHONE);
  await phone.goto(`${srv.url}/problems/${closed.id}`);
  await phone.getByTestId('publish-card').waitFor();
  await shot(phone, 'feeds-publish-card-phone');
  assertClean(page, 'the problem page');
});

test('a clerk makes a calendar feed on the profile page; its address serves the deadlines', async () => {
  const page = await as('handlera');
  await page.goto(srv.url + '/profile');
  const card = page.getByTestId('feed-card');
  await card.getByRole('button', { name: '生成订阅地址' }).click();
  const url = (await page.getByTestId('feed-url').textContent()).trim();
  assert.match(url, /\/api\/v1\/feeds\/duban\.ics\?token=[A-Za-z0-9_-]{43}$/);
  await card.locator('.el-tag', { hasText: '已启用' }).waitFor();
  await shot(page, 'feeds-profile-feed');
  const res = await fetch(url);
  assert.equal(res.status, 200);
  const evs = events(parse(await res.text()));
  assert.ok(evs.some((e) => e.summary === '【完成时限（估算）】跨年道路维修' && e.start === '20270104'));
  const phone = await as('handlera', USER_PW, PHONE);
  await phone.goto(srv.url + '/profile');
  await phone.getByTestId('feed-card').waitFor();
  await shot(phone, 'feeds-profile-feed-phone');
  assertClean(page, 'the profile page');
});

test('the public results page shows the published problem and nothing else of it', async () => {
  for (const [vp, name] of [[WIDE, 'feeds-public'], [PHONE, 'feeds-public-phone']]) {
    const anon = await newPage(browser, srv.url, vp);
    await anon.goto(`${srv.url}/public/results`);
    await anon.getByText('村口路灯不亮').waitFor();
    const text = await anon.locator('.public').textContent();
    assert.match(text, /路灯已更换，夜间照明恢复。/);
    assert.match(text, /已销号/);
    for (const secret of ['内部描述', '李责任', '甲镇经办人', '王核查', '跨年道路维修']) assert.equal(text.includes(secret), false, secret);
    await shot(anon, name);
    assertClean(anon, 'the public page');
  }
});
