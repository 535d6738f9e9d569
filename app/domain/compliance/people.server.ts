import { sql } from 'kysely'

import type { PolicyForCheck } from '#app/domain/credit-api/credit-check.ts'
import { maskedIdNumber } from '#app/domain/identity/pii.server.ts'
import { cachedPolicies } from '#app/domain/policy/cache.server.ts'
import { ceYearOf } from '#app/domain/shared/ce-year.ts'
import { fromCents, normalizeHours, toCents } from '#app/domain/shared/decimal.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { isProvinceScope } from '#app/domain/shared/scope.ts'
import type { DB } from '#db/schema.ts'

import type { ComplianceFilter } from './filter.ts'
import { complianceYears } from './readiness.ts'

/**
 * The people behind a compliance figure (ADR 0025): one query shape for the drill-down list,
 * campaigns and exports, always inside the officer's scope (an officer of a 市州 never sees a
 * person of another; a person without a region is seen by the province only).
 */
export type FilterProblem = 'region_out_of_scope' | 'year_not_covered'

/** The CE years figures exist for now (policy data), newest first. */
export async function coveredYears(db: DB, now = new Date()): Promise<number[]> {
  const policies = (await cachedPolicies(db)) as Map<number, PolicyForCheck>
  return complianceYears(policies, ceYearOf(now)).reverse()
}

/** Checks a parsed filter against the officer's scope and the covered years. */
export async function checkFilter(
  db: DB,
  scopeRegion: string,
  f: ComplianceFilter,
  now = new Date(),
): Promise<Result<object, FilterProblem>> {
  if (f.region && !isProvinceScope(scopeRegion) && f.region !== scopeRegion) return err('region_out_of_scope')
  if (!(await coveredYears(db, now)).includes(f.year)) return err('year_not_covered')
  return ok({})
}

/**
 * compliance_people (cp) ⋈ the year's row (cy) ⋈ people (p) ⟕ employers (e), scoped and filtered.
 * The caller has checked the filter (`checkFilter`).
 */
export function scopedPeople(db: DB, scopeRegion: string, f: ComplianceFilter) {
  let q = db
    .selectFrom('compliance_people as cp')
    .innerJoin('compliance_person_years as cy', (j) => j.onRef('cy.person_id', '=', 'cp.person_id').on('cy.ce_year', '=', f.year))
    .innerJoin('people as p', 'p.id', 'cp.person_id')
    .leftJoin('employers as e', 'e.id', 'p.employer_id')
  // The stored region (indexed) and the person's region now: a person who moved is never shown
  // to their old region while the refresher has yet to reach them.
  if (!isProvinceScope(scopeRegion)) q = q.where('cp.region_code', '=', scopeRegion).where('p.region_code', '=', scopeRegion)
  if (f.region) q = q.where('cp.region_code', '=', f.region).where('p.region_code', '=', f.region)
  if (f.employer) q = q.where('cp.employer_id', '=', f.employer)
  if (f.series) q = q.where('cp.title_series', '=', f.series)
  if (f.level) q = q.where('cp.title_level', '=', f.level)
  if (f.integrity === 'in_force') q = q.where('cp.integrity_ends_on', 'is not', null)
  if (f.status === 'short') q = q.where('cy.met', '=', false)
  if (f.status === 'met') q = q.where('cy.met', '=', true)
  if (f.status === 'not_ready') q = q.where('cp.ready', '=', false)
  if (f.status === 'ready') q = q.where('cp.ready', '=', true)
  return q
}

/** The columns a list row and an export row show (the ID number still encrypted). */
export const PERSON_COLUMNS = [
  'cp.person_id',
  'p.name',
  'p.id_number_enc',
  'cp.region_code',
  'p.employer',
  'e.name as employer_name',
  'cp.title_series',
  'cp.title_level',
  'p.title_year',
  'cy.met',
  'cy.professional',
  'cy.public',
  'cy.short_professional',
  'cy.short_public',
  'cy.short_total',
  'cy.not_counted',
  'cp.ready',
  'cp.application_year',
  'cp.failing_years',
  'cp.short_total as application_short',
  'cp.integrity_ends_on',
] as const

