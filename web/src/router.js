// The UI's pages and the guard in front of them: who is signed in is asked of the server once;
// a signed-out visitor goes to the login page (and comes back after), a user who must change
// the password goes to that page first, and pages needing a permission the user lacks are
// left out of the menu and refused here. The mechanisms' pages come from their descriptors
// (mechs/index.js).
import { createRouter, createWebHistory } from 'vue-router'
import { api } from './api.js'
import { session, setSession, setSessionHooks, can } from './session.js'
import Shell from './layouts/Shell.vue'
import { mechs, mechRoutes } from './mechs/index.js'

const routes = [
  { path: '/login', component: () => import('./views/Login.vue'), meta: { public: true, title: '登录' } },
  // mechanisms' pages outside the shell that need no login (the published budgets)
  ...mechs.flatMap((m) => m.publicRoutes || []),
  { path: '/password', component: () => import('./views/ChangePassword.vue'), meta: { pwChange: true, title: '修改密码' } },
  {
    path: '/',
    component: Shell,
    children: [
      { path: '', component: () => import('./views/Dashboard.vue'), meta: { title: '工作台' } },
      ...mechRoutes,
      { path: 'notifications', component: () => import('./views/Notifications.vue'), meta: { title: '消息通知' } },
      { path: 'profile', component: () => import('./views/Profile.vue'), meta: { title: '个人中心' } },
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
