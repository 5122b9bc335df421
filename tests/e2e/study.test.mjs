// The study registry (理论学习与宣讲) in a real browser, as a township's study clerk and a
// county observer would use it: the branch's fixed study day is set and the 三定一分享 view
// shows it missed; the clerk records a 三会一课 session with attendance (an absence without a
// reason is refused next to the row); the branch becomes compliant; the observer records his
// feedback with an issue; the clerk answers it and it shows as answered; the summary states
// the counts in prose. Screenshots of every study page at desktop and phone width.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, USER_PW, addUnit } from '../api/lib/server.mjs';
import { roleUser } from '../api/lib/problems.mjs';
import { launch, newPage, login, shot, PHONE } from './lib/browser.mjs';
import { item, fill, chooseUnit, fieldError, assertClean } from './lib/ui.mjs';

let srv;
let browser;
const units = {};
const persons = {};
let clerk;

// Today in Shanghai (the server's and the UI's calendar).
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const month = today.slice(0, 7);
const day = Number(today.slice(8, 10));
// The month 三定一分享 opens on: the last complete one.
const [ty, tm] = month.split('-').map(Number);
const lastMonth = tm === 1 ? `${ty - 1}-12` : `${ty}-${String(tm - 1).padStart(2, '0')}`;
const BRANCH = '甲镇机关党支部';
const TOPIC = '学习贯彻党的创新理论专题';
const ISSUE = '联系本单位实际不够紧密，研讨发言准备不足';

test.before(async () => {
  srv = await startServer();
  const [admin, secadmin] = await Promise.all([srv.admin(), srv.secadmin()]);
  units.town = await addUnit(admin, { code: 'jiazhen', name: '甲镇', kind: 'township', parent_id: 1 });
  units.branch = await addUnit(admin, { code: 'jzjgdzb', name: BRANCH, kind: 'branch', parent_id: units.town.id });
  units.dept = await addUnit(admin, { code: 'xcb', name: '县委宣传部', kind: 'department', parent_id: 1 });
  clerk = await roleUser(srv, admin, secadmin, { login: 'clerk', name: '甲镇学习管理员', unit_id: units.town.id, grants: [['study_clerk', units.town.id]] });
  await roleUser(srv, admin, secadmin, { login: 'observer', name: '刘列席', unit_id: units.dept.id, grants: [['study_observer', 1]] });
  for (const [key, name, position, rank] of [
    ['zhang', '张明', '支部书记', '乡科级'], ['li', '李华', '组织委员', '一般干部'], ['wang', '王芳', '党员', '普通党员'],
  ]) {
    const res = await clerk.post('/api/v1/study/persons', { unit_id: units.branch.id, name, position, rank, party_member: true });
    assert.equal(res.status, 201, `person ${name}: ${res.text}`);
    persons[key] = res.body.id;
  }
  browser = await launch();
});
test.after(async () => {
  await browser?.close();
  await srv?.stopClean();
});

async function as(loginName, viewport) {
  const page = await newPage(browser, srv.url, viewport);
  await login(page, loginName, USER_PW);
  return page;
}