export type PeoplePage = Awaited<ReturnType<typeof listPeople>>

/** A page of people (keyset by person id), with masked ID numbers and the hours pending review. */
export async function listPeople(db: DB, scopeRegion: string, f: ComplianceFilter, opts: { after?: number; limit?: number } = {}) {
  const limit = Math.min(opts.limit ?? 50, 200)
  let q = scopedPeople(db, scopeRegion, f).select([...PERSON_COLUMNS])
  if (opts.after) q = q.where('cp.person_id', '>', opts.after)
  const rows = await q
    .orderBy('cp.person_id')
    .limit(limit + 1)
    .execute()
  const more = rows.length > limit
  const page = rows.slice(0, limit)
  const pending = await pendingHours(
    db,
    page.map((r) => Number(r.person_id)),
    f.year,
  )
  return {
    more,
    next: more ? Number(page[page.length - 1]!.person_id) : null,
    rows: page.map(({ id_number_enc, ...r }) => ({
      ...r,
      person_id: Number(r.person_id),
      idNumberMasked: maskedIdNumber(id_number_enc),
      professional: normalizeHours(r.professional),
      public: normalizeHours(r.public),
      short_professional: normalizeHours(r.short_professional),
      short_public: normalizeHours(r.short_public),
      short_total: normalizeHours(r.short_total),
      not_counted: normalizeHours(r.not_counted),
      application_short: normalizeHours(r.application_short),
      pending: pending.get(Number(r.person_id)) ?? null,
      /** Pending hours that would close the year's total gap if accepted. */
      pendingClosesGap: !r.met && closesGap(pending.get(Number(r.person_id)), r),
    })),
  }
}

/** Pending hours close a year's gap when they cover every category's shortfall and the total's. */
function closesGap(p: Pending | undefined, r: { short_professional: string; short_public: string; short_total: string }): boolean {
  if (!p) return false
  return (
    toCents(p.professional) >= toCents(normalizeHours(r.short_professional)) &&
    toCents(p.public) >= toCents(normalizeHours(r.short_public)) &&
    toCents(p.total) >= toCents(normalizeHours(r.short_total))
  )
}

/** How many people a filter selects (a campaign's preview, an export's total). */
export async function countPeople(db: DB, scopeRegion: string, f: ComplianceFilter): Promise<number> {
  const r = await scopedPeople(db, scopeRegion, f)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

export type Pending = { professional: string; public: string; total: string }

/**
 * Hours awaiting review for these people in a CE year, that would count if accepted: pending
 * external-hours claims, and open "wrong hours" roster disputes (what is claimed above what was
 * credited). One query.
 */
export async function pendingHours(db: DB, personIds: number[], year: number): Promise<Map<number, Pending>> {
  const out = new Map<number, Pending>()
  if (personIds.length === 0) return out
  const rows = await sql<{ person_id: string; category: 'professional' | 'public'; hours: string }>`
    select person_id, category, sum(hours) as hours from (
      select c.person_id, c.category, c.claimed_hours as hours from external_claims c
        where c.status = 'pending' and c.ce_year = ${year} and c.person_id = any(${personIds}::bigint[])
      union all
      select d.person_id, h.category, greatest(d.claimed_hours - h.hours, 0) from roster_disputes d
        join hour_entries h on h.id = d.entry_id
        where d.state = 'open' and d.kind = 'wrong_hours' and h.ce_year = ${year} and d.person_id = any(${personIds}::bigint[])
    ) x group by person_id, category`.execute(db)
  for (const r of rows.rows) {
    const pid = Number(r.person_id)
    const p = out.get(pid) ?? { professional: '0', public: '0', total: '0' }
    p[r.category] = normalizeHours(r.hours)
    p.total = fromCents(toCents(p.professional) + toCents(p.public))
    if (toCents(p.total) > 0) out.set(pid, p)
  }
  return out
}
