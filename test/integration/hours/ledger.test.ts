import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'

import { credit, LedgerError, reverse, totalsByYear } from '#app/domain/hours/ledger.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { createLearner } from '#test/factories/people.ts'

async function personId() {
  const { accountId } = await createLearner(getDb())
  const row = await getDb().selectFrom('accounts').select('person_id').where('id', '=', accountId).executeTakeFirstOrThrow()
  return row.person_id
}

/** Invariant: totals always equal the sum of the ledger's entries. */
async function expectTotalsMatchLedger(pid: number) {
  const sums = await sql<{ ce_year: number; category: string; counted: string; recorded: string }>`
    select ce_year, category,
           coalesce(sum(hours) filter (where counted), 0)::text as counted,
           sum(hours)::text as recorded
    from hour_entries where person_id = ${pid} group by ce_year, category order by 1, 2`.execute(getDb())
  const totals = await getDb()
    .selectFrom('hour_totals')
    .select(['ce_year', 'category', sql<string>`counted_hours::text`.as('counted'), sql<string>`recorded_hours::text`.as('recorded')])
    .where('person_id', '=', pid)
    .orderBy('ce_year')
    .orderBy('category')
    .execute()
  expect(totals.map((t) => ({ ...t, counted: Number(t.counted).toFixed(2), recorded: Number(t.recorded).toFixed(2) }))).toEqual(
    sums.rows.map((s) => ({ ...s, counted: Number(s.counted).toFixed(2), recorded: Number(s.recorded).toFixed(2) })),
  )
}

const base = { category: 'professional' as const, sourceKind: 'online_course' as const, occurredAt: new Date('2025-06-01T10:00:00+08:00') }

