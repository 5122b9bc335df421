// 干部监督 in a real browser, the section's daily work: a member unit reports a clue on a phone
// and sees only its state; the section sees the warning with its explanation, takes it to 研判,
// decides the clues one by one, records the response the decision called for in the cadre's
// file, and answers a 资格审查 for a shortlist; a leader sees the warnings without clue texts.
// Screenshots at desktop (1440×900) and phone width (390×844).
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, USER_PW, addUnit } from '../api/lib/server.mjs';
import { roleUser } from '../api/lib/problems.mjs';
import { launch, newPage, login, shot, PHONE } from './lib/browser.mjs';
import { item, fill, assertClean } from './lib/ui.mjs';

const WIDE = { width: 1440, height: 900 };
const TEXT = '在项目审批中多次接受管理服务对象宴请';
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const daysAgo = (n) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() - n * 86400000));

let srv;
let browser;
const u = {};
const c = {};

test.before(async () => {
  srv = await startServer();
  const [admin, secadmin] = await Promise.all([srv.admin(), srv.secadmin()]);
  u.zuzhi = await addUnit(admin, { code: 'zuzhibu', name: '县委组织部', kind: 'department' });
  u.jiwei = await addUnit(admin, { code: 'jiwei', name: '县纪委监委', kind: 'department' });
  u.xinfang = await addUnit(admin, { code: 'xinfang', name: '县信访局', kind: 'department' });
  u.town = await addUnit(admin, { code: 'xicheng', name: '西城街道' });
  c.section = await roleUser(srv, admin, secadmin, { login: 'section', name: '周监督', unit_id: u.zuzhi.id, grants: [['cadre_section', 1]] });
  c.jiwei = await roleUser(srv, admin, secadmin, { login: 'jiwei', name: '郑纪检', unit_id: u.jiwei.id, grants: [['cadre_member', 1]] });
  c.xinfang = await roleUser(srv, admin, secadmin, { login: 'xinfang', name: '冯信访', unit_id: u.xinfang.id, grants: [['cadre_member', 1]] });
  c.leader = await roleUser(srv, admin, secadmin, { login: 'leader', name: '陈部长', unit_id: u.zuzhi.id, grants: [['cadre_leader', 1]] });
  const post = async (client, path, body) => {
    const res = await client.post(path, body);
    assert.equal(res.status, 201, `${path}: ${res.text}`);
    return res.body;
  };
  u.li = await post(c.section, '/api/v1/cadre/cadres', { unit_id: u.town.id, name: '李建国', position: '西城街道党工委副书记' });
  u.zhang = await post(c.section, '/api/v1/cadre/cadres', { unit_id: u.town.id, name: '张红', position: '西城街道办事处副主任' });
  await post(c.xinfang, '/api/v1/cadre/clues', { cadre_id: u.li.id, source: 'petition', circle: 'work', category: 'duty', occurred_on: daysAgo(30), description: '群众反映办事推诿' });
  // 张红 received a 诫勉 last month: within its impact period
  const cz = await post(c.jiwei, '/api/v1/cadre/clues', { cadre_id: u.zhang.id, source: 'discipline', circle: 'work', category: 'integrity', occurred_on: daysAgo(60), description: '违规收受礼金' });
  const s = await post(c.section, '/api/v1/cadre/sessions', { unit_id: 1, title: '专题研判会', held_on: daysAgo(40), participants: '县委组织部、县纪委监委', decisions: [{ clue_id: cz.id, disposal: 'verify', response_kind: 'admonish', reason: '属实，予以诫勉' }] });
  await post(c.section, '/api/v1/cadre/responses', { decision_id: s.decisions[0], kind: 'admonish', decided_on: daysAgo(35), talker: '陈部长（县委组织部部长）', recorder: '周监督（县委组织部干部监督科）', place: '县委组织部谈话室', content: '诫勉谈话' });
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

async function pick(page, scope, label, text) {
  await item(scope, label).locator('.el-select__wrapper').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

test('a member unit reports a clue at phone width and sees only its state', async () => {
  const page = await as('jiwei', PHONE);
  await page.goto(srv.url + '/cadre/intake');
  const form = page.locator('.intake');
  await item(form, '干部').locator('.el-select__wrapper').click();
  await page.keyboard.type('李建');
  await page.locator('.el-select-dropdown__item:visible', { hasText: '李建国' }).first().click();
  await pick(page, form, '线索来源', '纪检监察');
  await item(form, '所属方面').getByText('社交圈').click();
  await pick(page, form, '问题类别', '廉洁自律');
  await item(form, '严重程度').getByText('较重').click();
  await item(form, '发生或发现日期').locator('input').fill(daysAgo(10));
  await item(form, '发生或发现日期').locator('input').press('Enter');
  await fill(form, '线索内容', TEXT);
  await shot(page, 'cadre-intake-phone');
  await form.getByRole('button', { name: '报送' }).click();
  await page.locator('.el-message--success', { hasText: '线索已报送' }).waitFor();
  await page.locator('.el-table__row', { hasText: '李建国' }).getByText('待研判').waitFor();
  assert.equal((await page.locator('.el-table__row').count()), 2); // its own two, not 信访's
  assert.ok(!(await page.content()).includes(TEXT.slice(0, 8)) || (await page.locator('.el-table').textContent()).indexOf(TEXT) === -1);
  await shot(page, 'cadre-intake-after-phone');
  assertClean(page, 'member, intake');
});

test('the section sees the warning, decides in 研判 and records the response', async () => {
  const page = await as('section', WIDE);
  await page.goto(srv.url + '/cadre/warnings');
  const row = page.locator('.warnings > .el-table__inner-wrapper .el-table__row', { hasText: '李建国' }).first();
  await row.waitFor();
  assert.match(await row.textContent(), /黄色/);
  await row.locator('.el-table__expand-icon').click();
  await page.getByText(/计数规则/).first().waitFor();
  await shot(page, 'cadre-warnings-desktop');
  await row.getByRole('link', { name: '提交研判' }).click();
  await page.waitForURL(/\/cadre\/judge/);
  const clueRow = page.locator('.judge .el-table__row', { hasText: TEXT });
  await clueRow.waitFor();
  await clueRow.locator('.el-select').first().click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '谈话函询' }).click();
  await clueRow.locator('.el-select').nth(1).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^\s*函询\s*$/ }).first().click();
  await clueRow.locator('input[placeholder="研判理由"]').fill('反映问题具体，予以函询');
  const other = page.locator('.judge .el-table__row', { hasText: '推诿' });
  await other.locator('.el-select').first().click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '予以了结' }).click();
  await other.locator('input[placeholder="研判理由"]').fill('经了解，已整改');
  await page.locator('.extra input[placeholder="研判理由"]').fill('预警提示，提醒谈话');
  await shot(page, 'cadre-judge-desktop');
  await page.getByRole('button', { name: '保存研判结果' }).click();
  await page.locator('.el-message--success', { hasText: '研判结果已保存（3 项决定）' }).waitFor();
  await page.getByText('没有待研判的线索').waitFor();

  await page.goto(srv.url + `/cadre/cadres/${u.li.id}`);
  const dec = page.locator('.el-table__row', { hasText: '预警提示，提醒谈话' });
  await dec.waitFor();
  await dec.getByRole('button', { name: '记录处置' }).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor();
  await fill(dialog, '谈话人', '陈部长（县委组织部部长）');
  await fill(dialog, '记录人', '周监督（县委组织部干部监督科）');
  await fill(dialog, '地点', '县委组织部谈话室');
  await fill(dialog, '内容', '提醒谈话：注意工作方法，及时回应群众诉求');
  await shot(page, 'cadre-response-form');
  await dialog.getByRole('button', { name: '保存' }).click();
  await page.locator('.el-message--success', { hasText: '处置已记录' }).waitFor();
  await page.locator('.el-table__row', { hasText: '注意工作方法' }).waitFor();
  await shot(page, 'cadre-file-desktop');
  const file = await c.section.ok(`/api/v1/cadre/cadres/${u.li.id}`);
  assert.equal(file.responses.length, 1);
  assert.equal(file.responses[0].kind, 'remind');
  assert.equal(file.clues.every((x) => x.disposal), true);
  assertClean(page, 'section, warnings to response');
  const phone = await as('section', PHONE);
  await phone.goto(srv.url + `/cadre/cadres/${u.li.id}`);
  await phone.locator('.page-head h2').waitFor();
  await shot(phone, 'cadre-file-phone');
  assertClean(phone, 'section, file at phone width');
});

