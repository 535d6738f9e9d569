/**
 * Learners' disputes of the hours a base reported for them (学时异议): "not me" (不是我本人) or
 * "wrong hours" (学时不对), on a live credited entry of their own, within the reports policy's
 * dispute window after the entry was written, one open dispute per entry. HR of the PERSON's
 * region (a person with no region: the province) resolves it with a reason: upholding "not me"
 * reverses the entry and excludes the person from the activity (a re-upload does not credit them
 * again); upholding "wrong hours" reverses it and credits the corrected hours; dismissing changes
 * no hours. The ledger is written only through hours/ledger.server.ts.
 */
import type { Transaction } from 'kysely'

import { chinaDay, notifyBase } from '#app/domain/bases/events.server.ts'
import { addDays } from '#app/domain/bases/lifecycle.ts'
import { credit, reverse } from '#app/domain/hours/ledger.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { maskedIdNumber } from '#app/domain/identity/pii.server.ts'
import { reportsPolicyOn } from '#app/domain/policy/reports-policy.server.ts'
import { isHours, normalizeHours, toCents } from '#app/domain/shared/decimal.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { type HrActor, inScope, isProvinceScope } from '#app/domain/shared/scope.ts'
import type { Database, DB } from '#db/schema.ts'

export type DisputeKind = 'not_me' | 'wrong_hours'
export type DisputeState = 'open' | 'upheld' | 'dismissed' | 'withdrawn'

/** The last day (China) a learner may dispute an entry written on `createdAt`. */
export function disputeUntil(createdAt: Date, now = new Date()): string {
  return addDays(chinaDay(createdAt), reportsPolicyOn(chinaDay(now)).disputeWindowDays)
}

/**
 * The hours bases reported for a person that are credited now (one row per activity), with the
 * base, the activity, the live entry, the last dispute of that activity and whether a dispute
 * may still be opened; and every dispute of theirs, newest first, with HR's decision.
 */
export async function reportedForPerson(db: DB, personId: number, now = new Date()) {
  const [rows, disputes] = await Promise.all([
    db
      .selectFrom('activity_credits as c')
      .innerJoin('training_activities as a', 'a.id', 'c.activity_id')
      .innerJoin('bases as b', 'b.id', 'a.base_id')
      .innerJoin('hour_entries as e', 'e.id', 'c.entry_id')
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('roster_disputes as d')
            .select(['d.id', 'd.kind', 'd.state', 'd.decision_reason', 'd.claimed_hours'])
            .whereRef('d.activity_id', '=', 'c.activity_id')
            .whereRef('d.person_id', '=', 'c.person_id')
            .orderBy('d.id', 'desc')
            .limit(1)
            .as('d'),
        (j) => j.onTrue(),
      )
      .select([
        'c.activity_id',
        'c.entry_id',
        'c.hours',
        'a.title',
        'a.category',
        'a.start_date',
        'a.end_date',
        'a.state',
        'b.name as base_name',
        'e.ce_year',
        'e.created_at as credited_at',
        'd.id as dispute_id',
        'd.kind as dispute_kind',
        'd.state as dispute_state',
        'd.decision_reason',
        'd.claimed_hours',
      ])
      .where('c.person_id', '=', personId)
      .orderBy('a.end_date', 'desc')
      .orderBy('c.activity_id', 'desc')
      .limit(500)
      .execute(),
    db
      .selectFrom('roster_disputes as d')
      .innerJoin('training_activities as a', 'a.id', 'd.activity_id')
      .innerJoin('bases as b', 'b.id', 'a.base_id')
      .innerJoin('hour_entries as e', 'e.id', 'd.entry_id')
      .select([
        'd.id',
        'd.kind',
        'd.state',
        'd.claimed_hours',
        'd.note',
        'd.decision_reason',
        'd.decided_at',
        'd.created_at',
        'a.title',
        'b.name as base_name',
        'e.hours',
      ])
      .where('d.person_id', '=', personId)
      .orderBy('d.id', 'desc')
      .limit(200)
      .execute(),
  ])
  const today = chinaDay(now)
  return {
    rows: rows.map((r) => {
      const until = disputeUntil(new Date(r.credited_at), now)
      return {
        ...r,
        hours: normalizeHours(r.hours),
        claimed_hours: r.claimed_hours === null ? null : normalizeHours(r.claimed_hours),
        disputeUntil: until,
        canDispute: today <= until && r.dispute_state !== 'open',
      }
    }),
    disputes: disputes.map((d) => ({
      ...d,
      hours: normalizeHours(d.hours),
      claimed_hours: d.claimed_hours === null ? null : normalizeHours(d.claimed_hours),
    })),
  }
}

