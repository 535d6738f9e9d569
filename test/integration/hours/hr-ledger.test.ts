import { describe, expect, test } from 'vitest'

import { ceYearOf, credit } from '#app/domain/hours/ledger.server.ts'
import { maskIdNumber } from '#app/domain/shared/id-number.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as people from '#app/routes/hr/people.tsx'
import * as person from '#app/routes/hr/person.tsx'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()
const YEAR = ceYearOf(new Date())

async function learnerIn(region = '220100', overrides: Record<string, string> = {}) {
  const l = await createLearner(db(), { region, ...overrides })
  const { person_id } = await db().selectFrom('accounts').select('person_id').where('id', '=', l.accountId).executeTakeFirstOrThrow()
  return { ...l, personId: person_id, cookie: await cookieFor(db(), l.accountId) }
}

async function staff(role: 'hr' | 'base_staff' | 'admin', scopeRegion = '220100') {
  const s = await createStaff(db(), role, { scopeRegion })
  const { person_id } = await db().selectFrom('accounts').select('person_id').where('id', '=', s.accountId).executeTakeFirstOrThrow()
  return { ...s, personId: person_id, cookie: await cookieFor(db(), s.accountId) }
}

async function count(table: 'hour_entries' | 'audit_log' | 'hour_totals') {
  return (
    await db()
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n
}
const counts = async () => ({ entries: await count('hour_entries'), audit: await count('audit_log') })

function search(cookie: string, form: Record<string, string>) {
  return call(people.action, makeRequest('/hr/people', { form, cookie }))
}

function open(cookie: string, personId: number, year?: number) {
  return call(person.loader, makeRequest(`/hr/people/${personId}${year ? `?year=${year}` : ''}`, { cookie }), {
    personId: String(personId),
  })
}

function post(cookie: string, personId: number, form: Record<string, string>) {
  return call(person.action, makeRequest(`/hr/people/${personId}`, { form, cookie }), { personId: String(personId) })
}

const NONCE = 'n0nce-for-the-test-0001'
const adjustment = (overrides: Record<string, string> = {}) => ({
  intent: 'adjust',
  category: 'public',
  hours: '6',
  year: String(YEAR),
  reason: '补录线下培训：2026年全省专业技术人员公需科目培训',
  nonce: NONCE,
  ...overrides,
})

async function anEntry(personId: number, hours = '10', key = `course:1:${personId}`) {
  const { entry } = await db()
    .transaction()
    .execute((trx) =>
      credit(trx, { personId, category: 'professional', hours, sourceKind: 'online_course', idempotencyKey: key, occurredAt: new Date() }),
    )
  return entry
}

describe('HR finds a person (hr/people)', () => {
  test('by ID number: exact, masked in the answer, audited with the masked number; other regions find nothing', async () => {
    const p = await learnerIn('220100', { name: '王小明' })
    const hr = await staff('hr', '220100')
    const res = await search(hr.cookie, { intent: 'search-id', idNumber: p.idNumber.toLowerCase() })
    expect(res.status).toBe(200)
    expect(res.data.people).toHaveLength(1)
    expect(res.data.people[0]).toMatchObject({
      id: p.personId,
      name: '王小明',
      idNumberMasked: maskIdNumber(p.idNumber),
      region_code: '220100',
      registered: true,
    })
    expect(JSON.stringify(res.data)).not.toContain(p.idNumber)
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'hr.people.search').execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.actor_account_id).toBe(hr.accountId)
    expect(audit[0]!.detail).toMatchObject({ mode: 'id', idNumber: maskIdNumber(p.idNumber), results: 1 })
    expect(JSON.stringify(await db().selectFrom('audit_log').selectAll().execute())).not.toContain(p.idNumber)

    const other = await staff('hr', '220200')
    expect((await search(other.cookie, { intent: 'search-id', idNumber: p.idNumber })).data.people).toEqual([])
    const province = await staff('hr', '220000')
    expect(
      (await search(province.cookie, { intent: 'search-id', idNumber: p.idNumber })).data.people.map((x: { id: number }) => x.id),
    ).toEqual([p.personId])
  })

  test('a malformed ID number → field error, no search', async () => {
    const hr = await staff('hr')
    const res = await search(hr.cookie, { intent: 'search-id', idNumber: '22010219900101123' })
    expect(res.status).toBe(400)
    expect(errorsOf(res)).toEqual({ idNumber: 'err.idNumber.format' })
    expect(await db().selectFrom('audit_log').select('id').where('action', '=', 'hr.people.search').execute()).toEqual([])
  })

  test('by name + employer: both required, exact name, employer contains (case-insensitive, wildcards literal), only in scope', async () => {
    const a = await learnerIn('220100', { name: '李华', employer: '长春市第一人民医院' })
    await learnerIn('220100', { name: '李华', employer: '吉林大学' })
    await learnerIn('220100', { name: '李华明', employer: '长春市第一人民医院' })
    const far = await learnerIn('220200', { name: '李华', employer: '吉林市第一人民医院' })
    const hr = await staff('hr', '220100')

    const res = await search(hr.cookie, { intent: 'search-name', name: '李华', employer: '第一人民医院' })
    expect(res.data.people.map((x: { id: number }) => x.id)).toEqual([a.personId])
    expect(res.data.people[0].idNumberMasked).toBe(maskIdNumber(a.idNumber))

    const province = await staff('hr', '220000')
    const all = await search(province.cookie, { intent: 'search-name', name: '李华', employer: '第一人民医院' })
    expect(all.data.people.map((x: { id: number }) => x.id).sort()).toEqual([a.personId, far.personId].sort())

    expect((await search(hr.cookie, { intent: 'search-name', name: '李华', employer: '%' })).data.people).toEqual([])
    const nameOnly = await search(hr.cookie, { intent: 'search-name', name: '李华', employer: '' })
    expect(nameOnly.status).toBe(400)
    expect(errorsOf(nameOnly)).toEqual({ employer: 'err.required' })
  })

  test('learners, base staff and admins → 403', async () => {
    const p = await learnerIn()
    for (const who of [p, await staff('base_staff'), await staff('admin')]) {
      expect((await call(people.loader, makeRequest('/hr/people', { cookie: who.cookie }))).status).toBe(403)
      expect((await search(who.cookie, { intent: 'search-id', idNumber: p.idNumber })).status).toBe(403)
    }
    expect(await db().selectFrom('audit_log').select('id').where('action', '=', 'hr.people.search').execute()).toEqual([])
  })
})

