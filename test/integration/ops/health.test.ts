import { Redis } from 'ioredis'
import { describe, expect, test } from 'vitest'

import { createDb } from '#app/lib/db.server.ts'
import { checkHealth } from '#app/lib/health.server.ts'
import { getRedis } from '#app/lib/redis.server.ts'
import { loader } from '#app/routes/public/healthz.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'

function deadRedis(): Redis {
  const r = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  r.on('error', () => undefined)
  return r
}

function urlOfMissingDatabase(): string {
  const u = new URL(process.env.DATABASE_URL!)
  u.pathname = '/no_such_db_xyz'
  return u.toString()
}

describe('health (/healthz)', () => {
  test('with PostgreSQL and Redis up, /healthz answers 200 ok, not cached', async () => {
    const res = await call(loader, makeRequest('/healthz'))
    expect(res.status).toBe(200)
    expect(res.data).toEqual({ status: 'ok', db: 'up', redis: 'up' })
    expect(res.headers.get('Cache-Control')).toBe('no-store')
  })

  test('an unreachable Redis → redis down, status degraded (database still up)', async () => {
    const redis = deadRedis()
    try {
      const started = Date.now()
      expect(await checkHealth({ redis: async () => redis })).toEqual({ status: 'degraded', db: 'up', redis: 'down' })
      expect(Date.now() - started).toBeLessThan(5000)
    } finally {
      redis.disconnect()
    }
  })

  test('a database that does not exist → db down, status degraded (Redis still up)', async () => {
    const db = createDb(urlOfMissingDatabase(), 1)
    try {
      expect(await checkHealth({ db })).toEqual({ status: 'degraded', db: 'down', redis: 'up' })
    } finally {
      await db.destroy()
    }
  })

  test('both down → both reported down', async () => {
    const redis = deadRedis()
    const db = createDb(urlOfMissingDatabase(), 1)
    try {
      expect(await checkHealth({ db, redis: async () => redis })).toEqual({ status: 'degraded', db: 'down', redis: 'down' })
    } finally {
      redis.disconnect()
      await db.destroy()
    }
  })

  test('the injected handles are really used: the shared ones report up', async () => {
    const db = createDb(process.env.DATABASE_URL!, 1)
    try {
      expect(await checkHealth({ db, redis: getRedis })).toEqual({ status: 'ok', db: 'up', redis: 'up' })
    } finally {
      await db.destroy()
    }
  })
})

describe('a lost PostgreSQL connection', () => {
  test('an idle connection terminated by the server does not crash the process; the next query reconnects', async () => {
    const { createDb } = await import('#app/lib/db.server.ts')
    const { sql } = await import('kysely')
    const db = createDb(process.env.DATABASE_URL!, 2)
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)
      const admin = createDb(process.env.DATABASE_URL!, 1)
      await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(admin)
      await admin.destroy()
      // Give the pool a moment to notice; without an error handler the process would die here.
      await new Promise((r) => setTimeout(r, 200))
      const again = await sql<{ one: number }>`select 1 as one`.execute(db)
      expect(again.rows[0]!.one).toBe(1)
    } finally {
      await db.destroy()
    }
  })
})
