import { sql } from 'kysely'
import { getDb } from './db.server.ts'
import { getRedis } from './redis.server.ts'

type State = 'up' | 'down'

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())])
}

export async function checkHealth(): Promise<{ status: 'ok' | 'degraded'; db: State; redis: State }> {
  const [db, redis] = await Promise.all([
    withTimeout(sql`select 1`.execute(getDb()), 2000).then(() => 'up' as const, () => 'down' as const),
    withTimeout(getRedis().ping(), 2000).then(() => 'up' as const, () => 'down' as const),
  ])
  return { status: db === 'up' && redis === 'up' ? 'ok' : 'degraded', db, redis }
}
