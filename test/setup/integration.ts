/**
 * Per test file: a database of its own cloned from the migrated template, a Redis key prefix of
 * its own, and a clean slate before every test (tables truncated, prefixed keys deleted).
 * Reference data loaded into the template (the yearly policies, the courses and their lessons)
 * stays: a test that changes it puts it back.
 */
import { sql } from 'kysely'
import { afterAll, beforeEach, inject } from 'vitest'

import { recreateDatabase, TEST_DATA_KEY } from './services.ts'

const pool = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '0'
const dbName = `xueshi_test_${inject('runId')}_w${pool}`
const prefix = `xstest${pool}_${process.pid}`

process.env.NODE_ENV = 'test'
process.env.DATABASE_URL = await recreateDatabase(inject('adminUrl'), dbName, inject('templateDb'))
process.env.REDIS_URL = inject('redisUrl')
process.env.XUESHI_REDIS_PREFIX = prefix
process.env.XUESHI_DATA_KEY = TEST_DATA_KEY
process.env.LOG_LEVEL = 'silent'

const { getDb, closeDb } = await import('#app/lib/db.server.ts')
const { getRedis, closeRedis } = await import('#app/lib/redis.server.ts')

const TABLES = await sql<{
  tablename: string
}>`select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%' and tablename not in ('policies', 'courses', 'lessons')`
  .execute(getDb())
  .then((r) => r.rows.map((t) => `"${t.tablename}"`))

beforeEach(async () => {
  if (TABLES.length) await sql.raw(`truncate ${TABLES.join(', ')} restart identity cascade`).execute(getDb())
  const redis = await getRedis()
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500)
    if (keys.length) await redis.del(...keys)
    cursor = next
  } while (cursor !== '0')
})

afterAll(async () => {
  await closeDb()
  await closeRedis()
})
