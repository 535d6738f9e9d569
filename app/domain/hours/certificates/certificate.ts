import type { Hours } from '#app/domain/shared/decimal.ts'
import type { Category, SeminarLevel, SourceKind } from '#db/schema.ts'

/**
 * Hours certificates (学时证明): the facts a certificate states and its verification code. Pure
 * and safe in the browser; the queries are in certificates.server.ts, the PDF in
 * certificate-pdf.server.ts.
 */

export const CERTIFICATE_ISSUER = '吉林省专业技术人员继续教育平台'

/** How hours were earned, as a certificate states it: 网授 / 面授 / 其他. */
export const METHODS = ['online', 'face_to_face', 'other'] as const
export type Method = (typeof METHODS)[number]

export function methodOf(kind: Exclude<SourceKind, 'reversal'>): Method {
  switch (kind) {
    case 'online_course':
      return 'online'
    case 'seminar':
    case 'base_training':
      return 'face_to_face'
    default:
      return 'other'
  }
}

export type CategoryHours = { professional: Hours; public: Hours; total: Hours }

export type CertificateFacts = {
  name: string
  /** Always masked (220102********1234): the certificate never states the full number. */
  idNumberMasked: string
  year: number
  /** Counted toward the year's requirement (a policy cap on 公需 already applied). */
  hours: CategoryHours
  /** Counted hours by how they were earned; a reversal counts against its original's method. */
  byMethod: Record<Method, CategoryHours>
  /** Counted ledger hours per category before any cap, to compare with later totals. */
  ledgerCounted: { professional: Hours; public: Hours }
  requirement: { total: Hours; professional: Hours; public: Hours }
  /** The policy's cap on counted 公需 hours, if it has one. */
  publicCap: Hours | null
  met: boolean
  policyVersion: string
  issuer: string
  /** China date, YYYY-MM-DD. */
  issuedOn: string
}

/**
 * What a completion certificate (结业证书) of an advanced seminar states: the participant met the
 * seminar's attendance rule and was credited these hours (migration 0018, `kind`
 * 'seminar_completion'). Stored in the same certificates table and verified by the same page.
 */
export type SeminarCompletionFacts = {
  kind: 'seminar_completion'
  name: string
  /** Always masked, as on the hours certificate. */
  idNumberMasked: string
  seminarTitle: string
  level: SeminarLevel
  hostBaseName: string
  /** China dates, YYYY-MM-DD. */
  startDate: string
  endDate: string
  category: Category
  /** Hours credited for the blocks attended. */
  hours: Hours
  blocksAttended: number
  blocksTotal: number
  issuer: string
  issuedOn: string
  policyVersion: string
}

/** Any certificate's facts; hours certificates (stored before 0018) carry no `kind`. */
export type AnyCertificateFacts = CertificateFacts | SeminarCompletionFacts

export function isCompletionFacts(f: unknown): f is SeminarCompletionFacts {
  return typeof f === 'object' && f !== null && (f as { kind?: unknown }).kind === 'seminar_completion'
}

// Crockford-like base32 without the look-alikes I, O, 0 and 1: 32 symbols, 5 bits each.
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
export const CODE_LENGTH = 16
const CODE_RE = /^[A-HJ-NP-Z2-9]{16}$/

/** ABCDEFGHJKLMNPQR → ABCD-EFGH-JKLM-NPQR (how it is printed and linked). */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code
}

/** What a person typed or scanned → the stored form, or null if it cannot be a code. */
export function normalizeCode(input: string): string | null {
  const v = input.toUpperCase().replace(/[\s-]/g, '')
  return CODE_RE.test(v) ? v : null
}

export function verifyPath(code: string): string {
  return `/verify/${formatCode(code)}`
}
