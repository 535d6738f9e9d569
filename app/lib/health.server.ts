import type { Redis } from 'ioredis'
import { type Kysely, sql } from 'kysely'

import type { Database } from '#db/schema.ts'

import { getDb } from './db.server.ts'
import { getRedis } from './redis.server.ts'

type State = 'up' | 'down'

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())])
}

/** Health of the two services the web process needs; the handles are injectable for tests. */
export async function checkHealth(
  deps: { db?: Kysely<Database>; redis?: () => Promise<Redis> } = {},
): Promise<{ status: 'ok' | 'degraded'; db: State; redis: State }> {
  const db = deps.db ?? getDb()
  const redis = deps.redis ?? getRedis
  const [dbState, redisState] = await Promise.all([
    withTimeout(sql`select 1`.execute(db), 2000).then(
      () => 'up' as const,
      () => 'down' as const,
    ),
    withTimeout(
      redis().then((r) => r.ping()),
      2500,
    ).then(
      () => 'up' as const,
      () => 'down' as const,
    ),
  ])
  return { status: dbState === 'up' && redisState === 'up' ? 'ok' : 'degraded', db: dbState, redis: redisState }
}
