import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'

import { refreshAll } from '#app/domain/compliance/refresh.server.ts'
import { runChecks } from '#app/domain/credit-api/credit-checks.server.ts'
import { credit, reverse } from '#app/domain/hours/ledger.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { createStaff } from '#test/factories/people.ts'
import { learnerFrom } from '#test/factories/seminars.ts'

/**
 * The compliance figures (ADR 0025) against their definition: after random credits and reversals,
 * the roll-up counters equal a recount from the stored per-person rows and from the ledger's
 * totals, and each person's readiness equals what the credit-check API answers for them.
 */
const db = getDb()
const NOW = new Date('2026-11-30T04:00:00Z')
const REGIONS = ['220100', '220200', '222400', null] as const
const SERIES = ['engineering', 'health', 'education'] as const
const LEVELS = ['junior', 'intermediate', 'associate_senior'] as const

function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

async function recountMismatches() {
  // Counters against a recount of the per-person rows ...
  const fromRows = await sql<{ n: number }>`
    with base as (
      select 'people' as metric, 0 as year, region_code, employer_id, title_series, title_level, count(*)::int as n
        from compliance_people group by 2, 3, 4, 5, 6
      union all
      select 'met', y.ce_year, p.region_code, p.employer_id, p.title_series, p.title_level, count(*)::int
        from compliance_person_years y join compliance_people p using (person_id) where y.met group by 2, 3, 4, 5, 6
      union all
      select 'ready', application_year, region_code, employer_id, title_series, title_level, count(*)::int
        from compliance_people where ready group by 2, 3, 4, 5, 6),
    recount as (
      select 'full' as grain, metric, year, region_code, employer_id, title_series, title_level, sum(n)::int as n from base group by 1, 2, 3, 4, 5, 6, 7
      union all
      select 'rsl', metric, year, region_code, -1, title_series, title_level, sum(n)::int from base group by 1, 2, 3, 4, 5, 6, 7
      union all
      select 're', metric, year, region_code, employer_id, '*', '*', sum(n)::int from base group by 1, 2, 3, 4, 5, 6, 7)
    select count(*)::int as n from recount full join (select * from compliance_rollups where n <> 0) r
      using (grain, metric, year, region_code, employer_id, title_series, title_level)
    where recount.n is distinct from r.n`.execute(db)
  return fromRows.rows[0]!.n
}

