import { describe, expect, test } from 'vitest'

import { evaluateCheck, type PolicyForCheck, yearsToCheck } from '#app/domain/credit-api/credit-check.ts'
import { fromCents, normalizeHours, toCents } from '#app/domain/shared/decimal.ts'

const rules = { firstApplicationYear: 2023, firstCheckedYear: 2022, lookBackYears: 5 }
function policy(year: number, over: Partial<PolicyForCheck> = {}): PolicyForCheck {
  return {
    version: `${year}.1`,
    requirement: { total: '90', professional: '60', public: '30' },
    caps: { publicCounted: null },
    titleCheck: rules,
    ...over,
  }
}
const policies = new Map([2022, 2023, 2024, 2025, 2026].map((y) => [y, policy(y)]))
const met = { professional: '60', public: '30' }

describe('exact decimal hours', () => {
  test.each([
    ['0', 0],
    ['1.5', 150],
    ['1.25', 125],
    ['90', 9000],
    ['-2.5', -250],
    ['0.1', 10],
  ])('%s ↔ %i hundredths', (h, c) => {
    expect(toCents(h)).toBe(c)
    expect(fromCents(c)).toBe(h)
  })
  test('0.1 + 0.2 is exactly 0.3', () => {
    expect(fromCents(toCents('0.1') + toCents('0.2'))).toBe('0.3')
  })
  test('normalises PostgreSQL numerics', () => {
    expect(normalizeHours('30.00')).toBe('30')
    expect(normalizeHours('1.50')).toBe('1.5')
  })
  test('refuses floats with more than two places and garbage', () => {
    expect(() => toCents('1.234')).toThrow()
    expect(() => toCents('abc')).toThrow()
    expect(() => toCents('1e3')).toThrow()
  })
})

describe('which CE years an application checks', () => {
  test('applications before the first enforced year check nothing', () => {
    expect(yearsToCheck(2022, null, rules)).toEqual([])
  })
  test('look back at most 5 years, never before the first checked year', () => {
    expect(yearsToCheck(2026, null, rules)).toEqual([2022, 2023, 2024, 2025])
    expect(yearsToCheck(2030, null, rules)).toEqual([2025, 2026, 2027, 2028, 2029])
    expect(yearsToCheck(2023, null, rules)).toEqual([2022])
  })
  test('start the year after the current title was obtained', () => {
    expect(yearsToCheck(2026, 2023, rules)).toEqual([2024, 2025])
    expect(yearsToCheck(2026, 2025, rules)).toEqual([])
  })
})

describe('evaluation', () => {
  test('every checked year met → eligible, each year reported with its policy version', () => {
    const totals = new Map([2022, 2023, 2024, 2025].map((y) => [y, met]))
    const r = evaluateCheck({ applicationYear: 2026, currentTitleYear: null, totals, policies })
    expect(r.eligible).toBe(true)
    expect(r.policyVersion).toBe('2026.1')
    expect(r.years.map((y) => [y.year, y.met, y.policyVersion])).toEqual([
      [2022, true, '2022.1'],
      [2023, true, '2023.1'],
      [2024, true, '2024.1'],
      [2025, true, '2025.1'],
    ])
    expect(r.reasons).toEqual([])
  })

  test('one year short → not eligible, with the shortfall per category', () => {
    const totals = new Map([
      [2024, met],
      [2025, { professional: '55.5', public: '40' }],
    ])
    const r = evaluateCheck({ applicationYear: 2026, currentTitleYear: 2023, totals, policies })
    expect(r.eligible).toBe(false)
    const y2025 = r.years.find((y) => y.year === 2025)!
    expect(y2025).toMatchObject({
      met: false,
      earned: { total: '95.5', professional: '55.5', public: '40' },
      shortfall: { total: '0', professional: '4.5', public: '0' },
    })
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'year_not_met', year: 2025 })])
  })

  test('total may fall short even when each category is met only with a lower requirement', () => {
    const p = new Map([[2025, policy(2025, { requirement: { total: '90', professional: '50', public: '20' } })]])
    const r = evaluateCheck({
      applicationYear: 2026,
      currentTitleYear: 2024,
      totals: new Map([[2025, { professional: '55', public: '25' }]]),
      policies: p,
    })
    expect(r.years[0]).toMatchObject({ met: false, shortfall: { total: '10', professional: '0', public: '0' } })
  })

  test('public hours above the cap are not counted toward the total', () => {
    const p = new Map([[2025, policy(2025, { caps: { publicCounted: '30' } })]])
    const r = evaluateCheck({
      applicationYear: 2026,
      currentTitleYear: 2024,
      totals: new Map([[2025, { professional: '50', public: '45' }]]),
      policies: p,
    })
    expect(r.years[0]).toMatchObject({
      met: false,
      earned: { total: '80', professional: '50', public: '30' },
      shortfall: { total: '10', professional: '10' },
    })
  })

  test('an application before 2023 is not subject to the check', () => {
    const r = evaluateCheck({ applicationYear: 2022, currentTitleYear: null, totals: new Map(), policies })
    expect(r).toMatchObject({ eligible: true, years: [], reasons: [{ code: 'not_subject' }] })
  })

  test('title obtained last year: nothing to check, eligible', () => {
    const r = evaluateCheck({ applicationYear: 2026, currentTitleYear: 2025, totals: new Map(), policies })
    expect(r).toMatchObject({ eligible: true, years: [], reasons: [{ code: 'no_years_to_check' }] })
  })

  test('no hours at all in a checked year → not met', () => {
    const r = evaluateCheck({ applicationYear: 2026, currentTitleYear: 2024, totals: new Map(), policies })
    expect(r.years[0]).toMatchObject({
      year: 2025,
      met: false,
      earned: { total: '0' },
      shortfall: { total: '90', professional: '60', public: '30' },
    })
  })

  test('a checked year without a policy is a reason, not a pass', () => {
    const r = evaluateCheck({
      applicationYear: 2026,
      currentTitleYear: 2024,
      totals: new Map([[2025, met]]),
      policies: new Map([[2026, policy(2026)]]),
    })
    expect(r.eligible).toBe(false)
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'no_policy', year: 2025 })])
  })
})