describe("HR manages a person's ledger (hr/people/:personId)", () => {
  test('the ledger for a year: entries and counted totals against the requirement, with a fresh nonce each time', async () => {
    const p = await learnerIn()
    await anEntry(p.personId, '10')
    const hr = await staff('hr')
    const res = await open(hr.cookie, p.personId, YEAR)
    expect(res.status).toBe(200)
    expect(res.data.person).toMatchObject({ id: p.personId, idNumberMasked: maskIdNumber(p.idNumber), self: false })
    expect(res.data.entries).toHaveLength(1)
    expect(res.data.selected.earned.professional).toBe('10')
    expect(res.data.selected.required.total).toBe('90')
    expect(res.data.selected.shortfall.total).toBe('80')
    expect(JSON.stringify(res.data)).not.toContain(p.idNumber)
    const again = await open(hr.cookie, p.personId, YEAR)
    expect(again.data.nonce).toMatch(/^[A-Za-z0-9_-]{16,64}$/)
    expect(again.data.nonce).not.toBe(res.data.nonce)
  })

  test('a person in another region → 403; unknown → 404; learners, base staff and admins → 403', async () => {
    const p = await learnerIn('220100')
    const other = await staff('hr', '220200')
    expect((await open(other.cookie, p.personId)).status).toBe(403)
    expect((await open(other.cookie, 987654)).status).toBe(404)
    const before = await counts()
    expect((await post(other.cookie, p.personId, adjustment())).status).toBe(403)
    const e = await anEntry(p.personId)
    const mid = await counts()
    expect(
      (await post(other.cookie, p.personId, { intent: 'reverse', confirm: 'yes', entryId: String(e.id), reason: '错误' })).status,
    ).toBe(403)
    expect(await counts()).toEqual(mid)
    expect(mid.audit).toBe(before.audit)
    const outsiders = [await learnerIn('220100'), await staff('base_staff'), await staff('admin')]
    const beforeOutsiders = await counts()
    for (const who of outsiders) {
      expect((await open(who.cookie, p.personId)).status).toBe(403)
      expect((await post(who.cookie, p.personId, adjustment())).status).toBe(403)
    }
    expect(await counts()).toEqual(beforeOutsiders)
    expect(beforeOutsiders.entries).toBe(mid.entries)
  })

  test('an adjustment → an adjustment entry in that year and category, totals updated, audit row', async () => {
    const p = await learnerIn()
    const hr = await staff('hr')
    const res = await post(hr.cookie, p.personId, adjustment({ hours: '7.5', year: String(YEAR - 1) }))
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({ intent: 'adjust', ok: true, created: true })
    const e = await db().selectFrom('hour_entries').selectAll().executeTakeFirstOrThrow()
    expect(e).toMatchObject({
      person_id: p.personId,
      ce_year: YEAR - 1,
      category: 'public',
      source_kind: 'adjustment',
      counted: true,
      created_by: hr.accountId,
      idempotency_key: `adjustment:${p.personId}:${NONCE}`,
    })
    expect(Number(e.hours)).toBe(7.5)
    expect(e.reason).toContain('补录线下培训')
    const totals = await db().selectFrom('hour_totals').selectAll().where('person_id', '=', p.personId).executeTakeFirstOrThrow()
    expect(totals).toMatchObject({ ce_year: YEAR - 1, category: 'public' })
    expect(Number(totals.counted_hours)).toBe(7.5)
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'hours.adjust').execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor_account_id: hr.accountId, target_type: 'person', target_id: String(p.personId) })
    expect(audit[0]!.detail).toMatchObject({ entryId: e.id, ceYear: YEAR - 1, category: 'public', hours: '7.5' })
  })

  test('the same form submitted twice (same nonce) → one entry, one audit row', async () => {
    const p = await learnerIn()
    const hr = await staff('hr')
    const [a, b] = await Promise.all([post(hr.cookie, p.personId, adjustment()), post(hr.cookie, p.personId, adjustment())])
    expect([a.data.created, b.data.created].sort()).toEqual([false, true])
    const third = await post(hr.cookie, p.personId, adjustment())
    expect(third.data).toMatchObject({ intent: 'adjust', ok: true, created: false })
    expect(await count('hour_entries')).toBe(1)
    expect(await db().selectFrom('audit_log').select('id').where('action', '=', 'hours.adjust').execute()).toHaveLength(1)
    // A new form (new nonce) is a new adjustment.
    await post(hr.cookie, p.personId, adjustment({ nonce: 'another-nonce-000000001' }))
    expect(await count('hour_entries')).toBe(2)
  })

  test.each([
    ['1.234', 'err.hours.format'],
    ['0', 'err.hours.positive'],
    ['0.00', 'err.hours.positive'],
    ['-3', 'err.hours.format'],
    ['1000', 'err.hours.format'],
    ['abc', 'err.hours.format'],
    ['', 'err.required'],
  ])('hours %j → %s, nothing written', async (hours, key) => {
    const p = await learnerIn()
    const hr = await staff('hr')
    const before = await counts()
    const res = await post(hr.cookie, p.personId, adjustment({ hours }))
    expect(res.status).toBe(400)
    expect(errorsOf(res)).toEqual({ hours: key })
    expect(await counts()).toEqual(before)
  })

  test('a future year, a year without a policy, or no reason → field error, nothing written', async () => {
    const p = await learnerIn()
    const hr = await staff('hr')
    const before = await counts()
    expect(errorsOf(await post(hr.cookie, p.personId, adjustment({ year: String(YEAR + 1) })))).toEqual({ year: 'err.adjust.year' })
    expect(errorsOf(await post(hr.cookie, p.personId, adjustment({ year: '2010' })))).toEqual({ year: 'err.adjust.year' })
    expect(errorsOf(await post(hr.cookie, p.personId, adjustment({ reason: '  ' })))).toEqual({ reason: 'err.required' })
    expect(await counts()).toEqual(before)
  })

  test('reverse → a reversing entry and an audit row; reversing again → clear error, nothing written', async () => {
    const p = await learnerIn()
    const e = await anEntry(p.personId, '12.5')
    const hr = await staff('hr')
    const res = await post(hr.cookie, p.personId, { intent: 'reverse', confirm: 'yes', entryId: String(e.id), reason: '重复计入' })
    expect(res.status).toBe(200)
    expect(res.data).toEqual({ intent: 'reverse', ok: true, entryId: e.id })
    const rev = await db().selectFrom('hour_entries').selectAll().where('reverses_id', '=', e.id).executeTakeFirstOrThrow()
    expect(rev).toMatchObject({
      source_kind: 'reversal',
      reason: '重复计入',
      created_by: hr.accountId,
      ce_year: e.ceYear,
      category: 'professional',
    })
    expect(Number(rev.hours)).toBe(-12.5)
    const totals = await db()
      .selectFrom('hour_totals')
      .select('counted_hours')
      .where('person_id', '=', p.personId)
      .executeTakeFirstOrThrow()
    expect(Number(totals.counted_hours)).toBe(0)
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'hours.reverse').execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.detail).toMatchObject({ entryId: e.id, reversalId: rev.id, hours: '-12.5', reason: '重复计入' })

    const before = await counts()
    const again = await post(hr.cookie, p.personId, { intent: 'reverse', confirm: 'yes', entryId: String(e.id), reason: '再来一次' })
    expect(again.status).toBe(409)
    expect(errorsOf(again)).toEqual({ _form: 'err.reverse.already' })
    const ofReversal = await post(hr.cookie, p.personId, { intent: 'reverse', confirm: 'yes', entryId: String(rev.id), reason: '撤销冲正' })
    expect(ofReversal.status).toBe(409)
    expect(errorsOf(ofReversal)).toEqual({ _form: 'err.reverse.reversal' })
    expect(await counts()).toEqual(before)
    // The page shows the entry as reversed.
    const page = await open(hr.cookie, p.personId, e.ceYear)
    expect(page.data.entries.find((x: { id: number }) => x.id === e.id).reversedBy).toBe(rev.id)
  })

  test('reverse without a reason → field error; an entry of someone else via this page → 404; nothing written', async () => {
    const p = await learnerIn()
    const q = await learnerIn()
    const mine = await anEntry(p.personId)
    const theirs = await anEntry(q.personId)
    const hr = await staff('hr')
    const before = await counts()
    const noReason = await post(hr.cookie, p.personId, { intent: 'reverse', confirm: 'yes', entryId: String(mine.id), reason: '' })
    expect(noReason.status).toBe(400)
    expect(errorsOf(noReason)).toEqual({ reason: 'err.required' })
    expect(
      (await post(hr.cookie, p.personId, { intent: 'reverse', confirm: 'yes', entryId: String(theirs.id), reason: '错误' })).status,
    ).toBe(404)
    expect(await counts()).toEqual(before)
  })

  test('an officer cannot adjust or reverse their own hours (403), though the province can', async () => {
    const hr = await staff('hr', '220000')
    // Staff accounts have no region of their own: only the province sees them.
    const res = await post(hr.cookie, hr.personId, adjustment())
    expect(res.status).toBe(403)
    expect((await open(hr.cookie, hr.personId)).data.person.self).toBe(true)
    expect(await count('hour_entries')).toBe(0)
    const other = await staff('hr', '220000')
    expect((await post(other.cookie, hr.personId, adjustment())).data).toMatchObject({ intent: 'adjust', ok: true, created: true })
  })
})
