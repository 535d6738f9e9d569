import path from 'node:path'

import { z } from 'zod'

import { singleton } from '#app/lib/singleton.server.ts'

import { checkVersions, readPolicyFile, versionOn } from './versioned.server.ts'

/**
 * The training-report policy (施教机构报送学时): the deadline in working days after an activity
 * ends, the hours a report may declare per day, roster size limits, the learner's dispute window
 * and the earliest year a legacy report may carry. Authored in content/policies/reports.json as a
 * list of immutable versions, like bases.json (ADR 0019); the version in force on a date is the
 * latest whose `effectiveFrom` is on or before it. Every number is an assumption or a platform
 * limit (see the file's $comment), so none of them may appear as a literal in code.
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as "2026-01-01"')

export const ReportsPolicyVersionSchema = z
  .object({
    version: z.string().regex(/^reports\.\d+$/, 'must look like "reports.1"'),
    effectiveFrom: day,
    /** Working days after the activity's last day by which the report is due (China's calendar, 调休 included). */
    reportDeadlineWorkingDays: z.number().int().min(1).max(60),
    /** The most 学时 a report may declare for one day of face-to-face training. */
    hoursPerDay: z.object({ full: z.number().positive().max(24), half: z.number().positive().max(12) }).strict(),
    roster: z.object({ maxRows: z.number().int().min(1), maxFileBytes: z.number().int().min(1) }).strict(),
    /** Calendar days after a report is committed during which a learner may dispute a row. */
    disputeWindowDays: z.number().int().min(1).max(3650),
    legacy: z.object({ earliestYear: z.number().int().min(1949).max(2100) }).strict(),
  })
  .strict()
  .refine((v) => v.hoursPerDay.half <= v.hoursPerDay.full, {
    path: ['hoursPerDay', 'half'],
    message: 'a half day cannot allow more hours than a full day',
  })
export type ReportsPolicy = z.infer<typeof ReportsPolicyVersionSchema>

export const ReportsPolicyFileSchema = z
  .object({ $comment: z.string().optional(), versions: z.array(ReportsPolicyVersionSchema).min(1) })
  .strict()
  .superRefine((f, ctx) => checkVersions(f, ctx))
export type ReportsPolicyFile = z.infer<typeof ReportsPolicyFileSchema>

export class ReportsPolicyFileError extends Error {}

export const REPORTS_POLICY_FILE = path.join(process.cwd(), 'content', 'policies', 'reports.json')

/** Reads and validates the file; a bad file is refused naming the field. */
export function loadReportsPolicy(file = REPORTS_POLICY_FILE): ReportsPolicyFile {
  return readPolicyFile(file, ReportsPolicyFileSchema, ReportsPolicyFileError)
}

/** The file, read once per process (it changes with a deploy, never at run time; ADR 0013 singleton). */
export function reportsPolicyFile(): ReportsPolicyFile {
  return singleton('reports-policy', () => loadReportsPolicy())
}

/**
 * The version in force on a China calendar day ('YYYY-MM-DD'). Unlike the bases policy there is
 * no fallback to the earliest version: a report dated before any version has no rule to apply,
 * and guessing one would silently accept or refuse it.
 */
export function reportsPolicyOn(date: string, file: ReportsPolicyFile = reportsPolicyFile()): ReportsPolicy {
  if (!day.safeParse(date).success) throw new RangeError(`not a date: ${JSON.stringify(date)} (expected YYYY-MM-DD)`)
  const chosen = versionOn(file.versions, date)
  if (!chosen)
    throw new ReportsPolicyFileError(
      `no training-report policy in force on ${date}: the first version starts ${file.versions[0]?.effectiveFrom}`,
    )
  return chosen
}
