import { describe, expect, test } from 'vitest'

import { refreshAll } from '#app/domain/compliance/refresh.server.ts'
import { confirmFinding, proposeFinding } from '#app/domain/integrity/records.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as dashboard from '#app/routes/hr/compliance.tsx'
import * as peoplePage from '#app/routes/hr/compliance-people.tsx'
import { tx } from '#test/factories/bases.ts'
import { approvedClaim, PDF_EVIDENCE } from '#test/factories/claims.ts'
import { giveHours } from '#test/factories/hours.ts'
import { cookieFor, createStaff } from '#test/factories/people.ts'
import { learnerFrom } from '#test/factories/seminars.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'

/**
 * The dashboard and its people list (issue 13): every figure and row inside the officer's scope,
 * the same figures as a recount, nonsense filters refused with a message, the integrity filter.
 */
const db = () => getDb()
const NOW = new Date()
const YEAR = NOW.getUTCFullYear()
const FULL = [
  { year: YEAR, category: 'professional' as const, hours: '60' },
  { year: YEAR, category: 'public' as const, hours: '30' },
]

async function hr(scopeRegion: string) {
  const s = await createStaff(db(), 'hr', { scopeRegion })
  return { ...s, scopeRegion, cookie: await cookieFor(db(), s.accountId) }
}

/** 长春: 3 people, 1 met this year; 延边: 2 people, 2 met. */
async function population() {
  const cc = [await learnerFrom(db(), '220102', { region: '220100' }), await learnerFrom(db(), '220102', { region: '220100' })]
  const cc3 = await learnerFrom(db(), '220102', { region: '220100', titleSeries: 'health' })
  const yb = [await learnerFrom(db(), '222401', { region: '222400' }), await learnerFrom(db(), '222401', { region: '222400' })]
  await giveHours(db(), cc3.personId, FULL)
  for (const p of yb) await giveHours(db(), p.personId, FULL)
  return { cc: [...cc, cc3], yb }
}

const get = (mod: { loader: (a: never) => unknown }, path: string, cookie: string) =>
  call(mod.loader as never, makeRequest(path, { cookie }))

