import { isRouteErrorResponse } from '@remix-run/react'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'

import { createDb, DatabaseUnavailable } from '#app/lib/db.server.ts'

/**
 * Issue 9, item 1: a connection lost while a client is checked out of the pool (here: inside a
 * transaction, between two statements) fails the work using it, never the process; the pool
 * then serves the next query on a fresh connection.
 */
describe('a PostgreSQL connection lost while in use', () => {
  it('fails only the transaction using it; the pool reconnects', async () => {
    const db = createDb(process.env.DATABASE_URL!, 2)
    const admin = createDb(process.env.DATABASE_URL!, 1)
    const uncaught: unknown[] = []
    const onUncaught = (e: unknown) => uncaught.push(e)
    process.on('uncaughtException', onUncaught)
    try {
      const work = db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)
        // Killed from another connection while this client sits checked out, between statements.
        await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(admin)
        await new Promise((r) => setTimeout(r, 200))
        await sql`select 1`.execute(trx)
      })
      // One kind of failure for every layer: a page renders it as 503 "temporarily unavailable".
      const failure = await work.then(
        () => null,
        (e: unknown) => e,
      )
      expect(failure).toBeInstanceOf(DatabaseUnavailable)
      expect(isRouteErrorResponse(failure)).toBe(true)
      expect((failure as DatabaseUnavailable).status).toBe(503)
      await new Promise((r) => setTimeout(r, 100))
      expect(uncaught).toEqual([])
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db)
      expect(rows[0]!.one).toBe(1)
    } finally {
      process.off('uncaughtException', onUncaught)
      await db.destroy()
      await admin.destroy()
    }
  })
  it('a database that refuses connections fails as DatabaseUnavailable (503), not as a crash', async () => {
    const db = createDb('postgres://postgres@127.0.0.1:1/none', 1)
    try {
      const failure = await sql`select 1`.execute(db).then(
        () => null,
        (e: unknown) => e,
      )
      expect(failure).toBeInstanceOf(DatabaseUnavailable)
      expect((failure as DatabaseUnavailable).message).toMatch(/ECONNREFUSED|connect/)
    } finally {
      await db.destroy()
    }
  })
})
