import { createHash } from 'node:crypto'

import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'

import type { Database, DB } from '#db/schema.ts'

import { getEnv } from './env.server.ts'
import { getLogger } from './log.server.ts'
import { singleton } from './singleton.server.ts'

// int8 (counts) fits a JS number for everything we count; numeric (hours) stays a string so
// decimal hours are never turned into binary floats.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
// A DATE is a calendar day, not an instant: keep it as 'YYYY-MM-DD'.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v)

export type { DB }

/**
 * Hot statements opt in to server-side prepared statements by starting with a marker comment,
 * `/* prepared: heartbeat-read *\/`. PostgreSQL then parses and plans them once per connection
 * instead of on every call (ADR 0009). Only marked statements are prepared, so the per-connection
 * cache stays small; the name includes a hash of the text, so a changed statement is a new one.
 */
const PREPARED = /^\s*\/\* prepared: ([a-z0-9-]+) \*\//
const statementNames = singleton('prepared-statement-names', () => new Map<string, string>())

function preparedName(text: string): string | null {
  const m = PREPARED.exec(text)
  if (!m) return null
  let name = statementNames.get(text)
  if (!name) {
    name = `${m[1]}-${createHash('sha1').update(text).digest('hex').slice(0, 10)}`
    statementNames.set(text, name)
  }
  return name
}

/**
 * The database could not be reached (refused, lost mid-query, shutting down, out of
 * connections). Thrown in place of the driver's error so that every layer sees one kind: a page
 * answers 503 with "service temporarily unavailable" in the user's language, the API answers
 * 503 with Retry-After, a job is retried later.
 *
 * Deliberately not an Error subclass: Remix replaces every thrown Error with "Unexpected Server
 * Error" (status 500) in production, while an object shaped like a route error response
 * (status, statusText, internal, data) keeps its status through rendering and hydration.
 */
export class DatabaseUnavailable {
  readonly name = 'DatabaseUnavailable'
  readonly status = 503
  readonly statusText = 'Service Unavailable'
  readonly internal = false
  readonly data = 'database_unavailable'
  readonly message: string
  readonly stack: string | undefined
  constructor(readonly cause: unknown) {
    this.message = `database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`
    this.stack = cause instanceof Error ? cause.stack : undefined
  }
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '53300',
])
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|terminating connection/i

/** Whether `e` means "the database is unreachable right now" (as opposed to a bad statement). */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (e instanceof DatabaseUnavailable) return true
  if (!(e instanceof Error)) return false
  const code = (e as { code?: unknown }).code
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true
  return UNAVAILABLE_MESSAGES.test(e.message)
}

function asUnavailable(e: unknown): unknown {
  return isDatabaseUnavailable(e) && !(e instanceof DatabaseUnavailable) ? new DatabaseUnavailable(e) : e
}

function isPromise(v: unknown): v is Promise<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function'
}

function wrapClient(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown
  client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
    const name = typeof text === 'string' ? preparedName(text) : null
    const r = name ? query({ name, text, values }, callback) : query(text, values, callback)
    return isPromise(r)
      ? r.catch((e: unknown) => {
          throw asUnavailable(e)
        })
      : r
  }) as typeof client.query
}

export function createDb(connectionString: string, max = 10): DB {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5000 })
  // An idle connection closed by the server (restart, failover, shutdown) must not crash the
  // process: the pool drops it and opens a new one on the next query.
  pool.on('error', (err) => getLogger().warn({ err: err.message }, 'idle PostgreSQL connection lost'))
  // A connection lost while checked out (a killed backend, a restart) emits 'error' on its client;
  // unhandled, that would crash the process. The query using it fails (and its request answers
  // 503); the pool discards the client when it is released with the error.
  pool.on('connect', (client) => {
    client.on('error', (err) => getLogger().warn({ err: err.message }, 'PostgreSQL connection lost while in use'))
    wrapClient(client)
  })
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown
  pool.connect = ((...args: unknown[]) => {
    const r = connect(...args)
    return isPromise(r)
      ? r.catch((e: unknown) => {
          throw asUnavailable(e)
        })
      : r
  }) as typeof pool.connect
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  pools.set(db, pool)
  return db
}

const pools = new WeakMap<DB, pg.Pool>()

/**
 * A pooled pg client of `db` for what Kysely cannot express: COPY … FROM STDIN (the import
 * engine's staging, ADR 0021). Autocommit; released (or discarded after an error) when `fn` ends.
 */
export async function withPgClient<T>(db: DB, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const pool = pools.get(db)
  if (!pool) throw new Error('withPgClient: not a handle made by createDb')
  const client = await pool.connect()
  let failed: Error | undefined
  try {
    return await fn(client)
  } catch (e) {
    failed = e instanceof Error ? e : new Error(String(e))
    throw e
  } finally {
    client.release(failed)
  }
}

// One pool per process, also when the Remix build and the fast path each load this module.
const shared = singleton('db', () => ({ db: undefined as DB | undefined }))

/** The process-wide Kysely handle (a pool; safe to share). */
export function getDb(): DB {
  shared.db ??= createDb(getEnv().DATABASE_URL)
  return shared.db
}

export async function closeDb(): Promise<void> {
  const d = shared.db
  shared.db = undefined
  await d?.destroy()
}