test('资格审查 names the rule and the record', async () => {
  const page = await as('section', WIDE);
  await page.goto(srv.url + '/cadre/eligibility');
  for (const name of ['李建国', '张红']) {
    await page.locator('.el-form-item', { hasText: '候选人' }).locator('.el-select__wrapper').click();
    await page.keyboard.type(name);
    await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click();
    await page.keyboard.press('Escape');
  }
  await page.getByRole('button', { name: '审查' }).click();
  const bad = page.locator('.results .el-table__row', { hasText: '张红' });
  await bad.waitFor();
  assert.match(await bad.textContent(), /不符合/);
  assert.match(await bad.textContent(), /影响期/);
  assert.match(await bad.textContent(), /第二十四条/);
  assert.match(await page.locator('.results .el-table__row', { hasText: '李建国' }).textContent(), /符合/);
  await shot(page, 'cadre-eligibility-desktop');
  assertClean(page, 'section, eligibility');
});

test('the figures drill down to the clues behind a bar', async () => {
  const page = await as('section', WIDE);
  await page.goto(srv.url + '/cadre/figures');
  await page.locator('.chart').first().waitFor();
  await page.waitForTimeout(500);
  const chart = page.locator('.el-card', { hasText: '三个圈' }).locator('.chart');
  const box = await chart.boundingBox();
  await page.mouse.click(box.x + box.width / 2 + box.width * 0.22, box.y + box.height / 2);
  await page.locator('.drill-table .el-table__row').first().waitFor();
  await shot(page, 'cadre-figures-desktop');
  assertClean(page, 'section, figures');
});

test('a leader sees the warnings with reasons but no clue text and no file', async () => {
  const page = await as('leader', WIDE);
  await page.goto(srv.url + '/cadre/warnings');
  const row = page.locator('.warnings > .el-table__inner-wrapper .el-table__row', { hasText: '张红' }).first();
  await row.waitFor();
  assert.equal(await row.getByRole('link').count(), 0);
  await row.locator('.el-table__expand-icon').click();
  await page.getByText(/处置：诫勉/).first().waitFor();
  const html = await page.content();
  assert.ok(!html.includes('违规收受礼金'));
  assert.ok(!html.includes(TEXT));
  await shot(page, 'cadre-warnings-leader');
  const phone = await as('leader', PHONE);
  await phone.goto(srv.url + '/cadre/warnings');
  await phone.locator('.page-head h2').waitFor();
  await phone.waitForLoadState('networkidle');
  await shot(phone, 'cadre-warnings-phone');
  assertClean(page, 'leader, warnings');
  assertClean(phone, 'leader, warnings at phone width');
});
