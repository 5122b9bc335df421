// Who is signed in: the user, their permissions with unit paths, and the CSRF token. The
// router reads it to guard pages; the API client clears it when the server says the session
// is gone, and the router then returns to the login page with a message.
import { reactive } from 'vue'

export const session = reactive({
  loaded: false,
  user: null,
  permissions: [],
  grants: [],
  csrf: null,
  mustChange: false,
  lostMessage: ''
})

const hooks = { lost: () => {}, pwChange: () => {} }
export function setSessionHooks(h) { Object.assign(hooks, h) }

export function setSession(me) {
  session.user = me.user
  session.permissions = me.permissions || []
  session.grants = me.grants || []
  session.csrf = me.csrf_token || session.csrf
  session.mustChange = !!me.user?.must_change_password
  session.loaded = true
}

export function clearSession() {
  session.user = null
  session.permissions = []
  session.grants = []
  session.csrf = null
  session.mustChange = false
}

export function onSessionLost(err) {
  if (!session.user) return
  clearSession()
  session.lostMessage = err.code === 'session_expired' ? '登录已超时，请重新登录' : '登录状态已失效，请重新登录'
  hooks.lost()
}

export function onPasswordChangeRequired() {
  session.mustChange = true
  hooks.pwChange()
}

// Whether the user holds a permission anywhere (menus), or over a unit path (buttons).
export function can(perm, unitPath) {
  return session.permissions.some((p) => p.permission === perm && (!unitPath || unitPath.startsWith(p.unit_path)))
}
