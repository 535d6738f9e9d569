import { sql, type Transaction } from 'kysely'
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres'

import { deliveryVerdict, type GateCode } from '#app/domain/bases/gate.server.ts'
import { BASE_FACT_COLUMNS, factsOf } from '#app/domain/bases/registry.server.ts'
import { seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import { type Err, err, type Ok, ok, type Result } from '#app/domain/shared/result.ts'
import { decryptPii } from '#app/lib/crypto.server.ts'
import { enqueue } from '#app/lib/queue.server.ts'
import type { Database, DB, SeminarRegistrationStatus } from '#db/schema.ts'

import { type EligibilitySeminar, type Ineligibility, ineligibility, type WindowProblem, windowProblem } from './eligibility.ts'
import { drawOrder, homeQuota, newcomerCandidates, nextPromotion, type Quota, seatsLeft } from './quotas.ts'

/**
 * Seminar registration (高级研修班报名): register, cancel, the waitlist and its offers. Seats are held
 * by the database: a seat is taken by a conditional `UPDATE seminar_quotas SET taken = taken + 1
 * WHERE id = $q AND taken < size` in the transaction that writes the registration, so two
 * transactions can never both take the last seat (the second one's UPDATE re-reads the row after
 * the first commits and matches nothing), and `CHECK (taken <= size)` stops any other writer.
 *
 * Statuses: `confirmed`, `pending_approval` and `offered` hold a seat (`quota_id` set);
 * `waitlisted` holds a place in line (`waitlist_seq`, arrival order); `cancelled`, `declined`,
 * `expired` and `rejected` (HR said no, approval.server.ts) are final, so a person who left is never promoted (a new click is a new registration
 * at the end of the line). Every change appends a `seminar_registration_events` row and an in-app
 * notice to the person (dedupe key per event).
 */

type Trx = Transaction<Database>

/** Who acts: the learner's person and account. */
export type Registrant = { personId: number; accountId: number }

export const LIVE_STATUSES = ['confirmed', 'waitlisted', 'offered', 'pending_approval'] as const satisfies SeminarRegistrationStatus[]
export const SEAT_STATUSES = ['confirmed', 'offered', 'pending_approval'] as const satisfies SeminarRegistrationStatus[]
const holdsSeat = (s: SeminarRegistrationStatus) => (SEAT_STATUSES as readonly string[]).includes(s)

// Namespace of the per-person advisory lock: one registration at a time per person, so a double
// click, two tabs or two seminars at once cannot slip past the one-live-registration and
// one-national-seminar-a-year rules.
const LOCK_NAMESPACE = 0x5853_534d // 'XSSM'

async function loadQuotas(db: DB, seminarId: number): Promise<Quota[]> {
  const rows = await db
    .selectFrom('seminar_quotas')
    .select(['id', 'scope', 'size', 'taken', 'release_at'])
    .where('seminar_id', '=', seminarId)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({ id: r.id, scope: r.scope, size: r.size, taken: r.taken, releaseAt: r.release_at }))
}

