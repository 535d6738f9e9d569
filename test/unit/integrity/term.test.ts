import { describe, expect, test } from 'vitest'

import { evaluateCheck, type PolicyForCheck } from '#app/domain/credit-api/credit-check.ts'
import { addYears, appealLastDay, appealOpenOn, inForceOn, recordTerm } from '#app/domain/integrity/term.ts'
import { IntegrityPolicyFileSchema, integrityPolicyOn, loadIntegrityPolicy } from '#app/domain/policy/integrity-policy.server.ts'

describe('integrity record term', () => {
  test('a record runs recordYears years from its confirmation; the end day is exclusive', () => {
    const policy = integrityPolicyOn('2026-11-30')
    expect(policy.recordYears).toBe(3)
    const term = recordTerm('2026-11-30', policy.recordYears)
    expect(term).toEqual({ startsOn: '2026-11-30', endsOn: '2029-11-30' })
    const r = { status: 'in_force', starts_on: term.startsOn, ends_on: term.endsOn }
    expect(inForceOn(r, '2026-11-29')).toBe(false)
    expect(inForceOn(r, '2026-11-30')).toBe(true)
    expect(inForceOn(r, '2029-11-29')).toBe(true)
    expect(inForceOn(r, '2029-11-30')).toBe(false)
  })

  test('only an in-force record applies', () => {
    for (const status of ['proposed', 'withdrawn', 'cancelled'])
      expect(inForceOn({ status, starts_on: '2026-01-01', ends_on: '2029-01-01' }, '2027-01-01')).toBe(false)
    expect(inForceOn({ status: 'in_force', starts_on: null, ends_on: null }, '2027-01-01')).toBe(false)
  })

  test('29 February plus years falls on 28 February in a common year', () => {
    expect(addYears('2028-02-29', 3)).toBe('2031-02-28')
    expect(addYears('2028-02-29', 4)).toBe('2032-02-29')
    expect(addYears('2026-12-31', 1)).toBe('2027-12-31')
  })

  test('an appeal is open through the last day, not after', () => {
    const days = integrityPolicyOn('2026-11-30').appealDays
    const last = appealLastDay('2026-11-30', days)
    expect(last).toBe('2026-12-30')
    expect(appealOpenOn('2026-11-30', days, last)).toBe(true)
    expect(appealOpenOn('2026-11-30', days, '2026-12-31')).toBe(false)
  })

  test('the policy file is valid and versions may not be edited into disorder', () => {
    expect(loadIntegrityPolicy().versions[0]?.version).toBe('integrity.1')
    expect(() => integrityPolicyOn('2021-12-31')).toThrow(/no integrity policy/)
    const bad = IntegrityPolicyFileSchema.safeParse({
      versions: [{ version: 'integrity.1', effectiveFrom: '2022-01-01', recordYears: 0, appealDays: 30 }],
    })
    expect(bad.success).toBe(false)
  })
})

describe('credit check with an integrity record', () => {
  const policy: PolicyForCheck = {
    version: 'p2025',
    requirement: { total: '90', professional: '60', public: '30' },
    caps: { publicCounted: null },
    titleCheck: { firstApplicationYear: 2023, firstCheckedYear: 2022, lookBackYears: 1 },
  }
  const policies = new Map([
    [2024, { ...policy, version: 'p2024' }],
    [2025, policy],
  ])
  const totals = new Map([[2024, { professional: '60', public: '30' }]])

  test('met hours but a record in force: ineligible, with the end day', () => {
    const plain = evaluateCheck({ applicationYear: 2025, currentTitleYear: 2020, totals, policies })
    expect(plain.eligible).toBe(true)
    const e = evaluateCheck({ applicationYear: 2025, currentTitleYear: 2020, totals, policies, integrity: { endsOn: '2029-11-30' } })
    expect(e.eligible).toBe(false)
    expect(e.reasons[0]).toEqual({ code: 'integrity_record', endsOn: '2029-11-30' })
    expect(e.years).toEqual(plain.years)
  })

  test('no record: the ordinary answer', () => {
    const e = evaluateCheck({ applicationYear: 2025, currentTitleYear: 2020, totals, policies, integrity: null })
    expect(e.reasons.some((r) => r.code === 'integrity_record')).toBe(false)
  })
})
