import { sql } from 'kysely'

import { isProvinceScope } from '#app/domain/shared/scope.ts'
import type { BaseStatus, DB } from '#db/schema.ts'

import { lifecycleStateOf } from './decisions.server.ts'
import { chinaDay } from './events.server.ts'
import { type BaseFacts, type DerivedStatus, statusOn } from './lifecycle.ts'

/**
 * The registry of training bases (基地名录): who is designated, in public notice (公示), in
 * rectification or revoked, with fields, region, term, status on a day and history. Public: it
 * lists only bases that reached approval (never drafts or refused applications) and never shows
 * staff, contacts or files.
 */

export type BaseRow = {
  status: BaseStatus
  notice_start: string | null
  notice_end: string | null
  term_start: string | null
  term_end: string | null
  revoked_on: string | null
  status_before_revocation: 'designated' | 'rectification' | null
}

/** The columns of `bases` that `factsOf` reads (for a caller that selects them with other data). */
export const BASE_FACT_COLUMNS = [
  'status',
  'notice_start',
  'notice_end',
  'term_start',
  'term_end',
  'revoked_on',
  'status_before_revocation',
] as const

export function factsOf(b: BaseRow): BaseFacts {
  return {
    state: lifecycleStateOf(b.status),
    noticeStart: b.notice_start,
    noticeEnd: b.notice_end,
    termStart: b.term_start,
    termEnd: b.term_end,
    revokedOn: b.revoked_on,
    stateBeforeRevocation: b.status_before_revocation,
  }
}

/**
 * The facts `statusOn` needs for one base, or null. A base created before the lifecycle (no
 * notice, no term, stored `designated`) counts as designated without a term.
 */
export async function baseFacts(db: DB, baseId: number): Promise<BaseFacts | null> {
  const b = await db.selectFrom('bases').select(BASE_FACT_COLUMNS).where('id', '=', baseId).executeTakeFirst()
  return b ? factsOf(b) : null
}

export type RegistryFilter = {
  /** Part of the name or the credit code. */
  q?: string
  region?: string
  /** The status on `on`. */
  status?: Exclude<DerivedStatus, 'not_designated'>
  /** The day the statuses are computed for; today in China by default. */
  on?: string
}

export type RegistryEntry = Awaited<ReturnType<typeof listRegistry>>[number]

/**
 * Bases for the public registry, by name: each with its region, its public profile (training
 * fields, intro, address, website, phone), capacity (from the approved application), decision
 * number, notice, term, revocation, and its status on `on`.
 */
