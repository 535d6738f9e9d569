import { type RawBuilder, sql, type Transaction } from 'kysely'

/**
 * The hours ledger (学时记录): the one module that writes hour_entries and hour_totals.
 * Callers (course completion, seminar attendance, base reports, HR) pass their own transaction
 * so an hour is written together with the event that earned it; the writers take a
 * `Transaction<Database>`, so a credit outside a transaction does not type-check.
 *
 * - Append-only (a database trigger refuses UPDATE/DELETE); a correction is a reversing entry.
 * - Each earning event has an idempotency key: crediting it again returns the first entry.
 * - Totals per person × year × category change in the same statement sequence, under the row
 *   lock of the upsert, so concurrent credits add up exactly.
 */
import { ceYearOf } from '#app/domain/shared/ce-year.ts'
import { fromCents, type Hours, isHours, normalizeHours, toCents } from '#app/domain/shared/decimal.ts'
import type { Category, Database, DB, SourceKind } from '#db/schema.ts'
export { ceYearOf }

export type CreditInput = {
  personId: number
  category: Category
  hours: Hours
  sourceKind: Exclude<SourceKind, 'reversal'>
  sourceRef?: string | null
  evidence?: Record<string, unknown>
  /** Unique per earning event, e.g. `course:12:person:34`. */
  idempotencyKey: string
  occurredAt: Date
  /** Defaults to the CE year of occurredAt in China time. */
  ceYear?: number
  /** Recorded but not counted toward compliance needs a stated reason (不计入达标原因). */
  notCountedReason?: string | null
  createdBy?: number | null
  reason?: string | null
}

export type Entry = {
  id: number
  personId: number
  ceYear: number
  category: Category
  hours: Hours
  sourceKind: SourceKind
  sourceRef: string | null
  counted: boolean
  notCountedReason: string | null
  reversesId: number | null
  occurredAt: Date
}

export class LedgerError extends Error {
  constructor(
    readonly code: 'invalid_hours' | 'not_found' | 'already_reversed' | 'cannot_reverse_reversal' | 'reason_required',
    message: string,
  ) {
    super(message)
  }
}

function toEntry(r: {
  id: number
  person_id: number
  ce_year: number
  category: Category
  hours: string
  source_kind: SourceKind
  source_ref: string | null
  counted: boolean
  not_counted_reason: string | null
  reverses_id: number | null
  occurred_at: Date | string
}): Entry {
  return {
    id: r.id,
    personId: r.person_id,
    ceYear: r.ce_year,
    category: r.category,
    hours: normalizeHours(r.hours),
    sourceKind: r.source_kind,
    sourceRef: r.source_ref,
    counted: r.counted,
    notCountedReason: r.not_counted_reason,
    reversesId: r.reverses_id,
    occurredAt: new Date(r.occurred_at),
  }
}

const ENTRY_COLUMNS = [
  'id',
  'person_id',
  'ce_year',
  'category',
  'hours',
  'source_kind',
  'source_ref',
  'counted',
  'not_counted_reason',
  'reverses_id',
  'occurred_at',
] as const

async function addToTotals(
  trx: Transaction<Database>,
  personId: number,
  ceYear: number,
  category: Category,
  recorded: Hours,
  counted: Hours,
) {
  await trx
    .insertInto('hour_totals')
    .values({ person_id: personId, ce_year: ceYear, category, recorded_hours: recorded, counted_hours: counted })
    .onConflict((oc) =>
      oc.columns(['person_id', 'ce_year', 'category']).doUpdateSet({
        recorded_hours: sql`hour_totals.recorded_hours + excluded.recorded_hours`,
        counted_hours: sql`hour_totals.counted_hours + excluded.counted_hours`,
      }),
    )
    .execute()
}

/**
 * Credits hours for one earning event. Returns the entry and whether it was created now
 * (false: the same event was credited before, nothing changed).
 */
