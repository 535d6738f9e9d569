import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from '#db/schema.ts'
import { getEnv } from './env.server.ts'
import { getLogger } from './log.server.ts'

// int8 (counts) fits a JS number for everything we count; numeric (hours) stays a string so
// decimal hours are never turned into binary floats.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
// A DATE is a calendar day, not an instant: keep it as 'YYYY-MM-DD'.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v)

export type DB = Kysely<Database>

export function createDb(connectionString: string, max = 10): DB {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5000 })
  // An idle connection closed by the server (restart, failover, shutdown) must not crash the
  // process: the pool drops it and opens a new one on the next query.
  pool.on('error', (err) => getLogger().warn({ err: err.message }, 'idle PostgreSQL connection lost'))
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}

let db: DB | undefined

/** The process-wide Kysely handle (a pool; safe to share). */
export function getDb(): DB {
  if (!db) db = createDb(getEnv().DATABASE_URL)
  return db
}

export async function closeDb(): Promise<void> {
  const d = db
  db = undefined
  await d?.destroy()
}