describe('compliance dashboard', () => {
  test('a 市州 officer sees only their region in every figure and list; the province sees all', async () => {
    const { cc, yb } = await population()
    await refreshAll(db())
    const changchun = await hr('220100')
    const province = await hr('220000')

    const mine = await get(dashboard, `/hr/compliance?year=${YEAR}&by=region`, changchun.cookie)
    expect(mine.status).toBe(200)
    // HR staff have people rows of their own (region null for staff made by the factory): count the learners' region only.
    expect(mine.data.totals.people).toBe(3)
    expect(mine.data.totals.met).toBe(1)
    expect(mine.data.groups.map((g: { key: string }) => g.key)).toEqual(['220100'])

    const all = await get(dashboard, `/hr/compliance?year=${YEAR}&by=region`, province.cookie)
    const keys = all.data.groups.map((g: { key: string }) => g.key)
    expect(keys).toContain('222400')
    expect(keys).toContain('220100')
    const yanbian = all.data.groups.find((g: { key: string }) => g.key === '222400')
    expect(yanbian).toMatchObject({ people: 2, met: 2, short: 0 })

    // The lists: Changchun's short list holds its 2 short people and nobody of Yanbian, whatever is asked.
    const list = await get(peoplePage, `/hr/compliance/people?year=${YEAR}&status=all`, changchun.cookie)
    expect(list.status).toBe(200)
    const ids = list.data.page.rows.map((r: { person_id: number }) => r.person_id).sort()
    expect(ids).toEqual(cc.map((p) => p.personId).sort())
    const short = await get(peoplePage, `/hr/compliance/people?year=${YEAR}&status=short`, changchun.cookie)
    expect(short.data.total).toBe(2)
    expect(short.data.page.rows.every((r: { idNumberMasked: string }) => r.idNumberMasked.includes('*'))).toBe(true)
    const other = await get(peoplePage, `/hr/compliance/people?year=${YEAR}&region=222400`, changchun.cookie)
    expect(other.status).toBe(400)
    expect(other.data.problems).toEqual(['region_out_of_scope'])
    for (const p of yb) expect(JSON.stringify(list.data)).not.toContain(`"person_id":${p.personId},`)

    // Someone moves to Yanbian: before the refresher has counted the move, Changchun's list no
    // longer shows them (the list checks the person's region now, not only the stored one).
    await db().updateTable('people').set({ region_code: '222400' }).where('id', '=', cc[0]!.personId).execute()
    const after = await get(peoplePage, `/hr/compliance/people?year=${YEAR}&status=all`, changchun.cookie)
    expect(after.data.page.rows.map((r: { person_id: number }) => r.person_id)).not.toContain(cc[0]!.personId)
  })

  test('nonsense filters are refused with what is wrong, and change nothing', async () => {
    const officer = await hr('220100')
    for (const [query, problem] of [
      ['year=abc', 'bad_year'],
      ['year=1999', 'bad_year'],
      [`year=${YEAR}&status=everyone`, 'bad_status'],
      [`year=${YEAR}&series=astrology`, 'bad_series'],
      [`year=${YEAR}&region=999999`, 'bad_region'],
      [`year=${YEAR}&employer=-3`, 'bad_employer'],
      ['year=2031', 'year_not_covered'],
    ] as const) {
      for (const mod of [dashboard, peoplePage]) {
        const path = mod === dashboard ? '/hr/compliance' : '/hr/compliance/people'
        const r = await get(mod, `${path}?${query}`, officer.cookie)
        expect(r.status, `${path}?${query}`).toBe(400)
        expect(r.data.problems).toContain(problem)
      }
    }
  })

  test('the integrity filter lists the people with a record in force, and readiness says why', async () => {
    const learner = await learnerFrom(db(), '220102', { region: '220100' })
    const finder = await createStaff(db(), 'hr', { scopeRegion: '220100' })
    const confirmer = await createStaff(db(), 'hr', { scopeRegion: '220100' })
    const { claimId } = await approvedClaim(db(), learner.personId, { ...finder, scopeRegion: '220100' })
    const f = { accountId: finder.accountId, personId: finder.personId, scopeRegion: '220100' }
    const c = { accountId: confirmer.accountId, personId: confirmer.personId, scopeRegion: '220100' }
    const proposed = await tx(db(), (trx) =>
      proposeFinding(
        trx,
        f,
        {
          sourceKind: 'claim',
          sourceId: claimId,
          finding: '证明材料系伪造',
          documentNumber: '长人社诚字〔2026〕9号',
          evidence: { filename: 'a.pdf', bytes: PDF_EVIDENCE },
        },
        NOW,
      ),
    )
    if (!proposed.ok) throw new Error(proposed.code)
    const confirmed = await tx(db(), (trx) => confirmFinding(trx, c, proposed.recordId, NOW))
    expect(confirmed.ok).toBe(true)
    const other = await learnerFrom(db(), '220102', { region: '220100' })
    await refreshAll(db())
    const officer = await hr('220100')
    const r = await get(peoplePage, `/hr/compliance/people?year=${YEAR}&status=all&integrity=in_force`, officer.cookie)
    expect(r.status).toBe(200)
    const ids = r.data.page.rows.map((x: { person_id: number }) => x.person_id)
    expect(ids).toEqual([learner.personId])
    expect(ids).not.toContain(other.personId)
    expect(r.data.page.rows[0].integrity_ends_on).not.toBeNull()
    expect(r.data.page.rows[0].ready).toBe(false)
    // The dashboard counts them, in scope only.
    const figures = await get(dashboard, `/hr/compliance?year=${YEAR}`, officer.cookie)
    expect(figures.data.integrity).toBe(1)
    const yanbian = await hr('222400')
    expect((await get(dashboard, `/hr/compliance?year=${YEAR}`, yanbian.cookie)).data.integrity).toBe(0)
  })
})
