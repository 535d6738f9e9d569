import { sql } from 'kysely'

import { isProvinceScope } from '#app/domain/shared/scope.ts'
import type { ComplianceGrain, DB } from '#db/schema.ts'

import { BACKLOG_CAP, type ComplianceFilter, type Dimension } from './filter.ts'

export { type Dimension, DIMENSIONS } from './filter.ts'

/**
 * The dashboard's figures (ADR 0025), read from the roll-up counters only, at the coarsest grain
 * that answers (a few thousand rows whatever the number of people), so a page costs the same at 100,000 people as at 1,000,000.
 * Short = people − met; a rate is met / people. Every figure carries when the refresher last ran
 * and how many people it still has to look at again.
 */

const COLUMN: Record<Dimension, string> = {
  region: 'region_code',
  employer: 'employer_id',
  series: 'title_series',
  level: 'title_level',
}

export type Figures = { people: number; met: number; short: number; ready: number; notReady: number }
export type Row = Figures & { key: string; label?: string }

/**
 * The grain that answers a question with the fewest rows: region×series×level unless an employer
 * is involved, region×employer when only the employer is, all four when both are (ADR 0025).
 */
export function grainFor(f: Pick<ComplianceFilter, 'employer' | 'series' | 'level'>, dim?: Dimension): ComplianceGrain {
  const employer = Boolean(f.employer) || dim === 'employer'
  const titled = Boolean(f.series || f.level) || dim === 'series' || dim === 'level'
  return employer ? (titled ? 'full' : 're') : 'rsl'
}

function filters(scopeRegion: string, f: ComplianceFilter, grain: ComplianceGrain) {
  const parts = [sql`grain = ${grain}`]
  if (!isProvinceScope(scopeRegion)) parts.push(sql`region_code = ${scopeRegion}`)
  if (f.region) parts.push(sql`region_code = ${f.region}`)
  if (f.employer) parts.push(sql`employer_id = ${f.employer}`)
  if (f.series) parts.push(sql`title_series = ${f.series}`)
  if (f.level) parts.push(sql`title_level = ${f.level}`)
  return parts
}

function where(scopeRegion: string, f: ComplianceFilter, applicationYear: number, grain: ComplianceGrain) {
  return sql.join(
    [
      ...filters(scopeRegion, f, grain),
      sql`((metric = 'people' and year = 0) or (metric = 'met' and year = ${f.year}) or (metric = 'ready' and year = ${applicationYear}))`,
    ],
    sql` and `,
  )
}

function figures(r: { people: string | number; met: string | number; ready: string | number }): Figures {
  const people = Number(r.people)
  const met = Number(r.met)
  const ready = Number(r.ready)
  return { people, met, short: people - met, ready, notReady: people - ready }
}

const SUMS = sql`coalesce(sum(n) filter (where metric = 'people'), 0) as people,
                 coalesce(sum(n) filter (where metric = 'met'), 0) as met,
                 coalesce(sum(n) filter (where metric = 'ready'), 0) as ready`

export async function freshness(db: DB) {
  const [state, backlog] = await Promise.all([
    db.selectFrom('compliance_state').select(['refreshed_at', 'application_year']).where('id', '=', 1).executeTakeFirst(),
    sql<{ n: number }>`select count(*)::int as n from (select 1 from compliance_dirty limit ${BACKLOG_CAP + 1}) x`.execute(db),
  ])
  return {
    computedAt: state?.refreshed_at ? new Date(state.refreshed_at).toISOString() : null,
    applicationYear: state?.application_year ?? null,
    /** People whose figures are being recomputed (capped at 10,001: "more than 10,000"). */
    backlog: backlog.rows[0]?.n ?? 0,
  }
}

/** Totals for the filter (status is ignored: a figure shows met and short side by side). */
export async function summary(db: DB, scopeRegion: string, f: ComplianceFilter, applicationYear: number): Promise<Figures> {
  const r = await sql<{ people: string; met: string; ready: string }>`
    select ${SUMS} from compliance_rollups where ${where(scopeRegion, f, applicationYear, grainFor(f))}`.execute(db)
  return figures(r.rows[0] ?? { people: 0, met: 0, ready: 0 })
}

/** The same figures broken down by one dimension, largest shortfall first (employers: the top `limit`). */
export async function breakdown(db: DB, scopeRegion: string, f: ComplianceFilter, applicationYear: number, dim: Dimension, limit = 50) {
  const col = sql.ref(COLUMN[dim])
  const r = await sql<{ key: string; people: string; met: string; ready: string; name: string | null }>`
    with g as (
      select ${col}::text as key, ${SUMS} from compliance_rollups where ${where(scopeRegion, f, applicationYear, grainFor(f, dim))} group by 1)
    select g.*, ${dim === 'employer' ? sql`e.name` : sql`null::text`} as name from g
    ${dim === 'employer' ? sql`left join employers e on e.id::text = g.key` : sql``}
    where g.people > 0
    order by g.people - g.met desc, g.key limit ${limit}`.execute(db)
  return r.rows.map((x) => ({ key: x.key, label: x.name ?? undefined, ...figures(x) }))
}

/** Met share per CE year for the filter's scope: the trend chart. */
export async function trend(db: DB, scopeRegion: string, f: ComplianceFilter, years: number[]) {
  const parts = [...filters(scopeRegion, f, grainFor(f)), sql`metric = 'met'`, sql`year = any(${years}::int[])`]
  const [met, people] = await Promise.all([
    sql<{
      year: number
      met: string
    }>`select year, sum(n) as met from compliance_rollups where ${sql.join(parts, sql` and `)} group by year`.execute(db),
    summary(db, scopeRegion, f, 0),
  ])
  const byYear = new Map(met.rows.map((r) => [r.year, Number(r.met)]))
  return years.map((year) => ({ year, people: people.people, met: byYear.get(year) ?? 0 }))
}

/**
 * People with an integrity record in force when next year begins, for the filter's scope (a
 * partial index holds only them, so this is no scan of everyone).
 */
export async function withIntegrityRecord(db: DB, scopeRegion: string, f: ComplianceFilter): Promise<number> {
  let q = db
    .selectFrom('compliance_people')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('integrity_ends_on', 'is not', null)
  if (!isProvinceScope(scopeRegion)) q = q.where('region_code', '=', scopeRegion)
  if (f.region) q = q.where('region_code', '=', f.region)
  if (f.employer) q = q.where('employer_id', '=', f.employer)
  if (f.series) q = q.where('title_series', '=', f.series)
  if (f.level) q = q.where('title_level', '=', f.level)
  return Number((await q.executeTakeFirstOrThrow()).n)
}
