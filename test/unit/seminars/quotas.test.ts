import { describe, expect, test } from 'vitest'

import {
  canUse,
  drawOrder,
  homeQuota,
  homeScope,
  isReleased,
  newcomerCandidates,
  nextPromotion,
  publicSeats,
  type Quota,
  seatAvailable,
  seatsLeft,
} from '#app/domain/seminars/quotas.ts'

const T0 = new Date('2026-12-01T00:00:00+08:00')
const before = new Date(T0.getTime() - 1)
const after = new Date(T0.getTime() + 1)

// 70 seats: Guangdong 5 (released at T0), Jilin 10 (never released), open 55.
const quotas = (taken: Partial<Record<string, number>> = {}): Quota[] => [
  { id: 1, scope: 'open', size: 55, taken: taken.open ?? 0, releaseAt: null },
  { id: 2, scope: 'province:44', size: 5, taken: taken['province:44'] ?? 0, releaseAt: T0 },
  { id: 3, scope: 'province:22', size: 10, taken: taken['province:22'] ?? 0, releaseAt: null },
]
const ids = (qs: Quota[]) => qs.map((q) => q.id)

describe('the quota a person draws from', () => {
  test('national: the resident ID province; provincial: the region (市州)', () => {
    expect(homeScope('national', { idProvince: '44', regionCode: '220100' })).toBe('province:44')
    expect(homeScope('provincial', { idProvince: '44', regionCode: '220100' })).toBe('region:220100')
    expect(homeScope('provincial', { idProvince: '22', regionCode: null })).toBeNull()
    expect(homeScope('national', { idProvince: null, regionCode: '220100' })).toBeNull()
    expect(homeScope('national', { idProvince: '4x', regionCode: null })).toBeNull()
  })

  test('own quota found by scope; none for a province without one', () => {
    expect(homeQuota(quotas(), 'national', { idProvince: '44', regionCode: null })?.id).toBe(2)
    expect(homeQuota(quotas(), 'national', { idProvince: '11', regionCode: null })).toBeNull()
  })

  test('release: from release_at on (inclusive), never for open or a quota without a date', () => {
    const [open, gd, jl] = quotas()
    expect(isReleased(gd!, before)).toBe(false)
    expect(isReleased(gd!, T0)).toBe(true)
    expect(isReleased(jl!, after)).toBe(false)
    expect(isReleased({ ...open!, releaseAt: T0 }, after)).toBe(false)
  })

  test('draw order: own (unreleased), open, then released quotas', () => {
    expect(ids(drawOrder(quotas(), 2, before))).toEqual([2, 1])
    expect(ids(drawOrder(quotas(), 2, after))).toEqual([1, 2]) // own quota released: it is part of the open pool now
    expect(ids(drawOrder(quotas(), null, before))).toEqual([1])
    expect(ids(drawOrder(quotas(), null, after))).toEqual([1, 2])
    expect(ids(drawOrder(quotas(), 3, after))).toEqual([3, 1, 2])
  })

  test('who may use a quota', () => {
    const [open, gd, jl] = quotas()
    expect(canUse(open!, null, before)).toBe(true)
    expect(canUse(gd!, null, before)).toBe(false)
    expect(canUse(gd!, null, after)).toBe(true)
    expect(canUse(jl!, 3, before)).toBe(true)
    expect(canUse(jl!, 2, after)).toBe(false)
  })
})

