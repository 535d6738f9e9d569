import { describe, expect, test } from 'vitest'

import { seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import { attendedHours, chinaInstant, meetsCompletion, planBlocks } from '#app/domain/seminars/blocks.ts'
import { fromCents, toCents } from '#app/domain/shared/decimal.ts'

const times = seminarPolicyOn('2026-12-01').blockTimes
const sum = (hs: string[]) => fromCents(hs.reduce((n, h) => n + toCents(h), 0))

describe('planBlocks', () => {
  test('18 hours over 3 full days: 6 blocks of 3 hours, morning and afternoon in China time', () => {
    const blocks = planBlocks({ startDate: '2026-12-01', fullDays: 3, halfDays: 0, declaredHours: '18' }, times)
    expect(blocks.map((b) => b.creditHours)).toEqual(['3', '3', '3', '3', '3', '3'].map((h) => fromCents(toCents(h))))
    expect(blocks.map((b) => `${b.day} ${b.part}`)).toEqual([
      '2026-12-01 morning',
      '2026-12-01 afternoon',
      '2026-12-02 morning',
      '2026-12-02 afternoon',
      '2026-12-03 morning',
      '2026-12-03 afternoon',
    ])
    expect(blocks[0]!.startsAt).toEqual(chinaInstant('2026-12-01', times.morning[0]))
    expect(blocks[1]!.endsAt).toEqual(chinaInstant('2026-12-01', times.afternoon[1]))
  })

  test('10 hours over 3 blocks: the first block takes the odd cent, the sum is exact', () => {
    // One full day and one half day: morning, afternoon, next morning.
    const blocks = planBlocks({ startDate: '2026-12-01', fullDays: 1, halfDays: 1, declaredHours: '10' }, times)
    expect(blocks.map((b) => toCents(b.creditHours))).toEqual([334, 333, 333])
    expect(sum(blocks.map((b) => b.creditHours))).toBe(fromCents(1000))
    expect(blocks.map((b) => `${b.day} ${b.part}`)).toEqual(['2026-12-01 morning', '2026-12-01 afternoon', '2026-12-02 morning'])
  })

  test('half days only are mornings; odd sums of cents spread over the first blocks', () => {
    const blocks = planBlocks({ startDate: '2026-12-31', fullDays: 0, halfDays: 2, declaredHours: '7.01' }, times)
    expect(blocks.map((b) => b.part)).toEqual(['morning', 'morning'])
    expect(blocks.map((b) => b.day)).toEqual(['2026-12-31', '2027-01-01'])
    expect(blocks.map((b) => toCents(b.creditHours))).toEqual([351, 350])
    expect(sum(blocks.map((b) => b.creditHours))).toBe(fromCents(701))
  })

  test('no days, no blocks', () => {
    expect(planBlocks({ startDate: '2026-12-01', fullDays: 0, halfDays: 0, declaredHours: '6' }, times)).toEqual([])
  })
})

describe('attendedHours', () => {
  test('adds the credit of attended blocks only, to the cent', () => {
    const blocks = [
      { creditHours: '3.34', attended: true },
      { creditHours: '3.33', attended: false },
      { creditHours: '3.33', attended: true },
    ]
    expect(toCents(attendedHours(blocks))).toBe(667)
    expect(toCents(attendedHours(blocks.map((b) => ({ ...b, attended: false }))))).toBe(0)
    expect(toCents(attendedHours(blocks.map((b) => ({ ...b, attended: true }))))).toBe(1000)
  })
})

describe('meetsCompletion', () => {
  test('4 of 5 meets a share of 0.8 exactly; 3 of 5 does not', () => {
    expect(meetsCompletion(4, 5, 0.8)).toBe(true)
    expect(meetsCompletion(3, 5, 0.8)).toBe(false)
    expect(meetsCompletion(5, 5, 0.8)).toBe(true)
  })

  test('edges: 0.7 × 10 is exactly 7; nothing to attend never completes', () => {
    expect(meetsCompletion(7, 10, 0.7)).toBe(true)
    expect(meetsCompletion(6, 10, 0.7)).toBe(false)
    expect(meetsCompletion(0, 0, 0.8)).toBe(false)
    expect(meetsCompletion(5, 6, 0.8)).toBe(true)
    expect(meetsCompletion(4, 6, 0.8)).toBe(false)
  })
})
