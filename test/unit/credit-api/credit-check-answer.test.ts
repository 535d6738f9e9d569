import { describe, expect, test } from 'vitest'

import { evaluateCheck, type PolicyForCheck } from '#app/domain/credit-api/credit-check.ts'
import type { CheckAnswer } from '#app/domain/credit-api/credit-checks.server.ts'
import { presentAnswer, presentReason } from '#app/http/credit-check-answer.ts'

/**
 * The domain gives reasons as codes with data; the API's edge words them. The wording and the
 * JSON shape are the published contract (and the stored proof), so they are pinned here exactly
 * as the API has always answered.
 */
const rules = { firstApplicationYear: 2023, firstCheckedYear: 2022, lookBackYears: 5 }
const policy = (year: number): PolicyForCheck => ({
  version: `${year}.1`,
  requirement: { total: '90', professional: '60', public: '30' },
  caps: { publicCounted: null },
  titleCheck: rules,
})
const policies = new Map([2022, 2023, 2024, 2025, 2026].map((y) => [y, policy(y)]))

describe('credit-check reasons as the API words them', () => {
  test('year_not_met names the year and earned/required per category', () => {
    const e = evaluateCheck({
      applicationYear: 2026,
      currentTitleYear: 2024,
      totals: new Map([[2025, { professional: '54', public: '30' }]]),
      policies,
    })
    expect(e.reasons).toEqual([
      {
        code: 'year_not_met',
        year: 2025,
        earned: { total: '84', professional: '54', public: '30' },
        required: { total: '90', professional: '60', public: '30' },
      },
    ])
    expect(e.reasons.map(presentReason)).toEqual([
      { code: 'year_not_met', year: 2025, message: '2025年学时未达标：共84/90学时，专业科目54/60，公需科目30/30' },
    ])
  })

  test('the other codes', () => {
    expect(presentReason({ code: 'not_subject', firstApplicationYear: 2023 })).toEqual({
      code: 'not_subject',
      message: '2023年以前的职称申报不核验继续教育学时',
    })
    expect(presentReason({ code: 'no_years_to_check' })).toEqual({ code: 'no_years_to_check', message: '取得现职称后尚无需核验的年度' })
    expect(presentReason({ code: 'no_policy', year: 2021 })).toEqual({
      code: 'no_policy',
      year: 2021,
      message: '2021年没有适用的继续教育政策',
    })
    expect(presentReason({ code: 'not_found' })).toEqual({ code: 'not_found', message: '平台上没有该身份证号码的人员记录' })
  })

  test('the answer keeps its fields in their order; only the reasons gain their wording', () => {
    const answer: CheckAnswer = {
      checkId: 'chk_0123456789abcdef',
      found: false,
      idNumberMasked: '220102********0011',
      applicationYear: 2026,
      currentTitleYear: null,
      titleLevel: null,
      checkedAt: '2026-03-01T02:03:04.000Z',
      eligible: false,
      years: [],
      reasons: [{ code: 'not_found' }],
      policyVersion: '2026.1',
    }
    expect(JSON.stringify(presentAnswer(answer))).toBe(
      '{"checkId":"chk_0123456789abcdef","found":false,"idNumberMasked":"220102********0011","applicationYear":2026,"currentTitleYear":null,"titleLevel":null,"checkedAt":"2026-03-01T02:03:04.000Z","eligible":false,"years":[],"reasons":[{"code":"not_found","message":"平台上没有该身份证号码的人员记录"}],"policyVersion":"2026.1"}',
    )
  })
})