/** Takes one seat of a quota if one is left; false when another transaction took the last one. */
async function takeSeat(db: DB, quotaId: number): Promise<boolean> {
  const row = await db
    .updateTable('seminar_quotas')
    .set((eb) => ({ taken: eb('taken', '+', 1) }))
    .where('id', '=', quotaId)
    .whereRef('taken', '<', 'size')
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

async function freeSeat(db: DB, quotaId: number): Promise<void> {
  await db
    .updateTable('seminar_quotas')
    .set((eb) => ({ taken: eb('taken', '-', 1) }))
    .where('id', '=', quotaId)
    .execute()
}

const NOTICE_KIND: Record<SeminarRegistrationStatus, string> = {
  confirmed: 'seminar_confirmed',
  waitlisted: 'seminar_waitlisted',
  offered: 'seminar_offered',
  pending_approval: 'seminar_pending_approval',
  cancelled: 'seminar_cancelled',
  declined: 'seminar_declined',
  expired: 'seminar_offer_expired',
  rejected: 'seminar_rejected',
}

/** The history row and the person's notice for one status change. */
export async function recordChange(
  db: DB,
  change: {
    registrationId: number
    personId: number
    seminar: { id: number; title: string }
    from: SeminarRegistrationStatus | null
    to: SeminarRegistrationStatus
    reason: string
    actorAccountId: number | null
    quotaId: number | null
    params?: Record<string, unknown>
  },
): Promise<void> {
  const event = await db
    .insertInto('seminar_registration_events')
    .values({
      registration_id: change.registrationId,
      from_status: change.from,
      to_status: change.to,
      reason: change.reason,
      actor_account_id: change.actorAccountId,
      quota_id: change.quotaId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('notices')
    .values({
      person_id: change.personId,
      kind: NOTICE_KIND[change.to],
      dedupe_key: `seminar-registration-event:${event.id}`,
      params: JSON.stringify({
        seminarId: change.seminar.id,
        title: change.seminar.title,
        registrationId: change.registrationId,
        ...change.params,
      }),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute()
}

/** 1-based place in the seminar's waiting line, or null when the registration is not waitlisted. */
export async function waitlistPosition(db: DB, registrationId: number): Promise<number | null> {
  const row = await db
    .selectFrom('seminar_registrations as r')
    .select((eb) =>
      eb
        .selectFrom('seminar_registrations as o')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('o.seminar_id', '=', 'r.seminar_id')
        .where('o.status', '=', 'waitlisted')
        .whereRef('o.waitlist_seq', '<=', 'r.waitlist_seq')
        .as('position'),
    )
    .where('r.id', '=', registrationId)
    .where('r.status', '=', 'waitlisted')
    .executeTakeFirst()
  return row?.position == null ? null : Number(row.position)
}

/**
 * Every reason the person may not register now, for the page to show before anyone clicks (the
 * window, the host base, eligibility). Empty: the button may be pressed. `register` decides again.
 */
export async function registrationBlockers(db: DB, personId: number, seminarId: number, now: Date) {
  const ctx = await registerContext(db, personId, seminarId, null)
  if (!ctx || ctx.seminar.status === 'draft') return { window: 'not_published' as const, host: null, reasons: [] }
  const { seminar } = ctx
  const window = windowProblem(
    { status: seminar.status, registrationOpensAt: seminar.registration_opens_at, registrationClosesAt: seminar.registration_closes_at },
    now,
  )
  const gate = deliveryVerdict(ctx.base, seminar.start_date)
  const reasons = ineligibility(ctx.facts, toEligibilitySeminar(seminar), ctx.live, seminarPolicyOn(seminar.start_date))
  return { window, host: gate.ok ? null : gate.code, reasons }
}

function toEligibilitySeminar(s: {
  id: number
  level: EligibilitySeminar['level']
  start_date: string
  end_date: string
  eligibility: EligibilitySeminar['eligibility']
}): EligibilitySeminar {
  return { id: s.id, level: s.level, startDate: s.start_date, endDate: s.end_date, eligibility: s.eligibility }
}

export type RegisterCode = 'not_found' | WindowProblem | 'host_unavailable' | 'already_registered' | 'ineligible' | 'key_reused'

export type Registered = { registrationId: number; status: SeminarRegistrationStatus; position: number | null; repeated: boolean }

export type RegisterResult =
  | Ok<Registered>
  | Err<Exclude<RegisterCode, 'ineligible' | 'host_unavailable'>>
  | Err<'ineligible', { reasons: Ineligibility[] }>
  | Err<'host_unavailable', { gate: GateCode }>

/**
 * A learner presses "register". Idempotent by `idempotencyKey` (one per click, chosen by the
 * page): the same key again returns the registration it made, as it stands now. Refused, with
 * nothing written, outside the window, when the host base may not deliver on the first day, for
 * a person already registered, or an ineligible one (with every reason).
 *
 * A seat comes from the person's own quota, then the open pool, then released quotas, but never
 * from a pool someone already waiting could use (they are ahead); without one the person joins
 * the waitlist at the end (arrival order).
 */
export async function register(
  trx: Trx,
  person: Registrant,
  seminarId: number,
  idempotencyKey: string,
  now: Date,
): Promise<RegisterResult> {
  // Round trips are the cost of a burst (2,000 people for 70 seats): after the person's lock, one
  // statement reads everything the decision needs, one takes the seat, one writes the registration
  // with its history row and notice.
  await sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}::int, ${person.personId}::int)`.execute(trx)
  const ctx = await registerContext(trx, person.personId, seminarId, idempotencyKey)

  const previous = ctx?.previous ?? (ctx ? null : await registrationByKey(trx, idempotencyKey))
  if (previous) {
    if (previous.person_id !== person.personId || previous.seminar_id !== seminarId) return err('key_reused')
    return ok({
      registrationId: previous.id,
      status: previous.status,
      position: await waitlistPosition(trx, previous.id),
      repeated: true,
    })
  }
  if (!ctx || ctx.seminar.status === 'draft') return err('not_found')
  const { seminar, facts, quotas } = ctx
  const window = windowProblem(
    { status: seminar.status, registrationOpensAt: seminar.registration_opens_at, registrationClosesAt: seminar.registration_closes_at },
    now,
  )
  if (window) return err(window)
  const gate = deliveryVerdict(ctx.base, seminar.start_date)
  if (!gate.ok) return err('host_unavailable', { gate: gate.code })

  const reasons = ineligibility(facts, toEligibilitySeminar(seminar), ctx.live, seminarPolicyOn(seminar.start_date))
  if (reasons.includes('already_registered')) return err('already_registered')
  if (reasons.length > 0) return err('ineligible', { reasons })

  const home = homeQuota(quotas, seminar.level, facts)
  // When no pool this person could draw from has a seat left (a full seminar: most of a burst),
  // there is nothing to hold back for the line, so the line is not read (newcomerCandidates drops
  // full quotas anyway).
  const anySeatLeft = drawOrder(quotas, home?.id ?? null, now).some((q) => seatsLeft(q) > 0)
  const waiting = !anySeatLeft
    ? []
    : await trx
        .selectFrom('seminar_registrations')
        .select('home_quota_id')
        .distinct()
        .where('seminar_id', '=', seminarId)
        .where('status', '=', 'waitlisted')
        .execute()
  const candidates = newcomerCandidates(
    quotas,
    home?.id ?? null,
    waiting.map((w) => ({ homeQuotaId: w.home_quota_id })),
    now,
  )
  let seat: number | null = null
  for (const q of candidates) {
    if (await takeSeat(trx, q.id)) {
      seat = q.id
      break
    }
  }

  const status: SeminarRegistrationStatus = seat === null ? 'waitlisted' : seminar.approval_required ? 'pending_approval' : 'confirmed'
  const approvalDue = status === 'pending_approval' ? approvalDueAt(seminar, now) : null
  // The registration, its first history row, the person's notice and their place in line, in one
  // statement (the count cannot see the new row, so it counts those ahead and adds one).
  const written = await sql<{ id: string; position: string | null }>`
    with reg as (
      insert into seminar_registrations
        (seminar_id, person_id, status, quota_id, home_quota_id, approval_due_at, idempotency_key, created_at, updated_at)
      values (${seminarId}, ${person.personId}, ${status}, ${seat}, ${home?.id ?? null}, ${approvalDue}, ${idempotencyKey}, ${now}, ${now})
      returning id, waitlist_seq
    ), ev as (
      insert into seminar_registration_events (registration_id, from_status, to_status, reason, actor_account_id, quota_id)
      select reg.id, null, ${status}, 'register', ${person.accountId}, ${seat} from reg
      returning id
    ), pos as (
      select case when ${status} = 'waitlisted' then
        (select count(*) from seminar_registrations o
          where o.seminar_id = ${seminarId} and o.status = 'waitlisted' and o.waitlist_seq < reg.waitlist_seq) + 1
      end as position
      from reg
    ), note as (
      insert into notices (person_id, kind, dedupe_key, params)
      select ${person.personId}, ${NOTICE_KIND[status]}, 'seminar-registration-event:' || ev.id,
        jsonb_build_object('seminarId', ${seminarId}::bigint, 'title', ${seminar.title}::text, 'registrationId', reg.id)
          || case when pos.position is null then '{}'::jsonb else jsonb_build_object('position', pos.position) end
      from ev, reg, pos
      on conflict (dedupe_key) do nothing
    )
    select reg.id, pos.position from reg, pos`.execute(trx)
  const row = written.rows[0]!
  const registrationId = Number(row.id)
  const position = row.position === null ? null : Number(row.position)
  if (approvalDue) await scheduleApprovalDeadline(trx, seminarId, approvalDue)
  // Seats free but held back for people already waiting (a seat freed while its promotion was
  // in flight): make sure a promotion runs, so the line is served rather than stuck.
  if (seat === null && drawOrder(quotas, home?.id ?? null, now).some((q) => seatsLeft(q) > 0 && !candidates.includes(q)))
    await enqueue(trx, 'seminar.promote', { seminarId })
  return ok({ registrationId, status, position, repeated: false })
}

function registrationByKey(db: DB, idempotencyKey: string) {
  return db
    .selectFrom('seminar_registrations')
    .select(['id', 'seminar_id', 'person_id', 'status'])
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst()
}

/**
 * Everything `register` decides on, in one statement: the registration an earlier click with this
 * key made, the seminar, its host base's facts (for the delivery gate), its quotas, the person's
 * verified facts (the resident ID only as its province) and their live registrations. Null when
 * there is no such seminar. Without a key (the page asking what stands in the way), no previous.
 */
async function registerContext(db: DB, personId: number, seminarId: number, idempotencyKey: string | null) {
  const row = await db
    .selectFrom('seminars as s')
    .innerJoin('bases as b', 'b.id', 's.host_base_id')
    .innerJoin('people as p', (j) => j.on('p.id', '=', personId))
    .select((eb) => [
      's.id',
      's.title',
      's.level',
      's.status',
      's.start_date',
      's.end_date',
      's.registration_opens_at',
      's.registration_closes_at',
      's.approval_required',
      's.eligibility',
      'b.status as base_status',
      ...BASE_FACT_COLUMNS.filter((c) => c !== 'status').map((c) => `b.${c}` as const),
      'p.id_number_enc',
      'p.region_code',
      'p.title_series',
      'p.title_level',
      jsonObjectFrom(
        eb
          .selectFrom('seminar_registrations as k')
          .select(['k.id', 'k.seminar_id', 'k.person_id', 'k.status'])
          .where('k.idempotency_key', '=', idempotencyKey ?? '')
          .where(sql<boolean>`${idempotencyKey !== null}`),
      ).as('previous'),
      jsonArrayFrom(
        eb
          .selectFrom('seminar_quotas as q')
          .select(['q.id', 'q.scope', 'q.size', 'q.taken', 'q.release_at'])
          .whereRef('q.seminar_id', '=', 's.id')
          .orderBy('q.id'),
      ).as('quotas'),
      jsonArrayFrom(
        eb
          .selectFrom('seminar_registrations as r')
          .innerJoin('seminars as rs', 'rs.id', 'r.seminar_id')
          .select(['r.seminar_id', 'rs.level', 'rs.start_date', 'rs.end_date'])
          .where('r.person_id', '=', personId)
          .where('r.status', 'in', LIVE_STATUSES),
      ).as('live'),
    ])
    .where('s.id', '=', seminarId)
    .executeTakeFirst()
  if (!row) return null
  const seminar = {
    id: row.id,
    title: row.title,
    level: row.level,
    status: row.status,
    start_date: row.start_date,
    end_date: row.end_date,
    registration_opens_at: row.registration_opens_at,
    registration_closes_at: row.registration_closes_at,
    approval_required: row.approval_required,
    eligibility: row.eligibility,
  }
  return {
    previous: row.previous,
    seminar,
    base: factsOf({
      status: row.base_status,
      notice_start: row.notice_start,
      notice_end: row.notice_end,
      term_start: row.term_start,
      term_end: row.term_end,
      revoked_on: row.revoked_on,
      status_before_revocation: row.status_before_revocation,
    }),
    facts: {
      idProvince: decryptPii(row.id_number_enc).slice(0, 2),
      regionCode: row.region_code,
      titleSeries: row.title_series,
      titleLevel: row.title_level,
    },
    // JSON carries timestamps as text: back to instants.
    quotas: row.quotas.map((q) => ({
      id: q.id,
      scope: q.scope,
      size: q.size,
      taken: q.taken,
      releaseAt: q.release_at ? new Date(q.release_at) : null,
    })),
    live: row.live.map((r) => ({ seminarId: r.seminar_id, level: r.level, startDate: r.start_date, endDate: r.end_date })),
  }
}

/** When HR must have decided a registration that needs approval (policy `approvalDays` after it started waiting). */
export function approvalDueAt(seminar: { start_date: string }, now: Date): Date {
  return new Date(now.getTime() + seminarPolicyOn(seminar.start_date).approvalDays * 24 * 3600_000)
}

/**
 * A registration started waiting for HR: the deadline job goes into the outbox with it, delayed
 * until the due time, so an unanswered request is confirmed on time (the daily run sweeps again
 * in case the delayed job is lost).
 */
async function scheduleApprovalDeadline(trx: Trx, seminarId: number, dueAt: Date): Promise<void> {
  await enqueue(trx, 'seminar.approval_deadline', { seminarId, at: dueAt.toISOString() })
}

/** Locks one of the person's registrations with its seminar (null when it is not theirs). */
async function lockOwn(trx: Trx, person: Registrant, registrationId: number) {
  const reg = await trx
    .selectFrom('seminar_registrations')
    .select(['id', 'seminar_id', 'person_id', 'status', 'quota_id', 'offer_expires_at'])
    .where('id', '=', registrationId)
    .where('person_id', '=', person.personId)
    .forUpdate()
    .executeTakeFirst()
  if (!reg) return null
  const seminar = await trx.selectFrom('seminars').selectAll().where('id', '=', reg.seminar_id).executeTakeFirstOrThrow()
  return { reg, seminar }
}

/**
 * Moves a seat-holding registration to a final status, freeing its seat, and asks for a promotion.
 * `reason`: what the history row records (by default the target status, or `offer_expired`).
 */
export async function release(
  trx: Trx,
  reg: { id: number; seminar_id: number; person_id: number; status: SeminarRegistrationStatus; quota_id: number | null },
  seminar: { id: number; title: string },
  to: 'cancelled' | 'declined' | 'expired' | 'rejected',
  actorAccountId: number | null,
  now: Date,
  { reason, params }: { reason?: string; params?: Record<string, unknown> } = {},
) {
  await trx
    .updateTable('seminar_registrations')
    .set({ status: to, quota_id: null, offer_expires_at: null, approval_due_at: null, updated_at: now })
    .where('id', '=', reg.id)
    .execute()
  if (reg.quota_id !== null) {
    await freeSeat(trx, reg.quota_id)
    await enqueue(trx, 'seminar.promote', { seminarId: reg.seminar_id })
  }
  await recordChange(trx, {
    registrationId: reg.id,
    personId: reg.person_id,
    seminar,
    from: reg.status,
    to,
    reason: reason ?? (to === 'expired' ? 'offer_expired' : to),
    actorAccountId,
    quotaId: reg.quota_id,
    ...(params ? { params } : {}),
  })
}

export type CancelCode = 'not_found' | 'not_live' | 'cutoff_passed'

/**
 * The learner cancels (or leaves the waitlist). A seat may be given back until the seminar's
 * cancellation cutoff; a place in line may be left at any time. The seat is freed in this
 * transaction and `seminar.promote` goes into the outbox with it.
 */
export async function cancel(trx: Trx, person: Registrant, registrationId: number, now: Date): Promise<Result<object, CancelCode>> {
  const own = await lockOwn(trx, person, registrationId)
  if (!own) return err('not_found')
  const { reg, seminar } = own
  if (!(LIVE_STATUSES as readonly string[]).includes(reg.status)) return err('not_live')
  if (holdsSeat(reg.status) && now.getTime() >= seminar.cancel_cutoff_at.getTime()) return err('cutoff_passed')
  await release(trx, reg, seminar, 'cancelled', person.accountId, now)
  return ok()
}

export type OfferCode = 'not_found' | 'not_offered' | 'offer_expired'

/** The learner takes the seat they were offered, before the offer expires. */
export async function acceptOffer(trx: Trx, person: Registrant, registrationId: number, now: Date): Promise<Result<object, OfferCode>> {
  const own = await lockOwn(trx, person, registrationId)
  if (!own) return err('not_found')
  const { reg, seminar } = own
  if (reg.status !== 'offered') return err('not_offered')
  if (reg.offer_expires_at === null || now.getTime() >= reg.offer_expires_at.getTime()) return err('offer_expired')
  const to: SeminarRegistrationStatus = seminar.approval_required ? 'pending_approval' : 'confirmed'
  const dueAt = to === 'pending_approval' ? approvalDueAt(seminar, now) : null
  await trx
    .updateTable('seminar_registrations')
    .set({ status: to, offer_expires_at: null, approval_due_at: dueAt, updated_at: now })
    .where('id', '=', reg.id)
    .execute()
  if (dueAt) await scheduleApprovalDeadline(trx, seminar.id, dueAt)
  await recordChange(trx, {
    registrationId: reg.id,
    personId: reg.person_id,
    seminar,
    from: 'offered',
    to,
    reason: 'offer_accepted',
    actorAccountId: person.accountId,
    quotaId: reg.quota_id,
  })
  return ok()
}

/** The learner turns the offer down: the seat goes to the next person, and this one is out for good. */
export async function declineOffer(trx: Trx, person: Registrant, registrationId: number, now: Date): Promise<Result<object, OfferCode>> {
  const own = await lockOwn(trx, person, registrationId)
  if (!own) return err('not_found')
  const { reg, seminar } = own
  if (reg.status !== 'offered') return err('not_offered')
  await release(trx, reg, seminar, 'declined', person.accountId, now)
  return ok()
}

/**
 * Fills a seminar's free seats from its waitlist (the `seminar.promote` job). Serialised per
 * seminar by the seminar row's lock, so concurrent runs serve each seat once and in order: the
 * earliest waiting person who can use a seat with room (their own quota, the open pool, a
 * released quota) gets it, confirmed at once in auto mode, or offered for `offer_hours` in offer
 * mode (with a delayed `seminar.expire_offers`). Nothing after `promotion_stops_at`, nor for a
 * seminar that is not published.
 */
export async function promote(db: DB, seminarId: number, now: Date): Promise<{ promoted: number[]; stopped: boolean }> {
  return db.transaction().execute(async (trx) => {
    const seminar = await trx.selectFrom('seminars').selectAll().where('id', '=', seminarId).forUpdate().executeTakeFirst()
    if (!seminar || seminar.status !== 'published') return { promoted: [], stopped: true }
    if (now.getTime() >= seminar.promotion_stops_at.getTime()) return { promoted: [], stopped: true }

    let quotas = await loadQuotas(trx, seminarId)
    let waiting = await trx
      .selectFrom('seminar_registrations')
      .select(['id', 'person_id', 'home_quota_id'])
      .where('seminar_id', '=', seminarId)
      .where('status', '=', 'waitlisted')
      .orderBy('waitlist_seq')
      .execute()
      .then((rows) => rows.map((r) => ({ id: r.id, personId: r.person_id, homeQuotaId: r.home_quota_id })))
    const promoted: number[] = []
    for (;;) {
      const next = nextPromotion(quotas, waiting, now)
      if (!next) break
      const { waiter, quota } = next
      // The person may be leaving the line right now: lock them, and skip them if they left.
      const still = await trx
        .selectFrom('seminar_registrations')
        .select('id')
        .where('id', '=', waiter.id)
        .where('status', '=', 'waitlisted')
        .forUpdate()
        .executeTakeFirst()
      if (!still) {
        waiting = waiting.filter((w) => w.id !== waiter.id)
        continue
      }
      if (!(await takeSeat(trx, quota.id))) {
        // A newcomer of that quota took it (allowed when nobody waiting could use it): look again.
        quotas = await loadQuotas(trx, seminarId)
        continue
      }
      quotas = quotas.map((q) => (q.id === quota.id ? { ...q, taken: q.taken + 1 } : q))
      waiting = waiting.filter((w) => w.id !== waiter.id)

      const offer = seminar.waitlist_mode === 'offer'
      const to: SeminarRegistrationStatus = offer ? 'offered' : seminar.approval_required ? 'pending_approval' : 'confirmed'
      const expiresAt = offer ? new Date(now.getTime() + seminar.offer_hours * 3600_000) : null
      const dueAt = to === 'pending_approval' ? approvalDueAt(seminar, now) : null
      await trx
        .updateTable('seminar_registrations')
        .set({ status: to, quota_id: quota.id, offer_expires_at: expiresAt, approval_due_at: dueAt, updated_at: now })
        .where('id', '=', waiter.id)
        .execute()
      if (dueAt) await scheduleApprovalDeadline(trx, seminarId, dueAt)
      await recordChange(trx, {
        registrationId: waiter.id,
        personId: waiter.personId,
        seminar,
        from: 'waitlisted',
        to,
        reason: 'promoted',
        actorAccountId: null,
        quotaId: quota.id,
        params: expiresAt ? { offerExpiresAt: expiresAt.toISOString() } : {},
      })
      if (expiresAt) await enqueue(trx, 'seminar.expire_offers', { seminarId, at: expiresAt.toISOString() })
      promoted.push(waiter.id)
    }
    return { promoted, stopped: false }
  })
}

/**
 * Ends every offer that ran out (of one seminar, or all), freeing their seats, then promotes the
 * next people. Offers are locked with SKIP LOCKED, so a learner accepting at this moment is never
 * waited on (their acceptance then finds the offer still theirs or refuses it as expired).
 */
export async function expireOffers(db: DB, now: Date, seminarId?: number): Promise<{ expired: number[]; promoted: number[] }> {
  const expired = await db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('seminar_registrations')
      .select(['id', 'seminar_id', 'person_id', 'status', 'quota_id'])
      .where('status', '=', 'offered')
      .where('offer_expires_at', '<=', now)
      .orderBy('id')
      .forUpdate()
      .skipLocked()
    if (seminarId !== undefined) q = q.where('seminar_id', '=', seminarId)
    const due = await q.execute()
    for (const reg of due) {
      const seminar = await trx.selectFrom('seminars').select(['id', 'title']).where('id', '=', reg.seminar_id).executeTakeFirstOrThrow()
      await release(trx, reg, seminar, 'expired', null, now)
    }
    return due
  })
  const seminars = new Set(expired.map((r) => r.seminar_id))
  if (seminarId !== undefined) seminars.add(seminarId)
  const promoted: number[] = []
  for (const id of [...seminars].sort((a, b) => a - b)) promoted.push(...(await promote(db, id, now)).promoted)
  return { expired: expired.map((r) => r.id), promoted }
}
