import { createHmac } from 'node:crypto'

import { describe, expect, test } from 'vitest'

import {
  blockDay,
  blockPart,
  type CheckinPolicy,
  decodeToken,
  directionWindow,
  encodeToken,
  nonceOf,
  timingProblem,
  windowIndex,
  windowStart,
} from '#app/domain/seminars/checkin.ts'

const mac = (payload: Buffer) => createHmac('sha256', Buffer.alloc(32, 7)).update(payload).digest()
const otherMac = (payload: Buffer) => createHmac('sha256', Buffer.alloc(32, 8)).update(payload).digest()

const policy: CheckinPolicy = {
  codeRotateSeconds: 30,
  codeValidSeconds: 90,
  signInOpensMinutesBefore: 30,
  signInClosesMinutesAfter: 30,
  signOutOpensMinutesBefore: 30,
  signOutClosesMinutesAfter: 60,
}
const block = { startsAt: new Date('2026-12-01T08:30:00+08:00'), endsAt: new Date('2026-12-01T12:00:00+08:00') }
const at = (iso: string) => new Date(iso)

describe('venue check-in codes', () => {
  test('a code round-trips: block, direction and window come back, in 38 URL-safe characters', () => {
    for (const claims of [
      { blockId: 1, direction: 'in' as const, window: 0 },
      { blockId: 123_456_789, direction: 'out' as const, window: 58_861_234 },
      { blockId: 2 ** 48 - 1, direction: 'in' as const, window: 2 ** 32 - 1 },
    ]) {
      const token = encodeToken(claims, mac)
      expect(token).toMatch(/^[A-Za-z0-9_-]{38}$/)
      expect(decodeToken(token, mac)).toEqual({ ok: true, claims })
    }
    expect(() => encodeToken({ blockId: 0, direction: 'in', window: 1 }, mac)).toThrow(RangeError)
    expect(() => encodeToken({ blockId: 1, direction: 'in', window: -1 }, mac)).toThrow(RangeError)
  })

  test('a code with a wrong MAC, or altered in any byte, is refused as bad_mac; garbage as unparsable', () => {
    const claims = { blockId: 42, direction: 'in' as const, window: 1000 }
    const token = encodeToken(claims, mac)
    expect(decodeToken(encodeToken(claims, otherMac), mac)).toEqual({ ok: false, problem: 'bad_mac', claims })
    const raw = Buffer.from(token, 'base64url')
    // the window moved on by one (a guessed next code) and the sign-in turned into a sign-out
    const later = Buffer.from(raw)
    later.writeUInt32BE(1001, 8)
    expect(decodeToken(later.toString('base64url'), mac)).toMatchObject({ ok: false, problem: 'bad_mac', claims: { window: 1001 } })
    const out = Buffer.from(raw)
    out[7] = 0x6f
    expect(decodeToken(out.toString('base64url'), mac)).toMatchObject({ ok: false, problem: 'bad_mac', claims: { direction: 'out' } })
    const macByte = Buffer.from(raw)
    macByte[27] = macByte[27]! ^ 1
    expect(decodeToken(macByte.toString('base64url'), mac)).toMatchObject({ ok: false, problem: 'bad_mac' })
    for (const bad of ['', 'abc', token.slice(1), `${token}A`, token.replace(/.$/, '+'), 'x'.repeat(38)])
      expect(decodeToken(bad, mac)).toEqual({ ok: false, problem: 'unparsable' })
    const version = Buffer.from(raw)
    version[0] = 2
    expect(decodeToken(version.toString('base64url'), mac)).toEqual({ ok: false, problem: 'unparsable' })
  })

  test('window index arithmetic: floor(epoch seconds / rotation), and back to its start', () => {
    expect(windowIndex(at('1970-01-01T00:00:29.999Z'), 30)).toBe(0)
    expect(windowIndex(at('1970-01-01T00:00:30Z'), 30)).toBe(1)
    const now = at('2026-12-01T08:30:17Z')
    const w = windowIndex(now, 30)
    expect(w).toBe(Math.floor(now.getTime() / 1000 / 30))
    expect(windowStart(w, 30).toISOString()).toBe('2026-12-01T08:30:00.000Z')
    expect(windowStart(w + 1, 30).toISOString()).toBe('2026-12-01T08:30:30.000Z')
    expect(nonceOf({ window: w, direction: 'out' })).toBe(`${w}:out`)
  })

  test('sign-in and sign-out windows come from the policy, both ends included', () => {
    expect(directionWindow(block, 'in', policy)).toEqual({
      opens: at('2026-12-01T08:00:00+08:00'),
      closes: at('2026-12-01T09:00:00+08:00'),
    })
    expect(directionWindow(block, 'out', policy)).toEqual({
      opens: at('2026-12-01T11:30:00+08:00'),
      closes: at('2026-12-01T13:00:00+08:00'),
    })
    const fresh = (now: Date, direction: 'in' | 'out') =>
      timingProblem(now, { blockId: 1, direction, window: windowIndex(now, 30) }, block, policy)
    expect(fresh(at('2026-12-01T08:00:00+08:00'), 'in')).toBeNull()
    expect(fresh(at('2026-12-01T07:59:59+08:00'), 'in')).toBe('too_early')
    expect(fresh(at('2026-12-01T09:00:00+08:00'), 'in')).toBeNull()
    expect(fresh(at('2026-12-01T09:00:01+08:00'), 'in')).toBe('too_late')
    expect(fresh(at('2026-12-01T11:29:59+08:00'), 'out')).toBe('too_early')
    expect(fresh(at('2026-12-01T13:00:01+08:00'), 'out')).toBe('too_late')
  })

  test('a code is accepted for codeValidSeconds after its window starts; a code from beyond the next window is forged', () => {
    const shown = at('2026-12-01T08:30:00+08:00')
    const claims = { blockId: 1, direction: 'in' as const, window: windowIndex(shown, 30) }
    expect(timingProblem(new Date(shown.getTime() + 90_000), claims, block, policy)).toBeNull()
    expect(timingProblem(new Date(shown.getTime() + 91_000), claims, block, policy)).toBe('expired')
    expect(timingProblem(new Date(shown.getTime() - 30_000), claims, block, policy)).toBeNull()
    expect(timingProblem(new Date(shown.getTime() - 31_000), claims, block, policy)).toBe('forged')
  })

  test('a block is named by its China day and half', () => {
    expect(blockPart(block.startsAt)).toBe('morning')
    expect(blockPart(at('2026-12-01T14:00:00+08:00'))).toBe('afternoon')
    expect(blockDay(at('2026-12-01T08:30:00+08:00'))).toBe('2026-12-01')
  })
})
