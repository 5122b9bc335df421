// 学习宣讲 in the UI: activities (list, detail with attendance and observers' feedback, form),
// plans, 三定一分享, outreach, feedback, figures and the persons roster: their pages, its
// menu and its dashboard card. Registered in ../index.js.
import audit from './audit.js'

export default {
  name: 'study',
  audit,
  routes: [
    { path: 'study/activities', component: () => import('./views/ActivityList.vue'), meta: { title: '学习活动', perm: 'study.read' } },
    { path: 'study/activities/new', component: () => import('./views/ActivityForm.vue'), meta: { title: '登记活动', perm: 'study.write' } },
    { path: 'study/activities/:id(\\d+)', component: () => import('./views/ActivityDetail.vue'), meta: { title: '活动详情', perm: 'study.read' } },
    { path: 'study/activities/:id(\\d+)/edit', component: () => import('./views/ActivityForm.vue'), meta: { title: '修改活动', perm: 'study.write' } },
    { path: 'study/plans', component: () => import('./views/Plans.vue'), meta: { title: '学习计划', perm: 'study.read' } },
    { path: 'study/branches', component: () => import('./views/Branches.vue'), meta: { title: '三定一分享', perm: 'study.read' } },
    { path: 'study/outreach', component: () => import('./views/Outreach.vue'), meta: { title: '宣讲', perm: 'study.read' } },
    { path: 'study/feedback', component: () => import('./views/Feedback.vue'), meta: { title: '列席反馈', perm: 'study.read' } },
    { path: 'study/stats', component: () => import('./views/Stats.vue'), meta: { title: '统计与综述', perm: 'study.read' } },
    { path: 'study/persons', component: () => import('./views/Persons.vue'), meta: { title: '人员', perm: 'study.read' } }
  ],
  menu: [{
    title: '学习宣讲', icon: 'Reading', perm: 'study.read',
    children: [
      // an activity's page and its edit form keep 学习活动 lit
      { title: '学习活动', path: '/study/activities', match: /^\/study\/activities\/\d+/ },
      { title: '登记活动', path: '/study/activities/new', perm: 'study.write' },
      { title: '学习计划', path: '/study/plans' },
      { title: '三定一分享', path: '/study/branches' },
      { title: '宣讲', path: '/study/outreach' },
      { title: '列席反馈', path: '/study/feedback' },
      { title: '统计与综述', path: '/study/stats' },
      { title: '人员', path: '/study/persons' }
    ]
  }],
  dashboard: [
    { place: 'cards', perm: 'study.read', component: () => import('./dashboard/StudyFigures.vue') }
  ]
}
