// How the UI shows dates, times and numbers: Asia/Shanghai time, 2024-03-05 in tables and
// 2024年3月5日 in prose, whatever the browser's own time zone.
const TZ = 'Asia/Shanghai'
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false
})
const dateOnly = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' })

function parts(fmt, d) {
  const o = {}
  for (const p of fmt.formatToParts(d)) o[p.type] = p.value
  return o
}

// An API time (ISO-8601 UTC) as "2024-03-05 09:30" in Shanghai time.
export function fmtTime(iso) {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const p = parts(dateTime, d)
  return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}`
}

// A calendar date ("2024-03-05") as is; an API time as its Shanghai date.
export function fmtDate(v) {
  if (!v) return '—'
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v
  const d = new Date(v)
  if (Number.isNaN(d.getTime())) return v
  const p = parts(dateOnly, d)
  return `${p.year}-${p.month}-${p.day}`
}

// "2024年3月5日" for prose and headings.
export function fmtDateZh(v) {
  const s = fmtDate(v)
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : s
}

// Today in Shanghai as "YYYY-MM-DD".
export function todayShanghai() {
  return fmtDate(new Date().toISOString())
}

export function fmtPercent(x) {
  return x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`
}

// Element Plus tag colours for the problem states.
export const stateTagType = {
  registered: 'info', assigned: 'warning', in_progress: 'primary', claimed: 'warning', closed: 'success'
}