describe('seats', () => {
  test('seats left never below zero', () => {
    expect(seatsLeft({ id: 1, scope: 'open', size: 3, taken: 1, releaseAt: null })).toBe(2)
    expect(seatsLeft({ id: 1, scope: 'open', size: 3, taken: 3, releaseAt: null })).toBe(0)
    expect(seatsLeft({ id: 1, scope: 'open', size: 0, taken: 0, releaseAt: null })).toBe(0)
  })

  test('full own quota but the open pool has room: available', () => {
    expect(seatAvailable(quotas({ 'province:22': 10 }), 3, before)).toBe(true)
    expect(seatAvailable(quotas({ 'province:22': 10, open: 55 }), 3, before)).toBe(false)
  })

  test('no matching quota: the open pool only (a scoped quota with room does not help)', () => {
    expect(seatAvailable(quotas({ open: 55 }), null, before)).toBe(false)
    expect(seatAvailable(quotas({ open: 55 }), null, after)).toBe(true) // Guangdong's 5 released
    expect(seatAvailable(quotas({ open: 55, 'province:44': 5 }), null, after)).toBe(false)
  })

  test('public view: scoped quotas until released, then inside the open pool with what they have left', () => {
    const q = quotas({ open: 50, 'province:44': 2, 'province:22': 4 })
    expect(publicSeats(q, before)).toEqual({
      open: { left: 5 },
      scoped: [
        { scope: 'province:22', size: 10, left: 6, releaseAt: null },
        { scope: 'province:44', size: 5, left: 3, releaseAt: T0 },
      ],
      total: { size: 70, left: 14 },
    })
    expect(publicSeats(q, after)).toEqual({
      open: { left: 8 },
      scoped: [{ scope: 'province:22', size: 10, left: 6, releaseAt: null }],
      total: { size: 70, left: 14 },
    })
  })
})

describe('the waiting line comes first (pretix rule)', () => {
  test('a pool someone waiting could use is closed to newcomers', () => {
    // Someone from a province without quota waits (for open): a Jilin newcomer still gets a Jilin seat, not an open one.
    expect(ids(newcomerCandidates(quotas(), 3, [{ homeQuotaId: null }], before))).toEqual([3])
    expect(ids(newcomerCandidates(quotas(), null, [{ homeQuotaId: null }], before))).toEqual([])
    // A Jilin person waits: the Jilin quota and the open pool are both closed to a Jilin newcomer.
    expect(ids(newcomerCandidates(quotas(), 3, [{ homeQuotaId: 3 }], before))).toEqual([])
    // Nobody waits: own then open; full pools are skipped.
    expect(ids(newcomerCandidates(quotas(), 3, [], before))).toEqual([3, 1])
    expect(ids(newcomerCandidates(quotas({ 'province:22': 10 }), 3, [], before))).toEqual([1])
  })

  test('after release a waiting person can use the released quota, so it is closed to newcomers too', () => {
    expect(ids(newcomerCandidates(quotas({ open: 55 }), null, [], after))).toEqual([2])
    expect(ids(newcomerCandidates(quotas({ open: 55 }), null, [{ homeQuotaId: null }], after))).toEqual([])
  })

  test('promotion: the earliest waiting person who can use a seat with room, and that seat', () => {
    const waiting = [
      { id: 10, homeQuotaId: null },
      { id: 11, homeQuotaId: 3 },
      { id: 12, homeQuotaId: null },
    ]
    // The open pool has a seat: the first in line gets it.
    expect(nextPromotion(quotas({ open: 54, 'province:22': 10 }), waiting, before)).toMatchObject({ waiter: { id: 10 }, quota: { id: 1 } })
    // Only a Jilin seat is free: the first Jilin person, skipping those who cannot use it.
    expect(nextPromotion(quotas({ open: 55, 'province:22': 9 }), waiting, before)).toMatchObject({ waiter: { id: 11 }, quota: { id: 3 } })
    // Only a Guangdong seat, before release: nobody waiting may take it; after release: the first in line.
    expect(nextPromotion(quotas({ open: 55, 'province:22': 10, 'province:44': 4 }), waiting, before)).toBeNull()
    expect(nextPromotion(quotas({ open: 55, 'province:22': 10, 'province:44': 4 }), waiting, after)).toMatchObject({
      waiter: { id: 10 },
      quota: { id: 2 },
    })
    expect(nextPromotion(quotas(), [], before)).toBeNull()
  })
})
