import path from 'node:path'

import { describe, expect, test } from 'vitest'

import { RegistrationSchema } from '#app/domain/identity/accounts.schema.ts'
import { loadPolicyFiles } from '#app/domain/policy/policy.server.ts'
import { idNumberCheckChar } from '#app/domain/shared/id-number.ts'
import { formatDate, formatList, plural } from '#app/i18n/format.ts'
import { meta as rootMeta } from '#app/root.tsx'
import * as developers from '#app/routes/public/developers.tsx'
import { DEMO_HISTORY, demoHours } from '#db/seed.ts'
import { registrationForm } from '#test/factories/people.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'

/** The smaller items of issue 9, item 23. */

describe('a birth date after the title year is refused at registration', () => {
  test('title year before or in the birth year: refused on titleYear; after it: accepted', () => {
    // Born in 1985 (the factory's numbers range over 1950–1999, and 1949 is outside the title-year range).
    const first17 = `220102198506${String(10 + (Date.now() % 18)).padStart(2, '0')}123`
    const form = registrationForm({ titleLevel: 'intermediate', titleYear: '2020', idNumber: first17 + idNumberCheckChar(first17) })
    const born = Number(form.idNumber!.slice(6, 10))
    expect(RegistrationSchema.safeParse(form).success).toBe(true)
    for (const year of [born - 1, born]) {
      const r = RegistrationSchema.safeParse({ ...form, titleYear: String(year) })
      expect(r.success).toBe(false)
      expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toContainEqual(['titleYear', 'err.titleYear.beforeBirth'])
    }
  })
})

describe('English plurals, list commas and one date format per language', () => {
  test('plural forms', () => {
    expect(plural('en', 1)).toBe('one')
    expect(plural('en', 2)).toBe('other')
    expect(plural('en', 0)).toBe('other')
    expect(plural('zh', 1)).toBe('other')
  })
  test('lists', () => {
    expect(formatList('en', [2023, 2024, 2025])).toBe('2023, 2024 and 2025')
    expect(formatList('zh', [2023, 2024, 2025])).toBe('2023、2024和2025')
    expect(formatList('en', [2025])).toBe('2025')
  })
  test('every date style shows the date the same way in a language', () => {
    const at = '2025-03-01T06:05:09Z' // 14:05:09 in China
    for (const style of ['date', 'dateNumeric', 'dateTime', 'dateTimeSeconds'] as const) {
      expect(formatDate('zh', at, style)).toMatch(/^2025年3月1日/)
      expect(formatDate('en', at, style)).toMatch(/^1 Mar 2025/)
    }
    expect(formatDate('en', '2025-03-01', 'day')).toBe('1 Mar 2025')
  })
})

test('the 404 page has its own title', () => {
  const matches = [{ id: 'root', data: undefined }]
  // What Remix hands meta when a loader threw a 404 (isRouteErrorResponse reads these fields).
  const error = { status: 404, statusText: 'Not Found', internal: false, data: null }
  // @ts-expect-error -- only what the meta function reads
  expect(rootMeta({ error, matches })).toEqual([{ title: '页面不存在 · 学时' }])
  // @ts-expect-error -- only what the meta function reads
  expect(rootMeta({ error: undefined, matches })).toEqual([{ title: '学时 · 吉林省专业技术人员继续教育平台' }])
})

test('the /developers example is computed now, for no demo person', async () => {
  const res = await call(developers.loader, makeRequest('/developers'))
  const { example, exampleId } = res.data
  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()))
  expect(example.applicationYear).toBe(year)
  expect(Date.now() - Date.parse(example.checkedAt)).toBeLessThan(60_000)
  // Demo people never appear in it.
  for (const id of Object.keys(DEMO_HISTORY)) {
    expect(exampleId).not.toBe(id)
    expect(JSON.stringify(example)).not.toContain(id.slice(-4))
  }
  // It is what the rules answer: the last year checked is short, with the API's message.
  expect(example.eligible).toBe(false)
  expect(example.years.at(-1)).toMatchObject({ met: false })
  expect(example.reasons[0]).toMatchObject({ code: 'year_not_met', message: expect.stringContaining('学时未达标') })
})

test('demo hours respect the caps of their own policy', () => {
  const policies = new Map(loadPolicyFiles(path.resolve(import.meta.dirname, '../../../content/policies')).map((p) => [p.year, p]))
  for (const entries of Object.values(DEMO_HISTORY)) {
    for (const [year, , , spec, kind] of entries) {
      if (kind !== 'external') continue
      expect(typeof spec, `${year}: outside hours are given as an activity, converted by the policy`).toBe('object')
      if (typeof spec !== 'object') continue
      const rule = policies.get(year)!.conversion.external[spec.activity]!
      expect(Number(demoHours(year, spec))).toBeLessThanOrEqual(Number(rule.maxHours))
    }
  }
})
