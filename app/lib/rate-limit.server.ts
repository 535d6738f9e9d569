import { createHash } from 'node:crypto'

import { getRedis, redisKey } from './redis.server.ts'

/**
 * Fixed-window failure counters in Redis, shared by every web process. Keys hold a hash of the
 * login, never the login itself (it may be an ID number).
 */
export type Limit = { max: number; windowSeconds: number }

export const LOGIN_LIMITS = {
  perLogin: { max: 5, windowSeconds: 15 * 60 },
  perIp: { max: 50, windowSeconds: 15 * 60 },
} as const

function keyFor(kind: string, value: string): string {
  return redisKey('rl', kind, createHash('sha256').update(value).digest('base64url').slice(0, 32))
}

/** Seconds until the caller may try again, or 0 if not blocked. */
export async function blockedFor(kind: string, value: string, limit: Limit): Promise<number> {
  const key = keyFor(kind, value)
  const r = await (await getRedis()).multi().get(key).ttl(key).exec()
  const count = Number(r?.[0]?.[1] ?? 0)
  const ttl = Number(r?.[1]?.[1] ?? -1)
  return count >= limit.max ? Math.max(ttl, 1) : 0
}

export async function recordFailure(kind: string, value: string, limit: Limit): Promise<void> {
  const key = keyFor(kind, value)
  await (await getRedis()).multi().incr(key).expire(key, limit.windowSeconds, 'NX').exec()
}

export async function clearFailures(kind: string, value: string): Promise<void> {
  await (await getRedis()).del(keyFor(kind, value))
}