export async function listRegistry(db: DB, filter: RegistryFilter = {}) {
  const on = filter.on ?? chinaDay()
  let q = db
    .selectFrom('bases')
    .leftJoin('base_applications as app', (j) => j.onRef('app.base_id', '=', 'bases.id').on('app.state', '=', 'approved'))
    .select([
      'bases.id',
      'bases.name',
      'bases.credit_code',
      'bases.region_code',
      'bases.status',
      'bases.decision_number',
      'bases.notice_start',
      'bases.notice_end',
      'bases.term_start',
      'bases.term_end',
      'bases.revoked_on',
      'bases.revocation_document',
      'bases.status_before_revocation',
      'bases.training_fields',
      'bases.intro',
      'bases.address',
      'bases.website',
      'bases.public_phone',
      'app.online_platform',
      'app.seats',
    ])
    .where('bases.status', 'in', ['approved', 'designated', 'rectification', 'revoked'])
    .orderBy('bases.name')
    .orderBy('bases.id')
    .orderBy('app.id', 'desc')
  if (filter.q?.trim()) {
    const like = `%${filter.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    q = q.where((eb) => eb.or([eb('bases.name', 'ilike', like), eb('bases.credit_code', 'ilike', like)]))
  }
  if (filter.region) q = q.where('bases.region_code', '=', filter.region)
  // One approved application per base is the latest (a renewal after revocation supersedes).
  const rows = await q.execute()
  const seen = new Set<number>()
  const out = []
  for (const r of rows) {
    if (seen.has(r.id)) continue
    seen.add(r.id)
    const status = statusOn(factsOf(r), on)
    if (status === 'not_designated') continue
    if (filter.status && filter.status !== status) continue
    out.push({ ...r, trainingFields: r.training_fields, statusOn: status, on })
  }
  return out
}

/** One base in the registry with its history (public: event, states, document number, reason, date), or null. */
export async function registryEntry(db: DB, baseId: number, { on }: { on?: string } = {}) {
  const base = await db
    .selectFrom('bases')
    .select(['id', 'name', 'status'])
    .where('id', '=', baseId)
    .where('status', 'in', ['approved', 'designated', 'rectification', 'revoked'])
    .executeTakeFirst()
  if (!base) return null
  const [entry] = (await listRegistry(db, { q: undefined, on })).filter((e) => e.id === baseId)
  if (!entry) return null
  return { ...entry, history: await baseHistory(db, baseId) }
}

/** A base's lifecycle history, oldest first, including the application that made it. */
export async function baseHistory(db: DB, baseId: number) {
  return db
    .selectFrom('base_status_events')
    .select(['id', 'event', 'from_state', 'to_state', 'actor_role', 'reason', 'document_number', 'at'])
    .where((eb) =>
      eb.or([
        eb('base_id', '=', baseId),
        eb('application_id', 'in', eb.selectFrom('base_applications').select('id').where('base_id', '=', baseId)),
      ]),
    )
    .where('event', 'not in', ['edit'])
    .orderBy('id')
    .execute()
}

/** Bases for an HR officer (their region; the province all), with counts of what awaits them. */
export async function basesForHr(db: DB, scopeRegion: string, { on = chinaDay() }: { on?: string } = {}) {
  let q = db
    .selectFrom('bases')
    .leftJoin('rectification_cases as c', (j) => j.onRef('c.base_id', '=', 'bases.id').on('c.outcome', 'is', null))
    .select([
      'bases.id',
      'bases.name',
      'bases.region_code',
      'bases.status',
      'bases.term_end',
      'bases.revoked_on',
      'c.id as case_id',
      'c.deadline as case_deadline',
      'c.answered_at as case_answered_at',
      sql<boolean>`c.deadline < ${on}::date`.as('case_overdue'),
      (eb) =>
        eb
          .exists(
            eb.selectFrom('base_name_changes as n').select('n.id').whereRef('n.base_id', '=', 'bases.id').where('n.state', '=', 'pending'),
          )
          .as('name_change_pending'),
    ])
    .orderBy('bases.name')
  if (!isProvinceScope(scopeRegion)) q = q.where('bases.region_code', '=', scopeRegion)
  return q.execute()
}

/**
 * What awaits an HR officer in their region (the province: everywhere), counted in one query for
 * the HR home page: applications to review, forwarded ones to decide (the province only), name
 * changes pending, open rectification cases past their deadline.
 */
export async function awaitingHr(db: DB, scopeRegion: string, { on = chinaDay() }: { on?: string } = {}) {
  const province = isProvinceScope(scopeRegion)
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('base_applications')
        .select(sql<string>`count(*) filter (where state = 'submitted')`.as('n'))
        .$if(!province, (q) => q.where('region_code', '=', scopeRegion))
        .as('to_review'),
      eb
        .selectFrom('base_applications')
        .select(sql<string>`count(*) filter (where state = 'forwarded')`.as('n'))
        .as('to_decide'),
      eb
        .selectFrom('base_name_changes as n')
        .innerJoin('bases', 'bases.id', 'n.base_id')
        .select(sql<string>`count(*)`.as('n'))
        .where('n.state', '=', 'pending')
        .$if(!province, (q) => q.where('bases.region_code', '=', scopeRegion))
        .as('name_changes'),
      eb
        .selectFrom('rectification_cases as c')
        .innerJoin('bases', 'bases.id', 'c.base_id')
        .select(sql<string>`count(*)`.as('n'))
        .where('c.outcome', 'is', null)
        .where(sql<boolean>`c.deadline < ${on}::date`)
        .$if(!province, (q) => q.where('bases.region_code', '=', scopeRegion))
        .as('overdue'),
    ])
    .executeTakeFirstOrThrow()
  return {
    toReview: Number(row.to_review),
    toDecide: province ? Number(row.to_decide) : 0,
    nameChanges: Number(row.name_changes),
    overdue: Number(row.overdue),
  }
}
