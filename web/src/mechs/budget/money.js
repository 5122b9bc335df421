// Exact money for the budget forms: 元 typed as text ↔ integer fen, quantities as decimal text ↔
// thousandths, and the line rule quantity × unit price rounded half up to the fen — the same
// arithmetic as the server's gate (src/budget/money.c), in BigInt, never floating point.

// "1234.5" → 123450 (fen), or null when the text is not a non-negative amount of at most 2 decimals.
export function yuanToFen(text) {
  return decimal(text, 2)
}

// A decimal text with at most `digits` fractional digits as an integer scaled by 10^digits, or null.
export function decimal(text, digits) {
  const s = String(text ?? '').trim()
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s)
  if (!m) return null
  let frac = m[2] || ''
  if (frac.length > digits) {
    if (/[^0]/.test(frac.slice(digits))) return null
    frac = frac.slice(0, digits)
  }
  const v = BigInt(m[1] + frac.padEnd(digits, '0'))
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(v)
}

// fen → "1,234.50" (grouped) or "1234.50" (plain).
export function fenToYuan(fen, grouped = true) {
  if (fen === null || fen === undefined || fen === '' || !Number.isInteger(fen)) return ''
  const neg = fen < 0
  const v = BigInt(Math.abs(fen))
  let whole = (v / 100n).toString()
  const cents = (v % 100n).toString().padStart(2, '0')
  if (grouped) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${neg ? '-' : ''}${whole}.${cents}`
}

// fen → "123.46 万元" for figures.
export function fenToWan(fen) {
  const v = BigInt(Math.round(fen || 0))
  const wan = (v + 50n) / 100n // 元, rounded
  const w = wan / 10000n, r = (wan % 10000n) / 100n
  return `${w.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${r.toString().padStart(2, '0')} 万元`
}

// The amount of a line: quantity text × price fen, half up to the fen; null when either is missing.
export function lineAmount(quantity, priceFen) {
  const q = decimal(quantity, 3)
  if (q === null || priceFen === null || priceFen === undefined) return null
  return Number((BigInt(q) * BigInt(priceFen) + 500n) / 1000n)
}

// A weight as text ("12.5") → thousandths; 0 for empty.
export function weightMilli(text) {
  if (text === '' || text === null || text === undefined) return 0
  return decimal(text, 3)
}
