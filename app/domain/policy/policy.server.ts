import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

import { z } from 'zod'

import { canonical } from '#app/domain/shared/canonical-json.ts'
import { isHours } from '#app/domain/shared/decimal.ts'
import type { DB } from '#db/schema.ts'

/**
 * Yearly policy (政策参数) as data: authored in content/policies/<year>.json, validated on load,
 * copied into the `policies` table with its version. Every computed answer names the version
 * it used. A version, once loaded, is immutable: changing a number means a new version.
 */
const hours = z.string().refine(isHours, 'must be an hours value such as "90" or "1.5"')

export const PolicySchema = z.object({
  year: z.number().int().min(2000).max(2100),
  version: z.string().regex(/^\d{4}\.\d+$/, 'must look like "2026.1"'),
  requirement: z.object({ total: hours, professional: hours, public: hours }),
  caps: z.object({ publicCounted: hours.nullable() }),
  conversion: z.object({
    onlineMinutesPerHour: z.number().int().positive(),
    trainingHoursPerDay: hours,
    trainingHoursPerHalfDay: hours,
    external: z.record(
      z.string().regex(/^[a-z_]+$/),
      z.object({
        zh: z.string().min(1),
        en: z.string().min(1),
        unit: z.enum(['day', 'half_day', 'hour']),
        hoursPerUnit: hours,
        maxHours: hours,
      }),
    ),
  }),
  carryOver: z.boolean(),
  titleCheck: z.object({
    /** Applications before this year are not subject to the check. */
    firstApplicationYear: z.number().int(),
    /** CE years before this one are never checked. */
    firstCheckedYear: z.number().int(),
    lookBackYears: z.number().int().min(1).max(10),
  }),
  makeUp: z.object({ previousYearOnly: z.boolean(), windowMonths: z.array(z.number().int().min(1).max(12)) }),
})
export type Policy = z.infer<typeof PolicySchema>

export class PolicyFileError extends Error {}

/** Reads and validates every policy file; a bad file is refused naming the file and field. */
export function loadPolicyFiles(dir: string): Policy[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}\.json$/.test(f))
    .sort()
  return files.map((f) => {
    const file = path.join(dir, f)
    let json: unknown
    try {
      json = JSON.parse(readFileSync(file, 'utf8'))
    } catch (e) {
      throw new PolicyFileError(`${file}: not valid JSON (${(e as Error).message})`)
    }
    const parsed = PolicySchema.safeParse(json)
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`)
      throw new PolicyFileError(`${file}: ${problems.join('; ')}`)
    }
    if (`${parsed.data.year}.json` !== f) throw new PolicyFileError(`${file}: year ${parsed.data.year} does not match the file name`)
    const r = parsed.data.requirement
    if (Number(r.professional) + Number(r.public) > Number(r.total)) {
      throw new PolicyFileError(`${file}: requirement.professional + requirement.public exceeds requirement.total`)
    }
    return parsed.data
  })
}

/**
 * Copies policies into the database. A new version is added; an already-loaded version must be
 * byte-for-byte the same policy, otherwise loading stops (a published version never changes).
 */
export async function syncPolicies(db: DB, policies: Policy[]): Promise<string[]> {
  const added: string[] = []
  for (const p of policies) {
    const existing = await db
      .selectFrom('policies')
      .select('body')
      .where('year', '=', p.year)
      .where('version', '=', p.version)
      .executeTakeFirst()
    if (existing) {
      if (canonical(PolicySchema.parse(existing.body)) !== canonical(p)) {
        throw new PolicyFileError(`Policy ${p.version} was changed after it was loaded; publish it as a new version instead.`)
      }
      continue
    }
    await db
      .insertInto('policies')
      .values({ year: p.year, version: p.version, body: JSON.stringify(p) })
      .execute()
    added.push(p.version)
  }
  return added
}

/** Every year's version in force with when it was loaded and how many versions the year has had. */
export async function policyOverview(db: DB) {
  const rows = await db
    .selectFrom('policies')
    .select(['year', 'version', 'body', 'loaded_at'])
    .orderBy('year', 'desc')
    .orderBy('loaded_at', 'desc')
    .execute()
  const out: { year: number; version: string; loadedAt: string; versions: number; policy: Policy }[] = []
  for (const r of rows) {
    const seen = out.find((o) => o.year === r.year)
    if (seen) seen.versions += 1
    else
      out.push({ year: r.year, version: r.version, loadedAt: r.loaded_at.toISOString(), versions: 1, policy: PolicySchema.parse(r.body) })
  }
  return out
}

/** The version in force for each year: the most recently loaded one. */
export async function policiesInForce(db: DB): Promise<Map<number, Policy>> {
  const rows = await db
    .selectFrom('policies')
    .select(['year', 'body'])
    .distinctOn('year')
    .orderBy('year')
    .orderBy('loaded_at', 'desc')
    .execute()
  return new Map(rows.map((r) => [r.year, PolicySchema.parse(r.body)]))
}
