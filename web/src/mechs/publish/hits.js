// The scanner's hits over a text: segments for showing them in place (code-point offsets, as
// the server gives them in `from`/`to`), overlapping hits merged into one mark that lists
// every hit it covers; and the Chinese names of kinds and severities.
export const severityTitle = { 1: '低', 2: '中', 3: '高' }
export const severityTag = { 1: 'info', 2: 'warning', 3: 'danger' }
export const kindTitle = { term: '敏感词', id_card: '身份证号', mobile: '手机号码', bank_card: '银行卡号' }

// text: a string; hits: [{from, to, …}] relative to text. Returns [{text, hits: [] | [hit…]}].
export function segments(text, hits) {
  const chars = Array.from(text || '')
  const sorted = [...(hits || [])].filter((h) => h.to > h.from && h.from >= 0 && h.from < chars.length)
    .sort((a, b) => a.from - b.from || b.to - a.to)
  const out = []
  let at = 0
  let i = 0
  while (i < sorted.length) {
    const from = sorted[i].from
    let to = sorted[i].to
    const group = [sorted[i++]]
    while (i < sorted.length && sorted[i].from < to) { to = Math.max(to, sorted[i].to); group.push(sorted[i++]) }
    if (from > at) out.push({ text: chars.slice(at, from).join(''), hits: [] })
    out.push({ text: chars.slice(Math.max(from, at), Math.min(to, chars.length)).join(''), hits: group })
    at = Math.max(at, to)
  }
  if (at < chars.length) out.push({ text: chars.slice(at).join(''), hits: [] })
  return out
}

// A draft's saved hits are over "title\nbody": those of the body, shifted to the body.
export function bodyHits(draft) {
  const shift = (draft.title_chars || 0) + 1
  return (draft.hits || []).filter((h) => h.from >= shift).map((h) => ({ ...h, from: h.from - shift, to: h.to - shift }))
}
export function titleHits(draft) {
  return (draft.hits || []).filter((h) => h.to <= (draft.title_chars || 0))
}
export const maxSeverity = (hits) => Math.max(0, ...hits.map((h) => h.severity))
