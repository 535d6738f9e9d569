import type { Role } from '#db/schema.ts'

/**
 * Security settings of sign-in, sessions and account recovery: policy, kept as data in this one
 * module (ADR 0018). They are not CE policy (content/policies/<year>.json is versioned per CE year
 * and recorded in every credit check); these hold for every year and change with a release,
 * reviewed like code.
 */

const MINUTE = 60 * 1000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Sessions: an idle timeout that slides with use, and an absolute lifetime from sign-in. */
export const SESSION_POLICY = {
  learner: { idleMs: 7 * DAY, absoluteMs: 30 * DAY },
  staff: { idleMs: 2 * HOUR, absoluteMs: 12 * HOUR },
  /** `last_seen_at` is written at most this often per session, not on every request. */
  touchEveryMs: MINUTE,
} as const

export function sessionPolicyFor(role: Role) {
  return role === 'learner' ? SESSION_POLICY.learner : SESSION_POLICY.staff
}

/** The longest any session may live: the cookie's Max-Age. */
export const SESSION_MAX_MS = Math.max(SESSION_POLICY.learner.absoluteMs, SESSION_POLICY.staff.absoluteMs)

/**
 * Login: failures per account (PostgreSQL, survives a Redis restart) and per client IP (Redis).
 * After `maxFailures` wrong passwords within `windowMs`, the account is locked for `lockMs`,
 * whichever form of its login (ID number, mobile, with or without hyphens) was typed.
 */
export const LOGIN_POLICY = {
  perAccount: { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
  /** A login that names no account gets the same answers, counted on the typed text in Redis. */
  perUnknownLogin: { max: 5, windowSeconds: 15 * 60 },
  perIp: { max: 50, windowSeconds: 15 * 60 },
} as const

/** Registration attempts (Redis), so an ID number cannot be probed at speed. */
export const REGISTRATION_POLICY = {
  perIp: { max: 10, windowSeconds: 60 * 60 },
  perIdNumber: { max: 5, windowSeconds: 60 * 60 },
} as const

/** One-time codes for a forgotten password, sent by SMS to the registered mobile. */
export const RESET_CODE_POLICY = {
  digits: 6,
  ttlMs: 10 * MINUTE,
  maxAttempts: 5,
  /** Sends per account (PostgreSQL): at most one a minute and five an hour. */
  minIntervalMs: MINUTE,
  maxPerHour: 5,
  /** Sends per client IP (Redis). */
  perIp: { max: 20, windowSeconds: 60 * 60 },
} as const

/** A training base's invitation to a colleague's account: open this long, then it lapses (ADR 0020). */
export const BASE_INVITATION_POLICY = { ttlMs: 14 * DAY } as const
