/**
 * Venue check-in codes (签到码) for a seminar's half-day blocks. Pure: the MAC function is passed
 * in (the server derives its key from XUESHI_DATA_KEY, the unit tests use a fixed one).
 *
 * A code names one block, one direction (sign-in or sign-out) and one rotation window
 * (floor(epoch seconds / codeRotateSeconds)); a MAC over those makes it unforgeable. The host's
 * screen shows a new code every window; a code is accepted for codeValidSeconds after its window
 * starts, so a photo sent on to someone at home soon stops working. Binary, then base64url:
 *   version(1) | block id (6, big-endian) | direction (1: 'i' or 'o') | window (4) | MAC (16)
 * = 28 bytes, 38 characters: short enough for a QR code a phone reads across a lecture hall.
 */

export type Direction = 'in' | 'out'
export type CodeClaims = { blockId: number; direction: Direction; window: number }
export type Mac = (payload: Buffer) => Buffer

export type CheckinPolicy = {
  codeRotateSeconds: number
  codeValidSeconds: number
  signInOpensMinutesBefore: number
  signInClosesMinutesAfter: number
  signOutOpensMinutesBefore: number
  signOutClosesMinutesAfter: number
}

const VERSION = 1
const PAYLOAD_BYTES = 12
const MAC_BYTES = 16
const TOKEN_BYTES = PAYLOAD_BYTES + MAC_BYTES
const MAX_BLOCK_ID = 2 ** 48 - 1
const MAX_WINDOW = 2 ** 32 - 1
const DIRECTION_BYTE: Record<Direction, number> = { in: 0x69, out: 0x6f }

/** The rotation window an instant falls in. */
export function windowIndex(now: Date, rotateSeconds: number): number {
  return Math.floor(now.getTime() / 1000 / rotateSeconds)
}

/** When a rotation window starts. */
export function windowStart(window: number, rotateSeconds: number): Date {
  return new Date(window * rotateSeconds * 1000)
}

function payloadOf(c: CodeClaims): Buffer {
  if (!Number.isSafeInteger(c.blockId) || c.blockId < 1 || c.blockId > MAX_BLOCK_ID)
    throw new RangeError(`block id out of range: ${c.blockId}`)
  if (!Number.isInteger(c.window) || c.window < 0 || c.window > MAX_WINDOW) throw new RangeError(`window out of range: ${c.window}`)
  const b = Buffer.alloc(PAYLOAD_BYTES)
  b.writeUInt8(VERSION, 0)
  b.writeUIntBE(c.blockId, 1, 6)
  b.writeUInt8(DIRECTION_BYTE[c.direction], 7)
  b.writeUInt32BE(c.window, 8)
  return b
}

export function encodeToken(claims: CodeClaims, mac: Mac): string {
  const payload = payloadOf(claims)
  return Buffer.concat([payload, mac(payload).subarray(0, MAC_BYTES)]).toString('base64url')
}

export type Decoded =
  | { ok: true; claims: CodeClaims }
  /** Not a code of ours at all: nothing can be said about it. */
  | { ok: false; problem: 'unparsable' }
  /** Shaped like a code, but its MAC is wrong: someone made it up or altered it. */
  | { ok: false; problem: 'bad_mac'; claims: CodeClaims }

/** Reads a code and checks its MAC in constant time. */
export function decodeToken(token: string, mac: Mac): Decoded {
  if (!/^[A-Za-z0-9_-]{38}$/.test(token)) return { ok: false, problem: 'unparsable' }
  const raw = Buffer.from(token, 'base64url')
  // A 38-character string decodes to 28 bytes; re-encoding must give the same text (no stray bits).
  if (raw.length !== TOKEN_BYTES || raw.toString('base64url') !== token || raw[0] !== VERSION) return { ok: false, problem: 'unparsable' }
  const dirByte = raw[7]
  const direction: Direction | null = dirByte === DIRECTION_BYTE.in ? 'in' : dirByte === DIRECTION_BYTE.out ? 'out' : null
  const blockId = raw.readUIntBE(1, 6)
  if (direction === null || blockId < 1) return { ok: false, problem: 'unparsable' }
  const claims: CodeClaims = { blockId, direction, window: raw.readUInt32BE(8) }
  const payload = raw.subarray(0, PAYLOAD_BYTES)
  const expected = mac(payload).subarray(0, MAC_BYTES)
  const given = raw.subarray(PAYLOAD_BYTES)
  let diff = 0
  for (let i = 0; i < MAC_BYTES; i++) diff |= expected[i]! ^ given[i]!
  return diff === 0 ? { ok: true, claims } : { ok: false, problem: 'bad_mac', claims }
}

/** What a scan stores as its nonce: one code is one window and direction (the block and person are columns). */
export const nonceOf = (c: Pick<CodeClaims, 'window' | 'direction'>) => `${c.window}:${c.direction}`

/** When sign-in (or sign-out) is open for a block, both ends included. */
export function directionWindow(
  block: { startsAt: Date; endsAt: Date },
  direction: Direction,
  p: CheckinPolicy,
): { opens: Date; closes: Date } {
  const minute = 60_000
  return direction === 'in'
    ? {
        opens: new Date(block.startsAt.getTime() - p.signInOpensMinutesBefore * minute),
        closes: new Date(block.startsAt.getTime() + p.signInClosesMinutesAfter * minute),
      }
    : {
        opens: new Date(block.endsAt.getTime() - p.signOutOpensMinutesBefore * minute),
        closes: new Date(block.endsAt.getTime() + p.signOutClosesMinutesAfter * minute),
      }
}

/** The longest reason a staff mark may carry. */
export const MAX_REASON = 200

export type TimingProblem = 'forged' | 'expired' | 'too_early' | 'too_late'

/**
 * Whether a genuine code may be used at `now`: accepted from its window's start until
 * codeValidSeconds after it (inclusive), and only while the direction is open for the block
 * (both ends inclusive). A code more than one rotation ahead of the clock cannot come from the
 * host's screen, so it counts as forged.
 */
export function timingProblem(
  now: Date,
  claims: CodeClaims,
  block: { startsAt: Date; endsAt: Date },
  p: CheckinPolicy,
): TimingProblem | null {
  const shownAt = windowStart(claims.window, p.codeRotateSeconds).getTime()
  if (shownAt - now.getTime() > p.codeRotateSeconds * 1000) return 'forged'
  if (now.getTime() > shownAt + p.codeValidSeconds * 1000) return 'expired'
  const { opens, closes } = directionWindow(block, claims.direction, p)
  if (now < opens) return 'too_early'
  if (now > closes) return 'too_late'
  return null
}

/** 上午 or 下午: the China-time half of the day a block starts in. */
export function blockPart(startsAt: Date): 'morning' | 'afternoon' {
  const chinaHour = (startsAt.getUTCHours() + 8) % 24
  return chinaHour < 12 ? 'morning' : 'afternoon'
}

/** The China calendar day a block is on ('YYYY-MM-DD'). */
export function blockDay(startsAt: Date): string {
  return new Date(startsAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}
