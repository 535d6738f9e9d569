/**
 * How the CLIs (start, admin, seed) find the database and Redis: explicit environment first,
 * else the project's embedded defaults under .data/, so every command works against the same
 * database `npm start` uses.
 */
import path from 'node:path'

import { canConnectPostgres, DATA_DIR, localDataKey, type Service, startEmbeddedPostgres } from './services.ts'

export const EMBEDDED_PG_PORT = Number(process.env.XUESHI_EMBEDDED_PG_PORT ?? 54329)
export const EMBEDDED_PG_DIR = path.join(DATA_DIR, 'pg')
export const EMBEDDED_DB = 'xueshi'
const EMBEDDED_URL = `postgres://postgres:xueshi-local@127.0.0.1:${EMBEDDED_PG_PORT}/${EMBEDDED_DB}`

export type Database = Service & { embedded: boolean; fresh: boolean }

export async function provideDatabase(log?: (s: string) => void): Promise<Database> {
  const configured = process.env.DATABASE_URL
  if (configured) return { url: configured, embedded: false, fresh: false, stop: async () => undefined }
  // `npm start` may already be running the embedded cluster: share it.
  if (await canConnectPostgres(EMBEDDED_URL)) return { url: EMBEDDED_URL, embedded: true, fresh: false, stop: async () => undefined }
  const pg = await startEmbeddedPostgres({ dir: EMBEDDED_PG_DIR, port: EMBEDDED_PG_PORT, database: EMBEDDED_DB, log })
  return { ...pg, embedded: true }
}

export function provideDataKey(log?: (s: string) => void): string {
  const configured = process.env.XUESHI_DATA_KEY
  if (configured) return configured
  if (process.env.NODE_ENV === 'production') {
    throw new Error(
      'XUESHI_DATA_KEY is required in production (32 random bytes, base64): it encrypts ID numbers. Generate one with `openssl rand -base64 32` and keep it safe.',
    )
  }
  log?.('Using the local data key in .data/data-key (set XUESHI_DATA_KEY in production).')
  return localDataKey()
}
