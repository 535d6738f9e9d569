import { beforeEach, describe, expect, test } from 'vitest'

import { createApiClient, revokeApiClient } from '#app/domain/credit-api/api-clients.server.ts'
import { type Counted, evaluateCheck, type PolicyForCheck } from '#app/domain/credit-api/credit-check.ts'
import { credit, reverse } from '#app/domain/hours/ledger.server.ts'
import { clearPolicyCache } from '#app/domain/policy/cache.server.ts'
import { policiesInForce } from '#app/domain/policy/policy.server.ts'
import { idNumberCheckChar, maskIdNumber } from '#app/domain/shared/id-number.ts'
import { presentReason } from '#app/http/credit-check-answer.ts'
import { encryptPii, lookupHash } from '#app/lib/crypto.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { loader as getCheckLoader } from '#app/routes/api/credit-check.ts'
import { action as checkAction, loader as checkLoader } from '#app/routes/api/credit-checks.ts'
import { action as batchAction, loader as batchLoader } from '#app/routes/api/credit-checks-batch.ts'
import type { Category } from '#db/schema.ts'
import { createLearner, makeIdNumber } from '#test/factories/people.ts'
import { call, type Outcome } from '#test/fixtures/http.ts'

const CURRENT_YEAR = new Date().getFullYear()
const ALL_YEARS = [2022, 2023, 2024, 2025]

// ---------------------------------------------------------------------------------------------
// HTTP helpers: real Request objects handed to the route modules, as Remix does.

