import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

import { describe, expect, test } from 'vitest'

import {
  loadSeminarsPolicy,
  promotionStopsAt,
  seminarPolicyOn,
  seminarsPolicyFile,
  SeminarsPolicyFileError,
} from '#app/domain/policy/seminars-policy.server.ts'

const write = (json: unknown) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'seminars-policy-')), 'seminars.json')
  writeFileSync(file, JSON.stringify(json))
  return file
}
const v1 = () => loadSeminarsPolicy().versions[0]!

describe('seminars policy (content/policies/seminars.json)', () => {
  test('the shipped file parses; hours per day come from the reports policy, not a second copy', () => {
    expect(seminarPolicyOn('2026-11-30')).toEqual({
      version: 'seminars.1',
      effectiveFrom: '2022-01-01',
      nationalPerPersonPerYear: 1,
      defaultOfferHours: 48,
      promotionStopsHoursBeforeStart: 24,
      blockTimes: { morning: ['08:30', '12:00'], afternoon: ['14:00', '17:30'] },
      checkin: {
        codeRotateSeconds: 30,
        codeValidSeconds: 90,
        signInOpensMinutesBefore: 30,
        signInClosesMinutesAfter: 30,
        signOutOpensMinutesBefore: 30,
        signOutClosesMinutesAfter: 60,
      },
      completionMinShare: 0.8,
      packageDueWorkingDays: 10,
      packageReminderWorkingDays: 2,
      surveyMinAnswersShown: 5,
      surveyOpenDaysAfterEnd: 14,
      approvalDays: 3,
      hoursPerDay: { full: 6, half: 3 },
    })
    expect(seminarsPolicyFile()).toBe(seminarsPolicyFile())
  })

  test('the version in force is the latest that started on or before the day; none before the first', () => {
    const file = loadSeminarsPolicy(write({ versions: [v1(), { ...v1(), version: 'seminars.2', effectiveFrom: '2027-01-01' }] }))
    expect(seminarPolicyOn('2026-12-31', file).version).toBe('seminars.1')
    expect(seminarPolicyOn('2027-01-01', file).version).toBe('seminars.2')
    expect(() => seminarPolicyOn('2021-12-31', file)).toThrow(/no seminar policy in force on 2021-12-31/)
    expect(() => seminarPolicyOn('2026-1-5', file)).toThrow(RangeError)
  })

  test('a bad, unknown, out-of-order or duplicate field is refused naming it', () => {
    expect(() => loadSeminarsPolicy(write({ versions: [{ ...v1(), nationalPerPersonPerYear: 0 }] }))).toThrow(
      /versions\.0\.nationalPerPersonPerYear/,
    )
    expect(() => loadSeminarsPolicy(write({ versions: [{ ...v1(), hoursPerDay: { full: 6, half: 3 } }] }))).toThrow(SeminarsPolicyFileError)
    expect(() =>
      loadSeminarsPolicy(write({ versions: [{ ...v1(), blockTimes: { morning: ['14:00', '12:00'], afternoon: ['14:00', '17:30'] } }] })),
    ).toThrow(/versions\.0\.blockTimes/)
    expect(() =>
      loadSeminarsPolicy(write({ versions: [{ ...v1(), blockTimes: { morning: ['8:30', '12:00'], afternoon: ['14:00', '17:30'] } }] })),
    ).toThrow(/versions\.0\.blockTimes\.morning\.0/)
    expect(() => loadSeminarsPolicy(write({ versions: [{ ...v1(), checkin: { ...v1().checkin, codeValidSeconds: 10 } }] }))).toThrow(
      /versions\.0\.checkin/,
    )
    expect(() => loadSeminarsPolicy(write({ versions: [{ ...v1(), completionMinShare: 0 }] }))).toThrow(/versions\.0\.completionMinShare/)
    expect(() => loadSeminarsPolicy(write({ versions: [v1(), { ...v1(), version: 'seminars.2', effectiveFrom: '2021-01-01' }] }))).toThrow(
      /versions\.1\.effectiveFrom/,
    )
    expect(() => loadSeminarsPolicy(write({ versions: [v1(), { ...v1(), effectiveFrom: '2027-01-01' }] }))).toThrow(/duplicate version/)
  })

  test('promotion stops the policy hours before 00:00 China time of the first day', () => {
    expect(promotionStopsAt('2026-12-10', { promotionStopsHoursBeforeStart: 24 }).toISOString()).toBe('2026-12-08T16:00:00.000Z')
    expect(promotionStopsAt('2026-12-10', { promotionStopsHoursBeforeStart: 0 }).toISOString()).toBe('2026-12-09T16:00:00.000Z')
  })
})
