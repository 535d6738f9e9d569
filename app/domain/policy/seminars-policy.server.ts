import path from 'node:path'

import { z } from 'zod'

import { singleton } from '#app/lib/singleton.server.ts'

import { type ReportsPolicy, reportsPolicyOn } from './reports-policy.server.ts'
import { checkVersions, readPolicyFile, versionOn } from './versioned.server.ts'

/**
 * The advanced-seminar policy (高级研修班报名): how many national seminars a person may hold a
 * place in per CE year, how long a waitlist offer stays open, and how long before the start the
 * waitlist stops promoting. Authored in content/policies/seminars.json as a list of immutable
 * versions, like reports.json (ADR 0019); the version in force on a date is the latest whose
 * `effectiveFrom` is on or before it. Hours per full and half day are the reports policy's
 * `hoursPerDay` (one number, one place): `seminarPolicyOn` hands them over with the version.
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as "2026-01-01"')
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as "08:30"')
const minutes = z
  .number()
  .int()
  .min(0)
  .max(24 * 60)

export const SeminarsPolicyVersionSchema = z
  .object({
    version: z.string().regex(/^seminars\.\d+$/, 'must look like "seminars.1"'),
    effectiveFrom: day,
    nationalPerPersonPerYear: z.number().int().min(1).max(50),
    defaultOfferHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
    promotionStopsHoursBeforeStart: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
    /** China-time hours of the half-day blocks: a full day is both, a half day the morning. */
    blockTimes: z
      .object({ morning: z.tuple([clock, clock]), afternoon: z.tuple([clock, clock]) })
      .strict()
      .refine((b) => b.morning[0] < b.morning[1] && b.morning[1] <= b.afternoon[0] && b.afternoon[0] < b.afternoon[1], {
        message: 'blocks must run morning then afternoon, each ending after it starts',
      }),
    checkin: z
      .object({
        codeRotateSeconds: z.number().int().min(5).max(600),
        codeValidSeconds: z.number().int().min(5).max(3600),
        signInOpensMinutesBefore: minutes,
        signInClosesMinutesAfter: minutes,
        signOutOpensMinutesBefore: minutes,
        signOutClosesMinutesAfter: minutes,
      })
      .strict()
      .refine((c) => c.codeValidSeconds >= c.codeRotateSeconds, { message: 'a code must stay valid at least as long as it is shown' }),
    completionMinShare: z.number().gt(0).max(1),
    packageDueWorkingDays: z.number().int().min(1).max(60),
    packageReminderWorkingDays: z.number().int().min(0).max(30),
    surveyMinAnswersShown: z.number().int().min(1).max(100),
    surveyOpenDaysAfterEnd: z.number().int().min(0).max(90),
    approvalDays: z.number().int().min(1).max(30),
  })
  .strict()
export type SeminarsPolicyVersion = z.infer<typeof SeminarsPolicyVersionSchema>

export const SeminarsPolicyFileSchema = z
  .object({ $comment: z.string().optional(), versions: z.array(SeminarsPolicyVersionSchema).min(1) })
  .strict()
  .superRefine((f, ctx) => checkVersions(f, ctx))
export type SeminarsPolicyFile = z.infer<typeof SeminarsPolicyFileSchema>

export class SeminarsPolicyFileError extends Error {}

export const SEMINARS_POLICY_FILE = path.join(process.cwd(), 'content', 'policies', 'seminars.json')

/** Reads and validates the file; a bad file is refused naming the field. */
export function loadSeminarsPolicy(file = SEMINARS_POLICY_FILE): SeminarsPolicyFile {
  return readPolicyFile(file, SeminarsPolicyFileSchema, SeminarsPolicyFileError)
}

/** The file, read once per process (it changes with a deploy, never at run time). */
export function seminarsPolicyFile(): SeminarsPolicyFile {
  return singleton('seminars-policy', () => loadSeminarsPolicy())
}

export type SeminarPolicy = SeminarsPolicyVersion & { hoursPerDay: ReportsPolicy['hoursPerDay'] }

/**
 * The version in force on a China calendar day ('YYYY-MM-DD', normally the seminar's first day),
 * with the face-to-face hours per day of the reports policy in force that day. No fallback to the
 * earliest version: a seminar before any version has no rule to apply.
 */
export function seminarPolicyOn(date: string, file: SeminarsPolicyFile = seminarsPolicyFile()): SeminarPolicy {
  if (!day.safeParse(date).success) throw new RangeError(`not a date: ${JSON.stringify(date)} (expected YYYY-MM-DD)`)
  const chosen = versionOn(file.versions, date)
  if (!chosen)
    throw new SeminarsPolicyFileError(`no seminar policy in force on ${date}: the first version starts ${file.versions[0]?.effectiveFrom}`)
  return { ...chosen, hoursPerDay: reportsPolicyOn(date).hoursPerDay }
}

/** When promotion from the waitlist stops for a seminar starting on `startDate` (00:00 China time that day, minus the policy's hours). */
export function promotionStopsAt(startDate: string, policy: Pick<SeminarsPolicyVersion, 'promotionStopsHoursBeforeStart'>): Date {
  return new Date(new Date(`${startDate}T00:00:00+08:00`).getTime() - policy.promotionStopsHoursBeforeStart * 3600_000)
}
