// Shared by the budget suites (API and browser): a county with a finance bureau, two
// departments, a third-party firm and every budget role, and a project that passes the gate.
// Money is in fen; quantities and weights are decimal strings.
import { addUnit } from './server.mjs';
import { currentVersion, roleUser } from './problems.mjs';

/** Units and signed-in clients: edu/health clerks and heads, fin reviewer, firm reviewers, approver. */
export async function budgetCounty(srv) {
  const [admin, secadmin] = await Promise.all([srv.admin(), srv.secadmin()]);
  const u = {
    fin: await addUnit(admin, { code: 'czj', name: '区财政局', kind: 'department' }),
    edu: await addUnit(admin, { code: 'jyj', name: '区教育和体育局', kind: 'department' }),
    health: await addUnit(admin, { code: 'wjj', name: '区卫生健康局', kind: 'department' }),
    firm: await addUnit(admin, { code: 'zcps', name: '众诚项目评审有限公司', kind: 'third_party' }),
  };
  const people = {
    eduClerk: [u.edu, [['budget_applicant', u.edu.id]], '刘会计'],
    eduHead: [u.edu, [['budget_dept_head', u.edu.id]], '王局长'],
    healthClerk: [u.health, [['budget_applicant', u.health.id]], '赵会计'],
    finClerk: [u.fin, [['budget_applicant', u.fin.id]], '钱会计'],
    finHead: [u.fin, [['budget_dept_head', u.fin.id]], '孙局长'],
    reviewer: [u.fin, [['budget_reviewer', 1]], '周科长'],
    tp1: [u.firm, [['budget_third_party', 1]], '吴评审'],
    tp2: [u.firm, [['budget_third_party', 1]], '郑评审'],
    approver: [u.fin, [['budget_approver', 1]], '冯局长'],
  };
  const c = { admin, secadmin };
  for (const [login, [unit, grants, name]] of Object.entries(people))
    c[login] = await roleUser(srv, admin, secadmin, { login: login.toLowerCase(), name, unit_id: unit.id, grants });
  return { u, c };
}

/** A project of unit that passes every rule of the gate (total 100000.00 元). */
export function goodProject(unit_id, extra = {}) {
  return {
    year: 2024, unit_id, name: '教师能力提升培训', class: 'special_fund', is_new: false,
    impl_unit: '区教师发展中心', start_year: 2024, end_year: 2024,
    fund_fiscal: 8000000, fund_carryover: 2000000, fund_other: 0,
    goal: '完成300名中小学教师全员培训，提升课堂教学能力。', contact: '刘会计', phone: '0531-83210000',
    lines: [
      { item: '教师培训', kind: '培训', amount: 2999900, basis: '按子项测算', children: [
        { item: '讲课费', kind: '劳务', quantity: '40', measure_unit: '学时', price: 50000, amount: 2000000, basis: '标准：副高级讲课费500元/学时' },
        { item: '培训资料印刷', kind: '印刷', quantity: '300', measure_unit: '册', price: 3333, amount: 999900, basis: '询价：三家印刷厂' },
      ] },
      { item: '教学设备', kind: '设备购置', quantity: '12.5', measure_unit: '套', price: 560008, amount: 7000100, basis: '询价：三家供应商' },
    ],
    indicators: [
      { level1: '成本指标', level2: '经济成本', cost_kind: '总成本', name: '项目总成本', comparison: '=', target: '10', measure_unit: '万元', weight: '20', method: '测算表合计' },
      { level1: '成本指标', level2: '经济成本', cost_kind: '单位成本', name: '人均培训成本', comparison: '≤', target: '333.33', measure_unit: '元/人', weight: '10', method: '总成本除以人数' },
      { level1: '产出指标', level2: '数量指标', name: '培训人数', comparison: '≥', target: '300', measure_unit: '人', weight: '20', method: '签到表' },
      { level1: '产出指标', level2: '质量指标', name: '培训合格率', comparison: '≥', target: '95', measure_unit: '%', weight: '10', method: '考核结果' },
      { level1: '产出指标', level2: '时效指标', name: '培训完成时间', comparison: '≤', target: '12', measure_unit: '月', weight: '10', method: '进度台账' },
      { level1: '效益指标', level2: '社会效益指标', name: '教师教学能力提升', comparison: '定性', target: '好', weight: '15', method: '听课评价' },
      { level1: '满意度指标', level2: '服务对象满意度指标', name: '参训教师满意度', comparison: '≥', target: '90', measure_unit: '%', weight: '15', method: '问卷调查' },
    ],
    ...extra,
  };
}

/** Takes an action (with the project's current version unless extra gives one); returns the reply. */
export async function act(c, id, action, fields = {}, extra = {}) {
  const body = { fields, ...extra };
  if (!('version' in body)) {
    const version = await currentVersion(c, `/api/v1/budget/projects/${id}`);
    if (version !== undefined) body.version = version;
  }
  if (body.version === null) delete body.version;
  return c.post(`/api/v1/budget/projects/${id}/actions/${action}`, body);
}

/** Drafts a project of unit by clerk and takes it through the whole review to 批复 (amount in 元). */
export async function approvedProject(c, clerk, head, unit, name, amount = '100000.00') {
  const r = await clerk.post('/api/v1/budget/projects', goodProject(unit.id, { name }));
  if (r.status !== 201) throw new Error(r.text);
  const id = r.body.id;
  for (const [who, a, f] of [[clerk, 'submit', {}], [head, 'dept_approve', {}],
    [c.reviewer, 'assign', { reviewer_id: c.tp1.user.id }], [c.tp1, 'third_party_review', { conclusion: '通过', opinion: '同意' }],
    [c.reviewer, 'pass', {}], [c.approver, 'approve', { approved_amount: amount, note: amount === '100000.00' ? '' : '核减' }]]) {
    const x = await act(who, id, a, f);
    if (x.status !== 200) throw new Error(`${a}: ${x.text}`);
  }
  return clerk.ok(`/api/v1/budget/projects/${id}`);
}
