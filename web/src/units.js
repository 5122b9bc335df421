// The units the user may see, as every mechanism's unit pickers need them: loaded once, and as
// a tree for el-tree-select; [] when the caller may not list units.
import { api } from './api.js'

let unitsPromise = null

export function loadUnits() {
  unitsPromise ||= api.get('/api/v1/units').then((r) => r.items).catch(() => { unitsPromise = null; return [] })
  return unitsPromise
}

// Siblings as offices list them: departments, then townships, then the rest by kind, each in
// the order its units were created (the API lists by path, which puts /1/16/ before /1/2/).
const KIND_ORDER = ['province', 'city', 'county', 'department', 'township', 'village', 'branch', 'enterprise', 'third_party']
const kindRank = (k) => { const i = KIND_ORDER.indexOf(k); return i < 0 ? KIND_ORDER.length : i }
export const byTreeOrder = (a, b) => kindRank(a.kind) - kindRank(b.kind) || a.id - b.id

export function unitTree(units) {
  const byId = new Map(units.map((u) => [u.id, { value: u.id, label: u.name, kind: u.kind_title, children: [] }]))
  const roots = []
  for (const u of [...units].sort(byTreeOrder)) {
    const node = byId.get(u.id)
    const parent = u.parent_id && byId.get(u.parent_id)
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  for (const n of byId.values()) if (!n.children.length) delete n.children
  return roots
}
