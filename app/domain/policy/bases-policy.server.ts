import path from 'node:path'

import { z } from 'zod'

import { singleton } from '#app/lib/singleton.server.ts'

import { checkVersions, readPolicyFile, versionOn } from './versioned.server.ts'

/**
 * The training-base lifecycle policy (ADR 0019): the public-notice (公示) period, the designation
 * term, the rectification deadline and reminder lead time, and the evaluation template. Authored
 * in content/policies/bases.json as a list of immutable versions; the version in force on a date
 * is the latest whose `effectiveFrom` is on or before it. Pure (no database): the file is the
 * record, and each decision stores the version it used in its status event.
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as "2026-01-01"')

export const BasesPolicyVersionSchema = z.object({
  version: z.string().regex(/^bases\.\d+$/, 'must look like "bases.1"'),
  effectiveFrom: day,
  /** Calendar days of the public notice (公示), counting its first day. */
  noticeDays: z.number().int().min(1).max(60),
  /** Years a designation lasts from its start. */
  termYears: z.number().int().min(1).max(10),
  rectification: z.object({
    defaultDeadlineDays: z.number().int().min(1).max(365),
    /** A reminder goes to the base this many days before the deadline. */
    reminderLeadDays: z.number().int().min(0).max(60),
  }),
  /** The hook the yearly evaluation will read: indicator tree, maximum scores, grade bands, revocation rule. */
  evaluation: z.object({
    template: z.string().min(1),
    indicators: z.array(z.object({ key: z.string().regex(/^[a-z_]+$/), max: z.number().positive() })).min(1),
    bands: z.object({ excellent: z.number(), pass: z.number() }),
    revokeAfterConsecutiveFails: z.number().int().min(1),
  }),
})
export type BasesPolicy = z.infer<typeof BasesPolicyVersionSchema>

export const BasesPolicyFileSchema = z
  .object({ $comment: z.string().optional(), versions: z.array(BasesPolicyVersionSchema).min(1) })
  .superRefine((f, ctx) => {
    checkVersions(f, ctx)
    f.versions.forEach((v, i) => {
      const total = v.evaluation.indicators.reduce((s, x) => s + x.max, 0)
      if (total !== 100)
        ctx.addIssue({ code: 'custom', path: ['versions', i, 'evaluation', 'indicators'], message: 'maximum scores must add up to 100' })
    })
  })
export type BasesPolicyFile = z.infer<typeof BasesPolicyFileSchema>

export class BasesPolicyFileError extends Error {}

export const BASES_POLICY_FILE = path.join(process.cwd(), 'content', 'policies', 'bases.json')

/** Reads and validates the file; a bad file is refused naming the field. */
export function loadBasesPolicy(file = BASES_POLICY_FILE): BasesPolicyFile {
  return readPolicyFile(file, BasesPolicyFileSchema, BasesPolicyFileError)
}

/** The version in force on a China calendar day ('YYYY-MM-DD'); the earliest version before any. */
export function basesPolicyOn(file: BasesPolicyFile, on: string): BasesPolicy {
  return versionOn(file.versions, on) ?? file.versions[0]!
}

/** The file, read once per process (it changes with a deploy, never at run time; ADR 0013 singleton). */
export function basesPolicyFile(): BasesPolicyFile {
  return singleton('bases-policy', () => loadBasesPolicy())
}
