// 统战联络 in a real browser: a liaising cadre opens 我的联系对象 on a phone (390×844), records a
// visit to one of his persons on the spot with a 困难诉求; the township's 统战 office sees it
// under 走访记录 and sends the request to the problem list; the cadre then sees the problem and
// its state on the visit. Screenshots of the liaison pages at desktop (1440×900) and phone width.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, USER_PW, addUnit } from '../api/lib/server.mjs';
import { roleUser } from '../api/lib/problems.mjs';
import { launch, newPage, login, shot, PHONE } from './lib/browser.mjs';
import { item, fill, chooseUnit, assertClean } from './lib/ui.mjs';

const WIDE = { width: 1440, height: 900 };
const REQUEST = '学校门前道路破损，学生出行不便';
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const year = Number(today.slice(0, 4));

let srv;
let browser;
const u = {};
const c = {};

test.before(async () => {
  srv = await startServer();
  const [admin, secadmin] = await Promise.all([srv.admin(), srv.secadmin()]);
  u.town = await addUnit(admin, { code: 'xicheng', name: '西城街道', kind: 'township', parent_id: 1 });
  c.clerk = await roleUser(srv, admin, secadmin, { login: 'clerk', name: '刘统战', unit_id: u.town.id, grants: [['liaison_clerk', u.town.id]] });
  c.cadre = await roleUser(srv, admin, secadmin, { login: 'cadre', name: '王干部', unit_id: u.town.id, grants: [['liaison_cadre', u.town.id]] });
  const create = async (path, body) => {
    const res = await c.clerk.post(`/api/v1/liaison/${path}`, body);
    assert.equal(res.status, 201, `${path}: ${res.text}`);
    return res.body;
  };
  u.chen = await create('persons', { unit_id: u.town.id, category: 'democratic_party', party: '民盟', name: '陈明', employer: '西城中学', post: '教师', status: 'training' });
  u.lin = await create('persons', { unit_id: u.town.id, category: 'new_stratum', stratum_kind: '新媒体从业人员', name: '林晓', employer: '晓见文化传媒', gender: 'female' });
  u.qiao = await create('enterprises', { unit_id: u.town.id, name: '华侨食品有限公司', kind: 'overseas', sector: '食品加工', size: 'medium', contact_name: '陈经理', cadre_user_id: c.cadre.user.id });
  u.asg = await create('assignments', { unit_id: u.town.id, cadre_user_id: c.cadre.user.id, frequency: 'quarterly', festivals: true, starts_on: `${year}-01-01`, person_ids: [u.chen.id, u.lin.id], enterprise_ids: [u.qiao.id] });
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

function target(page, name) {
  return page.locator('.target', { hasText: name });
}

test('the cadre records a visit with a 困难诉求 at phone width', async () => {
  const page = await as('cadre', PHONE);
  await page.goto(srv.url + '/liaison/mine');
  await target(page, '陈明').waitFor();
  await target(page, '华侨食品有限公司').waitFor();
  await shot(page, 'liaison-mine-phone');
  await target(page, '陈明').getByRole('button', { name: '登记走访' }).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor();
  await dialog.locator('.el-radio-button', { hasText: '谈心' }).click();
  await fill(dialog, '思想动态', '拥护街道工作安排，关注教育发展');
  await fill(dialog, '意见建议', '建议多组织党外人士交流活动');
  await fill(dialog, '困难诉求', REQUEST);
  await fill(dialog, '帮扶情况', '已联系社区了解情况');
  await shot(page, 'liaison-visit-form-phone');
  // the dialog fits the phone: nothing wider than the screen
  const box = await dialog.locator('.el-dialog').first().boundingBox().catch(() => null) || await dialog.boundingBox();
  assert.ok(box.width <= PHONE.width, `dialog ${box.width}px wide`);
  await dialog.getByRole('button', { name: '保存' }).click();
  await page.locator('.el-message--success', { hasText: '走访已登记' }).waitFor();
  await page.locator('.visit', { hasText: REQUEST }).waitFor();
  await target(page, '陈明').getByText('已走访').first().waitFor();
  await shot(page, 'liaison-mine-after-phone');
  const saved = await c.cadre.ok('/api/v1/liaison/visits?mine=1');
  assert.equal(saved.total, 1);
  assert.equal(saved.items[0].form, 'talk');
  assert.equal(saved.items[0].requests, REQUEST);
  assert.equal(saved.items[0].person_id, u.chen.id);
  assertClean(page, 'cadre, mine');
});

test('the 统战 office sends the request to the problem list; the cadre sees its state', async () => {
  const page = await as('clerk', WIDE);
  await page.goto(srv.url + '/liaison/visits');
  const row = page.locator('.el-table__row', { hasText: REQUEST });
  await row.waitFor();
  assert.match(await row.textContent(), /王干部/);
  await row.getByRole('button', { name: '转入问题清单' }).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor();
  await chooseUnit(page, dialog, '承办单位', '西城街道');
  await fill(dialog, '问题类别', '基础设施');
  await shot(page, 'liaison-raise-dialog');
  await dialog.getByRole('button', { name: '转入' }).click();
  await page.locator('.el-message--success', { hasText: '已转入问题清单' }).waitFor();
  await row.getByRole('link', { name: new RegExp('道路破损') }).waitFor();
  await shot(page, 'liaison-visits-desktop');
  const raised = await c.clerk.ok('/api/v1/liaison/problems?origin=visit');
  assert.equal(raised.total, 1);
  assertClean(page, 'clerk, visits');

  const phone = await as('cadre', PHONE);
  await phone.goto(srv.url + '/liaison/mine');
  const shown = phone.locator('.visit .problem');
  await shown.waitFor();
  assert.match(await shown.textContent(), /已转入问题清单/);
  assert.match(await shown.textContent(), /西城街道/);
  await shot(phone, 'liaison-mine-problem-phone');
  assertClean(phone, 'cadre, mine with problem');
});

test('the registers and the figures at desktop and phone width', async () => {
  const desk = await as('clerk', WIDE);
  const phone = await as('clerk', PHONE);
  for (const [path, name] of [
    ['/liaison/registers/persons', 'persons'], ['/liaison/registers/enterprises', 'enterprises'],
    ['/liaison/registers/assignments', 'assignments'], ['/liaison/stats', 'stats'],
  ]) {
    for (const [page, size] of [[desk, 'desktop'], [phone, 'phone']]) {
      await page.goto(srv.url + path);
      await page.locator('.page-head h2').waitFor();
      await page.waitForLoadState('networkidle');
      await shot(page, `liaison-${name}-${size}`);
    }
  }
  await desk.goto(srv.url + '/liaison/registers/assignments');
  await desk.locator('.el-table__row', { hasText: '王干部' }).waitFor();
  await desk.locator('.el-table__row', { hasText: '王干部' }).getByRole('button', { name: '修改' }).click();
  await desk.locator('.el-dialog:visible').waitFor();
  await shot(desk, 'liaison-assignment-form');
  assertClean(desk, 'clerk, registers');
  assertClean(phone, 'clerk, registers at phone width');
});

test('an assignment is made with pickers: the cadre by name and unit, the persons by name', async () => {
  const page = await as('clerk', WIDE);
  await page.goto(srv.url + '/liaison/registers/assignments');
  await page.locator('.el-table__row', { hasText: '王干部' }).waitFor();
  await page.getByRole('button', { name: '新增' }).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor();
  await chooseUnit(page, dialog, '单位', '西城街道');
  const pickIn = async (label, typed, option) => {
    await item(dialog, label).locator('.el-select__wrapper').click();
    await page.keyboard.type(typed);
    await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
  };
  await pickIn('联系领导（干部）', '刘', '刘统战（西城街道）');
  await item(dialog, '开始日期').locator('input').fill(`${year}-01-01`);
  await item(dialog, '开始日期').locator('input').press('Enter');
  await pickIn('联系对象', '林', '林晓');
  await page.keyboard.press('Escape');
  await pickIn('联系企业', '华侨', '华侨食品有限公司');
  await page.keyboard.press('Escape');
  await shot(page, 'liaison-assignment-new');
  const box = await item(dialog, '联系领导（干部）').textContent();
  assert.match(box, /刘统战/);
  await dialog.locator('.el-dialog__title').click(); // closes the last dropdown
  await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' }).catch(() => {});
  await dialog.getByRole('button', { name: '保存' }).click();
  await page.locator('.el-message--success', { hasText: '已保存' }).waitFor()
    .catch(async (e) => { await shot(page, 'liaison-assignment-refused'); throw new Error(`${e.message}\n${page.httpErrors.join('\n')}\n${page.problems.join('\n')}`); });
  const list = await c.clerk.ok('/api/v1/liaison/assignments');
  const made = list.items.find((a) => a.cadre_user_id === c.clerk.user.id);
  assert.ok(made, 'the new assignment');
  assert.deepEqual(made.person_ids, [u.lin.id]);
  assert.deepEqual(made.enterprise_ids, [u.qiao.id]);
  // changing it shows names, not numbers
  await page.locator('.el-table__row', { hasText: '刘统战' }).getByRole('button', { name: '修改' }).click();
  const again = page.locator('.el-dialog:visible');
  await again.waitFor();
  assert.match(await item(again, '联系对象').textContent(), /林晓/);
  assert.match(await item(again, '联系领导（干部）').textContent(), /刘统战/);
  await shot(page, 'liaison-assignment-edit');
  assertClean(page, 'clerk, assignment form');
});

test('the alliance page: members with branches, teams, rotation, meetings with problems, at desktop and phone width', async () => {
  const create = async (path, body) => {
    const res = await c.clerk.post(`/api/v1/liaison/${path}`, body);
    assert.equal(res.status, 201, `${path}: ${res.text}`);
    return res.body;
  };
  const firms = [];
  for (const name of ['三和铸造有限公司', '蓬达机械有限公司', '恒力精工有限公司'])
    firms.push(await create('enterprises', { unit_id: u.town.id, name, kind: 'private', sector: '机械加工', branch: `${name.slice(0, 2)}党支部` }));
  const al = await create('alliances', { unit_id: u.town.id, name: '机械加工产业党建联盟', model: '1+5+N', core: '街道党工委', lead_enterprise_id: firms[0].id, base: '三和铸造共享基地', goals: '组织联建、信息联通、活动联办、问题联解、人才联育、发展联动', enterprise_ids: firms.map((f) => f.id) });
  for (const [kind, name, members] of [['liaison', '企业联络员队伍', '各企业党支部书记'], ['guide', '党建指导员队伍', '街道组织委员、党建指导员'], ['volunteer', '志愿服务队', '联盟企业党员志愿者']])
    await create('teams', { alliance_id: al.id, kind, name, members });
  const month = today.slice(0, 7);
  await create('rotations', { alliance_id: al.id, month, enterprise_id: firms[1].id, theme: '三会一课' });
  await create('rotations', { alliance_id: al.id, month: `${year - 1}-12`, enterprise_id: firms[0].id, theme: '集中学习' });
  await create('meetings', { alliance_id: al.id, kind: 'council', held_on: today, topic: '联盟议事会', attendees: '街道党工委、联盟企业负责人', minutes: '梳理企业问题，明确责任部门和时限', enterprise_ids: [firms[0].id, firms[1].id] });
  await create('activities', { unit_id: u.town.id, alliance_id: al.id, kind: 'talent', held_on: today, title: '人才集中招引', participants: 30, talents: 5, result: '引进硕士研究生5人' });
  for (const [size, viewport] of [['desktop', WIDE], ['phone', PHONE]]) {
    const page = await as('clerk', viewport);
    await page.goto(srv.url + '/liaison/registers/alliances');
    await page.locator('.el-table__row', { hasText: '机械加工产业党建联盟' }).getByRole('link', { name: '查看' }).click();
    await page.locator('.page-head h2', { hasText: '机械加工产业党建联盟' }).waitFor();
    await page.locator('.members .el-table__row', { hasText: '三和铸造有限公司' }).waitFor();
    assert.match(await page.locator('.members').textContent(), /链主[\s\S]*三和党支部/);
    assert.match(await page.locator('.teams').textContent(), /党建指导员[\s\S]*街道组织委员/);
    const rot = await page.locator('.rotation .el-table__row').allTextContents();
    assert.match(rot[0], new RegExp(`${year - 1}年12月`));
    assert.match(rot[1], /蓬达机械有限公司[\s\S]*本月轮值/);
    assert.match(await page.locator('.activities').textContent(), /引进硕士研究生5人/);
    await page.locator('.meetings .el-collapse-item__header').first().click();
    await page.getByText('梳理企业问题，明确责任部门和时限').waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, `liaison-alliance-${size}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page is ${overflow}px wider than the screen`);
    assertClean(page, `clerk, alliance page (${size})`);
  }
});

test('the figures of a quarter open the records behind a number', async () => {
  const page = await as('clerk', WIDE);
  await page.goto(srv.url + '/liaison/stats');
  await page.locator('.summary', { hasText: '西城街道' }).waitFor();
  await page.locator('.page-head .el-select').click();
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3);
  await page.locator('.el-select-dropdown__item:visible', { hasText: `第${'一二三四'[quarter]}季度` }).click();
  await page.locator('.summary', { hasText: `${year}年第${'一二三四'[quarter]}季度，西城街道` }).waitFor();
  await page.locator('.plan .num').first().click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor();
  await dialog.locator('.el-table__row', { hasText: '陈明' }).first().waitFor();
  await shot(page, 'liaison-stats-drill');
  assertClean(page, 'clerk, figures');
});
