import type { Transaction } from 'kysely'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { canBaseDeliver, type GateCode } from '#app/domain/bases/gate.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { promotionStopsAt, type SeminarPolicy, seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import { calendarDays, maxDeclaredHours } from '#app/domain/reports/activities.server.ts'
import { toCents } from '#app/domain/shared/decimal.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import type { Database, DB, SeminarStatus } from '#db/schema.ts'

import { planBlocks } from './blocks.ts'
import type { SeminarInput } from './plan.schema.ts'
import { OPEN, type Quota } from './quotas.ts'
import { SEAT_STATUSES } from './registration.server.ts'

/**
 * The year's seminar plan (高级研修班计划): province admins create seminars (draft), publish them,
 * and resize quotas; the public pages list and show them. Seats are held by `seminar_quotas`
 * counters (ADR 0022): the `open` pool is always capacity minus the scoped quotas, so changing a
 * quota moves seats between it and the open pool, and neither may drop below what is taken.
 */

type Trx = Transaction<Database>
export type Admin = { accountId: number }

/** 00:00 of a China calendar day, as an instant. */
const chinaMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`)
/** 24:00 of a China calendar day (the next day's 00:00). */
const chinaEndOfDay = (day: string) => new Date(chinaMidnight(day).getTime() + 24 * 3600_000)

export type CreateCode =
  | 'start_in_past'
  | 'no_policy'
  | 'too_many_days'
  | 'hours_over_limit'
  | 'host_unavailable'
  | 'quota_scope_level'
  | 'quota_duplicate'
  | 'quotas_over_capacity'
  | 'release_outside_window'

/** Which field a refusal belongs to, for the form. */
export const CREATE_FIELD: Record<CreateCode, string> = {
  start_in_past: 'startDate',
  no_policy: 'startDate',
  too_many_days: 'fullDays',
  hours_over_limit: 'declaredHours',
  host_unavailable: 'hostBaseId',
  quota_scope_level: 'quota1Scope',
  quota_duplicate: 'quota1Scope',
  quotas_over_capacity: 'capacity',
  release_outside_window: 'releaseOn',
}

function policyFor(startDate: string): SeminarPolicy | null {
  try {
    return seminarPolicyOn(startDate)
  } catch {
    return null
  }
}

/**
 * An admin adds a seminar to the plan, as a draft: host base able to deliver on its first and
 * last day (the one gate), days and declared hours within the reports policy's per-day limits,
 * quotas of the seminar's kind (provinces for a national one, 市州 for a provincial one) that
 * fit in the capacity; the open pool gets the rest. Nothing is written when refused.
 */
export async function createSeminar(
  trx: Trx,
  admin: Admin,
  input: SeminarInput,
  { today = chinaDay() }: { today?: string } = {},
): Promise<Result<{ seminarId: number }, CreateCode, { gate?: GateCode; max?: string }>> {
  if (input.startDate <= today) return err('start_in_past')
  const policy = policyFor(input.startDate)
  if (!policy) return err('no_policy')
  if (input.fullDays + input.halfDays > calendarDays(input.startDate, input.endDate)) return err('too_many_days')
  const { max } = maxDeclaredHours(input)
  if (toCents(input.declaredHours) > toCents(max)) return err('hours_over_limit', { max })
  for (const day of [input.startDate, input.endDate]) {
    const gate = await canBaseDeliver(trx, input.hostBaseId, day)
    if (!gate.ok) return err('host_unavailable', { gate: gate.code })
  }
  const kind = input.level === 'national' ? 'province:' : 'region:'
  if (input.quotas.some((q) => !q.scope.startsWith(kind))) return err('quota_scope_level')
  if (new Set(input.quotas.map((q) => q.scope)).size !== input.quotas.length) return err('quota_duplicate')
  const scoped = input.quotas.reduce((n, q) => n + q.size, 0)
  if (scoped > input.capacity) return err('quotas_over_capacity')
  if (input.releaseOn !== '' && (input.releaseOn < input.opensOn || input.releaseOn > input.closesOn)) return err('release_outside_window')

  const releaseAt = input.releaseOn === '' ? null : chinaMidnight(input.releaseOn)
  const seminar = await trx
    .insertInto('seminars')
    .values({
      level: input.level,
      host_base_id: input.hostBaseId,
      title: input.title,
      category: input.category,
      title_series: JSON.stringify(input.titleSeries),
      declared_hours: input.declaredHours,
      start_date: input.startDate,
      end_date: input.endDate,
      venue: input.venue,
      capacity: input.capacity,
      registration_opens_at: chinaMidnight(input.opensOn),
      registration_closes_at: chinaEndOfDay(input.closesOn),
      cancel_cutoff_at: chinaEndOfDay(input.cancelUntil),
      waitlist_mode: input.waitlistMode,
      offer_hours: input.offerHours === '' ? policy.defaultOfferHours : Number(input.offerHours),
      promotion_stops_at: promotionStopsAt(input.startDate, policy),
      eligibility: JSON.stringify({
        ...(input.levels.length ? { levels: input.levels } : {}),
        ...(input.series.length ? { series: input.series } : {}),
        ...(input.regions.length ? { regions: input.regions } : {}),
      }),
      status: 'draft',
      policy_version: policy.version,
      created_by: admin.accountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('seminar_quotas')
    .values([
      { seminar_id: seminar.id, scope: OPEN, size: input.capacity - scoped, release_at: null },
      ...input.quotas.map((q) => ({ seminar_id: seminar.id, scope: q.scope, size: q.size, release_at: releaseAt })),
    ])
    .execute()
  await trx
    .insertInto('seminar_blocks')
    .values(
      planBlocks(input, policy.blockTimes).map((b) => ({
        seminar_id: seminar.id,
        starts_at: b.startsAt,
        ends_at: b.endsAt,
        credit_hours: b.creditHours,
      })),
    )
    .execute()
  await audit(trx, {
    actorAccountId: admin.accountId,
    action: 'seminar.create',
    targetType: 'seminar',
    targetId: seminar.id,
    detail: { level: input.level, hostBaseId: input.hostBaseId, capacity: input.capacity, quotas: input.quotas },
  })
  return ok({ seminarId: seminar.id })
}

export type PublishCode = 'not_found' | 'not_draft' | 'host_unavailable'

/** Draft → published: the host base must still be able to deliver on the first day. */
export async function publishSeminar(trx: Trx, admin: Admin, seminarId: number): Promise<Result<object, PublishCode, { gate?: GateCode }>> {
  const s = await trx
    .selectFrom('seminars')
    .select(['id', 'status', 'host_base_id', 'start_date'])
    .where('id', '=', seminarId)
    .forUpdate()
    .executeTakeFirst()
  if (!s) return err('not_found')
  if (s.status !== 'draft') return err('not_draft')
  const gate = await canBaseDeliver(trx, s.host_base_id, s.start_date)
  if (!gate.ok) return err('host_unavailable', { gate: gate.code })
  await trx.updateTable('seminars').set({ status: 'published' }).where('id', '=', seminarId).execute()
  await audit(trx, { actorAccountId: admin.accountId, action: 'seminar.publish', targetType: 'seminar', targetId: seminarId })
  return ok()
}

export type QuotaCode = 'not_found' | 'below_taken' | 'open_below_taken' | 'quotas_over_capacity'

/**
 * Resizes one scoped quota; the open pool takes up the difference. Refused, with nothing changed,
 * when the quota would hold fewer seats than are taken in it, or the open pool would (the CHECK
 * would refuse it too: this names the reason). Serialised with promotions by the seminar's lock;
 * a published seminar whose quota grew serves its waiting line.
 */
export async function updateQuota(
  trx: Trx,
  admin: Admin,
  input: { seminarId: number; scope: string; size: number },
): Promise<Result<object, QuotaCode, { taken?: number }>> {
  const s = await trx
    .selectFrom('seminars')
    .select(['id', 'capacity', 'status'])
    .where('id', '=', input.seminarId)
    .forUpdate()
    .executeTakeFirst()
  if (!s) return err('not_found')
  const quotas = await trx
    .selectFrom('seminar_quotas')
    .select(['id', 'scope', 'size', 'taken'])
    .where('seminar_id', '=', input.seminarId)
    .orderBy('id')
    .forUpdate()
    .execute()
  const target = quotas.find((q) => q.scope === input.scope)
  const open = quotas.find((q) => q.scope === OPEN)
  if (!target || !open) return err('not_found')
  if (input.size < target.taken) return err('below_taken', { taken: target.taken })
  const scoped = quotas.filter((q) => q.scope !== OPEN).reduce((n, q) => n + (q.id === target.id ? input.size : q.size), 0)
  const openSize = s.capacity - scoped
  if (openSize < 0) return err('quotas_over_capacity')
  if (openSize < open.taken) return err('open_below_taken', { taken: open.taken })
  await trx.updateTable('seminar_quotas').set({ size: input.size }).where('id', '=', target.id).execute()
  await trx.updateTable('seminar_quotas').set({ size: openSize }).where('id', '=', open.id).execute()
  await audit(trx, {
    actorAccountId: admin.accountId,
    action: 'seminar.quota_resize',
    targetType: 'seminar',
    targetId: input.seminarId,
    detail: { scope: input.scope, from: target.size, to: input.size, open: { from: open.size, to: openSize } },
  })
  return ok()
}

export type SeminarFilter = {
  /** Part of the title. */
  q?: string
  /** Published only (the public list) or every status (the admin's plan). */
  publicOnly?: boolean
  /** Seminars whose first day is on or after this China day (the plan: this year's and next). */
  from?: string
}

function seminarsQuery(db: DB) {
  return db
    .selectFrom('seminars as s')
    .innerJoin('bases as b', 'b.id', 's.host_base_id')
    .select([
      's.id',
      's.level',
      's.title',
      's.category',
      's.title_series',
      's.declared_hours',
      's.start_date',
      's.end_date',
      's.venue',
      's.capacity',
      's.status',
      's.registration_opens_at',
      's.registration_closes_at',
      's.cancel_cutoff_at',
      's.waitlist_mode',
      's.offer_hours',
      's.eligibility',
      's.host_base_id',
      'b.name as host_name',
    ])
}

async function quotasOfSeminars(db: DB, ids: number[]): Promise<Map<number, Quota[]>> {
  const map = new Map<number, Quota[]>()
  if (ids.length === 0) return map
  const rows = await db
    .selectFrom('seminar_quotas')
    .select(['id', 'seminar_id', 'scope', 'size', 'taken', 'release_at'])
    .where('seminar_id', 'in', ids)
    .orderBy('id')
    .execute()
  for (const r of rows) {
    const list = map.get(r.seminar_id) ?? []
    list.push({ id: r.id, scope: r.scope, size: r.size, taken: r.taken, releaseAt: r.release_at })
    map.set(r.seminar_id, list)
  }
  return map
}

export type SeminarSummary = Awaited<ReturnType<typeof listSeminars>>[number]

/** Seminars by first day, each with its quotas and seats taken (the public list and the admin's plan). */
export async function listSeminars(db: DB, filter: SeminarFilter = {}) {
  let q = seminarsQuery(db).orderBy('s.start_date').orderBy('s.id')
  if (filter.publicOnly) q = q.where('s.status', '=', 'published')
  if (filter.q) q = q.where('s.title', 'ilike', `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
  if (filter.from) q = q.where('s.start_date', '>=', filter.from)
  const rows = await q.execute()
  const quotas = await quotasOfSeminars(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => {
    const own = quotas.get(r.id) ?? []
    return { ...r, quotas: own, taken: own.reduce((n, x) => n + x.taken, 0) }
  })
}

