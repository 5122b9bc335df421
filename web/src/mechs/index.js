// The mechanisms of the UI, registered here in order (the menu lists them so). Each folder
// mechs/<mech>/ exports one descriptor from its index.js:
//   name       the mechanism ('problem'), as in the C code's slices
//   routes     its pages, children of the signed-in shell: { path, component: () => import(…),
//              meta: { title, perm } } (a perm the user lacks sends the visitor to 工作台)
//   menu       its side-menu entries: { title, icon, perm, path } for an item, or with children
//              [{ title, path, perm, match }] for a sub-menu; perm is a permission or a list of
//              which any one will do; match (a RegExp) lights an item on other paths too;
//              section: 'system' lists the entry after 消息通知 (administration), else before it
//   dashboard  its cards on 工作台: { place, perm, component: () => import(…) }; place is 'top'
//              (full width, first), 'main' (the wide column beside 未读消息), 'cards' (full
//              width, below) or 'charts' (the end); cards share a per-visit store (inject
//              'dashboard')
//   itemPages  { <flow>: (id) => path }: the page a notification about an item of that flow opens
//   audit      how the audit log reads its records: { actions, objects, keys, values } (see
//              admin/audit.js), in ./<mech>/audit.js
// The router, the menu, the dashboard and the notifications read only what this file exports:
// a new mechanism is its folder and one line in `mechs`.
import { defineAsyncComponent } from 'vue'
import { can } from '../session.js'
import problem from './problem/index.js'
import study from './study/index.js'
import budget from './budget/index.js'
import liaison from './liaison/index.js'
import outward from './outward/index.js'
import feeds from './feeds/index.js'
import cadre from './cadre/index.js'
import publish from './publish/index.js'
import admin from './admin/index.js'

export const mechs = [problem, study, budget, liaison, cadre, publish, outward, feeds, admin]

// A permission, or any of a list; none needed when absent.
export const allowed = (perm) => !perm || [].concat(perm).some((p) => can(p))

export const mechRoutes = mechs.flatMap((m) => m.routes || [])

// The menu entries of a section ('main' or 'system') the user may open, each sub-menu with the
// items the user may open, an index for el-menu (the item's path, or the sub-menu's title).
export function menuEntries(section) {
  return mechs.flatMap((m) => (m.menu || [])
    .filter((e) => (e.section || 'main') === section && allowed(e.perm))
    .map((e) => ({ ...e, index: e.path || e.title, children: e.children?.filter((c) => allowed(c.perm)) })))
}

// The menu item to light for a path: an item whose `match` covers it, else the path itself.
export function activeMenu(path) {
  for (const m of mechs) for (const e of m.menu || []) for (const c of e.children || [e]) {
    if (c.match?.test(path)) return c.path
  }
  return path
}

const cards = mechs.flatMap((m) => (m.dashboard || []).map((c) => ({ ...c, component: defineAsyncComponent(c.component) })))

// The dashboard cards of a place the user may see, in the mechanisms' order.
export const dashboardCards = (place) => cards.filter((c) => c.place === place && allowed(c.perm))

// The page a notification's item opens, or null when no mechanism shows items of its flow.
export function itemPage(n) {
  const page = n.item_id && mechs.find((m) => m.itemPages?.[n.flow])?.itemPages[n.flow]
  return page ? page(n.item_id) : null
}

// The audit log's vocabulary, every mechanism's merged: action code → { name, say }, object
// kind → { title, names, page, perm }, detail key → Chinese name, detail value → Chinese.
export const audit = {
  actions: Object.assign({}, ...mechs.map((m) => m.audit?.actions || {})),
  objects: Object.assign({}, ...mechs.map((m) => m.audit?.objects || {})),
  keys: Object.assign({}, ...mechs.map((m) => m.audit?.keys || {})),
  values: Object.assign({}, ...mechs.map((m) => m.audit?.values || {}))
}
