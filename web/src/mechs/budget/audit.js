// How the audit log reads budget performance's records: each action's Chinese name and
// sentence, what its objects (projects, library indicators) are called and which page shows them.
export default {
  actions: {
    'budget.monitor': { name: '报送执行监控', say: '报送了预算项目{obj}的执行情况' },
    'budget.create': { name: '新建预算项目', say: '新建了预算项目{obj}' },
    'budget.save': { name: '修改预算项目', say: '修改了预算项目{obj}（机审问题 {d.gate_failures} 项）' },
    'budget.submit': { name: '提交预算项目', say: '提交了预算项目{obj}（第 {d.round} 轮）' },
    'budget.dept_approve': { name: '单位审核通过', say: '审核通过了预算项目{obj}' },
    'budget.dept_return': { name: '单位退回', say: '退回了预算项目{obj}' },
    'budget.assign': { name: '委托第三方评审', say: '将预算项目{obj}委托第三方评审' },
    'budget.third_party_review': { name: '第三方评审', say: '提交了预算项目{obj}的第三方评审意见' },
    'budget.pass': { name: '审核入库', say: '审定预算项目{obj}纳入项目库' },
    'budget.return': { name: '财政退回', say: '退回预算项目{obj}修改' },
    'budget.approve': { name: '预算批复', say: '批复了预算项目{obj}' },
    'budget.publish': { name: '公开', say: '公开了预算项目{obj}' },
    'budget.terminate': { name: '终止项目', say: '终止了预算项目{obj}' },
    'budget.assess': { name: '事前绩效评估', say: '对预算项目{obj}进行了事前绩效评估（{d.conclusion}，{d.total} 分）' },
    'budget.library': { name: '新增库指标', say: '在绩效指标库中新增了“{d.name}”' }
  },
  objects: {
    budget: { title: '预算项目', quote: '《》', names: '/api/v1/budget/names', page: (id) => `/budget/projects/${id}`, perm: 'budget.read' },
    budget_lib: { title: '库指标', names: null, page: () => '/budget/library', perm: 'budget.read' }
  },
  keys: { conclusion: '评估结论', total: '得分', gate_failures: '机审问题', requested: '申请金额（分）', round: '轮次', opinions: '意见条数', lines: '测算行数' },
  values: {}
}
