// What the problem pages share: the flow definition (state and field titles, loaded once) and
// the known sources and categories (from the figures, so the filters offer what the records
// hold).
import { api } from '../../api.js'

let flowPromise = null

export function loadFlow() {
  flowPromise ||= api.get('/api/v1/problems/flow').catch((e) => { flowPromise = null; throw e })
  return flowPromise
}

// Titles of fields that older records carry but the flow no longer has (挂牌督办's free-text
// leader, before the leader became a user), and the message of a 催办 (outward/, not a flow action).
const FORMER_FIELDS = { leader: '督办领导', message: '催办内容' }
// Fields of events written outside the flow: made public, deadline counted again (src/feeds/).
const OTHER_FIELDS = { public_result: '公开说明', previous_deadline: '原完成时限', deadline: '新完成时限', explanation: '说明' }

// The title of a field as the action that took it names it ("note" is 交办意见 on 交办 and
// 督办要求 on 挂牌督办), else as any action names it, e.g. "progress" → "进展情况".
export function fieldTitle(flow, name, action) {
  const own = flow?.actions?.find((a) => a.name === action)?.fields.find((f) => f.name === name)
  if (own) return own.title
  for (const a of flow?.actions || []) for (const f of a.fields) if (f.name === name) return f.title
  return OTHER_FIELDS[name] || FORMER_FIELDS[name] || name
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