describe('hours ledger', () => {
  test('credits exact decimals and keeps totals per year and category', async () => {
    const pid = await personId()
    const db = getDb()
    await db.transaction().execute((trx) => credit(trx, { ...base, personId: pid, hours: '0.1', idempotencyKey: 'a' }))
    await db.transaction().execute((trx) => credit(trx, { ...base, personId: pid, hours: '0.2', idempotencyKey: 'b' }))
    await db.transaction().execute((trx) => credit(trx, { ...base, personId: pid, category: 'public', hours: '12.5', idempotencyKey: 'c' }))
    const totals = await totalsByYear(db, pid)
    expect(totals.get(2025)).toEqual({ professional: '0.3', public: '12.5', recordedProfessional: '0.3', recordedPublic: '12.5' })
    await expectTotalsMatchLedger(pid)
  })

  test('the same earning event credited twice → one entry, totals unchanged', async () => {
    const pid = await personId()
    const db = getDb()
    const first = await db
      .transaction()
      .execute((trx) => credit(trx, { ...base, personId: pid, hours: '10', idempotencyKey: 'course:1:person' }))
    const again = await db
      .transaction()
      .execute((trx) => credit(trx, { ...base, personId: pid, hours: '10', idempotencyKey: 'course:1:person' }))
    expect(first.created).toBe(true)
    expect(again).toEqual({ entry: first.entry, created: false })
    expect((await totalsByYear(db, pid)).get(2025)?.professional).toBe('10')
    const n = await db
      .selectFrom('hour_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(n.n).toBe(1)
  })

  test('20 concurrent credits to one person (some duplicates) → exact totals', async () => {
    const pid = await personId()
    const db = getDb()
    // 20 transactions at once: 15 distinct events of 1.25 h, 5 retries of already-used keys.
    const keys = Array.from({ length: 20 }, (_, i) => `event:${i % 15}`)
    await Promise.all(
      keys.map((k) => db.transaction().execute((trx) => credit(trx, { ...base, personId: pid, hours: '1.25', idempotencyKey: k }))),
    )
    expect((await totalsByYear(db, pid)).get(2025)?.professional).toBe('18.75')
    await expectTotalsMatchLedger(pid)
  })

  test('CE year is decided in China time: 31 Dec 23:30 Beijing is the old year, 1 Jan 00:30 the new', async () => {
    const pid = await personId()
    const db = getDb()
    const late = await db
      .transaction()
      .execute((trx) =>
        credit(trx, { ...base, personId: pid, hours: '2', idempotencyKey: 'late', occurredAt: new Date('2025-12-31T15:30:00Z') }),
      )
    const early = await db
      .transaction()
      .execute((trx) =>
        credit(trx, { ...base, personId: pid, hours: '3', idempotencyKey: 'early', occurredAt: new Date('2025-12-31T16:30:00Z') }),
      )
    expect([late.entry.ceYear, early.entry.ceYear]).toEqual([2025, 2026])
  })

  test('recorded but not counted carries a reason and stays out of counted totals', async () => {
    const pid = await personId()
    const db = getDb()
    const r = await db
      .transaction()
      .execute((trx) =>
        credit(trx, { ...base, personId: pid, hours: '8', idempotencyKey: 'nc', notCountedReason: 'duplicate_course_in_year' }),
      )
    expect(r.entry).toMatchObject({ counted: false, notCountedReason: 'duplicate_course_in_year' })
    expect((await totalsByYear(db, pid)).get(2025)).toMatchObject({ professional: '0', recordedProfessional: '8' })
    await expectTotalsMatchLedger(pid)
  })

  test('a reversal is a new entry with reason and actor; the original is untouched; reversed once only', async () => {
    const pid = await personId()
    const db = getDb()
    const { entry } = await db.transaction().execute((trx) => credit(trx, { ...base, personId: pid, hours: '6', idempotencyKey: 'rev' }))
    const rev = await db.transaction().execute((trx) => reverse(trx, { entryId: entry.id, reason: '重复登记', actorAccountId: null }))
    expect(rev).toMatchObject({ hours: '-6', sourceKind: 'reversal', reversesId: entry.id, ceYear: 2025 })
    const original = await db.selectFrom('hour_entries').select(['hours', 'counted']).where('id', '=', entry.id).executeTakeFirstOrThrow()
    expect(original).toEqual({ hours: '6.00', counted: true })
    expect((await totalsByYear(db, pid)).get(2025)?.professional).toBe('0')
    await expect(
      db.transaction().execute((trx) => reverse(trx, { entryId: entry.id, reason: 'again', actorAccountId: null })),
    ).rejects.toMatchObject({ code: 'already_reversed' })
    await expect(
      db.transaction().execute((trx) => reverse(trx, { entryId: rev.id, reason: 'undo', actorAccountId: null })),
    ).rejects.toMatchObject({ code: 'cannot_reverse_reversal' })
    await expect(
      db.transaction().execute((trx) => reverse(trx, { entryId: entry.id, reason: '  ', actorAccountId: null })),
    ).rejects.toBeInstanceOf(LedgerError)
    await expectTotalsMatchLedger(pid)
  })

  test('a reversal scoped to another person finds nothing', async () => {
    const pid = await personId()
    const other = await personId()
    const { entry } = await getDb()
      .transaction()
      .execute((trx) => credit(trx, { ...base, personId: pid, hours: '6', idempotencyKey: 'scoped' }))
    await expect(
      getDb()
        .transaction()
        .execute((trx) => reverse(trx, { entryId: entry.id, reason: 'x', actorAccountId: null, personId: other })),
    ).rejects.toMatchObject({ code: 'not_found' })
  })

  test('ledger rows cannot be updated or deleted, even with SQL', async () => {
    const pid = await personId()
    const { entry } = await getDb()
      .transaction()
      .execute((trx) => credit(trx, { ...base, personId: pid, hours: '4', idempotencyKey: 'frozen' }))
    await expect(sql`update hour_entries set hours = 40 where id = ${entry.id}`.execute(getDb())).rejects.toThrow(/append-only/)
    await expect(sql`delete from hour_entries where id = ${entry.id}`.execute(getDb())).rejects.toThrow(/append-only/)
  })

  test('the writers take a transaction: a credit or reversal on the pool does not type-check', () => {
    // Never called: the assertions are the @ts-expect-error lines, checked by `tsc`.
    const _outsideTransaction = () => [
      // @ts-expect-error a Kysely handle is not a Transaction<Database>
      credit(getDb(), { ...base, personId: 1, hours: '1', idempotencyKey: 'never' }),
      // @ts-expect-error a Kysely handle is not a Transaction<Database>
      reverse(getDb(), { entryId: 1, reason: 'never', actorAccountId: null }),
    ]
    expect(typeof _outsideTransaction).toBe('function')
  })

  test.each(['0', '-1', '1.234', 'abc'])('refuses hours %j and writes nothing', async (hours) => {
    const pid = await personId()
    await expect(
      getDb()
        .transaction()
        .execute((trx) => credit(trx, { ...base, personId: pid, hours, idempotencyKey: `bad:${hours}` })),
    ).rejects.toMatchObject({ code: 'invalid_hours' })
    expect(await getDb().selectFrom('hour_entries').selectAll().execute()).toEqual([])
  })
})