/** Picks an option of a plain (not filterable) select by its text. */
async function pick(page, scope, label, text) {
  await item(scope, label).locator('.el-select__wrapper').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

function branchRow(page) {
  return page.locator('.compliance .el-table__row', { hasText: BRANCH });
}

let activityUrl;

test('the branch without a fixed day or a session misses 三定一分享; the clerk sets its fixed day', async () => {
  const page = await as('clerk');
  await page.locator('.el-sub-menu__title', { hasText: '学习宣讲' }).click();
  await page.getByRole('menuitem', { name: '三定一分享' }).click();
  await page.waitForURL('**/study/branches');
  await branchRow(page).waitFor();
  // It opens on the last complete month, judged: no 本月尚未结束 there.
  await page.getByTestId('compliance-summary').getByText(`${lastMonth.replace('-', '年')}月：`).waitFor();
  assert.equal(await page.getByTestId('month-unfinished').count(), 0);
  assert.match(await branchRow(page).textContent(), /✗ 未达标/);
  assert.match(await branchRow(page).textContent(), /未设定固定学习日/);

  await branchRow(page).getByRole('button', { name: '设定固定日' }).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.locator('input[name="fixed_day"]').fill(String(day));
  await dialog.locator('input[name="fixed_day"]').press('Tab');
  await dialog.getByRole('button', { name: '保存' }).click();
  await branchRow(page).getByText(`每月 ${day} 日`).waitFor();
  assert.match(await branchRow(page).textContent(), /未达标/);
  assert.match(await branchRow(page).textContent(), /当月未开展学习/);
  await shot(page, 'study-branches-before');
  assertClean(page, 'clerk, branches');
});

test('the clerk records a 三会一课 on the fixed day with attendance; an absence needs a reason', async () => {
  const page = await as('clerk');
  await page.goto(srv.url + '/study/activities/new');
  await pick(page, page, '活动类型', '三会一课');
  await chooseUnit(page, page, '单位', BRANCH);
  await fill(page, '主题', TOPIC);
  await fill(page, '地点', '甲镇党群服务中心');
  await item(page, '领学人').locator('.el-select__wrapper').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '张明' }).first().click();
  await fill(page, '会议记录', '张明领学，全体党员逐一交流学习体会。');
  await shot(page, 'study-activity-form');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.waitForURL(/\/study\/activities\/\d+$/);
  activityUrl = page.url();
  await page.locator('.title', { hasText: TOPIC }).waitFor();

  const att = page.locator('.attendance-card');
  await att.locator('[data-person="王芳"]').waitFor();
  // Nothing is shown as recorded before it is: no one preset as present.
  await att.getByText('尚未登记出席情况').waitFor();
  assert.equal(await att.locator('.el-radio-button.is-active').count(), 0);
  await att.getByRole('button', { name: '保存出席情况' }).click();
  await att.locator('[data-person="王芳"] .row-error', { hasText: '请选择出席或缺席' }).waitFor();
  await att.getByRole('button', { name: '全部出席' }).click();
  await att.getByRole('button', { name: '全部分享' }).click();
  await att.locator('[data-person="王芳"] .el-radio-button', { hasText: '缺席' }).click();
  await att.getByRole('button', { name: '保存出席情况' }).click();
  const err = att.locator('[data-person="王芳"] .el-form-item__error');
  await err.waitFor();
  assert.equal((await err.textContent()).trim(), '请填写缺席原因');
  await shot(page, 'study-attendance-error');

  await att.getByLabel('王芳缺席原因').fill('外出参加县里集中培训');
  await att.getByRole('button', { name: '保存出席情况' }).click();
  await att.getByText('应到 3 人，实到 2 人，分享 2 人').waitFor();
  await page.locator('.el-message--success', { hasText: '出席情况已保存' }).waitFor();
  // what was saved is what the server holds
  const saved = await clerk.ok(`/api/v1/study/activities/${activityUrl.split('/').pop()}`);
  const wang = saved.attendance.find((a) => a.person_id === persons.wang);
  assert.equal(wang.present, false);
  assert.equal(wang.absence_reason, '外出参加县里集中培训');
  assert.equal(saved.attendance.filter((a) => a.shared).length, 2);

  await page.reload();
  await page.locator('[data-person="王芳"]').waitFor();
  assert.equal(await page.getByLabel('王芳缺席原因').inputValue(), '外出参加县里集中培训');
  await shot(page, 'study-activity-detail');

  // This month is not over: it says so, and the branch that met the rule already is ✓.
  await page.goto(srv.url + `/study/branches?month=${month}`);
  await page.getByTestId('month-unfinished').getByText('本月尚未结束').waitFor();
  await branchRow(page).getByText('✓ 达标').waitFor();
  await shot(page, 'study-branches-after');
  await branchRow(page).getByRole('button', { name: '领学轮换' }).click();
  const drawer = page.locator('.el-drawer:visible');
  await drawer.locator('.never-row', { hasText: '李华' }).waitFor();
  assert.equal(await drawer.locator('.never-row', { hasText: '张明' }).count(), 0);
  await shot(page, 'study-rotation');
  assertClean(page, 'clerk, activity');
});

