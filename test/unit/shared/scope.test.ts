import { describe, expect, test } from 'vitest'

import { PROVINCE, REGION_CODES } from '#app/domain/shared/reference.ts'
import { inScope, isProvinceScope } from '#app/domain/shared/scope.ts'

// The one region-scope rule, used by HR tools, claims and the credit-check API alike.
const [changchun, jilin] = REGION_CODES as [string, string]

describe('region scope (HR officers, API keys)', () => {
  test('the province sees everyone, a region sees its own people only', () => {
    expect(inScope(PROVINCE.code, changchun)).toBe(true)
    expect(inScope(changchun, changchun)).toBe(true)
    expect(inScope(changchun, jilin)).toBe(false)
  })

  test('a person with no region is visible to the province only', () => {
    expect(inScope(PROVINCE.code, null)).toBe(true)
    expect(inScope(changchun, null)).toBe(false)
    expect(inScope(jilin, null)).toBe(false)
  })

  test('isProvinceScope', () => {
    expect(isProvinceScope(PROVINCE.code)).toBe(true)
    expect(isProvinceScope(changchun)).toBe(false)
  })
})
