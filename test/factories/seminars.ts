import { chinaDay } from '#app/domain/bases/events.server.ts'
import { addDays } from '#app/domain/bases/lifecycle.ts'
import { promotionStopsAt, seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import { planBlocks } from '#app/domain/seminars/blocks.ts'
import type { Registrant } from '#app/domain/seminars/registration.server.ts'
import { parseIdNumber } from '#app/domain/shared/id-number.ts'
import { encryptPii, lookupHash } from '#app/lib/crypto.server.ts'
import type { DB } from '#app/lib/db.server.ts'
import type { SeminarEligibility, SeminarLevel, WaitlistMode } from '#db/schema.ts'

import { createBase, createStaff, makeIdNumber, makePhone } from './people.ts'

const HOUR = 3600_000
let seq = 0

/**
 * A learner with a resident ID of `area` (its first two digits decide their province quota),
 * written straight to the tables: dozens are needed at once and the registration form's argon2
 * hash would dominate the test's time. The password hash is a placeholder (never logged in).
 */
export async function learnerFrom(
  db: DB,
  area = '220102',
  facts: { region?: string | null; titleLevel?: string | null; titleSeries?: string | null } = {},
): Promise<Registrant & { idNumber: string }> {
  const idNumber = makeIdNumber(area)
  const parsed = parseIdNumber(idNumber)
  if (!parsed.ok) throw new Error(`factory: bad ID ${parsed.problem}`)
  const person = await db
    .insertInto('people')
    .values({
      id_number_enc: encryptPii(idNumber),
      id_number_hash: lookupHash(idNumber),
      name: `学员${++seq}`,
      gender: parsed.id.gender,
      birth_date: parsed.id.birthDate,
      region_code: facts.region === undefined ? '220100' : facts.region,
      title_series: facts.titleSeries === undefined ? 'engineering' : facts.titleSeries,
      title_level: facts.titleLevel === undefined ? 'intermediate' : facts.titleLevel,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const account = await db
    .insertInto('accounts')
    .values({ person_id: person.id, phone: makePhone(), password_hash: 'x', role: 'learner' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { personId: person.id, accountId: account.id, idNumber }
}

export type QuotaSpec = { scope: string; size: number; releaseAt?: Date | null }

export type SeminarSpec = {
  level?: SeminarLevel
  hostBaseId?: number
  capacity?: number
  /** Scoped quotas; the open pool gets the rest of the capacity. */
  quotas?: QuotaSpec[]
  startDate?: string
  endDate?: string
  opensAt?: Date
  closesAt?: Date
  cancelCutoffAt?: Date
  promotionStopsAt?: Date
  waitlistMode?: WaitlistMode
  offerHours?: number
  approvalRequired?: boolean
  eligibility?: SeminarEligibility
  status?: 'draft' | 'published' | 'cancelled' | 'finished'
  declaredHours?: string
  /** The half-day blocks; by default a morning and an afternoon block per day, the declared hours split over them. */
  blocks?: { startsAt: Date; endsAt: Date; creditHours: string }[]
}

const day = (d: Date) => d.toISOString().slice(0, 10)

/**
 * A published seminar hosted by a designated base (no term: it may deliver any day), registration
 * open from a day before `now` for ten days, starting in 30 days for 3 days, 70 seats by default.
 */
export async function createSeminar(db: DB, spec: SeminarSpec = {}, now = new Date()) {
  const hostBaseId = spec.hostBaseId ?? (await createBase(db, `研修基地${++seq}`))
  const admin = await createStaff(db, 'admin')
  const startDate = spec.startDate ?? day(new Date(now.getTime() + 30 * 24 * HOUR))
  const endDate = spec.endDate ?? day(new Date(new Date(`${startDate}T00:00:00Z`).getTime() + 2 * 24 * HOUR))
  const policy = seminarPolicyOn(startDate)
  const capacity = spec.capacity ?? 70
  const scoped = spec.quotas ?? []
  const open = capacity - scoped.reduce((n, q) => n + q.size, 0)
  if (open < 0) throw new Error('factory: quotas exceed capacity')
  const seminar = await db
    .insertInto('seminars')
    .values({
      level: spec.level ?? 'national',
      host_base_id: hostBaseId,
      title: `高级研修班${seq}`,
      category: 'professional',
      title_series: JSON.stringify(['engineering']),
      declared_hours: spec.declaredHours ?? '18',
      start_date: startDate,
      end_date: endDate,
      venue: '长春市人民大街 1 号',
      capacity,
      registration_opens_at: spec.opensAt ?? new Date(now.getTime() - 24 * HOUR),
      registration_closes_at: spec.closesAt ?? new Date(now.getTime() + 10 * 24 * HOUR),
      cancel_cutoff_at: spec.cancelCutoffAt ?? new Date(new Date(`${startDate}T00:00:00+08:00`).getTime() - 7 * 24 * HOUR),
      waitlist_mode: spec.waitlistMode ?? 'auto',
      offer_hours: spec.offerHours ?? policy.defaultOfferHours,
      promotion_stops_at: spec.promotionStopsAt ?? promotionStopsAt(startDate, policy),
      approval_required: spec.approvalRequired ?? false,
      eligibility: JSON.stringify(spec.eligibility ?? {}),
      status: spec.status ?? 'published',
      policy_version: policy.version,
      created_by: admin.accountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('seminar_quotas')
    .values([
      { seminar_id: seminar.id, scope: 'open', size: open, release_at: null },
      ...scoped.map((q) => ({ seminar_id: seminar.id, scope: q.scope, size: q.size, release_at: q.releaseAt ?? null })),
    ])
    .execute()
  const days = Math.round((Date.parse(`${endDate}T00:00:00Z`) - Date.parse(`${startDate}T00:00:00Z`)) / (24 * HOUR)) + 1
  const blocks =
    spec.blocks ??
    planBlocks({ startDate, fullDays: days, halfDays: 0, declaredHours: spec.declaredHours ?? '18' }, policy.blockTimes).map((b) => ({
      startsAt: b.startsAt,
      endsAt: b.endsAt,
      creditHours: b.creditHours,
    }))
  if (blocks.length > 0)
    await db
      .insertInto('seminar_blocks')
      .values(blocks.map((b) => ({ seminar_id: seminar.id, starts_at: b.startsAt, ends_at: b.endsAt, credit_hours: b.creditHours })))
      .execute()
  return { seminarId: seminar.id, hostBaseId }
}

export async function quotasOf(db: DB, seminarId: number) {
  const rows = await db.selectFrom('seminar_quotas').select(['scope', 'size', 'taken']).where('seminar_id', '=', seminarId).execute()
  return Object.fromEntries(rows.map((r) => [r.scope, { size: r.size, taken: r.taken }]))
}

export async function registrationsOf(db: DB, seminarId: number) {
  return db
    .selectFrom('seminar_registrations')
    .select(['id', 'person_id', 'status', 'quota_id', 'waitlist_seq', 'offer_expires_at'])
    .where('seminar_id', '=', seminarId)
    .orderBy('waitlist_seq')
    .execute()
}

let keySeq = 0
/** A fresh idempotency key, as the page would make one per click. */
export const clickKey = () => `click-${process.pid}-${Date.now()}-${++keySeq}`

/** The create form as an admin fills it in: a national seminar in 40 days, 3 full days, 18 hours, 70 seats. */
export function planForm(hostBaseId: number, overrides: Record<string, string | string[]> = {}) {
  const today = chinaDay()
  const start = addDays(today, 40)
  return {
    level: 'national',
    hostBaseId: String(hostBaseId),
    title: '数字经济高级研修班',
    category: 'professional',
    titleSeries: ['engineering'],
    startDate: start,
    endDate: addDays(start, 2),
    fullDays: '3',
    halfDays: '0',
    declaredHours: '18',
    venue: '长春市人民大街 1 号',
    capacity: '70',
    quota1Scope: 'province:22',
    quota1Size: '20',
    quota2Scope: 'province:11',
    quota2Size: '5',
    releaseOn: addDays(today, 10),
    opensOn: today,
    closesOn: addDays(today, 20),
    cancelUntil: addDays(today, 30),
    waitlistMode: 'auto',
    ...overrides,
  }
}

/**
 * A learner holding a confirmed seat of the seminar's open pool, written straight to the tables
 * (the register path refuses a seminar whose window has closed, and results tests need past ones).
 */
export async function confirmedParticipant(db: DB, seminarId: number, area = '220102') {
  const learner = await learnerFrom(db, area)
  const open = await db
    .updateTable('seminar_quotas')
    .set((eb) => ({ taken: eb('taken', '+', 1) }))
    .where('seminar_id', '=', seminarId)
    .where('scope', '=', 'open')
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('seminar_registrations')
    .values({ seminar_id: seminarId, person_id: learner.personId, status: 'confirmed', quota_id: open.id, idempotency_key: clickKey() })
    .execute()
  return learner
}

/** Marks blocks (by their index in time order) attended for a person, as a staff correction would. */
export async function markAttended(db: DB, seminarId: number, personId: number, blockIndexes: number[], attended = true) {
  const blocks = await db
    .selectFrom('seminar_blocks')
    .select('id')
    .where('seminar_id', '=', seminarId)
    .orderBy('starts_at')
    .orderBy('id')
    .execute()
  for (const i of blockIndexes) {
    const block = blocks[i]
    if (!block) throw new Error(`factory: no block ${i}`)
    await db
      .insertInto('seminar_attendance')
      .values({ block_id: block.id, person_id: personId, attended, correction_reason: 'test' })
      .onConflict((oc) => oc.columns(['block_id', 'person_id']).doUpdateSet({ attended, updated_at: new Date() }))
      .execute()
  }
}
