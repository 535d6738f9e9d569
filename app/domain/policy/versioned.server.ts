import { readFileSync } from 'node:fs'

import type { z } from 'zod'

/**
 * What the versioned policy files (content/policies/{bases,reports,seminars}.json) share: each
 * is a list of immutable versions with an `effectiveFrom` day, read once and validated, and the
 * version in force on a day is the latest that started on or before it.
 */
type Versioned = { version: string; effectiveFrom: string }

/** A file's versions must have distinct names and strictly increasing start days (for a zod superRefine). */
export function checkVersions(f: { versions: Versioned[] }, ctx: z.RefinementCtx): void {
  const names = new Set<string>()
  f.versions.forEach((v, i) => {
    if (names.has(v.version)) ctx.addIssue({ code: 'custom', path: ['versions', i, 'version'], message: 'duplicate version' })
    names.add(v.version)
    const prev = f.versions[i - 1]
    if (prev && prev.effectiveFrom >= v.effectiveFrom)
      ctx.addIssue({
        code: 'custom',
        path: ['versions', i, 'effectiveFrom'],
        message: 'versions must be in increasing effectiveFrom order',
      })
  })
}

/** Reads and validates a policy file; a bad file is refused naming the field, as `Failure`. */
export function readPolicyFile<S extends z.ZodTypeAny>(file: string, schema: S, Failure: new (message: string) => Error): z.infer<S> {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new Failure(`${file}: not valid JSON (${(e as Error).message})`)
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i: z.ZodIssue) => `${i.path.join('.') || '(file)'}: ${i.message}`)
    throw new Failure(`${file}: ${problems.join('; ')}`)
  }
  return parsed.data
}

/** The version in force on a day ('YYYY-MM-DD'), or undefined before the first. */
export function versionOn<V extends Versioned>(versions: readonly V[], day: string): V | undefined {
  let chosen: V | undefined
  for (const v of versions) if (v.effectiveFrom <= day) chosen = v
  return chosen
}