export async function credit(trx: Transaction<Database>, input: CreditInput): Promise<{ entry: Entry; created: boolean }> {
  if (!isHours(input.hours) || toCents(input.hours) <= 0)
    throw new LedgerError('invalid_hours', `hours must be a positive decimal with at most 2 places, got ${input.hours}`)
  const counted = !input.notCountedReason
  const ceYear = input.ceYear ?? ceYearOf(input.occurredAt)
  const inserted = await trx
    .insertInto('hour_entries')
    .values({
      person_id: input.personId,
      ce_year: ceYear,
      category: input.category,
      hours: normalizeHours(input.hours),
      source_kind: input.sourceKind,
      source_ref: input.sourceRef ?? null,
      evidence: JSON.stringify(input.evidence ?? {}),
      counted,
      not_counted_reason: input.notCountedReason ?? null,
      idempotency_key: input.idempotencyKey,
      occurred_at: input.occurredAt,
      created_by: input.createdBy ?? null,
      reason: input.reason ?? null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning(ENTRY_COLUMNS)
    .executeTakeFirst()
  if (!inserted) {
    const first = await trx
      .selectFrom('hour_entries')
      .select(ENTRY_COLUMNS)
      .where('idempotency_key', '=', input.idempotencyKey)
      .executeTakeFirstOrThrow()
    return { entry: toEntry(first), created: false }
  }
  await addToTotals(trx, input.personId, ceYear, input.category, inserted.hours, counted ? inserted.hours : '0')
  return { entry: toEntry(inserted), created: true }
}

/**
 * Reverses an entry with a reason and an actor: a new entry with the negated hours in the same
 * year and category. An entry is reversed at most once; a reversal is never itself reversed
 * (credit the hours again instead).
 */
export async function reverse(
  trx: Transaction<Database>,
  input: { entryId: number; reason: string; actorAccountId: number | null; personId?: number },
): Promise<Entry> {
  if (!input.reason.trim()) throw new LedgerError('reason_required', 'a reversal needs a reason')
  let q = trx.selectFrom('hour_entries').select(ENTRY_COLUMNS).where('id', '=', input.entryId)
  if (input.personId !== undefined) q = q.where('person_id', '=', input.personId)
  const original = await q.forUpdate().executeTakeFirst()
  if (!original) throw new LedgerError('not_found', `entry ${input.entryId} not found`)
  if (original.source_kind === 'reversal') throw new LedgerError('cannot_reverse_reversal', 'a reversal cannot be reversed')
  const negated = fromCents(-toCents(original.hours))
  const inserted = await trx
    .insertInto('hour_entries')
    .values({
      person_id: original.person_id,
      ce_year: original.ce_year,
      category: original.category,
      hours: negated,
      source_kind: 'reversal',
      source_ref: String(original.id),
      counted: original.counted,
      not_counted_reason: original.not_counted_reason,
      idempotency_key: `reversal:${original.id}`,
      reverses_id: original.id,
      reason: input.reason.trim(),
      occurred_at: new Date(),
      created_by: input.actorAccountId,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning(ENTRY_COLUMNS)
    .executeTakeFirst()
  if (!inserted) throw new LedgerError('already_reversed', `entry ${original.id} was already reversed`)
  await addToTotals(trx, original.person_id, original.ce_year, original.category, negated, original.counted ? negated : '0')
  return toEntry(inserted)
}

export type YearTotals = { professional: Hours; public: Hours; recordedProfessional: Hours; recordedPublic: Hours }

/** Counted and recorded hours per CE year for a person, from the totals table (one indexed read). */
export async function totalsByYear(db: DB, personId: number, years?: { from: number; to: number }): Promise<Map<number, YearTotals>> {
  let q = db.selectFrom('hour_totals').select(['ce_year', 'category', 'counted_hours', 'recorded_hours']).where('person_id', '=', personId)
  if (years) q = q.where('ce_year', '>=', years.from).where('ce_year', '<=', years.to)
  const rows = await q.execute()
  const out = new Map<number, YearTotals>()
  for (const r of rows) {
    const t = out.get(r.ce_year) ?? { professional: '0', public: '0', recordedProfessional: '0', recordedPublic: '0' }
    if (r.category === 'professional') {
      t.professional = normalizeHours(r.counted_hours)
      t.recordedProfessional = normalizeHours(r.recorded_hours)
    } else {
      t.public = normalizeHours(r.counted_hours)
      t.recordedPublic = normalizeHours(r.recorded_hours)
    }
    out.set(r.ce_year, t)
  }
  return out
}

/** Every entry of a person for a year, newest first, with what reversed it. */
export async function entriesForYear(db: DB, personId: number, ceYear: number) {
  const rows = await db
    .selectFrom('hour_entries as e')
    .leftJoin('hour_entries as r', 'r.reverses_id', 'e.id')
    .select([
      'e.id',
      'e.category',
      'e.hours',
      'e.source_kind',
      'e.source_ref',
      'e.evidence',
      'e.counted',
      'e.not_counted_reason',
      'e.reverses_id',
      'e.reason',
      'e.occurred_at',
      'e.created_at',
      'r.id as reversed_by',
    ])
    .where('e.person_id', '=', personId)
    .where('e.ce_year', '=', ceYear)
    .orderBy('e.occurred_at', 'desc')
    .orderBy('e.id', 'desc')
    .execute()
  return rows.map((r) => ({ ...r, hours: normalizeHours(r.hours) }))
}

/**
 * The columns a batch credit's source query must select, in this order (ADR 0021): one row per
 * earning event. `not_counted_reason` null means counted.
 */
export type CreditRow = {
  person_id: number
  ce_year: number
  category: Category
  hours: string
  source_kind: Exclude<SourceKind, 'reversal'>
  source_ref: string | null
  evidence: unknown
  not_counted_reason: string | null
  idempotency_key: string
  occurred_at: Date
  created_by: number | null
  reason: string | null
}

const TOTALS_FROM_INS = sql`
  insert into hour_totals (person_id, ce_year, category, recorded_hours, counted_hours)
  select person_id, ce_year, category, sum(hours), sum(case when counted then hours else 0 end)
  from ins group by person_id, ce_year, category order by person_id, ce_year, category
  on conflict (person_id, ce_year, category) do update set
    recorded_hours = hour_totals.recorded_hours + excluded.recorded_hours,
    counted_hours = hour_totals.counted_hours + excluded.counted_hours`

/**
 * Credits every row a query selects (a committed roster or a legacy import of up to 200,000
 * rows) in one statement: the same rules as `credit` — one entry per idempotency key (a key
 * credited before is skipped), totals changed in the same transaction — set-based, so the rows
 * never travel through the process. The query selects the columns of `CreditRow`, in order.
 * Hours must be positive: the caller selects only valid rows. Returns how many
 * entries were created.
 */
export async function creditFromQuery(trx: Transaction<Database>, source: RawBuilder<CreditRow>): Promise<number> {
  const r = await sql<{ n: string }>`
    with input (person_id, ce_year, category, hours, source_kind, source_ref, evidence, not_counted_reason,
                idempotency_key, occurred_at, created_by, reason) as (${source}),
    ins as (
      insert into hour_entries (person_id, ce_year, category, hours, source_kind, source_ref, evidence, counted,
                                not_counted_reason, idempotency_key, occurred_at, created_by, reason)
      select person_id, ce_year, category, hours, source_kind, source_ref, evidence, not_counted_reason is null,
             not_counted_reason, idempotency_key, occurred_at, created_by, reason
      from input
      on conflict (idempotency_key) do nothing
      returning person_id, ce_year, category, hours, counted
    ), totals as (${TOTALS_FROM_INS})
    select count(*) as n from ins`.execute(trx)
  return Number(r.rows[0]?.n ?? 0)
}

/**
 * Reverses every entry whose id a query selects, with one reason and actor, in one statement
 * (a re-uploaded roster's removals and changes). Entries already reversed, reversals and unknown
 * ids are skipped. Returns how many were reversed now.
 */
export async function reverseFromQuery(
  trx: Transaction<Database>,
  input: { entryIds: RawBuilder<{ id: number }>; reason: string; actorAccountId: number | null; occurredAt?: Date },
): Promise<number> {
  if (!input.reason.trim()) throw new LedgerError('reason_required', 'a reversal needs a reason')
  const r = await sql<{ n: string }>`
    with original as (
      select * from hour_entries where id in (${input.entryIds}) and source_kind <> 'reversal' order by id for update
    ), ins as (
      insert into hour_entries (person_id, ce_year, category, hours, source_kind, source_ref, counted, not_counted_reason,
                                idempotency_key, reverses_id, reason, occurred_at, created_by)
      select person_id, ce_year, category, -hours, 'reversal', id::text, counted, not_counted_reason,
             'reversal:' || id, id, ${input.reason.trim()}, ${(input.occurredAt ?? new Date()).toISOString()}::timestamptz,
             ${input.actorAccountId}::bigint
      from original
      on conflict (idempotency_key) do nothing
      returning person_id, ce_year, category, hours, counted
    ), totals as (${TOTALS_FROM_INS})
    select count(*) as n from ins`.execute(trx)
  return Number(r.rows[0]?.n ?? 0)
}