/** One seminar with its quotas; a draft (or a cancelled one) does not exist for the public. */
export async function seminarDetail(db: DB, seminarId: number, { publicOnly = true }: { publicOnly?: boolean } = {}) {
  let q = seminarsQuery(db).where('s.id', '=', seminarId)
  if (publicOnly) q = q.where('s.status', 'in', ['published', 'finished'] satisfies SeminarStatus[])
  const row = await q.executeTakeFirst()
  if (!row) return null
  const quotas = (await quotasOfSeminars(db, [seminarId])).get(seminarId) ?? []
  return { ...row, quotas, taken: quotas.reduce((n, x) => n + x.taken, 0) }
}

/** Bases an admin may pick as host (designated or in rectification today); the gate decides again on the dates. */
export async function hostBaseOptions(db: DB) {
  return db.selectFrom('bases').select(['id', 'name']).where('status', 'in', ['designated', 'rectification']).orderBy('name').execute()
}

/** A learner's registrations (newest first), with the seminar, the waitlist position and an offer's deadline. */
export async function registrationsOfPerson(db: DB, personId: number) {
  return db
    .selectFrom('seminar_registrations as r')
    .innerJoin('seminars as s', 's.id', 'r.seminar_id')
    .select((eb) => [
      'r.id',
      'r.seminar_id',
      'r.status',
      'r.offer_expires_at',
      'r.created_at',
      's.title',
      's.level',
      's.start_date',
      's.end_date',
      's.venue',
      's.cancel_cutoff_at',
      eb
        .selectFrom('seminar_registrations as o')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('o.seminar_id', '=', 'r.seminar_id')
        .where('o.status', '=', 'waitlisted')
        .whereRef('o.waitlist_seq', '<=', 'r.waitlist_seq')
        .as('ahead'),
    ])
    .where('r.person_id', '=', personId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .execute()
    .then((rows) => rows.map(({ ahead, ...r }) => ({ ...r, position: r.status === 'waitlisted' ? Number(ahead) : null })))
}

/** Whether a registration status holds a seat. */
export const holdsSeat = (status: string) => (SEAT_STATUSES as readonly string[]).includes(status)

/** The person's latest registration for one seminar (live or ended), with their waitlist position. */
export async function registrationOnSeminar(db: DB, personId: number, seminarId: number) {
  const rows = await registrationsOfPerson(db, personId)
  return rows.find((r) => r.seminar_id === seminarId) ?? null
}

/** A seminar's half-day blocks in order (the unit of check-in, attendance and hours). */
export async function blocksOfSeminar(db: DB, seminarId: number) {
  return db
    .selectFrom('seminar_blocks')
    .select(['id', 'starts_at', 'ends_at', 'credit_hours'])
    .where('seminar_id', '=', seminarId)
    .orderBy('starts_at')
    .orderBy('id')
    .execute()
}
