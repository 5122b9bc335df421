// 成本预算绩效 in the UI: the project list, the project form (cost sheet, targets, the gate's
// failures beside the fields), a project's page (review with opinions per line and indicator,
// rounds side by side, its monthly 执行监控), the finance bureau's monitoring list, the figures, the indicator library, and the public page (no login).
// Registered in ../index.js.
import audit from './audit.js'

// A third party reads only its assignments, without budget.read: the list and a project's page
// are open to any signed-in user and the server decides what they show.
const READ = ['budget.read', 'budget.third_party']

export default {
  name: 'budget',
  audit,
  routes: [
    { path: 'budget/projects', component: () => import('./views/ProjectList.vue'), meta: { title: '预算项目库' } },
    { path: 'budget/projects/new', component: () => import('./views/ProjectForm.vue'), meta: { title: '新建预算项目', perm: 'budget.apply' } },
    { path: 'budget/projects/:id(\\d+)', component: () => import('./views/ProjectDetail.vue'), meta: { title: '预算项目' } },
    { path: 'budget/projects/:id(\\d+)/edit', component: () => import('./views/ProjectForm.vue'), meta: { title: '编制预算项目', perm: 'budget.apply' } },
    { path: 'budget/monitor', component: () => import('./views/MonitorList.vue'), meta: { title: '执行监控', perm: 'budget.read' } },
    { path: 'budget/figures', component: () => import('./views/Figures.vue'), meta: { title: '预算绩效统计', perm: 'budget.read' } },
    { path: 'budget/library', component: () => import('./views/Library.vue'), meta: { title: '绩效指标库', perm: 'budget.read' } }
  ],
  // pages outside the signed-in shell: the published budgets (同步公开)
  publicRoutes: [
    { path: '/public/budget', component: () => import('./views/PublicBudget.vue'), meta: { public: true, open: true, title: '预算项目绩效目标公开' } }
  ],
  menu: [{
    title: '成本预算绩效', icon: 'Money', perm: READ,
    children: [
      { title: '预算项目库', path: '/budget/projects', match: /^\/budget\/projects\/\d+/ },
      { title: '新建项目', path: '/budget/projects/new', perm: 'budget.apply' },
      { title: '执行监控', path: '/budget/monitor', perm: 'budget.read' },
      { title: '统计分析', path: '/budget/figures', perm: 'budget.read' },
      { title: '绩效指标库', path: '/budget/library', perm: 'budget.read' },
      { title: '公开页面', path: '/public/budget' }
    ]
  }],
  dashboard: [
    { place: 'cards', perm: READ, component: () => import('./dashboard/BudgetTasks.vue') }
  ],
  itemPages: { budget: (id) => `/budget/projects/${id}` }
}
