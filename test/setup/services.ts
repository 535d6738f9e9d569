/**
 * Real PostgreSQL and Redis for tests: TEST_DATABASE_URL (an admin connection that may create
 * databases) or the machine's PostgreSQL on 127.0.0.1:5432, else an embedded one under
 * .data/test-pg; REDIS_URL, else the local default (see app/cli/services.ts). No mocks.
 */
import path from 'node:path'

import pg from 'pg'

import { canConnectPostgres, DATA_DIR, provideRedis, startEmbeddedPostgres } from '#app/cli/services.ts'

export type TestServices = { adminUrl: string; redisUrl: string; stop: () => Promise<void> }

export async function startTestServices(log: (s: string) => void = () => undefined): Promise<TestServices> {
  const stops: (() => Promise<void>)[] = []
  let adminUrl = process.env.TEST_DATABASE_URL
  if (!adminUrl) {
    const local = 'postgres://postgres@127.0.0.1:5432/postgres'
    if (await canConnectPostgres(local)) adminUrl = local
    else {
      log('No PostgreSQL on 127.0.0.1:5432: starting an embedded one for the tests…')
      const embedded = await startEmbeddedPostgres({ dir: path.join(DATA_DIR, 'test-pg'), port: 54330, database: 'postgres', log })
      stops.push(embedded.stop)
      adminUrl = embedded.url
    }
  }
  let redisUrl = process.env.REDIS_URL
  if (!redisUrl) {
    const redis = await provideRedis({ dir: path.join(DATA_DIR, 'test-redis'), port: 6391, log })
    stops.push(redis.stop)
    redisUrl = redis.url
  }
  return {
    adminUrl,
    redisUrl,
    stop: async () => {
      for (const s of stops.reverse()) await s()
    },
  }
}

export function databaseUrl(adminUrl: string, name: string): string {
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  return u.toString()
}

/** Drops and re-creates `name`, optionally as a copy of `template`. */
export async function recreateDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(`drop database if exists "${name}" with (force)`)
    await client.query(`create database "${name}"${template ? ` template "${template}"` : ''}`)
  } finally {
    await client.end()
  }
  return databaseUrl(adminUrl, name)
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(`drop database if exists "${name}" with (force)`)
  } finally {
    await client.end()
  }
}

/** A fixed key for tests only (32 bytes, base64). */
export const TEST_DATA_KEY = Buffer.alloc(32, 7).toString('base64')