export type DisputeInput = { entryId: number; kind: DisputeKind; claimedHours?: string | null; note: string }
export type OpenDisputeCode = 'not_found' | 'window_closed' | 'already_open' | 'claimed_hours_required' | 'claimed_hours_same'

/**
 * A learner disputes a row reported for them. Only their own live credited entry (another
 * person's entry, a reversed one or an unknown id is `not_found`); within the window; one open
 * dispute per entry; "wrong hours" says the hours they claim (positive, not the credited hours).
 */
export async function openDispute(
  trx: Transaction<Database>,
  person: { personId: number; accountId: number },
  input: DisputeInput,
  now = new Date(),
): Promise<Result<{ disputeId: number }, OpenDisputeCode>> {
  const c = await trx
    .selectFrom('activity_credits as c')
    .innerJoin('hour_entries as e', 'e.id', 'c.entry_id')
    .select(['c.activity_id', 'c.hours', 'e.created_at'])
    .where('c.entry_id', '=', input.entryId)
    .where('c.person_id', '=', person.personId)
    .forUpdate('c')
    .executeTakeFirst()
  if (!c) return err('not_found')
  if (chinaDay(now) > disputeUntil(new Date(c.created_at), now)) return err('window_closed')
  let claimed: string | null = null
  if (input.kind === 'wrong_hours') {
    const h = input.claimedHours?.trim() ?? ''
    if (!isHours(h) || toCents(h) <= 0) return err('claimed_hours_required')
    if (toCents(h) === toCents(c.hours)) return err('claimed_hours_same')
    claimed = normalizeHours(h)
  }
  const open = await trx
    .selectFrom('roster_disputes')
    .select('id')
    .where('entry_id', '=', input.entryId)
    .where('state', '=', 'open')
    .executeTakeFirst()
  if (open) return err('already_open')
  const row = await trx
    .insertInto('roster_disputes')
    .values({
      activity_id: c.activity_id,
      person_id: person.personId,
      entry_id: input.entryId,
      kind: input.kind,
      claimed_hours: claimed,
      note: input.note.trim(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await audit(trx, {
    actorAccountId: person.accountId,
    action: 'report.dispute_open',
    targetType: 'dispute',
    targetId: row.id,
    detail: { activityId: c.activity_id, entryId: input.entryId, kind: input.kind, claimedHours: claimed },
  })
  return ok({ disputeId: row.id })
}

/** Open disputes of people in the officer's scope (by the PERSON's region), oldest first. */
export async function disputesForHr(db: DB, scopeRegion: string, limit = 200) {
  let q = db
    .selectFrom('roster_disputes as d')
    .innerJoin('people as p', 'p.id', 'd.person_id')
    .innerJoin('training_activities as a', 'a.id', 'd.activity_id')
    .innerJoin('bases as b', 'b.id', 'a.base_id')
    .innerJoin('hour_entries as e', 'e.id', 'd.entry_id')
    .select([
      'd.id',
      'd.kind',
      'd.claimed_hours',
      'd.note',
      'd.created_at',
      'd.person_id',
      'p.name',
      'p.id_number_enc',
      'p.region_code',
      'a.id as activity_id',
      'a.title',
      'a.start_date',
      'a.end_date',
      'a.declared_hours',
      'b.name as base_name',
      'e.hours',
    ])
    .where('d.state', '=', 'open')
  if (!isProvinceScope(scopeRegion)) q = q.where('p.region_code', '=', scopeRegion)
  const rows = await q.orderBy('d.created_at').orderBy('d.id').limit(limit).execute()
  return rows.map(({ id_number_enc, ...r }) => ({
    ...r,
    hours: normalizeHours(r.hours),
    claimed_hours: r.claimed_hours === null ? null : normalizeHours(r.claimed_hours),
    declared_hours: normalizeHours(r.declared_hours),
    idNumberMasked: maskedIdNumber(id_number_enc),
  }))
}

export type ResolveInput = { uphold: boolean; reason: string; correctedHours?: string | null }
export type ResolveCode = 'not_found' | 'own_dispute' | 'already_decided' | 'reason_required' | 'corrected_hours_invalid' | 'entry_gone'

/**
 * HR of the person's region decides an open dispute, with a reason. Upheld "not me": the live
 * entry is reversed, the person leaves the activity's credited roster and is excluded from it.
 * Upheld "wrong hours": the live entry is reversed and the corrected hours (default: the claimed
 * hours) credited, keyed by the dispute. Dismissed: no hours change. The person and the base are told.
 */
export async function resolveDispute(
  trx: Transaction<Database>,
  hr: HrActor,
  disputeId: number,
  input: ResolveInput,
  now = new Date(),
): Promise<Result<{ state: 'upheld' | 'dismissed' }, ResolveCode>> {
  const d = await trx
    .selectFrom('roster_disputes as d')
    .innerJoin('people as p', 'p.id', 'd.person_id')
    .select(['d.id', 'd.activity_id', 'd.person_id', 'd.entry_id', 'd.kind', 'd.claimed_hours', 'd.state', 'p.region_code', 'p.name'])
    .where('d.id', '=', disputeId)
    .forUpdate('d')
    .executeTakeFirst()
  if (!d || !inScope(hr.scopeRegion, d.region_code)) return err('not_found')
  if (d.person_id === hr.personId) return err('own_dispute')
  if (d.state !== 'open') return err('already_decided')
  const reason = input.reason.trim()
  if (!reason) return err('reason_required')
  const a = await trx
    .selectFrom('training_activities')
    .select(['id', 'base_id', 'title', 'category', 'end_date', 'declared_hours'])
    .where('id', '=', d.activity_id)
    .executeTakeFirstOrThrow()

  let corrected: string | null = null
  if (input.uphold) {
    if (d.kind === 'wrong_hours') {
      const h = (input.correctedHours ?? '').trim() || (d.claimed_hours ?? '')
      if (!isHours(h) || toCents(h) <= 0 || toCents(h) > toCents(a.declared_hours)) return err('corrected_hours_invalid')
      corrected = normalizeHours(h)
    }
    // The entry credited now (a re-upload since the dispute may have replaced the disputed one).
    const live = await trx
      .selectFrom('activity_credits')
      .select(['entry_id', 'hours'])
      .where('activity_id', '=', d.activity_id)
      .where('person_id', '=', d.person_id)
      .forUpdate()
      .executeTakeFirst()
    if (!live && d.kind === 'wrong_hours') return err('entry_gone')
    if (live) await reverse(trx, { entryId: live.entry_id, reason, actorAccountId: hr.accountId, personId: d.person_id })
    if (d.kind === 'not_me') {
      await trx.deleteFrom('activity_credits').where('activity_id', '=', d.activity_id).where('person_id', '=', d.person_id).execute()
      await trx
        .insertInto('activity_exclusions')
        .values({ activity_id: d.activity_id, person_id: d.person_id, dispute_id: d.id })
        .onConflict((oc) => oc.columns(['activity_id', 'person_id']).doNothing())
        .execute()
    } else {
      const { entry } = await credit(trx, {
        personId: d.person_id,
        category: a.category,
        hours: corrected!,
        sourceKind: 'base_training',
        sourceRef: `activity:${a.id}`,
        evidence: { activityId: a.id, baseId: a.base_id, disputeId: d.id, title: a.title },
        idempotencyKey: `dispute:${d.id}`,
        occurredAt: new Date(`${a.end_date}T12:00:00+08:00`),
        createdBy: hr.accountId,
        reason,
      })
      await trx
        .updateTable('activity_credits')
        .set({ entry_id: entry.id, hours: corrected! })
        .where('activity_id', '=', d.activity_id)
        .where('person_id', '=', d.person_id)
        .execute()
    }
  }
  const state = input.uphold ? 'upheld' : 'dismissed'
  await trx
    .updateTable('roster_disputes')
    .set({ state, decided_by: hr.accountId, decided_at: now, decision_reason: reason })
    .where('id', '=', d.id)
    .execute()
  await audit(trx, {
    actorAccountId: hr.accountId,
    action: input.uphold ? 'report.dispute_uphold' : 'report.dispute_dismiss',
    targetType: 'dispute',
    targetId: d.id,
    detail: { activityId: d.activity_id, personId: d.person_id, kind: d.kind, correctedHours: corrected, reason },
  })
  const params = { title: a.title, reason, hours: corrected }
  await trx
    .insertInto('notices')
    .values({
      person_id: d.person_id,
      kind: `roster_dispute_${state}`,
      dedupe_key: `roster-dispute:${d.id}`,
      params: JSON.stringify(params),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute()
  await notifyBase(trx, { baseId: a.base_id }, `base_roster_dispute_${state}`, `roster-dispute-base:${d.id}`, {
    ...params,
    name: d.name,
    kind: d.kind,
  })
  return ok({ state })
}

/** Open disputes in the officer's scope (for the HR home). */
export async function disputesAwaiting(db: DB, scopeRegion: string): Promise<number> {
  let q = db
    .selectFrom('roster_disputes as d')
    .innerJoin('people as p', 'p.id', 'd.person_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('d.state', '=', 'open')
  if (!isProvinceScope(scopeRegion)) q = q.where('p.region_code', '=', scopeRegion)
  return Number((await q.executeTakeFirstOrThrow()).n)
}
