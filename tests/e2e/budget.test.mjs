// Budget performance (成本预算绩效) in a real browser, through a whole preparation round: a
// department's finance clerk drafts a project in the form (the amount computed as typed, the
// totals live), the machine gate's failures show beside the line and indicator they name, the
// fixed project is submitted; the head approves; the finance bureau assigns a third party, who
// reviews with an opinion on one line; the bureau returns it; the clerk revises and resubmits
// (round 2, the rounds side by side); it passes, is approved with a cut and published; the
// public page, without a login, shows its targets and no contact. Screenshots at 1440×900 and
// at phone width.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, USER_PW } from '../api/lib/server.mjs';
import { budgetCounty, act } from '../api/lib/budget.mjs';
import { launch, newPage, login, shot, PHONE } from './lib/browser.mjs';
import { item, fill, assertClean } from './lib/ui.mjs';

const WIDE = { width: 1440, height: 900 };
const NAME = '全区中小学教师信息技术培训';
let srv, browser, u, c, id;

test.before(async () => {
  srv = await startServer();
  ({ u, c } = await budgetCounty(srv));
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

const input = (page, label) => page.getByLabel(label, { exact: true });

/** Opens an action of the project page and resolves its dialog. */
async function openAction(page, title) {
  await page.locator('.actions').getByRole('button', { name: title, exact: true }).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor();
  return dialog;
}

async function expectState(page, title) {
  await page.locator('.tags .el-tag').first().filter({ hasText: title }).waitFor();
}

test('the clerk drafts a project: amounts live, the gate names the line and the weights, then it is submitted', async () => {
  const page = await as('educlerk');
  await page.goto(srv.url + '/budget/projects/new');
  await fill(page, '项目名称', NAME);
  await item(page, '新增/延续').locator('.el-radio', { hasText: '延续' }).click(); // no 事前评估 needed
  await fill(page, '本年财政拨款', '1500');
  await input(page, '测算行1·测算内容').fill('培训教材');
  await input(page, '测算行1·数量').fill('12.5');
  await input(page, '测算行1·单位').fill('套');
  await input(page, '测算行1·单价').fill('120.08');
  // 12.5 × 120.08 = 1501.00, shown as typed
  await page.locator('[data-line="1"]', { hasText: '1,501.00' }).waitFor();
  await page.locator('.totals', { hasText: '不一致，相差 1.00 元' }).waitFor();
  await input(page, '测算行1·单价').fill('120');
  await page.locator('.totals', { hasText: '一致' }).first().waitFor();
  // the targets: one per first level (成本 prefilled as 总成本 in 万元)
  await input(page, '指标1·目标值').fill('0.15');
  await input(page, '指标1·权重').fill('25');
  await input(page, '指标2·名称').fill('培训人数');
  await input(page, '指标2·目标值').fill('按要求');
  await input(page, '指标2·计量单位').fill('人');
  await input(page, '指标2·权重').fill('25');
  await input(page, '指标3·名称').fill('信息化教学应用率');
  await input(page, '指标3·目标值').fill('80');
  await input(page, '指标3·计量单位').fill('%');
  await input(page, '指标3·权重').fill('25');
  await input(page, '指标4·名称').fill('参训教师满意度');
  await input(page, '指标4·目标值').fill('95');
  await input(page, '指标4·计量单位').fill('%');
  await input(page, '指标4·权重').fill('20');
  await page.getByRole('button', { name: '保存（机审）' }).click();
  const alert = page.locator('.gate', { hasText: '机审未通过：3 项问题' });
  await alert.waitFor();
  await alert.getByText('第1行「培训教材」：未填写测算依据').waitFor();
  await alert.getByText('各指标权重合计 95 分，应为 100 分').waitFor();
  // beside the fields: under the line and under the indicator
  await page.locator('.sheet .cell-err', { hasText: '未填写测算依据' }).waitFor();
  await page.locator('.level1 .cell-err', { hasText: '「培训人数」为定量指标' }).waitFor();
  await page.waitForURL(/\/budget\/projects\/\d+\/edit$/);
  id = Number(page.url().split('/').at(-2));
  await shot(page, 'budget-form-gate');

  await input(page, '测算行1·测算依据').fill('询价：三家书店报价');
  await input(page, '指标2·目标值').fill('300');
  await input(page, '指标4·权重').fill('25');
  await page.getByRole('button', { name: '保存并提交' }).click();
  await page.waitForURL(`**/budget/projects/${id}`);
  await expectState(page, '待单位审核');
  await shot(page, 'budget-detail-submitted');
  assertClean(page, 'clerk drafting', [/^400 POST \/api\/v1\/budget/]);

  const phone = await as('educlerk', PHONE);
  await phone.goto(`${srv.url}/budget/projects/new`);
  await phone.getByText('项目测算表').first().waitFor();
  await shot(phone, 'budget-form-phone');
  assertClean(phone, 'clerk form at phone width');
});

test('head, finance bureau and the assigned third party review; the bureau returns it with the opinions', async () => {
  const head = await as('eduhead');
  await head.goto(`${srv.url}/budget/projects/${id}`);
  let d = await openAction(head, '单位审核通过');
  await d.getByRole('button', { name: '提交单位审核通过' }).click();
  await expectState(head, '财政审核中');
  assertClean(head, 'head');

  const rev = await as('reviewer');
  await rev.goto(`${srv.url}/budget/projects/${id}`);
  d = await openAction(rev, '委托第三方评审');
  await item(d, '评审人员').locator('.el-select__wrapper').click();
  await rev.locator('.el-select-dropdown__item:visible', { hasText: '吴评审' }).first().click();
  await d.getByRole('button', { name: '提交委托第三方评审' }).click();
  await expectState(rev, '第三方评审中');

  // the other firm reviewer cannot open it; the assigned one reviews with a line's opinion
  const other = await as('tp2');
  await other.goto(`${srv.url}/budget/projects`);
  await other.getByText('没有符合条件的项目').waitFor();
  const tp = await as('tp1');
  await tp.goto(`${srv.url}/budget/projects`);
  await tp.getByRole('link', { name: NAME }).click();
  d = await openAction(tp, '第三方评审');
  await d.getByRole('button', { name: '添加' }).click();
  await d.locator('.per-target .el-select__wrapper').click();
  await tp.locator('.el-select-dropdown__item:visible', { hasText: '测算表 第1行「培训教材」' }).click();
  await d.getByPlaceholder('意见').fill('教材单价高于政府采购协议价');
  await d.locator('.el-radio', { hasText: '修改后通过' }).click();
  await item(d, '评审意见').locator('textarea').fill('建议按协议价重新测算教材费用');
  await shot(tp, 'budget-third-party-review');
  await d.getByRole('button', { name: '提交第三方评审' }).click();
  await expectState(tp, '待财政审定');
  await tp.locator('.op', { hasText: '教材单价高于政府采购协议价' }).waitFor();
  assertClean(tp, 'third party');

  await rev.reload();
  d = await openAction(rev, '退回修改');
  await item(d, '退回意见').locator('textarea').fill('请按第三方意见修改后重新报送');
  await d.getByRole('button', { name: '提交退回修改' }).click();
  await expectState(rev, '退回修改');
  assertClean(rev, 'reviewer', [/^403 GET /]);
});

test('the clerk revises and resubmits: round 2, the rounds side by side', async () => {
  const page = await as('educlerk');
  await page.goto(`${srv.url}/budget/projects/${id}`);
  await page.getByRole('tab', { name: /评审意见/ }).click();
  await page.locator('.opinion', { hasText: '建议按协议价重新测算教材费用' }).waitFor();
  await page.getByRole('button', { name: '编制测算表与绩效目标' }).click();
  await page.waitForURL(`**/budget/projects/${id}/edit`);
  await input(page, '测算行1·单价').fill('112');
  await fill(page, '本年财政拨款', '1400');
  await input(page, '指标1·目标值').fill('0.14');
  await page.getByRole('button', { name: '保存并提交' }).click();
  await page.waitForURL(`**/budget/projects/${id}`);
  await page.locator('.tags', { hasText: '第 2 轮' }).waitFor();
  await page.getByRole('tab', { name: '轮次对比' }).click();
  await page.locator('.changed', { hasText: '12.5套 × 120.00 = 1,500.00 元' }).waitFor();
  await page.locator('.changed', { hasText: '12.5套 × 112.00 = 1,400.00 元' }).waitFor();
  await shot(page, 'budget-rounds');
  assertClean(page, 'revision');
});

test('it passes, is approved with a cut, published, and the public page shows its targets only', async () => {
  assert.equal((await act(c.eduHead, id, 'dept_approve')).status, 200);
  assert.equal((await act(c.reviewer, id, 'assign', { reviewer_id: c.tp1.user.id })).status, 200);
  assert.equal((await act(c.tp1, id, 'third_party_review', { conclusion: '通过', opinion: '已按意见修改' })).status, 200);
  const rev = await as('reviewer');
  await rev.goto(`${srv.url}/budget/projects/${id}`);
  let d = await openAction(rev, '审核通过，纳入项目库');
  await d.getByRole('button', { name: '提交审核通过，纳入项目库' }).click();
  await expectState(rev, '已入库');

  const appr = await as('approver');
  await appr.goto(`${srv.url}/budget/projects/${id}`);
  d = await openAction(appr, '预算批复');
  await item(d, '批复金额（元）').locator('textarea').fill('1300');
  await d.getByRole('button', { name: '提交预算批复' }).click();
  await d.locator('.el-form-item__error', { hasText: '核减批复时须写明' }).waitFor();
  await item(d, '批复说明（核减时写明指标调整）').locator('textarea').fill('压减教材费100元，培训人数指标不变');
  await d.getByRole('button', { name: '提交预算批复' }).click();
  await expectState(appr, '已批复');
  await appr.getByText('（核减 100.00 元）').waitFor();
  d = await openAction(appr, '公开');
  await d.getByRole('button', { name: '提交公开' }).click();
  await expectState(appr, '已公开');
  assertClean(appr, 'approver', [/^400 POST /]);

  const fig = await as('reviewer');
  await fig.goto(`${srv.url}/budget/figures`);
  await fig.locator('.card', { hasText: '已公开' }).getByText('1', { exact: true }).waitFor();
  await shot(fig, 'budget-figures');
  assertClean(fig, 'figures');

  for (const [vp, name] of [[WIDE, 'budget-public'], [PHONE, 'budget-public-phone']]) {
    const anon = await newPage(browser, srv.url, vp);
    await anon.goto(`${srv.url}/public/budget`);
    await anon.getByText('区教育和体育局').first().waitFor();
    await anon.getByText(NAME).click();
    await anon.getByText('参训教师满意度').waitFor();
    const text = await anon.locator('.public').textContent();
    assert.ok(!text.includes('刘会计') && !text.includes('0531'), 'no contact on the public page');
    assert.ok(text.includes('1,300.00'));
    await shot(anon, name);
    assertClean(anon, 'public page');
  }
  const list = await as('reviewer');
  await list.goto(`${srv.url}/budget/projects`);
  await list.getByRole('link', { name: NAME }).waitFor();
  await shot(list, 'budget-list');
  const phone = await as('reviewer', PHONE);
  await phone.goto(`${srv.url}/budget/projects/${id}`);
  await expectState(phone, '已公开');
  await shot(phone, 'budget-detail-phone');
  assertClean(phone, 'phone');
});
