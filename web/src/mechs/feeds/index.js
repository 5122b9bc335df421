// 日历订阅与结果公开 in the UI (#17 items 5–7): the calendar banner on 工作台 for administrators
// (next year's holiday notice missing), the public results page (no login), and the pieces the
// problem list and the profile page show: the 估算 mark, the publish card, the feed card.
// Registered in ../index.js.
import audit from './audit.js'

export default {
  name: 'feeds',
  audit,
  routes: [],
  publicRoutes: [
    { path: '/public/results', component: () => import('./views/PublicResults.vue'), meta: { public: true, open: true, title: '问题整改结果公开' } }
  ],
  menu: [{ title: '结果公开', icon: 'Promotion', perm: 'problem.read', path: '/public/results' }],
  dashboard: [
    { place: 'top', perm: 'unit.write', component: () => import('./components/CalendarBanner.vue') }
  ]
}
