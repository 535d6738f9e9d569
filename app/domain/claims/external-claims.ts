import { fromCents, type Hours, toCents } from '#app/domain/shared/decimal.ts'
import type { Category, ClaimStatus, EvidenceContentType } from '#db/schema.ts'

/**
 * External hours (平台外学习) as pure rules: what an evidence file may be, how a claim converts to
 * hours by the policy's conversion table, and which dates may still be reported. No I/O, safe in
 * the browser (the form shows the same limits the server enforces).
 */
export type { Category, ClaimStatus, EvidenceContentType }

/** Evidence files: 5 MB at most, PDF or PNG or JPEG judged by their first bytes. */
export const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
export const EVIDENCE_ACCEPT = '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg'
export const EVIDENCE_EXTENSION: Record<EvidenceContentType, string> = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg' }

const MAGIC: { type: EvidenceContentType; bytes: number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }, // \x89PNG\r\n\x1a\n
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
]

/**
 * The type of a file from its magic bytes, whatever its name or declared type says; null when
 * it is none of the accepted kinds.
 */
export function sniffEvidenceType(bytes: Uint8Array): EvidenceContentType | null {
  for (const m of MAGIC) if (bytes.length >= m.bytes.length && m.bytes.every((b, i) => bytes[i] === b)) return m.type
  return null
}

export type EvidenceProblem = 'err.evidence.required' | 'err.evidence.tooLarge' | 'err.evidence.type'

/** What is wrong with an evidence file, judged by its size and its magic bytes; null when fine. */
export function evidenceProblem(bytes: Uint8Array | null): EvidenceProblem | null {
  if (!bytes || bytes.length === 0) return 'err.evidence.required'
  if (bytes.length > MAX_EVIDENCE_BYTES) return 'err.evidence.tooLarge'
  if (!sniffEvidenceType(bytes)) return 'err.evidence.type'
  return null
}

/** A file name safe to store and to echo in a header: its base name, no control characters, at most 120 characters. */
export function cleanFilename(name: string, type: EvidenceContentType): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const base = (name.split(/[/\\]/).pop() ?? '').replace(/[\x00-\x1f\x7f"]/g, '').trim()
  const clean = base.length > 120 ? base.slice(base.length - 120) : base
  return clean || `evidence.${EVIDENCE_EXTENSION[type]}`
}

export type ConversionRule = { zh: string; en: string; unit: 'day' | 'half_day' | 'hour'; hoursPerUnit: Hours; maxHours: Hours }

/**
 * Claimed hours = min(units × hoursPerUnit, maxHours), in exact hundredths (a product finer than
 * a hundredth is rounded down). Always computed here, never taken from the client.
 */
export function claimedHours(units: string, rule: Pick<ConversionRule, 'hoursPerUnit' | 'maxHours'>): Hours {
  const product = Math.floor((toCents(units) * toCents(rule.hoursPerUnit)) / 100)
  return fromCents(Math.min(product, toCents(rule.maxHours)))
}

/** Today's calendar date in China (UTC+8), as 'YYYY-MM-DD'. */
export function chinaToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

export function isIsoDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
}

export type DateProblem = 'err.claim.future' | 'err.claim.tooOld' | 'err.claim.noPolicy'

/**
 * Which dates may be reported: not in the future (China time), in a CE year that has a policy,
 * and, when the policy in force today allows make-up for the previous year only (补学), in the
 * current CE year or the one before. The CE year of a date is its own calendar year.
 */
export function occurredOnProblem(
  occurredOn: string,
  today: string,
  policyYears: ReadonlySet<number>,
  makeUp: { previousYearOnly: boolean } | undefined,
): DateProblem | null {
  if (occurredOn > today) return 'err.claim.future'
  const year = Number(occurredOn.slice(0, 4))
  const currentYear = Number(today.slice(0, 4))
  if (makeUp?.previousYearOnly && year < currentYear - 1) return 'err.claim.tooOld'
  if (!policyYears.has(year)) return 'err.claim.noPolicy'
  return null
}
