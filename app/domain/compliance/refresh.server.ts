import { sql, type Transaction } from 'kysely'

import type { PolicyForCheck } from '#app/domain/credit-api/credit-check.ts'
import { inForce } from '#app/domain/integrity/records.server.ts'
import { policiesInForce } from '#app/domain/policy/policy.server.ts'
import { ceYearOf } from '#app/domain/shared/ce-year.ts'
import { normalizeHours } from '#app/domain/shared/decimal.ts'
import type { ComplianceMetric, Database, DB } from '#db/schema.ts'

import { complianceYears, type PersonTotals, policyFingerprint, readiness, yearStatus } from './readiness.ts'

/**
 * The compliance refresher: the only writer of compliance_people, compliance_person_years and
 * compliance_rollups (ADR 0025). Triggers put a person's id in compliance_dirty in the same
 * transaction as whatever changed their figures (hour totals, region/employer/title, an integrity
 * record). A batch claims ids FOR UPDATE SKIP LOCKED, so an id a writer still holds (not
 * committed yet) waits for the next batch; recomputes each person with the check API's
 * evaluation (readiness.ts); stores the outcome; and applies the differences to the roll-up
 * counters — all in one transaction, so a crash loses nothing (the ids are still there).
 *
 * A new CE year or a new policy version marks everyone: the next batches rebuild the figures.
 */
const LOCK = sql`pg_try_advisory_xact_lock(hashtext('xueshi:compliance-refresh'))`

type Group = { region: string; employer: number; series: string; level: string }
const SEP = '\u0001'
/** The keys a person's count goes to, one per grain (the dropped dimensions as -1 / '*'). */
const keysOf = (metric: ComplianceMetric, year: number, g: Group) => [
  ['rsl', metric, year, g.region, -1, g.series, g.level].join(SEP),
  ['re', metric, year, g.region, g.employer, '*', '*'].join(SEP),
  ['full', metric, year, g.region, g.employer, g.series, g.level].join(SEP),
]

export type RefreshResult = { processed: number; rebuild: boolean }

export async function refreshBatch(db: DB, opts: { limit?: number; now?: Date } = {}): Promise<RefreshResult> {
  const limit = opts.limit ?? 2000
  const now = opts.now ?? new Date()
  const currentYear = ceYearOf(now)
  // Read fresh (not the 30 s cache): a new version must reach the figures on the next batch.
  const policies = (await policiesInForce(db)) as Map<number, PolicyForCheck>
  const rebuild = await markAllOnChange(db, currentYear + 1, policyFingerprint(policies))
  return db.transaction().execute(async (trx) => {
    const got = await sql<{ ok: boolean }>`select ${LOCK} as ok`.execute(trx)
    if (!got.rows[0]?.ok) return { processed: 0, rebuild }
    const claimed = await sql<{ person_id: string }>`
      delete from compliance_dirty where person_id in (
        select person_id from compliance_dirty order by person_id limit ${limit} for update skip locked)
      returning person_id`.execute(trx)
    const ids = claimed.rows.map((r) => Number(r.person_id))
    if (ids.length) await recompute(trx, ids, policies, currentYear)
    await trx.updateTable('compliance_state').set({ refreshed_at: now }).where('id', '=', 1).execute()
    return { processed: ids.length, rebuild }
  })
}

/** Drains everything waiting (tests, the seed, the bench); returns how many people were refreshed. */
export async function refreshAll(db: DB, opts: { limit?: number; now?: Date } = {}): Promise<number> {
  let total = 0
  for (;;) {
    const r = await refreshBatch(db, opts)
    total += r.processed
    if (r.processed === 0) return total
  }
}

/**
 * A new application year or policy version: marks everyone, in id order and in chunks of its own
 * statements, so no lock is held long and ledger writers (which mark in person order too) never
 * deadlock with it. Two workers doing it at once only mark twice.
 */