describe('compliance refresher', () => {
  it('keeps roll-ups equal to a recount after random credits and reversals, and readiness equal to the check API', async () => {
    const rand = rng(20261130)
    const people: { personId: number; idNumber: string; titleYear: number | null }[] = []
    for (let i = 0; i < 24; i++) {
      const region = REGIONS[Math.floor(rand() * REGIONS.length)]!
      const p = await learnerFrom(db, '220102', {
        region,
        titleSeries: SERIES[Math.floor(rand() * SERIES.length)]!,
        titleLevel: LEVELS[Math.floor(rand() * LEVELS.length)]!,
      })
      const titleYear = rand() < 0.2 ? null : 2018 + Math.floor(rand() * 8)
      await db.updateTable('people').set({ title_year: titleYear }).where('id', '=', p.personId).execute()
      people.push({ ...p, titleYear })
    }
    const entries: number[] = []
    // A third start fully compliant, so both answers occur and reversals can break compliance.
    await db.transaction().execute(async (trx) => {
      for (const [i, p] of people.entries()) {
        if (i % 3 !== 0) continue
        for (let year = 2022; year <= 2026; year++)
          for (const [category, hours] of [
            ['professional', '60'],
            ['public', '30'],
          ] as const) {
            const { entry } = await credit(trx, {
              personId: p.personId,
              category,
              hours,
              sourceKind: 'seminar',
              idempotencyKey: `full:${p.personId}:${year}:${category}`,
              occurredAt: new Date(Date.UTC(year, 5, 15, 4)),
            })
            entries.push(entry.id)
          }
      }
    })
    for (let round = 0; round < 3; round++) {
      await db.transaction().execute(async (trx) => {
        for (let k = 0; k < 60; k++) {
          const p = people[Math.floor(rand() * people.length)]!
          const year = 2022 + Math.floor(rand() * 5)
          const hours = String([6, 12, 24, 30, 45, 60][Math.floor(rand() * 6)])
          const { entry } = await credit(trx, {
            personId: p.personId,
            category: rand() < 0.6 ? 'professional' : 'public',
            hours,
            sourceKind: 'seminar',
            idempotencyKey: `prop:${round}:${k}:${p.personId}`,
            occurredAt: new Date(Date.UTC(year, 5, 15, 4)),
            notCountedReason: rand() < 0.1 ? '超过公需科目上限' : null,
          })
          entries.push(entry.id)
        }
      })
      // Some reversals, and a move of someone to another region (their counts move with them).
      await db.transaction().execute(async (trx) => {
        for (let k = 0; k < 10; k++) {
          const id = entries.splice(Math.floor(rand() * entries.length), 1)[0]!
          await reverse(trx, { entryId: id, reason: '测试冲正', actorAccountId: null })
        }
      })
      await db.updateTable('people').set({ region_code: '220200' }).where('id', '=', people[round]!.personId).execute()
      await refreshAll(db, { now: NOW, limit: 7 })
      expect(await recountMismatches()).toBe(0)
    }

    // Per-year status against the ledger's totals, year by year.
    const years = await sql<{ bad: number }>`
      select count(*)::int as bad from compliance_person_years y
      left join (select person_id, ce_year,
                   sum(counted_hours) filter (where category = 'professional') as prof,
                   sum(counted_hours) filter (where category = 'public') as pub
                 from hour_totals group by 1, 2) t using (person_id, ce_year)
      where y.professional <> coalesce(t.prof, 0)`.execute(db)
    expect(years.rows[0]!.bad).toBe(0)

    // Readiness equals the check API's answer for next year, person by person.
    const hr = await createStaff(db, 'hr', { scopeRegion: '220000' })
    const answers = await runChecks(
      db,
      { accountId: hr.accountId, scopeRegion: '220000' },
      people.map((p) => ({ idNumber: p.idNumber, applicationYear: 2027 })),
      (a) => a,
      new Date('2027-01-01T04:00:00+08:00'),
    )
    const stored = await db.selectFrom('compliance_people').select(['person_id', 'ready', 'failing_years', 'application_year']).execute()
    const byId = new Map(stored.map((s) => [Number(s.person_id), s]))
    let ready = 0
    for (const [i, p] of people.entries()) {
      const a = answers[i]!
      if (!a.ok) throw new Error('check failed')
      const s = byId.get(p.personId)!
      expect(s.application_year).toBe(2027)
      expect(s.ready, `person ${p.personId}`).toBe(a.answer.eligible)
      expect(s.failing_years).toEqual(a.answer.years.filter((y) => !y.met).map((y) => y.year))
      if (s.ready) ready++
    }
    // The sample is not degenerate: both answers occur.
    expect(ready).toBeGreaterThan(0)
    expect(ready).toBeLessThan(people.length)
  })

  it('does not count officials or base-only staff', async () => {
    const learner = await learnerFrom(db)
    const hr = await createStaff(db, 'hr', { scopeRegion: '220100' })
    await refreshAll(db, { now: NOW })
    const rows = await db.selectFrom('compliance_people').select('person_id').execute()
    expect(rows.map((r) => Number(r.person_id))).toEqual([learner.personId])
    expect(rows.map((r) => Number(r.person_id))).not.toContain(hr.personId)
    // A person already counted who is given an official's account leaves the count.
    await db.updateTable('accounts').set({ role: 'hr', scope_region: '220100' }).where('id', '=', learner.accountId).execute()
    await refreshAll(db, { now: NOW })
    expect(await db.selectFrom('compliance_people').select('person_id').execute()).toEqual([])
  })

  it('refreshes nothing it cannot see committed, and picks it up on the next batch', async () => {
    const p = await learnerFrom(db)
    await refreshAll(db, { now: NOW })
    const pending = db.transaction().execute(async (trx) => {
      await credit(trx, {
        personId: p.personId,
        category: 'professional',
        hours: '60',
        sourceKind: 'seminar',
        idempotencyKey: `uncommitted:${p.personId}`,
        occurredAt: new Date(Date.UTC(2026, 5, 15, 4)),
      })
      // While this transaction is open, the refresher skips the person.
      expect(await refreshAll(db, { now: NOW })).toBe(0)
    })
    await pending
    expect(await refreshAll(db, { now: NOW })).toBe(1)
    const y = await db
      .selectFrom('compliance_person_years')
      .select(['professional'])
      .where('person_id', '=', p.personId)
      .where('ce_year', '=', 2026)
      .executeTakeFirstOrThrow()
    expect(y.professional).toBe('60.00')
  })
})
