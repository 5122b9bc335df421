// What the problem pages share: the flow definition (state and field titles, loaded once) and
// the known sources and categories (from the figures, so the filters offer what the records
// hold).
import { api } from '../../api.js'

let flowPromise = null

export function loadFlow() {
  flowPromise ||= api.get('/api/v1/problems/flow').catch((e) => { flowPromise = null; throw e })
  return flowPromise
}

// The title of a field of any action, e.g. "progress" → "进展情况".
export function fieldTitle(flow, name) {
  for (const a of flow?.actions || []) for (const f of a.fields) if (f.name === name) return f.title
  return name
}

export async function loadVocabulary() {
  const [cats, srcs] = await Promise.all([
    api.get('/api/v1/problems/stats', { group: 'category' }).catch(() => ({ groups: [] })),
    api.get('/api/v1/problems/stats', { group: 'source' }).catch(() => ({ groups: [] }))
  ])
  const keys = (r) => r.groups.map((g) => g.key).filter(Boolean)
  return { categories: keys(cats), sources: keys(srcs) }
}

export const DEFAULT_SOURCES = ['调研', '驻厂', '督查', '联盟议事', '志愿服务', '巡察', '群众来信']
export const MODES = [{ value: 'immediate', label: '立行立改' }, { value: 'ongoing', label: '持续推进' }]
