/**
 * Resident ID numbers (居民身份证号码, GB 11643-1999) and unified social credit codes
 * (统一社会信用代码, GB 32100-2015). Pure functions: no I/O, safe in the browser.
 */

export type IdNumberProblem = 'empty' | 'format' | 'area' | 'date' | 'checksum'

export type ParsedIdNumber = {
  /** Upper-case, 18 characters. */
  value: string
  areaCode: string
  birthDate: string // YYYY-MM-DD
  gender: 'M' | 'F'
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const CHECK_CHARS = '10X98765432'

export function idNumberCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!
  return CHECK_CHARS[sum % 11]!
}

/**
 * Province-level codes of GB/T 2260 (the first two digits of every area code): 北京 11 … 内蒙古
 * 15, 辽宁 21 … 黑龙江 23 (吉林 22), 上海 31 … 山东 37, 河南 41 … 海南 46, 重庆 50 … 西藏 54,
 * 陕西 61 … 新疆 65, 台湾 71, 香港 81, 澳门 82. The remaining four digits change too often to
 * check here.
 */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
])

/** Today's date in China (UTC+8), as YYYY-MM-DD: a birth date is "past" by the calendar its holder lives by. */
const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })

function isRealPastDate(y: number, m: number, d: number, now: Date): boolean {
  if (y < 1800 || m < 1 || m > 12 || d < 1) return false
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  return iso < CHINA_DAY.format(now)
}

/** `now`: the moment that decides which birth dates are past (injected by tests). */
export function parseIdNumber(
  input: string,
  now: Date = new Date(),
): { ok: true; id: ParsedIdNumber } | { ok: false; problem: IdNumberProblem } {
  const value = input.trim().toUpperCase()
  if (value === '') return { ok: false, problem: 'empty' }
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, problem: 'format' }
  if (!PROVINCES.has(Number(value.slice(0, 2)))) return { ok: false, problem: 'area' }
  const y = Number(value.slice(6, 10))
  const m = Number(value.slice(10, 12))
  const d = Number(value.slice(12, 14))
  if (!isRealPastDate(y, m, d, now)) return { ok: false, problem: 'date' }
  if (idNumberCheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, problem: 'checksum' }
  return {
    ok: true,
    id: {
      value,
      areaCode: value.slice(0, 6),
      birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
      gender: Number(value[16]) % 2 === 1 ? 'M' : 'F',
    },
  }
}

/** 220102********1234: the only form in which an ID number is shown to anyone but its owner. */
export function maskIdNumber(value: string): string {
  if (value.length !== 18) return '*'.repeat(value.length)
  return `${value.slice(0, 6)}********${value.slice(14)}`
}

// GB 32100-2015: 31 characters (no I, O, Z, S, V), weights 3^i mod 31.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const

export type CreditCodeProblem = 'empty' | 'format' | 'checksum'

/** The check character of the first 17 characters of a unified social credit code (GB 32100-2015). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]!) * USCC_WEIGHTS[i]!
  return USCC_CHARS[(31 - (sum % 31)) % 31]!
}

export function parseCreditCode(input: string): { ok: true; value: string } | { ok: false; problem: CreditCodeProblem } {
  const value = input.trim().toUpperCase()
  if (value === '') return { ok: false, problem: 'empty' }
  if (value.length !== 18 || [...value].some((c) => !USCC_CHARS.includes(c))) return { ok: false, problem: 'format' }
  if (creditCodeCheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, problem: 'checksum' }
  return { ok: true, value }
}

/** A mobile number as colleagues may see it: 139****0004. */
export function maskMobile(value: string): string {
  return value.length === 11 ? `${value.slice(0, 3)}****${value.slice(7)}` : '*'.repeat(value.length)
}

/** Mainland mobile numbers: 11 digits starting 1[3-9]. */
export function parseMobile(input: string): string | null {
  const v = input.trim().replace(/[\s-]/g, '')
  return /^1[3-9]\d{9}$/.test(v) ? v : null
}