test('the observer registers feedback with an issue; it is due from the township', async () => {
  const page = await as('observer');
  await page.goto(activityUrl);
  await page.getByRole('button', { name: '登记列席意见' }).click();
  const dialog = page.locator('.el-dialog:visible');
  assert.equal(await item(dialog, '列席人').locator('input').inputValue(), '刘列席');
  await dialog.getByText('较好', { exact: true }).click();
  await fill(dialog, '现场点评', '学习准备充分，讨论热烈。');
  await dialog.getByLabel('反馈问题 1').fill(ISSUE);
  await shot(page, 'study-observation-form');
  await dialog.getByRole('button', { name: '提交列席意见' }).click();
  const fb = page.locator('.observations-card .feedback', { hasText: ISSUE });
  await fb.waitFor();
  assert.match(await fb.textContent(), /待答复/);
  assert.match(await fb.textContent(), /答复期限 \d{4}-\d{2}-\d{2}/);
  // the observer may not answer for the township
  assert.equal(await fb.getByRole('button', { name: '答复' }).count(), 0);
  assertClean(page, 'observer');
});

test('the clerk answers the feedback and it shows as answered', async () => {
  const page = await as('clerk');
  await page.goto(srv.url + '/study/feedback?state=open');
  const row = page.locator('.el-table__row', { hasText: ISSUE });
  await row.waitFor();
  await shot(page, 'study-feedback-open');
  await row.getByRole('button', { name: '答复' }).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.getByRole('button', { name: '提交答复' }).click();
  assert.equal(await fieldError(dialog, '答复意见'), '请填写答复意见');
  await dialog.locator('textarea[name="answer"]').fill('已组织支部党员结合本镇项目推进再学习再研讨，下次学习前提交发言提纲。');
  await dialog.getByRole('button', { name: '提交答复' }).click();
  // answered, it leaves the open list and shows among the answered ones
  await page.locator('.el-table__row', { hasText: ISSUE }).waitFor({ state: 'detached' });
  await page.locator('.filters').getByText('已答复', { exact: true }).click();
  await page.locator('.filters').getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/state=answered/);
  await page.locator('.el-table__row', { hasText: ISSUE }).getByText('已答复').waitFor();
  await shot(page, 'study-feedback-answered');
  await page.goto(activityUrl);
  const fb = page.locator('.observations-card .feedback', { hasText: ISSUE });
  await fb.getByText('已答复').waitFor();
  assert.match(await fb.textContent(), /答复：已组织支部党员/);
  assertClean(page, 'clerk, feedback');
});

test('the figures and the summary state the counts; every study page renders clean at desktop and phone width', async () => {
  // the township's own 中心组 also met and held a seminar this year
  for (const [kind, topic] of [['center_group', '镇党委理论学习中心组集体学习'], ['seminar', '优化营商环境专题研讨']]) {
    const res = await clerk.post('/api/v1/study/activities', { kind, unit_id: units.town.id, held_on: today, topic });
    assert.equal(res.status, 201, res.text);
  }
  const page = await as('observer');
  await page.goto(srv.url + '/study/stats');
  const summary = page.locator('.summary-card .summary-text p');
  await summary.waitFor();
  const text = (await summary.textContent()).trim();
  assert.match(text, /^\d{4}年.*全县/, `summary opens with period and scope: ${text}`);
  assert.match(text, /学习\d+次/, `summary counts the sessions: ${text}`);
  assert.match(text, /研讨1场/, `summary counts the seminar: ${text}`);
  await page.locator('.fig[data-figure="sessions"] .fig-num').waitFor();
  assert.ok(Number((await page.locator('.fig[data-figure="sessions"] .fig-num').textContent()).trim()) >= 2);
  assert.match(await page.locator('.summary-card a', { hasText: '下载 Word' }).getAttribute('href'), /summary\.docx\?/);
  await shot(page, 'study-stats');
  await page.locator('.fig[data-figure="sessions"]').click();
  await page.waitForURL(/\/study\/activities\?/);
  await page.locator('.el-table__row', { hasText: TOPIC }).waitFor();
  await shot(page, 'study-activities');
  assertClean(page, 'observer, stats');

  const phone = await as('clerk', PHONE);
  for (const [name, path] of [['activities', '/study/activities'], ['detail', new URL(activityUrl).pathname],
    ['plans', '/study/plans'], ['branches', `/study/branches?month=${month}`], ['outreach', '/study/outreach'],
    ['feedback', '/study/feedback'], ['stats', '/study/stats'], ['persons', '/study/persons'], ['dashboard', '/']]) {
    await phone.goto(srv.url + path);
    await phone.waitForLoadState('networkidle');
    await shot(phone, `study-phone-${name}`);
  }
  await phone.locator('.study-figures .fig').first().waitFor();
  assertClean(phone, 'clerk, phone');
});
