import path from 'node:path'

import { z } from 'zod'

import { singleton } from '#app/lib/singleton.server.ts'

import { checkVersions, readPolicyFile, versionOn } from './versioned.server.ts'

/**
 * The integrity-record policy (诚信档案): how many years a confirmed record stays in force and how
 * many days the person has to appeal. Authored in content/policies/integrity.json as a list of
 * immutable versions, like seminars.json (ADR 0019); the version in force on a date is the latest
 * whose `effectiveFrom` is on or before it.
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as "2026-01-01"')

export const IntegrityPolicyVersionSchema = z
  .object({
    version: z.string().regex(/^integrity\.\d+$/, 'must look like "integrity.1"'),
    effectiveFrom: day,
    recordYears: z.number().int().min(1).max(10),
    appealDays: z.number().int().min(1).max(365),
  })
  .strict()
export type IntegrityPolicyVersion = z.infer<typeof IntegrityPolicyVersionSchema>

export const IntegrityPolicyFileSchema = z
  .object({ $comment: z.string().optional(), versions: z.array(IntegrityPolicyVersionSchema).min(1) })
  .strict()
  .superRefine((f, ctx) => checkVersions(f, ctx))
export type IntegrityPolicyFile = z.infer<typeof IntegrityPolicyFileSchema>

export class IntegrityPolicyFileError extends Error {}

export const INTEGRITY_POLICY_FILE = path.join(process.cwd(), 'content', 'policies', 'integrity.json')

/** Reads and validates the file; a bad file is refused naming the field. */
export function loadIntegrityPolicy(file = INTEGRITY_POLICY_FILE): IntegrityPolicyFile {
  return readPolicyFile(file, IntegrityPolicyFileSchema, IntegrityPolicyFileError)
}

/** The file, read once per process (it changes with a deploy, never at run time). */
export function integrityPolicyFile(): IntegrityPolicyFile {
  return singleton('integrity-policy', () => loadIntegrityPolicy())
}

/** The version in force on a China calendar day ('YYYY-MM-DD'). No fallback to the earliest version. */
export function integrityPolicyOn(date: string, file: IntegrityPolicyFile = integrityPolicyFile()): IntegrityPolicyVersion {
  if (!day.safeParse(date).success) throw new RangeError(`not a date: ${JSON.stringify(date)} (expected YYYY-MM-DD)`)
  const chosen = versionOn(file.versions, date)
  if (!chosen)
    throw new IntegrityPolicyFileError(
      `no integrity policy in force on ${date}: the first version starts ${file.versions[0]?.effectiveFrom}`,
    )
  return chosen
}