function jsonRequest(path: string, key: string | null, body: unknown, headers: Record<string, string> = {}): Request {
  const h = new Headers({ 'Content-Type': 'application/json', ...headers })
  if (key !== null) h.set('Authorization', `Bearer ${key}`)
  return new Request(`http://localhost/api/v1${path}`, {
    method: 'POST',
    headers: h,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

function check(key: string | null, body: unknown): Promise<Outcome> {
  return call(checkAction, jsonRequest('/credit-checks', key, body))
}

function batch(key: string | null, body: unknown): Promise<Outcome> {
  return call(batchAction, jsonRequest('/credit-checks/batch', key, body))
}

function fetchCheck(key: string | null, checkId: string): Promise<Outcome> {
  const headers = new Headers()
  if (key !== null) headers.set('Authorization', `Bearer ${key}`)
  return call(getCheckLoader, new Request(`http://localhost/api/v1/credit-checks/${encodeURIComponent(checkId)}`, { headers }), { checkId })
}

/** The stable error shape: { error: { code, message, details? } } and nothing else. */
function expectError(res: Outcome, status: number, code: string) {
  expect(res.status, JSON.stringify(res.data)).toBe(status)
  expect(Object.keys(res.data)).toEqual(['error'])
  expect(res.data.error.code).toBe(code)
  expect(typeof res.data.error.message).toBe('string')
  expect(res.data.error.message.length).toBeGreaterThan(0)
  for (const k of Object.keys(res.data.error)) expect(['code', 'message', 'details']).toContain(k)
  expect(res.headers.get('Content-Type')).toMatch(/application\/json/)
}

// ---------------------------------------------------------------------------------------------
// Data helpers.

async function apiKey(scopeRegion = '220000', rateLimitPerMinute?: number) {
  const r = await createApiClient(getDb(), { name: `职称申报系统 ${scopeRegion}`, scopeRegion, rateLimitPerMinute, actorAccountId: null })
  if (!r.ok) throw new Error(`api client: ${r.code}`)
  return r
}

async function learner(overrides: Record<string, string> = {}) {
  const l = await createLearner(getDb(), overrides)
  const row = await getDb().selectFrom('accounts').select('person_id').where('id', '=', l.accountId).executeTakeFirstOrThrow()
  return { ...l, personId: row.person_id }
}

let creditSeq = 0
async function give(personId: number, ceYear: number, category: Category, hours: string) {
  creditSeq += 1
  return getDb()
    .transaction()
    .execute((trx) =>
      credit(trx, {
        personId,
        category,
        hours,
        sourceKind: 'external',
        idempotencyKey: `api-test:${personId}:${ceYear}:${category}:${creditSeq}`,
        occurredAt: new Date(`${ceYear}-06-15T10:00:00+08:00`),
        ceYear,
      }),
    )
}

async function giveFullYears(personId: number, years = ALL_YEARS) {
  for (const y of years) {
    await give(personId, y, 'professional', '60')
    await give(personId, y, 'public', '30')
  }
}

/** A valid ID number whose check character is X. */
let xSeq = 0
function idNumberEndingInX(area = '220102'): string {
  for (;;) {
    xSeq += 1
    const first17 = `${area}1983${String(1 + (xSeq % 12)).padStart(2, '0')}${String(1 + (xSeq % 28)).padStart(2, '0')}${String(xSeq % 1000).padStart(3, '0')}`
    if (idNumberCheckChar(first17) === 'X') return `${first17}X`
  }
}

/** Distinct valid ID numbers by construction (one birth date each), for bulk tests. */
function bulkIdNumber(i: number, area = '220104'): string {
  const d = new Date(Date.UTC(1965, 0, 1) + i * 86_400_000)
  const first17 = `${area}${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`
  return first17 + idNumberCheckChar(first17)
}

function withWrongCheckChar(id: string): string {
  const right = id[17]!
  const wrong = '0123456789X'.split('').find((c) => c !== right)!
  return id.slice(0, 17) + wrong
}

function withBadDate(area = '220102'): string {
  const first17 = `${area}19990231123`
  return first17 + idNumberCheckChar(first17)
}

async function creditChecks() {
  return getDb().selectFrom('credit_checks').selectAll().orderBy('created_at').orderBy('id').execute()
}

beforeEach(() => {
  clearPolicyCache()
})

// ---------------------------------------------------------------------------------------------

describe('POST /api/v1/credit-checks: answers', () => {
  test('a learner who met every year is eligible; each year checked is reported with its policy; the ID is masked', async () => {
    const { key } = await apiKey()
    const p = await learner()
    await giveFullYears(p.personId)
    const res = await check(key, { idNumber: p.idNumber, applicationYear: 2026 })
    expect(res.status).toBe(200)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    const a = res.data
    expect(a).toMatchObject({
      found: true,
      eligible: true,
      applicationYear: 2026,
      currentTitleYear: 2020,
      titleLevel: null,
      policyVersion: '2026.1',
      idNumberMasked: maskIdNumber(p.idNumber),
      reasons: [],
    })
    expect(a.checkId).toMatch(/^chk_[A-Za-z0-9_-]{10,40}$/)
    expect(a.idNumberMasked).toBe(`${p.idNumber.slice(0, 6)}********${p.idNumber.slice(14)}`)
    expect(new Date(a.checkedAt).toISOString()).toBe(a.checkedAt)
    expect(a.years.map((y: { year: number }) => y.year)).toEqual(ALL_YEARS)
    for (const y of a.years) {
      expect(y).toEqual({
        year: y.year,
        policyVersion: `${y.year}.1`,
        required: { total: '90', professional: '60', public: '30' },
        earned: { total: '90', professional: '60', public: '30' },
        met: true,
        shortfall: { total: '0', professional: '0', public: '0' },
      })
    }
    const text = JSON.stringify(a)
    expect(text).not.toContain(p.idNumber)
    expect(text).not.toContain(p.idNumber.slice(6, 14)) // the birth date part never leaves
  })

  test('one year short → not eligible, with the exact shortfall per category and a year_not_met reason naming the year', async () => {
    const { key } = await apiKey()
    const p = await learner()
    await giveFullYears(p.personId, [2022, 2023, 2025])
    await give(p.personId, 2024, 'professional', '55.5')
    await give(p.personId, 2024, 'public', '30')
    const res = await check(key, { idNumber: p.idNumber, applicationYear: 2026 })
    expect(res.status).toBe(200)
    expect(res.data.eligible).toBe(false)
    expect(res.data.found).toBe(true)
    const y2024 = res.data.years.find((y: { year: number }) => y.year === 2024)
    expect(y2024).toMatchObject({
      met: false,
      earned: { total: '85.5', professional: '55.5', public: '30' },
      shortfall: { total: '4.5', professional: '4.5', public: '0' },
    })
    expect(res.data.years.filter((y: { met: boolean }) => !y.met).map((y: { year: number }) => y.year)).toEqual([2024])
    expect(res.data.reasons).toHaveLength(1)
    expect(res.data.reasons[0]).toMatchObject({ code: 'year_not_met', year: 2024 })
    expect(typeof res.data.reasons[0].message).toBe('string')
  })

  test('decimal hours stay exact through the API: 0.1 + 0.2 is 0.3', async () => {
    const { key } = await apiKey()
    const p = await learner()
    await give(p.personId, 2025, 'professional', '0.1')
    await give(p.personId, 2025, 'professional', '0.2')
    await give(p.personId, 2025, 'public', '0.05')
    await give(p.personId, 2025, 'public', '0.25')
    const res = await check(key, { idNumber: p.idNumber, applicationYear: 2026 })
    const y2025 = res.data.years.find((y: { year: number }) => y.year === 2025)
    expect(y2025.earned).toEqual({ total: '0.6', professional: '0.3', public: '0.3' })
    expect(y2025.shortfall).toEqual({ total: '89.4', professional: '59.7', public: '29.7' })
  })

  test('reversed hours are not counted in the answer', async () => {
    const { key } = await apiKey()
    const p = await learner()
    await giveFullYears(p.personId)
    const { entry } = await give(p.personId, 2023, 'professional', '20')
    const before = await check(key, { idNumber: p.idNumber, applicationYear: 2026 })
    expect(before.data.years.find((y: { year: number }) => y.year === 2023).earned.professional).toBe('80')
    // Reverse one of the hours that made 2025 compliant, and the extra 20 in 2023.
    const e2025 = await getDb()
      .selectFrom('hour_entries')
      .select('id')
      .where('person_id', '=', p.personId)
      .where('ce_year', '=', 2025)
      .where('category', '=', 'public')
      .executeTakeFirstOrThrow()
    await getDb()
      .transaction()
      .execute((trx) => reverse(trx, { entryId: e2025.id, reason: '重复登记', actorAccountId: null }))
    await getDb()
      .transaction()
      .execute((trx) => reverse(trx, { entryId: entry.id, reason: '登记错误', actorAccountId: null }))
    const after = await check(key, { idNumber: p.idNumber, applicationYear: 2026 })
    expect(after.data.eligible).toBe(false)
    expect(after.data.years.find((y: { year: number }) => y.year === 2023).earned.professional).toBe('60')
    const y2025 = after.data.years.find((y: { year: number }) => y.year === 2025)
    expect(y2025).toMatchObject({
      met: false,
      earned: { total: '60', professional: '60', public: '0' },
      shortfall: { total: '30', professional: '0', public: '30' },
    })
    expect(after.data.reasons.map((r: { code: string; year?: number }) => [r.code, r.year])).toEqual([['year_not_met', 2025]])
  })

  test('an ID number ending in X is found when asked with a lower-case x', async () => {
    const { key } = await apiKey()
    const idNumber = idNumberEndingInX()
    const p = await learner({ idNumber })
    await giveFullYears(p.personId)
    const res = await check(key, { idNumber: idNumber.toLowerCase(), applicationYear: 2026 })
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({ found: true, eligible: true, idNumberMasked: maskIdNumber(idNumber) })
    expect(res.data.idNumberMasked.endsWith('X')).toBe(true)
    const row = await getDb().selectFrom('credit_checks').select(['person_id']).executeTakeFirstOrThrow()
    expect(row.person_id).toBe(p.personId)
  })

  test('an unknown person → 200, eligible false, found false, not_found; recorded with a hash and masked ID only', async () => {
    const { key, id: clientId } = await apiKey()
    const idNumber = makeIdNumber()
    const res = await check(key, { idNumber, applicationYear: 2026 })
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({
      found: false,
      eligible: false,
      years: [],
      policyVersion: '2026.1',
      idNumberMasked: maskIdNumber(idNumber),
      currentTitleYear: null,
    })
    expect(res.data.reasons[0].code).toBe('not_found')
    expect(JSON.stringify(res.data)).not.toContain(idNumber)
    const rows = await creditChecks()
    expect(rows).toHaveLength(1)
    const row = rows[0]!
    expect(row).toMatchObject({
      id: res.data.checkId,
      api_client_id: clientId,
      person_id: null,
      id_number_masked: maskIdNumber(idNumber),
      eligible: false,
      application_year: 2026,
      policy_version: '2026.1',
    })
    expect(Buffer.isBuffer(row.id_number_hash)).toBe(true)
    expect(row.id_number_hash.equals(lookupHash(idNumber))).toBe(true)
    // The plain ID number is nowhere in the row: not in any column, not as text, hex or bytes.
    for (const [col, value] of Object.entries(row)) {
      const forms = Buffer.isBuffer(value)
        ? [value.toString('latin1'), value.toString('utf8'), value.toString('hex')]
        : [JSON.stringify(value) ?? '', String(value)]
      for (const f of forms) expect(f, col).not.toContain(idNumber)
      for (const f of forms) expect(f.toLowerCase(), col).not.toContain(Buffer.from(idNumber).toString('hex'))
    }
  })

  test('applications before 2023 are not subject to the check: eligible with not_subject (2022, which has a policy)', async () => {
    const { key } = await apiKey()
    const p = await learner()
    const res = await check(key, { idNumber: p.idNumber, applicationYear: 2022 })
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({ found: true, eligible: true, years: [], applicationYear: 2022, policyVersion: '2022.1' })
    expect(res.data.reasons.map((r: { code: string }) => r.code)).toEqual(['not_subject'])
  })

  // The API accepts applicationYear from 2015, and applications before 2023 are not subject to the
  // check; years before the first policy file (2015–2021) must answer so too, not "no policy".
  test.each([2015, 2018, 2021])(
    'an application in %i (before any policy file) is not subject either: eligible with not_subject',
    async (year) => {
      const { key } = await apiKey()
      const p = await learner()
      const res = await check(key, { idNumber: p.idNumber, applicationYear: year })
      expect(res.status).toBe(200)
      expect(res.data).toMatchObject({ found: true, eligible: true, years: [], applicationYear: year })
      expect(res.data.reasons.map((r: { code: string }) => r.code)).toEqual(['not_subject'])
    },
  )

  test('currentTitleYear in the body overrides the registered one: title in 2025 → no years to check → eligible', async () => {
    const { key } = await apiKey()
    const p = await learner() // registered title year 2020, no hours at all
    const registered = await check(key, { idNumber: p.idNumber, applicationYear: 2026 })
    expect(registered.data).toMatchObject({ eligible: false, currentTitleYear: 2020 })
    expect(registered.data.years.map((y: { year: number }) => y.year)).toEqual(ALL_YEARS)

    const res = await check(key, { idNumber: p.idNumber, applicationYear: 2026, currentTitleYear: 2025, titleLevel: 'senior' })
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({ found: true, eligible: true, years: [], currentTitleYear: 2025, titleLevel: 'senior' })
    expect(res.data.reasons.map((r: { code: string }) => r.code)).toEqual(['no_years_to_check'])

    // Title obtained in 2023: only 2024 and 2025 are checked.
    const partial = await check(key, { idNumber: p.idNumber, applicationYear: 2026, currentTitleYear: 2023 })
    expect(partial.data.years.map((y: { year: number }) => y.year)).toEqual([2024, 2025])
  })

  test('a registered title year is used when none is given (title 2023 → 2024 and 2025 checked)', async () => {
    const { key } = await apiKey()
    const p = await learner({ titleYear: '2023' })
    await giveFullYears(p.personId, [2024, 2025])
    const res = await check(key, { idNumber: p.idNumber, applicationYear: 2026 })
    expect(res.data).toMatchObject({ eligible: true, currentTitleYear: 2023 })
    expect(res.data.years.map((y: { year: number }) => y.year)).toEqual([2024, 2025])
  })
})

describe('POST /api/v1/credit-checks: errors have one stable shape', () => {
  test('no Authorization header → 401 with WWW-Authenticate', async () => {
    const p = await learner()
    const res = await check(null, { idNumber: p.idNumber, applicationYear: 2026 })
    expectError(res, 401, 'unauthorized')
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/)
    expect(await creditChecks()).toEqual([])
  })

  test('a wrong key, a malformed header and a revoked key → 401', async () => {
    const { key, id } = await apiKey()
    const p = await learner()
    const body = { idNumber: p.idNumber, applicationYear: 2026 }
    expectError(await check(`xs_${'A'.repeat(40)}`, body), 401, 'unauthorized')
    expectError(await check('not-a-key', body), 401, 'unauthorized')
    expectError(
      await call(
        checkAction,
        new Request('http://localhost/api/v1/credit-checks', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Basic ${key}` },
          body: JSON.stringify(body),
        }),
      ),
      401,
      'unauthorized',
    )
    expect((await check(key, body)).status).toBe(200)
    expect(await revokeApiClient(getDb(), id, null)).toBe(true)
    const revoked = await check(key, body)
    expectError(revoked, 401, 'unauthorized')
    expect(revoked.headers.get('WWW-Authenticate')).toMatch(/^Bearer/)
    expectError(await fetchCheck(key, 'chk_AAAAAAAAAAAAAAAA'), 401, 'unauthorized')
  })

  test('a body that is not JSON → 400 invalid_body (wrong content type, malformed JSON)', async () => {
    const { key } = await apiKey()
    const p = await learner()
    const form = new Request('http://localhost/api/v1/credit-checks', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Bearer ${key}` },
      body: new URLSearchParams({ idNumber: p.idNumber, applicationYear: '2026' }),
    })
    expectError(await call(checkAction, form), 400, 'invalid_body')
    const noType = new Request('http://localhost/api/v1/credit-checks', {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}` },
      body: JSON.stringify({ idNumber: p.idNumber, applicationYear: 2026 }),
    })
    expectError(await call(checkAction, noType), 400, 'invalid_body')
    expectError(await check(key, '{"idNumber": "'), 400, 'invalid_body')
    expectError(await check(key, ''), 400, 'invalid_body')
    expect(await creditChecks()).toEqual([])
  })

  test('a missing field, a wrong type or an unknown extra field → 400 invalid_body with details.issues', async () => {
    const { key } = await apiKey()
    const p = await learner()
    const missing = await check(key, { applicationYear: 2026 })
    expectError(missing, 400, 'invalid_body')
    expect(missing.data.error.details.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'idNumber', message: expect.any(String) })]),
    )

    const wrongType = await check(key, { idNumber: p.idNumber, applicationYear: '2026' })
    expectError(wrongType, 400, 'invalid_body')
    expect(wrongType.data.error.details.issues.map((i: { path: string }) => i.path)).toContain('applicationYear')

    const extra = await check(key, { idNumber: p.idNumber, applicationYear: 2026, name: '张三' })
    expectError(extra, 400, 'invalid_body')
    expect(extra.data.error.details.issues.length).toBeGreaterThan(0)

    expectError(await check(key, [{ idNumber: p.idNumber, applicationYear: 2026 }]), 400, 'invalid_body')
    expectError(await check(key, null), 400, 'invalid_body')
    expect(await creditChecks()).toEqual([])
  })

  test.each([
    ['empty', () => ''],
    ['format', () => '22010219800101123'],
    ['format', () => '2201021980010112345'],
    ['format', () => '22010219800101123Y'],
    ['date', () => withBadDate()],
    [
      'date',
      () => {
        const f = `220102${new Date().getFullYear() + 1}0101123`
        return f + idNumberCheckChar(f)
      },
    ],
    ['checksum', () => withWrongCheckChar(makeIdNumber())],
  ])('an invalid ID number → 400 invalid_id_number with details.problem %s', async (problem, make) => {
    const { key } = await apiKey()
    const res = await check(key, { idNumber: make(), applicationYear: 2026 })
    expectError(res, 400, 'invalid_id_number')
    expect(res.data.error.details).toEqual({ field: 'idNumber', problem })
    expect(await creditChecks()).toEqual([])
  })

  test('applicationYear 2014 or current year + 2 → 422 application_year_out_of_range with details.min/max; the bounds themselves are accepted', async () => {
    const { key } = await apiKey()
    const p = await learner()
    for (const applicationYear of [2014, CURRENT_YEAR + 2, 1900, 9999]) {
      const res = await check(key, { idNumber: p.idNumber, applicationYear })
      expectError(res, 422, 'application_year_out_of_range')
      expect(res.data.error.details).toEqual({ field: 'applicationYear', min: 2015, max: CURRENT_YEAR + 1 })
    }
    for (const applicationYear of [2015, CURRENT_YEAR + 1]) {
      expect((await check(key, { idNumber: p.idNumber, applicationYear })).status, String(applicationYear)).toBe(200)
    }
    expect(await creditChecks()).toHaveLength(2)
  })

  test('GET of an unknown or malformed checkId → 404 not_found', async () => {
    const { key } = await apiKey()
    for (const id of ['chk_AAAAAAAAAAAAAAAA', 'chk_doesnotexist123', 'abc', 'chk_', "chk_x' or 1=1 --", '']) {
      expectError(await fetchCheck(key, id), 404, 'not_found')
    }
  })

  test('the wrong method → 405 in the same error shape', async () => {
    const { key } = await apiKey()
    const get = new Request('http://localhost/api/v1/credit-checks', { headers: { Authorization: `Bearer ${key}` } })
    const res = await call(checkLoader, get)
    expect(res.status).toBe(405)
    expect(res.data.error.code).toEqual(expect.any(String))
    expect(typeof res.data.error.message).toBe('string')
    const batchGet = await call(
      batchLoader,
      new Request('http://localhost/api/v1/credit-checks/batch', { headers: { Authorization: `Bearer ${key}` } }),
    )
    expect(batchGet.status).toBe(405)
    const put = new Request('http://localhost/api/v1/credit-checks', {
      method: 'PUT',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: '{}',
    })
    expect((await call(checkAction, put)).status).toBe(405)
  })
})

describe('key scope', () => {
  test('a Changchun key cannot check a Yanbian learner (403), a province key can, and a Changchun learner is fine', async () => {
    const changchun = await apiKey('220100')
    const province = await apiKey('220000')
    const yanbian = await learner({ region: '222400' })
    const local = await learner({ region: '220100' })
    const denied = await check(changchun.key, { idNumber: yanbian.idNumber, applicationYear: 2026 })
    expectError(denied, 403, 'forbidden')
    expect(JSON.stringify(denied.data)).not.toContain(yanbian.idNumber)
    const rowsAfterDenied = await creditChecks()
    expect(rowsAfterDenied).toEqual([])

    const viaProvince = await check(province.key, { idNumber: yanbian.idNumber, applicationYear: 2026 })
    expect(viaProvince.status).toBe(200)
    expect(viaProvince.data.found).toBe(true)

    const localRes = await check(changchun.key, { idNumber: local.idNumber, applicationYear: 2026 })
    expect(localRes.status).toBe(200)
    expect(localRes.data.found).toBe(true)
  })

  test('a key sees only its own checks: GET of another key’s check → 404', async () => {
    const a = await apiKey('220000')
    const b = await apiKey('220000')
    const p = await learner()
    const res = await check(a.key, { idNumber: p.idNumber, applicationYear: 2026 })
    expect((await fetchCheck(a.key, res.data.checkId)).status).toBe(200)
    expectError(await fetchCheck(b.key, res.data.checkId), 404, 'not_found')
  })
})

describe('rate limit', () => {
  test('the 4th request in a minute on a 3-per-minute key → 429 with Retry-After; another key is unaffected', async () => {
    // A fixed one-minute window: do not start in its last 2 seconds.
    const intoMinute = Date.now() % 60_000
    if (intoMinute > 58_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 50))

    const limited = await apiKey('220000', 3)
    const other = await apiKey('220000', 3)
    const p = await learner()
    const body = { idNumber: p.idNumber, applicationYear: 2026 }
    for (let i = 0; i < 3; i++) expect((await check(limited.key, body)).status, `request ${i + 1}`).toBe(200)
    const res = await check(limited.key, body)
    expectError(res, 429, 'rate_limited')
    const retryAfter = res.headers.get('Retry-After')
    expect(retryAfter).toMatch(/^\d+$/)
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1)
    expect(Number(retryAfter)).toBeLessThanOrEqual(60)
    expect(res.data.error.details).toMatchObject({ retryAfterSeconds: Number(retryAfter), limitPerMinute: 3 })
    // GETs and batches count against the same key.
    expectError(await fetchCheck(limited.key, 'chk_AAAAAAAAAAAAAAAA'), 429, 'rate_limited')
    expectError(await batch(limited.key, { applicants: [body] }), 429, 'rate_limited')
    // The refused requests recorded nothing.
    expect(await creditChecks()).toHaveLength(3)

    for (let i = 0; i < 3; i++) expect((await check(other.key, body)).status, `other key request ${i + 1}`).toBe(200)
  })
})

describe('stored answers (the caller’s proof)', () => {
  test('GET returns exactly the first answer even after more hours are credited; every check is recorded', async () => {
    const { key, id: clientId } = await apiKey()
    const p = await learner()
    await giveFullYears(p.personId, [2022, 2023, 2024])
    const first = await check(key, { idNumber: p.idNumber, applicationYear: 2026 })
    expect(first.data.eligible).toBe(false)

    await giveFullYears(p.personId, [2025])
    const second = await check(key, { idNumber: p.idNumber, applicationYear: 2026 })
    expect(second.data.eligible).toBe(true)
    expect(second.data.checkId).not.toBe(first.data.checkId)

    const fetched = await fetchCheck(key, first.data.checkId)
    expect(fetched.status).toBe(200)
    expect(fetched.headers.get('Cache-Control')).toBe('no-store')
    expect(fetched.data).toEqual(first.data)
    expect((await fetchCheck(key, second.data.checkId)).data).toEqual(second.data)

    const unknown = await check(key, { idNumber: makeIdNumber(), applicationYear: 2025 })
    expect((await fetchCheck(key, unknown.data.checkId)).data).toEqual(unknown.data)

    const rows = await creditChecks()
    expect(rows).toHaveLength(3)
    const byId = new Map(rows.map((r) => [r.id, r]))
    for (const a of [first.data, second.data, unknown.data]) {
      const row = byId.get(a.checkId)
      expect(row, a.checkId).toMatchObject({
        api_client_id: clientId,
        requested_by: null,
        eligible: a.eligible,
        policy_version: a.policyVersion,
        application_year: a.applicationYear,
        id_number_masked: a.idNumberMasked,
      })
      expect(row!.answer).toEqual(a)
    }
    expect(byId.get(first.data.checkId)!.person_id).toBe(p.personId)
    expect(byId.get(unknown.data.checkId)!.person_id).toBeNull()
  })
})

describe('POST /api/v1/credit-checks/batch', () => {
  test('three applicants (eligible, unknown, invalid ID) → results in request order, each its own answer or error', async () => {
    const { key } = await apiKey()
    const p = await learner()
    await giveFullYears(p.personId)
    const unknownId = makeIdNumber()
    const res = await batch(key, {
      applicants: [
        { idNumber: p.idNumber, applicationYear: 2026 },
        { idNumber: unknownId, applicationYear: 2026 },
        { idNumber: withWrongCheckChar(makeIdNumber()), applicationYear: 2026 },
      ],
    })
    expect(res.status).toBe(200)
    const r = res.data.results
    expect(r.map((x: { index: number }) => x.index)).toEqual([0, 1, 2])
    expect(r.map((x: { ok: boolean }) => x.ok)).toEqual([true, true, false])
    expect(r[0]).toMatchObject({ found: true, eligible: true, idNumberMasked: maskIdNumber(p.idNumber) })
    expect(r[0].checkId).toMatch(/^chk_/)
    expect(r[1]).toMatchObject({ found: false, eligible: false, idNumberMasked: maskIdNumber(unknownId) })
    expect(r[1].reasons[0].code).toBe('not_found')
    expect(r[2]).toEqual({
      index: 2,
      ok: false,
      status: 400,
      error: { code: 'invalid_id_number', message: expect.any(String), details: { field: 'idNumber', problem: 'checksum' } },
    })
    expect(JSON.stringify(res.data)).not.toContain(p.idNumber)
    expect(JSON.stringify(res.data)).not.toContain(unknownId)

    const rows = await creditChecks()
    expect(rows.map((x) => x.id).sort()).toEqual([r[0].checkId, r[1].checkId].sort())
    // Each answer of a batch can be fetched again on its own, without the batch fields.
    const { index: _i, ok: _o, ...answer0 } = r[0]
    expect((await fetchCheck(key, r[0].checkId)).data).toEqual(answer0)
  })

  test('an out-of-scope applicant and a year out of range fail on their own; the others are answered', async () => {
    const { key } = await apiKey('220100')
    const local = await learner({ region: '220100' })
    const yanbian = await learner({ region: '222400' })
    const res = await batch(key, {
      applicants: [
        { idNumber: yanbian.idNumber, applicationYear: 2026 },
        { idNumber: local.idNumber, applicationYear: 2026 },
        { idNumber: local.idNumber, applicationYear: 2014 },
      ],
    })
    expect(res.status).toBe(200)
    const r = res.data.results
    expect(r[0]).toEqual({ index: 0, ok: false, status: 403, error: { code: 'forbidden', message: expect.any(String) } })
    expect(r[1]).toMatchObject({ index: 1, ok: true, found: true })
    expect(r[2]).toMatchObject({
      index: 2,
      ok: false,
      status: 422,
      error: { code: 'application_year_out_of_range', details: { min: 2015, max: CURRENT_YEAR + 1 } },
    })
    expect(await creditChecks()).toHaveLength(1)
  })

  test('1,001 applicants → 400 batch_too_large; an empty list or a bad body → 400 invalid_body; nothing recorded', async () => {
    const { key } = await apiKey()
    const applicants = Array.from({ length: 1001 }, (_, i) => ({ idNumber: bulkIdNumber(i), applicationYear: 2026 }))
    const tooMany = await batch(key, { applicants })
    expectError(tooMany, 400, 'batch_too_large')
    expect(tooMany.data.error.details).toMatchObject({ max: 1000, given: 1001 })
    expectError(await batch(key, { applicants: [] }), 400, 'invalid_body')
    expectError(await batch(key, {}), 400, 'invalid_body')
    expectError(await batch(key, { applicants: [{ idNumber: bulkIdNumber(1) }] }), 400, 'invalid_body')
    expectError(await batch(key, { applicants: [{ idNumber: bulkIdNumber(1), applicationYear: 2026 }], extra: true }), 400, 'invalid_body')
    expectError(await batch(key, '[1,2'), 400, 'invalid_body')
    expectError(await batch(null, { applicants: [{ idNumber: bulkIdNumber(1), applicationYear: 2026 }] }), 401, 'unauthorized')
    expect(await creditChecks()).toEqual([])
  })

  test('a 1,000-applicant batch (50 real people with hours, 950 unknown) → 1,000 results and 1,000 recorded checks', async () => {
    // The limit counts applicants (rate-limit.test.ts): the default 600 a minute would refuse it.
    const { key, id: clientId } = await apiKey('220000', 1000)
    const db = getDb()
    const ids = Array.from({ length: 1000 }, (_, i) => bulkIdNumber(i))
    // Every 20th applicant is a real person: 50 people inserted directly, with totals directly.
    const known = ids.filter((_, i) => i % 20 === 0)
    const people = await db
      .insertInto('people')
      .values(
        known.map((id, k) => ({
          id_number_enc: encryptPii(id),
          id_number_hash: lookupHash(id),
          name: `批量学员${k}`,
          gender: Number(id[16]) % 2 === 1 ? ('M' as const) : ('F' as const),
          birth_date: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
          region_code: '220100',
          title_series: 'engineering',
          title_level: 'intermediate',
          title_year: 2020,
        })),
      )
      .returning(['id', 'id_number_hash'])
      .execute()
    expect(people).toHaveLength(50)
    // Even-numbered people met every year; odd-numbered are 0.5 professional hours short in 2024.
    const totals = people.flatMap((p, k) =>
      ALL_YEARS.flatMap((y) => [
        {
          person_id: p.id,
          ce_year: y,
          category: 'professional' as const,
          counted_hours: k % 2 === 1 && y === 2024 ? '59.5' : '60',
          recorded_hours: '60',
        },
        { person_id: p.id, ce_year: y, category: 'public' as const, counted_hours: '30', recorded_hours: '30' },
      ]),
    )
    await db.insertInto('hour_totals').values(totals).execute()

    const res = await batch(key, { applicants: ids.map((idNumber) => ({ idNumber, applicationYear: 2026 })) })
    expect(res.status).toBe(200)
    const results = res.data.results
    expect(results).toHaveLength(1000)
    results.forEach((r: { index: number; ok: boolean; found: boolean; eligible: boolean; idNumberMasked: string }, i: number) => {
      expect(r.index).toBe(i)
      expect(r.ok).toBe(true)
      expect(r.idNumberMasked).toBe(maskIdNumber(ids[i]!))
      if (i % 20 === 0) {
        const k = i / 20
        expect(r.found, `applicant ${i}`).toBe(true)
        expect(r.eligible, `applicant ${i}`).toBe(k % 2 === 0)
      } else {
        expect(r.found, `applicant ${i}`).toBe(false)
        expect(r.eligible).toBe(false)
      }
    })
    const odd = results[20]
    expect(odd.years.find((y: { year: number }) => y.year === 2024).shortfall).toEqual({ total: '0.5', professional: '0.5', public: '0' })

    const rows = await db
      .selectFrom('credit_checks')
      .select((eb) => [
        eb.fn.countAll<string>().as('n'),
        eb.fn.count<string>('person_id').as('withPerson'),
        eb.fn.count<string>('id').distinct().as('distinctIds'),
      ])
      .where('api_client_id', '=', clientId)
      .executeTakeFirstOrThrow()
    expect(Number(rows.n)).toBe(1000)
    expect(Number(rows.withPerson)).toBe(50)
    expect(Number(rows.distinctIds)).toBe(1000)
  })
})

describe('answers match the domain evaluation', () => {
  test('the API’s years and verdict equal evaluateCheck on the same totals and the policies in force', async () => {
    const { key } = await apiKey()
    const p = await learner({ titleYear: '2020' })
    const plan: Record<number, Counted> = {
      2022: { professional: '60', public: '30' },
      2023: { professional: '70.25', public: '19.75' }, // total met, public short
      // 2024: nothing at all
      2025: { professional: '100.5', public: '45.05' },
      2026: { professional: '12', public: '3' },
    }
    for (const [year, c] of Object.entries(plan)) {
      await give(p.personId, Number(year), 'professional', c.professional)
      await give(p.personId, Number(year), 'public', c.public)
    }
    const totals = new Map(Object.entries(plan).map(([y, c]) => [Number(y), c]))
    const policies = (await policiesInForce(getDb())) as Map<number, PolicyForCheck>
    const cases: { applicationYear: number; currentTitleYear?: number }[] = [
      { applicationYear: 2026 },
      { applicationYear: 2027 },
      { applicationYear: 2025 },
      { applicationYear: 2024, currentTitleYear: 2021 },
      { applicationYear: 2027, currentTitleYear: 2024 },
      { applicationYear: 2023 },
      { applicationYear: 2020 },
    ]
    for (const c of cases) {
      const res = await check(key, { idNumber: p.idNumber, ...c })
      expect(res.status).toBe(200)
      const expected = evaluateCheck({ applicationYear: c.applicationYear, currentTitleYear: c.currentTitleYear ?? 2020, totals, policies })
      expect(res.data.years, JSON.stringify(c)).toEqual(expected.years)
      expect(res.data.eligible, JSON.stringify(c)).toBe(expected.eligible)
      expect(res.data.reasons, JSON.stringify(c)).toEqual(expected.reasons.map(presentReason))
      expect(res.data.policyVersion).toBe(expected.policyVersion)
    }
  })
})
