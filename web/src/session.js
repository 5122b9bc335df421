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

let lostCode = null // why the last session ended, until the next sign-in

const hooks = { lost: () => {}, pwChange: () => {} }
export function setSessionHooks(h) { Object.assign(hooks, h) }

export function setSession(me) {
  lostCode = null
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

const EXPIRED = '登录已超时，请重新登录'

// A session that timed out is deleted by the first request that notices; requests sent at the
// same moment then hear "unauthenticated". Whichever reply comes first, the timeout is what
// happened, so a later session_expired still corrects the message. Returns whether the reply
// belonged to a lost session (the signed-in one, or a straggler of it): the caller's page is
// then going away and must not handle the error itself.
export function onSessionLost(err) {
  const expired = err.code === 'session_expired'
  if (!session.user) {
    if (!lostCode) return false
    if (expired && lostCode !== err.code) {
      lostCode = err.code
      session.lostMessage = EXPIRED
    }
    return true
  }
  clearSession()
  lostCode = err.code
  session.lostMessage = expired ? EXPIRED : '登录状态已失效，请重新登录'
  hooks.lost()
  return true
}

export function onPasswordChangeRequired() {
  session.mustChange = true
  hooks.pwChange()
}

// Whether the user holds a permission anywhere (menus), or over a unit path (buttons).
export function can(perm, unitPath) {
  return session.permissions.some((p) => p.permission === perm && (!unitPath || unitPath.startsWith(p.unit_path)))
}