async function markAllOnChange(db: DB, applicationYear: number, fingerprint: string): Promise<boolean> {
  await sql`insert into compliance_state (id) values (1) on conflict (id) do nothing`.execute(db)
  const state = await db.selectFrom('compliance_state').selectAll().where('id', '=', 1).executeTakeFirstOrThrow()
  if (state.application_year === applicationYear && state.policy_fingerprint === fingerprint) return false
  for (let after = 0; ;) {
    const r = await sql<{ last: string | null }>`
      with chunk as (select id from people where id > ${after} order by id limit 10000),
      marked as (insert into compliance_dirty (person_id) select id from chunk on conflict (person_id) do nothing)
      select max(id) as last from chunk`.execute(db)
    const last = r.rows[0]?.last
    if (last === null || last === undefined) break
    after = Number(last)
  }
  await db
    .updateTable('compliance_state')
    .set({ application_year: applicationYear, policy_fingerprint: fingerprint, rebuild_started_at: new Date() })
    .where('id', '=', 1)
    .execute()
  return true
}

async function recompute(trx: Transaction<Database>, ids: number[], policies: Map<number, PolicyForCheck>, currentYear: number) {
  const years = complianceYears(policies, currentYear)
  const [people, oldPeople, oldYears, totalRows, records] = await Promise.all([
    trx
      .selectFrom('people')
      .select(['id', 'region_code', 'employer_id', 'title_series', 'title_level', 'title_year'])
      .where('id', 'in', ids)
      // Officials (HR, admins) and base-only staff accounts are not the population being overseen.
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('accounts as a')
              .select('a.id')
              .whereRef('a.person_id', '=', 'people.id')
              .where('a.role', 'in', ['hr', 'admin', 'base_staff']),
          ),
        ),
      )
      .execute(),
    trx.selectFrom('compliance_people').selectAll().where('person_id', 'in', ids).execute(),
    trx.selectFrom('compliance_person_years').select(['person_id', 'ce_year', 'met']).where('person_id', 'in', ids).execute(),
    trx
      .selectFrom('hour_totals')
      .select(['person_id', 'ce_year', 'category', 'counted_hours', 'recorded_hours'])
      .where('person_id', 'in', ids)
      .execute(),
    inForce(trx, ids, `${currentYear + 1}-01-01`),
  ])
  const deltas = new Map<string, number>()
  const bump = (metric: ComplianceMetric, year: number, g: Group, d: number) => {
    for (const k of keysOf(metric, year, g)) deltas.set(k, (deltas.get(k) ?? 0) + d)
  }
  // What each person counted for before: take it all away ...
  const oldGroup = new Map<number, Group>()
  for (const o of oldPeople) {
    const g = { region: o.region_code, employer: Number(o.employer_id), series: o.title_series, level: o.title_level }
    oldGroup.set(Number(o.person_id), g)
    bump('people', 0, g, -1)
    if (o.ready) bump('ready', o.application_year, g, -1)
  }
  for (const y of oldYears) {
    const g = oldGroup.get(Number(y.person_id))
    if (g && y.met) bump('met', y.ce_year, g, -1)
  }
  // ... and add what they count for now.
  const totals = new Map<number, PersonTotals>()
  for (const t of totalRows) {
    const pid = Number(t.person_id)
    const per = totals.get(pid) ?? new Map()
    const y = per.get(t.ce_year) ?? { counted: { professional: '0', public: '0' }, recorded: { professional: '0', public: '0' } }
    y.counted[t.category] = normalizeHours(t.counted_hours)
    y.recorded[t.category] = normalizeHours(t.recorded_hours)
    per.set(t.ce_year, y)
    totals.set(pid, per)
  }
  const computedAt = new Date()
  const cp: Record<string, unknown[]> = {
    id: [],
    region: [],
    employer: [],
    series: [],
    level: [],
    app: [],
    ready: [],
    failing: [],
    short: [],
    integrity: [],
    version: [],
  }
  const cy: Record<string, unknown[]> = { id: [], year: [], met: [], prof: [], pub: [], sp: [], spub: [], st: [], nc: [], version: [] }
  for (const p of people) {
    const pid = Number(p.id)
    const g: Group = {
      region: p.region_code ?? '',
      employer: p.employer_id === null ? 0 : Number(p.employer_id),
      series: p.title_series ?? '',
      level: p.title_level ?? '',
    }
    const per = totals.get(pid) ?? new Map()
    const r = readiness({ currentYear, titleYear: p.title_year, totals: per, policies, integrity: records.get(pid) ?? null })
    bump('people', 0, g, 1)
    if (r.ready) bump('ready', r.applicationYear, g, 1)
    cp.id!.push(pid)
    cp.region!.push(g.region)
    cp.employer!.push(g.employer)
    cp.series!.push(g.series)
    cp.level!.push(g.level)
    cp.app!.push(r.applicationYear)
    cp.ready!.push(r.ready)
    cp.failing!.push(`{${r.failingYears.join(',')}}`)
    cp.short!.push(r.shortTotal)
    cp.integrity!.push(r.integrityEndsOn)
    cp.version!.push(r.policyVersion)
    for (const year of years) {
      const s = yearStatus(year, policies.get(year)!, per.get(year))
      if (s.met) bump('met', year, g, 1)
      cy.id!.push(pid)
      cy.year!.push(year)
      cy.met!.push(s.met)
      cy.prof!.push(s.professional)
      cy.pub!.push(s.public)
      cy.sp!.push(s.shortProfessional)
      cy.spub!.push(s.shortPublic)
      cy.st!.push(s.shortTotal)
      cy.nc!.push(s.notCounted)
      cy.version!.push(s.policyVersion)
    }
  }
  await trx.deleteFrom('compliance_person_years').where('person_id', 'in', ids).execute()
  const present = people.map((p) => Number(p.id))
  const gone = ids.filter((id) => !present.includes(id))
  if (gone.length) await trx.deleteFrom('compliance_people').where('person_id', 'in', gone).execute()
  if (present.length) {
    await sql`
      insert into compliance_people (person_id, region_code, employer_id, title_series, title_level, application_year, ready,
                                     failing_years, short_total, integrity_ends_on, policy_version, computed_at)
      select u.id, u.region, u.employer, u.series, u.level, u.app, u.ready, u.failing::int[], u.short, u.integrity, u.version,
             ${computedAt.toISOString()}::timestamptz
      from unnest(${cp.id}::bigint[], ${cp.region}::text[], ${cp.employer}::bigint[], ${cp.series}::text[], ${cp.level}::text[],
        ${cp.app}::int[], ${cp.ready}::boolean[], ${cp.failing}::text[], ${cp.short}::numeric[], ${cp.integrity}::date[],
        ${cp.version}::text[]) as u(id, region, employer, series, level, app, ready, failing, short, integrity, version)
      on conflict (person_id) do update set region_code = excluded.region_code, employer_id = excluded.employer_id,
        title_series = excluded.title_series, title_level = excluded.title_level, application_year = excluded.application_year,
        ready = excluded.ready, failing_years = excluded.failing_years, short_total = excluded.short_total,
        integrity_ends_on = excluded.integrity_ends_on, policy_version = excluded.policy_version, computed_at = excluded.computed_at`.execute(
      trx,
    )
  }
  if (cy.id!.length) {
    await sql`
      insert into compliance_person_years (person_id, ce_year, met, professional, public, short_professional, short_public,
                                           short_total, not_counted, policy_version)
      select * from unnest(${cy.id}::bigint[], ${cy.year}::int[], ${cy.met}::boolean[], ${cy.prof}::numeric[], ${cy.pub}::numeric[],
        ${cy.sp}::numeric[], ${cy.spub}::numeric[], ${cy.st}::numeric[], ${cy.nc}::numeric[], ${cy.version}::text[])`.execute(trx)
  }
  const changed = [...deltas].filter(([, d]) => d !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  if (changed.length) {
    const cols = changed.map(([k]) => k.split(SEP))
    await sql`
      insert into compliance_rollups as r (grain, metric, year, region_code, employer_id, title_series, title_level, n)
      select * from unnest(${cols.map((c) => c[0])}::text[], ${cols.map((c) => c[1])}::text[], ${cols.map((c) => Number(c[2]))}::int[],
        ${cols.map((c) => c[3])}::text[], ${cols.map((c) => Number(c[4]))}::bigint[], ${cols.map((c) => c[5])}::text[],
        ${cols.map((c) => c[6])}::text[], ${changed.map(([, d]) => d)}::int[])
      on conflict (grain, metric, year, region_code, employer_id, title_series, title_level) do update set n = r.n + excluded.n`.execute(
      trx,
    )
  }
}
