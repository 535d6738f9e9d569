import { createHash } from 'node:crypto'

import { getLogger } from './log.server.ts'
import { getRedis, redisKey } from './redis.server.ts'

/**
 * Fixed-window counters in Redis, shared by every web process. Keys hold a hash of the value,
 * never the value itself (it may be an ID number or a phone). The limits themselves are policy
 * (app/domain/identity/security-policy.ts); whether a limit fails open or closed while Redis is
 * down is decided per limit by its caller (ADR 0018): every call here gives up after a bounded
 * wait and throws `RateLimitUnavailable`.
 */
export type Limit = { max: number; windowSeconds: number }

/** The longest a request waits for a rate limit before treating Redis as down. */
export const RATE_LIMIT_TIMEOUT_MS = 500

export class RateLimitUnavailable extends Error {
  constructor(cause: unknown) {
    super('rate limiter unavailable', { cause })
  }
}

function keyFor(kind: string, value: string): string {
  return redisKey('rl', kind, createHash('sha256').update(value).digest('base64url').slice(0, 32))
}

async function bounded<T>(op: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      op(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${RATE_LIMIT_TIMEOUT_MS} ms`)), RATE_LIMIT_TIMEOUT_MS)
      }),
    ])
  } catch (e) {
    throw new RateLimitUnavailable(e)
  } finally {
    clearTimeout(timer)
  }
}

/** Seconds until the caller may try again, or 0 if not blocked. */
export async function blockedFor(kind: string, value: string, limit: Limit): Promise<number> {
  return bounded(async () => {
    const key = keyFor(kind, value)
    const r = await (await getRedis()).multi().get(key).ttl(key).exec()
    if (!r) throw new Error('transaction aborted')
    const count = Number(r[0]?.[1] ?? 0)
    const ttl = Number(r[1]?.[1] ?? -1)
    return count >= limit.max ? Math.max(ttl, 1) : 0
  })
}

export async function recordFailure(kind: string, value: string, limit: Limit): Promise<void> {
  await bounded(async () => {
    const key = keyFor(kind, value)
    await (await getRedis()).multi().incr(key).expire(key, limit.windowSeconds, 'NX').exec()
  })
}

/**
 * Counts one attempt (not only failures) and answers the seconds to wait when this one is over
 * the limit, else 0.
 */
export async function consume(kind: string, value: string, limit: Limit): Promise<number> {
  return bounded(async () => {
    const key = keyFor(kind, value)
    const r = await (await getRedis()).multi().incr(key).expire(key, limit.windowSeconds, 'NX').ttl(key).exec()
    if (!r) throw new Error('transaction aborted')
    const count = Number(r[0]?.[1] ?? 0)
    const ttl = Number(r[2]?.[1] ?? -1)
    return count > limit.max ? Math.max(ttl, 1) : 0
  })
}

export async function clearFailures(kind: string, value: string): Promise<void> {
  await bounded(async () => {
    await (await getRedis()).del(keyFor(kind, value))
  })
}

/**
 * A limit that fails open: when Redis is down the answer is `whenDown` (logged), and the request
 * goes on. Only for limits that another, PostgreSQL-kept limit backs (ADR 0018).
 */
export async function failOpen<T>(what: string, op: Promise<T>, whenDown: T): Promise<T> {
  try {
    return await op
  } catch (e) {
    if (!(e instanceof RateLimitUnavailable)) throw e
    getLogger().warn({ err: e.cause, limit: what }, 'rate limiter unavailable: limit skipped (fails open)')
    return whenDown
  }
}
