import { type Counted, evaluateCheck, evaluateYear, governingPolicy, type PolicyForCheck } from '#app/domain/credit-api/credit-check.ts'
import { inForce } from '#app/domain/integrity/records.server.ts'
import { cachedPolicies } from '#app/domain/policy/cache.server.ts'
import { fromCents, toCents } from '#app/domain/shared/decimal.ts'
import type { DB } from '#db/schema.ts'

import { ceYearOf, entriesForYear, totalsByYear, type YearTotals } from './ledger.server.ts'

/**
 * 我的学时: a person's hours for one CE year against that year's policy, every record of the
 * year with whether it counted (and why not), the other years at a glance, and what a title
 * application next year would be told.
 */
export async function hoursOverview(db: DB, personId: number, year: number, now = new Date()) {
  const currentYear = ceYearOf(now)
  const [totals, policies, entries, person, integrity] = await Promise.all([
    totalsByYear(db, personId),
    cachedPolicies(db),
    entriesForYear(db, personId, year),
    db.selectFrom('people').select(['title_year']).where('id', '=', personId).executeTakeFirstOrThrow(),
    // An integrity record still in force when next year begins refuses next year's application (until it ends).
    inForce(db, [personId], `${currentYear + 1}-01-01`),
  ])
  const firstYear = Math.min(...[...policies.keys()], ...totals.keys())
  const counted = new Map<number, Counted>([...totals].map(([y, t]) => [y, { professional: t.professional, public: t.public }]))
  const years = []
  for (let y = currentYear; y >= firstYear; y--) {
    const p = policies.get(y)
    if (p) years.push({ ...evaluateYear(y, p as PolicyForCheck, counted.get(y)), recorded: totals.get(y) ?? null })
  }
  const policy = policies.get(year)
  const recorded = totals.get(year) ?? null
  const selected = policy
    ? { ...evaluateYear(year, policy as PolicyForCheck, counted.get(year)), recorded, notCounted: notCountedHours(recorded) }
    : null
  const nextApplication = evaluateCheck({
    applicationYear: currentYear + 1,
    currentTitleYear: person.title_year,
    totals: counted,
    policies: policies as Map<number, PolicyForCheck>,
    integrity: integrity.get(personId) ?? null,
  })
  return { year, currentYear, years, selected, entries, nextApplication, policyVersion: policy?.version ?? null }
}

/** A ledger entry as pages show it (serialisable; the evidence title only). */
export type LedgerRow = ReturnType<typeof toLedgerRows>[number]

export function toLedgerRows(entries: Awaited<ReturnType<typeof entriesForYear>>) {
  return entries.map((e) => ({
    id: e.id,
    category: e.category,
    hours: e.hours,
    sourceKind: e.source_kind,
    title: typeof e.evidence.title === 'string' ? e.evidence.title : null,
    counted: e.counted,
    notCountedReason: e.not_counted_reason,
    reversesId: e.reverses_id,
    reversedBy: e.reversed_by,
    reason: e.reason,
    occurredAt: new Date(e.occurred_at).toISOString(),
  }))
}

/** This CE year's requirement and online conversion, for texts that state them. */
export async function currentRules(db: DB, now = new Date()) {
  const policies = await cachedPolicies(db)
  const year = ceYearOf(now)
  const p = policies.get(year) ?? governingPolicy(policies, year)
  if (!p) return null
  return { year, version: p.version, ...p.requirement, minutesPerHour: p.conversion.onlineMinutesPerHour }
}

/** Hours recorded in a year that do not count toward its requirement (exact decimals). */
function notCountedHours(t: YearTotals | null): string {
  if (!t) return '0'
  return fromCents(toCents(t.recordedProfessional) + toCents(t.recordedPublic) - toCents(t.professional) - toCents(t.public))
}
