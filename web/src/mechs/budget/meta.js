// What every budget page shares: the vocabulary from GET /api/v1/budget/meta (classes, line
// kinds, indicator levels, comparisons, grades, the flow's states and actions, the gate's
// failure titles), loaded once, and how states and opinions are shown.
import { api } from '../../api.js'

let cached = null
export async function loadMeta() {
  if (!cached) cached = api.get('/api/v1/budget/meta').catch((e) => { cached = null; throw e })
  return cached
}

export function stateType(state) {
  if (state === 'published' || state === 'approved') return 'success'
  if (state === 'stored') return ''
  if (state === 'returned') return 'danger'
  if (state === 'terminated') return 'info'
  if (state === 'drafted') return 'info'
  return 'warning'
}

// "line:4" → 第2行「教学设备」 against a flattened sheet, "indicator:2" → the indicator's name.
export function targetLabel(target, flat, indicators) {
  if (!target) return '项目整体'
  const [kind, n] = target.split(':')
  const i = Number(n) - 1
  if (kind === 'line' && flat[i]) return `测算表 ${flat[i].label}`
  if (kind === 'indicator' && indicators[i]) return `指标「${indicators[i].name}」`
  return target
}

// The sheet's lines in the gate's order (parents before their sub-items), with labels.
export function flatten(lines) {
  const out = []
  lines.forEach((l, i) => {
    out.push({ line: l, label: `第${i + 1}行「${l.item || '（未命名）'}」`, parent: null })
    ;(l.children || []).forEach((c, k) => out.push({ line: c, label: `第${i + 1}行第${k + 1}项「${c.item || '（未命名）'}」`, parent: l }))
  })
  return out
}
