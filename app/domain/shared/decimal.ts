/**
 * Hours are exact decimals with at most two places. They travel as strings ('12.5') and are
 * compared or added as integer hundredths, never as binary floats.
 */
export type Hours = string

const HOURS = /^-?\d{1,5}(\.\d{1,2})?$/

export function isHours(v: string): boolean {
  return HOURS.test(v)
}

export function toCents(v: Hours): number {
  if (!isHours(v)) throw new Error(`Not an hours value: ${v}`)
  const negative = v.startsWith('-')
  const [whole, frac = ''] = (negative ? v.slice(1) : v).split('.')
  const cents = Number(whole) * 100 + Number(frac.padEnd(2, '0'))
  return negative ? -cents : cents
}

export function fromCents(cents: number): Hours {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  const whole = Math.floor(abs / 100)
  const frac = abs % 100
  if (frac === 0) return `${sign}${whole}`
  return `${sign}${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`
}

/** Normalises what PostgreSQL returns for numeric ('30.00') to the shortest form ('30'). */
export function normalizeHours(v: Hours): Hours {
  return fromCents(toCents(v))
}
