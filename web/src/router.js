// The UI's pages and the guard in front of them: who is signed in is asked of the server once;
// a signed-out visitor goes to the login page (and comes back after), a user who must change
// the password goes to that page first, and pages needing a permission the user lacks are
// left out of the menu and refused here.
import { createRouter, createWebHistory } from 'vue-router'
import { api } from './api.js'
import { session, setSession, setSessionHooks, can } from './session.js'
import Shell from './layouts/Shell.vue'

const routes = [
  { path: '/login', component: () => import('./views/Login.vue'), meta: { public: true, title: '登录' } },
  { path: '/password', component: () => import('./views/ChangePassword.vue'), meta: { pwChange: true, title: '修改密码' } },
  {
    path: '/',
    component: Shell,
    children: [
      { path: '', component: () => import('./views/Dashboard.vue'), meta: { title: '工作台' } },
      { path: 'problems', component: () => import('./mechs/problem/views/ProblemList.vue'), meta: { title: '问题清单', perm: 'problem.read' } },
      { path: 'problems/new', component: () => import('./mechs/problem/views/ProblemNew.vue'), meta: { title: '登记问题', perm: 'problem.register' } },
      { path: 'problems/:id(\\d+)', component: () => import('./mechs/problem/views/ProblemDetail.vue'), meta: { title: '问题详情', perm: 'problem.read' } },
      { path: 'lookbacks', component: () => import('./mechs/problem/views/Lookbacks.vue'), meta: { title: '回头看' } },
      { path: 'study/activities', component: () => import('./mechs/study/views/ActivityList.vue'), meta: { title: '学习活动', perm: 'study.read' } },
      { path: 'study/activities/new', component: () => import('./mechs/study/views/ActivityForm.vue'), meta: { title: '登记活动', perm: 'study.write' } },
      { path: 'study/activities/:id(\\d+)', component: () => import('./mechs/study/views/ActivityDetail.vue'), meta: { title: '活动详情', perm: 'study.read' } },
      { path: 'study/activities/:id(\\d+)/edit', component: () => import('./mechs/study/views/ActivityForm.vue'), meta: { title: '修改活动', perm: 'study.write' } },
      { path: 'study/plans', component: () => import('./mechs/study/views/Plans.vue'), meta: { title: '学习计划', perm: 'study.read' } },
      { path: 'study/branches', component: () => import('./mechs/study/views/Branches.vue'), meta: { title: '三定一分享', perm: 'study.read' } },
      { path: 'study/outreach', component: () => import('./mechs/study/views/Outreach.vue'), meta: { title: '宣讲', perm: 'study.read' } },
      { path: 'study/feedback', component: () => import('./mechs/study/views/Feedback.vue'), meta: { title: '列席反馈', perm: 'study.read' } },
      { path: 'study/stats', component: () => import('./mechs/study/views/Stats.vue'), meta: { title: '统计与综述', perm: 'study.read' } },
      { path: 'study/persons', component: () => import('./mechs/study/views/Persons.vue'), meta: { title: '人员', perm: 'study.read' } },
      { path: 'notifications', component: () => import('./views/Notifications.vue'), meta: { title: '消息通知' } },
      { path: 'profile', component: () => import('./views/Profile.vue'), meta: { title: '个人中心' } },
      { path: 'admin/units', component: () => import('./mechs/admin/views/Units.vue'), meta: { title: '组织架构', perm: 'unit.read' } },
      { path: 'admin/users', component: () => import('./mechs/admin/views/Users.vue'), meta: { title: '用户管理', perm: 'user.read' } },
      { path: 'admin/roles', component: () => import('./mechs/admin/views/Roles.vue'), meta: { title: '角色权限', perm: 'role.read' } },
      { path: 'admin/grants', component: () => import('./mechs/admin/views/Grants.vue'), meta: { title: '授权管理', perm: 'grant.read' } },
      { path: 'audit', component: () => import('./mechs/admin/views/Audit.vue'), meta: { title: '审计日志', perm: 'audit.read' } },
      { path: ':rest(.*)*', component: () => import('./views/NotFound.vue'), meta: { title: '页面不存在' } }
    ]
  }
]

export const router = createRouter({ history: createWebHistory(), routes })

async function loadSession() {
  try {
    const me = await api.get('/api/v1/session')
    if (me.user) setSession(me)
    else if (me.session_ended) session.lostMessage = '登录已超时，请重新登录'
  } catch { /* the server is unreachable: the login page says so when used */ }
  session.loaded = true
}

router.beforeEach(async (to) => {
  if (!session.loaded) await loadSession()
  if (to.meta.public) return session.user && to.path === '/login' ? '/' : true
  if (!session.user) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  if (session.mustChange && !to.meta.pwChange) return '/password'
  if (to.meta.perm && !can(to.meta.perm)) return '/'
  return true
})

router.afterEach((to) => {
  document.title = `${to.meta.title ? to.meta.title + ' · ' : ''}督办`
})

setSessionHooks({
  lost: () => router.push({ path: '/login', query: { next: router.currentRoute.value.fullPath } }),
  pwChange: () => router.push('/password')
})
