// The org tree as the admin pages need it: GET /api/v1/units (tree order, parent_id) turned
// into el-tree nodes, a lookup by id, and each unit's path ("/1/16/") for permission checks.
// The API does not send paths, so they are rebuilt from the parents; a unit whose parent lies
// outside the caller's scope takes its path from the caller's own grants (which end in its id).
import { api } from '../../../api.js'
import { session } from '../../../session.js'
import { byTreeOrder } from '../../../units.js'

export async function loadUnits() {
  const r = await api.get('/api/v1/units')
  return buildTree(r.items || [])
}

function knownPath(id) {
  const suffix = `/${id}/`
  for (const p of session.permissions) if (p.unit_path?.endsWith(suffix)) return p.unit_path
  return suffix
}

export function buildTree(items) {
  const byId = new Map()
  const roots = []
  for (const u of items) {
    const node = { ...u, children: [] }
    const parent = u.parent_id != null ? byId.get(u.parent_id) : null
    node.path = parent ? `${parent.path}${u.id}/` : knownPath(u.id)
    byId.set(u.id, node)
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  sortChildren(roots)
  return { items, byId, roots }
}

// Siblings in the order offices list them: departments, then townships, then the rest by
// kind, each kind in the order its units were created (the API's order is by path, which
// puts /1/16/ before /1/2/).
function sortChildren(nodes) {
  nodes.sort(byTreeOrder)
  for (const n of nodes) sortChildren(n.children)
}

// Whether unitId lies in the subtree of ancestorId (or is it).
export function inSubtree(byId, unitId, ancestorId) {
  const u = byId.get(unitId)
  return !!u && u.path.includes(`/${ancestorId}/`)
}

// Element Plus tag colours for the kinds of unit.
export const kindTag = {
  province: 'danger', city: 'danger', county: 'danger', department: 'primary', township: 'success', village: 'warning',
  branch: 'danger', enterprise: 'info', third_party: 'info'
}
