// 问题清单 in the UI: the ledger (list, detail with the flow's actions, registration, import)
// and the lookbacks: their pages, its menu, its dashboard cards (my tasks, the figures, the
// charts) and the page a problem's notification opens. Registered in ../index.js.
import audit from './audit.js'

export default {
  name: 'problem',
  audit,
  routes: [
    { path: 'problems', component: () => import('./views/ProblemList.vue'), meta: { title: '问题清单', perm: 'problem.read' } },
    { path: 'problems/new', component: () => import('./views/ProblemNew.vue'), meta: { title: '登记问题', perm: 'problem.register' } },
    { path: 'problems/:id(\\d+)', component: () => import('./views/ProblemDetail.vue'), meta: { title: '问题详情', perm: 'problem.read' } },
    { path: 'problems/ranking', component: () => import('./views/Ranking.vue'), meta: { title: '通报排名', perm: 'problem.read' } },
    { path: 'lookbacks', component: () => import('./views/Lookbacks.vue'), meta: { title: '回头看' } }
  ],
  menu: [{
    title: '问题清单', icon: 'List', perm: 'problem.read',
    children: [
      // a problem's own page (not the registration form) keeps 问题台账 lit
      { title: '问题台账', path: '/problems', match: /^\/problems\/(?!new$|ranking$)/ },
      { title: '登记问题', path: '/problems/new', perm: 'problem.register' },
      { title: '通报排名', path: '/problems/ranking' },
      { title: '回头看', path: '/lookbacks' }
    ]
  }],
  dashboard: [
    { place: 'top', component: () => import('./dashboard/Tasks.vue') },
    { place: 'main', perm: 'problem.read', component: () => import('./dashboard/Totals.vue') },
    { place: 'charts', perm: 'problem.read', component: () => import('./dashboard/Charts.vue') }
  ],
  itemPages: { problem: (id) => `/problems/${id}` }
}
