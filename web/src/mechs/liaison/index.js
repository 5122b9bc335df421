// 统战联络、党建联盟 in the UI: the registers (统战对象, 重点企业, 联系交友, 驻厂员, 党建联盟 with its
// teams, rotation, meetings and activities — one page driven by the server's description of
// each register), the caller's own assignments with this quarter's visits and the visit form
// (usable at phone width, recording a visit on the spot), and the figures with the summary.
// Registered in ../index.js.
import audit from './audit.js'

export default {
  name: 'liaison',
  audit,
  routes: [
    { path: 'liaison/mine', component: () => import('./views/Mine.vue'), meta: { title: '我的联系对象', perm: 'liaison.visit' } },
    { path: 'liaison/visits', component: () => import('./views/Visits.vue'), meta: { title: '走访记录', perm: 'liaison.read' } },
    { path: 'liaison/registers/:reg', component: () => import('./views/Register.vue'), meta: { title: '统战名册', perm: 'liaison.read' } },
    { path: 'liaison/alliances/:id', component: () => import('./views/Alliance.vue'), meta: { title: '党建联盟', perm: 'liaison.read' } },
    { path: 'liaison/stats', component: () => import('./views/Stats.vue'), meta: { title: '统战统计', perm: 'liaison.read' } }
  ],
  menu: [{
    title: '统战联络', icon: 'Connection', perm: 'liaison.read',
    children: [
      { title: '我的联系对象', path: '/liaison/mine', perm: 'liaison.visit' },
      { title: '走访记录', path: '/liaison/visits' },
      { title: '统战对象', path: '/liaison/registers/persons', perm: 'liaison.person' },
      { title: '重点企业', path: '/liaison/registers/enterprises' },
      { title: '联系交友', path: '/liaison/registers/assignments' },
      { title: '驻厂员', path: '/liaison/registers/stations' },
      { title: '党建联盟', path: '/liaison/registers/alliances', match: /^\/liaison\/alliances\// },
      { title: '联盟会议', path: '/liaison/registers/meetings' },
      { title: '联盟队伍', path: '/liaison/registers/teams' },
      { title: '支部轮值', path: '/liaison/registers/rotations' },
      { title: '活动', path: '/liaison/registers/activities' },
      { title: '统计与综述', path: '/liaison/stats' }
    ]
  }]
}
