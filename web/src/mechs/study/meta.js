// What the study pages (学习宣讲) share: the activity kinds (loaded once), the persons of a unit
// for pickers, the fixed vocabularies of the contract (ranks, ratings, output kinds), and small
// helpers over the API's shapes (lists as {items} or plain arrays, a stats group's filters).
import { api } from '../../api.js'

let kindsPromise = null

export function loadKinds() {
  kindsPromise ||= api.get('/api/v1/study/kinds').then(listOf).catch((e) => { kindsPromise = null; throw e })
  return kindsPromise
}

// A list reply as an array, whether the server sent {items, total} or a bare array.
export function listOf(r) {
  return Array.isArray(r) ? r : r?.items || []
}

// The persons (干部党员) of a unit's subtree, for pickers; [] on failure.
export async function loadPersons(unitId, extra = {}) {
  if (!unitId) return []
  try {
    return listOf(await api.get('/api/v1/study/persons', { unit_id: unitId, limit: 500, ...extra }))
  } catch {
    return []
  }
}

export const RANKS = ['县处级', '乡科级', '一般干部', '普通党员', '群众', '其他']
export const RATINGS = ['好', '较好', '一般', '差']
export const OUTPUT_KINDS = ['调研报告', '理论文章']
export const CATEGORIES = [
  { value: 'study', label: '学习' },
  { value: 'discussion', label: '研讨' },
  { value: 'lecture', label: '党课' },
  { value: 'outreach', label: '宣讲' }
]
export const categoryTitle = (c) => CATEGORIES.find((x) => x.value === c)?.label || c || '—'

// The lead (领学人 / 主讲人) of an activity as a name.
export function leadName(a) {
  return a?.lead_person_name || a?.lead?.name || a?.lead_name || (typeof a?.lead === 'string' ? a.lead : '') || '—'
}

// The activity-list query behind a figure of a stats group: `filters` is either one query or a
// query per figure ({sessions: {...}, outreach: {...}}). Without a figure (or for one with no
// query of its own), the group's own query: any figure's, less what the figure added.
export function groupFilters(g, figure) {
  const f = g?.filters
  if (!f) return null
  const vals = Object.values(f)
  if (!vals.length || !vals.every((v) => v && typeof v === 'object')) return f
  if (figure === 'audience') figure = 'outreach'
  if (figure && f[figure]) return f[figure]
  const own = { ...vals[0] }
  delete own.category
  delete own.member_lecture
  return own
}

// "YYYY-MM" of today in Shanghai, and the first and last day of such a month.
export function monthBounds(ym) {
  const [y, m] = ym.split('-').map(Number)
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return [`${ym}-01`, `${ym}-${String(last).padStart(2, '0')}`]
}

// A server error's field that names a row of a list ("items[2].absence_reason", "items.2",
// "issues[0]"): {index, field} or null.
export function rowOfField(field) {
  const m = /^\w+(?:\[(\d+)\]|\.(\d+))(?:\.(\w+))?$/.exec(field || '')
  return m ? { index: Number(m[1] ?? m[2]), field: m[3] || null } : null
}
