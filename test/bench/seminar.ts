/**
 * `npm run bench:seminar`: 2,000 learners press "register" at once for one national seminar of 70
 * seats with province quotas (issue 12, "Speed").
 *
 * The bench serves the domain path the seminar page's action calls (`register`), over HTTP it
 * controls, without Remix's request handling in the way: a child process (this file, mode `ours`) answers `POST /register/:personId`
 * by running `register` in a transaction with a fresh idempotency key on a pool of 10 connections
 * and answers JSON `{status, position}`. The floor is another child process (mode `floor`):
 * node:http + pg (pool of 10) doing the same conditional seat update (`UPDATE seminar_quotas SET
 * taken = taken + 1 WHERE id = $1 AND taken < size RETURNING id`, own quota then the open pool)
 * and an insert into a plain table, in a transaction, on a fresh copy of the seats.
 *
 * Against a fresh database (`xueshi_bench_seminar`, dropped at the end, also on failure): seeds
 * 2,000 learners from several provinces (factory `learnerFrom`, each with a session from
 * `cookieFor`, sent as its cookie) and the seminars (factory `createSeminar`); warms both servers
 * up on a separate seminar with separate people; then fires all 2,000 requests at once through an
 * agent of 64 sockets (the agent queues the rest), at each server in each round. Prints the seat and
 * waitlist checks, 5xx, registrations/s, p50/p99 and the ratio to the floor.
 *
 * BENCH_SESSIONS=1: `ours` also resolves the session cookie (findSessionUser) before registering,
 * as the page will. BENCH_PROFILE=1 (or the ratio missed): one more run of `ours` on a seminar of
 * a later year (fresh seats, same people) with every statement timed. BENCH_ROUNDS (3): rounds of
 * (ours, floor) on fresh seats, alternating which goes first; the ratio is over all rounds.
 * A benchmark, not a test: it prints figures and never fails on them (exit 1 only on a crash).
 */
import { randomUUID } from 'node:crypto'
import http from 'node:http'
import { fileURLToPath } from 'node:url'

import pg from 'pg'

import { dropDatabase, recreateDatabase, startTestServices, TEST_DATA_KEY, type TestServices } from '#test/setup/services.ts'

import { startProcess, stopProcesses, waitFor } from './lib.ts'

const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 2000)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200)
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 64)
const POOL = Number(process.env.BENCH_POOL ?? 10)
const SESSIONS = process.env.BENCH_SESSIONS === '1'
const PROFILE = process.env.BENCH_PROFILE === '1'
/** Rounds of (ours, floor), the order alternating (ours first, then floor first, …): the machine may be shared. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3))
const TARGET_RATIO = 0.5
const DB_NAME = 'xueshi_bench_seminar'
const OURS_PORT = 3211
const FLOOR_PORT = 3212
const SELF = fileURLToPath(import.meta.url)

/** Resident ID areas (first two digits: the province) and how many of the learners come from each. */
const AREAS: { area: string; share: number }[] = [
  { area: '220102', share: 0.4 }, // 吉林 长春
  { area: '110101', share: 0.12 }, // 北京
  { area: '310101', share: 0.12 }, // 上海
  { area: '440103', share: 0.12 }, // 广东 广州
  { area: '510104', share: 0.12 }, // 四川 成都
  { area: '370102', share: 0.12 }, // 山东 济南 (no quota of its own: the open pool only)
]
const QUOTAS = [
  { scope: 'province:22', size: 30 },
  { scope: 'province:11', size: 10 },
  { scope: 'province:31', size: 10 },
  { scope: 'province:44', size: 10 },
]
const CAPACITY = 70 // open pool: 70 − 60 = 10

// ------------------------------------------------------------------------------------- servers

function json(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

type StatementStats = Map<string, { n: number; ms: number }>

/** Times every statement sent through pg clients of this process (before any pool connects). */
function timeStatements(): StatementStats {
  const stats: StatementStats = new Map()
  const proto = pg.Client.prototype as any
  const original = proto.query
  proto.query = function (this: unknown, ...args: any[]) {
    const first = args[0]
    const text: unknown = typeof first === 'string' ? first : first?.text
    const t = performance.now()
    const result = original.apply(this, args)
    if (typeof text === 'string' && result && typeof result.then === 'function') {
      const key = text.replace(/\s+/g, ' ').trim().slice(0, 150)
      const done = () => {
        const s = stats.get(key) ?? { n: 0, ms: 0 }
        s.n++
        s.ms += performance.now() - t
        stats.set(key, s)
      }
      result.then(done, done)
    }
    return result
  }
  return stats
}

/** `ours`: the domain's `register`, as the page will call it. */
async function serveOurs() {
  const stats = process.env.BENCH_STATS === '1' ? timeStatements() : null
  const { createDb, DatabaseUnavailable } = await import('#app/lib/db.server.ts')
  const { register } = await import('#app/domain/seminars/registration.server.ts')
  const { findSessionUser } = await import('#app/domain/identity/sessions.server.ts')
  const url = process.env.DATABASE_URL!
  const db = createDb(url, POOL)
  const accounts = new Map(
    (await db.selectFrom('accounts').select(['id', 'person_id']).where('role', '=', 'learner').execute()).map((r) => [r.person_id, r.id]),
  )
  const handler = { n: 0, ms: 0 }
  const server = http.createServer((req, res) => {
    const m = /^\/register\/(\d+)\?seminar=(\d+)$/.exec(req.url ?? '')
    if (req.method === 'GET' && req.url === '/ready') return json(res, 200, { ok: true })
    if (req.method === 'GET' && req.url === '/cpu') return json(res, 200, process.cpuUsage())
    if (req.method === 'GET' && req.url === '/stats')
      return json(res, 200, { handler, statements: stats ? Object.fromEntries(stats) : null })
    if (req.method === 'POST' && req.url === '/stats/reset') {
      stats?.clear()
      Object.assign(handler, { n: 0, ms: 0 })
      return json(res, 200, { ok: true })
    }
    if (req.method !== 'POST' || !m) return json(res, 404, { code: 'not_found' })
    req.resume()
    const t = performance.now()
    const personId = Number(m[1])
    const seminarId = Number(m[2])
    void (async () => {
      let accountId = accounts.get(personId)
      if (SESSIONS) {
        const token = /(?:^|;\s*)xs_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
        const user = token ? await findSessionUser(db, token) : null
        if (!user || user.personId !== personId) return json(res, 403, { code: 'forbidden' })
        accountId = user.accountId
      }
      if (accountId === undefined) return json(res, 404, { code: 'no_account' })
      const r = await db
        .transaction()
        .execute((trx) => register(trx, { personId, accountId }, seminarId, `bench-${randomUUID()}`, new Date()))
      if (!r.ok) return json(res, 409, { code: r.code })
      return json(res, 200, { status: r.status, position: r.position, registrationId: r.registrationId })
    })()
      .catch((e: unknown) => {
        if (e instanceof DatabaseUnavailable) json(res, 503, { code: 'database_unavailable', message: e.message })
        else json(res, 500, { code: 'error', message: e instanceof Error ? e.message : String(e) })
      })
      .finally(() => {
        handler.n++
        handler.ms += performance.now() - t
      })
  })
  server.keepAliveTimeout = 60_000
  server.listen(Number(process.env.PORT), '127.0.0.1')
  process.on('SIGTERM', () => {
    server.close()
    server.closeAllConnections()
    void db.destroy().finally(() => process.exit(0))
  })
}

/**
 * The floor: the same conditional seat update, own quota then the open pool, and an insert into a
 * plain table, in one transaction per request. It knows each person's province from a plain table
 * (no decryption, no rules, no history, no notice).
 */
async function serveFloor() {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: POOL })
  // Quota ids by seminar and scope, read once: the floor does no lookups per request.
  const quotas = (await pool.query<{ id: string; seminar_id: string; scope: string }>('select id, seminar_id, scope from seminar_quotas'))
    .rows
  const byScope = new Map(quotas.map((q) => [`${q.seminar_id}/${q.scope}`, Number(q.id)]))
  const provinces = new Map(
    (await pool.query<{ person_id: string; province: string }>('select person_id, province from bench_floor_people')).rows.map((r) => [
      Number(r.person_id),
      r.province,
    ]),
  )
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/ready') return json(res, 200, { ok: true })
    if (req.method === 'GET' && req.url === '/cpu') return json(res, 200, process.cpuUsage())
    const m = /^\/register\/(\d+)\?seminar=(\d+)$/.exec(req.url ?? '')
    if (req.method !== 'POST' || !m) return json(res, 404, { code: 'not_found' })
    req.resume()
    const personId = Number(m[1])
    const seminarId = Number(m[2])
    const open = byScope.get(`${seminarId}/open`)
    if (open === undefined) return json(res, 404, { code: 'no_seminar' })
    const home = byScope.get(`${seminarId}/province:${provinces.get(personId)}`) ?? null
    void (async () => {
      const client = await pool.connect()
      try {
        await client.query('begin')
        let seat: number | null = null
        for (const q of home === null ? [open] : [home, open]) {
          const r = await client.query('update seminar_quotas set taken = taken + 1 where id = $1 and taken < size returning id', [q])
          if (r.rowCount === 1) {
            seat = q
            break
          }
        }
        const status = seat === null ? 'waitlisted' : 'confirmed'
        const row = await client.query<{ id: string }>(
          'insert into bench_floor_registrations (seminar_id, person_id, status, quota_id) values ($1, $2, $3, $4) returning id',
          [seminarId, personId, status, seat],
        )
        await client.query('commit')
        client.release()
        json(res, 200, { status, position: null, registrationId: Number(row.rows[0]!.id) })
      } catch (e) {
        await client.query('rollback').catch(() => undefined)
        client.release()
        throw e
      }
    })().catch((e: unknown) => json(res, 500, { code: 'error', message: e instanceof Error ? e.message : String(e) }))
  })
  server.keepAliveTimeout = 60_000
  server.listen(Number(process.env.PORT), '127.0.0.1')
  process.on('SIGTERM', () => {
    server.close()
    server.closeAllConnections()
    void pool.end().finally(() => process.exit(0))
  })
}

// ---------------------------------------------------------------------------------------- load

type Shot = {
  personId: number
  /** Index in the order the requests were issued. */
  order: number
  /** Given a socket by the agent (ms since the burst began): from here on the request is on the wire. */
  sentAt: number
  doneAt: number
  status: number
  body: { status?: string; position?: number | null; registrationId?: number; code?: string }
}

/** Issues every request at once (the agent queues them on its sockets) and waits for all the answers. */
async function burst(
  port: number,
  seminarId: number,
  learners: { personId: number; cookie: string }[],
): Promise<{ shots: Shot[]; seconds: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: SOCKETS })
  const t0 = performance.now()
  const shots = await Promise.all(
    learners.map(
      (l, order) =>
        new Promise<Shot>((resolve) => {
          let sentAt = NaN
          const req = http.request({
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `/register/${l.personId}?seminar=${seminarId}`,
            agent,
            headers: { cookie: l.cookie },
          })
          req.on('socket', () => (sentAt = performance.now() - t0))
          req.on('response', (res) => {
            const chunks: Buffer[] = []
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('end', () => {
              const doneAt = performance.now() - t0
              let body: Shot['body'] = {}
              try {
                body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Shot['body']
              } catch {
                body = { code: 'unparsable' }
              }
              resolve({ personId: l.personId, order, sentAt, doneAt, status: res.statusCode ?? 0, body })
            })
          })
          req.on('error', (e) =>
            resolve({ personId: l.personId, order, sentAt, doneAt: performance.now() - t0, status: 0, body: { code: e.message } }),
          )
          req.end()
        }),
    ),
  )
  const seconds = (performance.now() - t0) / 1000
  agent.destroy()
  return { shots, seconds }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

type RunFigures = {
  label: string
  n: number
  seconds: number
  rps: number
  /** Server time: from the request written to its socket to the answer (queueing in the agent excluded). */
  p50: number
  p99: number
  /** From the burst's start (all issued at once) to the answer. */
  e2eP50: number
  e2eP99: number
  codes: Record<string, number>
  fiveXX: number
  outcomes: Record<string, number>
}

function figures(label: string, shots: Shot[], seconds: number): RunFigures {
  const lat = shots.map((s) => s.doneAt - s.sentAt).sort((a, b) => a - b)
  const e2e = shots.map((s) => s.doneAt).sort((a, b) => a - b)
  const codes: Record<string, number> = {}
  const outcomes: Record<string, number> = {}
  for (const s of shots) {
    codes[s.status] = (codes[s.status] ?? 0) + 1
    const o = s.body.status ?? s.body.code ?? '?'
    outcomes[o] = (outcomes[o] ?? 0) + 1
  }
  return {
    label,
    n: shots.length,
    seconds,
    rps: shots.length / seconds,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    e2eP50: percentile(e2e, 50),
    e2eP99: percentile(e2e, 99),
    codes,
    fiveXX: shots.filter((s) => s.status >= 500 || s.status === 0).length,
    outcomes,
  }
}

// ---------------------------------------------------------------------------------------- main

type Services = {
  services?: TestServices
  dbCreated: boolean
  children: ReturnType<typeof startProcess>[]
  closers: (() => Promise<void>)[]
}
const state: Services = { dbCreated: false, children: [], closers: [] }
let cleaned: Promise<void> | undefined

function cleanup(): Promise<void> {
  cleaned ??= (async () => {
    await stopProcesses(state.children.filter((c) => c.exitCode === null)).catch((e: unknown) => console.error('stopping servers:', e))
    for (const close of state.closers.reverse()) await close().catch(() => undefined)
    if (state.services && state.dbCreated)
      await dropDatabase(state.services.adminUrl, DB_NAME).catch((e: unknown) => console.error('dropping the database:', e))
    await state.services?.stop().catch(() => undefined)
  })()
  return cleaned
}

async function startServer(mode: 'ours' | 'floor', port: number, env: Record<string, string>) {
  // BENCH_SERVER_ARGS: extra node options for both servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const extraArgs = process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? []
  const child = startProcess([...extraArgs, '--import', 'tsx', SELF, mode], { ...env, PORT: String(port), BENCH_POOL: String(POOL) })
  state.children.push(child)
  await waitFor(`http://127.0.0.1:${port}/ready`)
  return child
}

async function stopServer(child: ReturnType<typeof startProcess>) {
  await stopProcesses([child])
  state.children = state.children.filter((c) => c !== child)
}

async function main() {
  const services = await startTestServices((s) => console.log(s))
  state.services = services
  const url = await recreateDatabase(services.adminUrl, DB_NAME)
  state.dbCreated = true
  process.env.DATABASE_URL = url
  process.env.XUESHI_DATA_KEY = TEST_DATA_KEY
  const { createDb } = await import('#app/lib/db.server.ts')
  const { prepareDatabase } = await import('#app/cli/prepare.ts')
  const { createSeminar, learnerFrom } = await import('#test/factories/seminars.ts')
  const { cookieFor } = await import('#test/factories/people.ts')
  const db = createDb(url, 10)
  state.closers.push(() => db.destroy())
  await prepareDatabase(db)

  // 1. People (each with a session) and seminars.
  const t0 = performance.now()
  const areaOf = (i: number) => {
    let acc = 0
    for (const a of AREAS) {
      acc += a.share
      if (i / LEARNERS < acc) return a.area
    }
    return AREAS[AREAS.length - 1]!.area
  }
  type Learner = { personId: number; accountId: number; province: string; cookie: string }
  const seed = async (n: number, area: (i: number) => string): Promise<Learner[]> => {
    const out: Learner[] = new Array(n)
    let next = 0
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = next++; i < n; i = next++) {
          const l = await learnerFrom(db, area(i))
          out[i] = {
            personId: l.personId,
            accountId: l.accountId,
            province: l.idNumber.slice(0, 2),
            cookie: await cookieFor(db, l.accountId),
          }
        }
      }),
    )
    return out
  }
  // Interleave provinces so that arrival order mixes them (the learners are shuffled deterministically).
  const learners = await seed(LEARNERS, areaOf)
  for (let i = learners.length - 1; i > 0; i--) {
    const j = (i * 7919 + 13) % (i + 1)
    ;[learners[i], learners[j]] = [learners[j]!, learners[i]!]
  }
  const warmers = await seed(WARMUP, (i) => AREAS[i % AREAS.length]!.area)
  const now = new Date()
  const quotas = QUOTAS.map((q) => ({ ...q }))
  const ours = await createSeminar(db, { capacity: CAPACITY, quotas }, now)
  const floorSeminar = await createSeminar(db, { capacity: CAPACITY, quotas, hostBaseId: ours.hostBaseId }, now)
  const warmOurs = await createSeminar(db, { capacity: CAPACITY, quotas, hostBaseId: ours.hostBaseId }, now)
  const warmFloor = await createSeminar(db, { capacity: CAPACITY, quotas, hostBaseId: ours.hostBaseId }, now)
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  state.closers.push(() => c.end())
  await c.query(`create table bench_floor_people (person_id bigint primary key, province text not null)`)
  await c.query(`create table bench_floor_registrations (
      id bigserial primary key, seminar_id bigint not null, person_id bigint not null, status text not null, quota_id bigint,
      created_at timestamptz not null default now())`)
  const all = [...learners, ...warmers]
  await c.query(`insert into bench_floor_people select * from unnest($1::bigint[], $2::text[])`, [
    all.map((l) => l.personId),
    all.map((l) => l.province),
  ])
  await c.query('analyze')
  const perProvince: Record<string, number> = {}
  for (const l of learners) perProvince[l.province] = (perProvince[l.province] ?? 0) + 1
  console.log(
    `seeded ${LEARNERS} learners (+${WARMUP} for warming up), each with a session, in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
      `by province: ${Object.entries(perProvince)
        .map(([p, n]) => `${p}: ${n}`)
        .join(', ')}`,
  )
  console.log(`quotas: ${QUOTAS.map((q) => `${q.scope} ${q.size}`).join(', ')}, open ${CAPACITY - QUOTAS.reduce((n, q) => n + q.size, 0)}`)

  const baseEnv = {
    DATABASE_URL: url,
    XUESHI_DATA_KEY: TEST_DATA_KEY,
    NODE_ENV: 'production',
    XUESHI_PUBLIC_URL: 'http://127.0.0.1',
    XUESHI_SMS_LOCAL: '1',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    BENCH_SESSIONS: SESSIONS ? '1' : '0',
  }
  const run = async (
    mode: 'ours' | 'floor',
    port: number,
    seminarId: number,
    warmSeminarId: number,
    extra: Record<string, string> = {},
  ) => {
    // Warm up (connections, JIT) on a seminar of its own with people of their own, then the measured burst.
    const server = await startServer(mode, port, { ...baseEnv, ...extra })
    await burst(port, warmSeminarId, warmers)
    if (extra.BENCH_STATS === '1') await fetch(`http://127.0.0.1:${port}/stats/reset`, { method: 'POST' })
    const cpu = async () => {
      const u = (await (await fetch(`http://127.0.0.1:${port}/cpu`)).json()) as NodeJS.CpuUsage
      return (u.user + u.system) / 1000
    }
    const cpu0 = await cpu()
    const r = await burst(port, seminarId, learners)
    const cpuMsPerRequest = ((await cpu()) - cpu0) / learners.length
    let stats: unknown = null
    if (extra.BENCH_STATS === '1') stats = await (await fetch(`http://127.0.0.1:${port}/stats`)).json()
    await stopServer(server)
    return { ...r, stats, cpuMsPerRequest }
  }

  // 2. Ours, then the floor, on the same machine, one at a time.
  const oursRun = await run('ours', OURS_PORT, ours.seminarId, warmOurs.seminarId)
  const floorRun = await run('floor', FLOOR_PORT, floorSeminar.seminarId, warmFloor.seminarId)
  const fo = figures('ours, round 1', oursRun.shots, oursRun.seconds)
  const ff = figures('floor, round 1', floorRun.shots, floorRun.seconds)
  // More rounds, each on fresh seats: ours on a national seminar of a later year (the same people
  // stay eligible: one national seminar a year), the floor on a fresh copy; floor first in even rounds.
  const yearLater = (k: number) => new Date(now.getTime() + (30 + 366 * k) * 24 * 3600_000).toISOString().slice(0, 10)
  type Raw = { shots: Shot[]; seconds: number; cpuMsPerRequest: number }
  const rounds: {
    ours: RunFigures
    floor: RunFigures
    raw: [Raw, Raw]
    oursConfirmed: number
    floorConfirmed: number
    quotasOk: boolean
  }[] = []
  const confirmedIn = async (table: string, seminarId: number) =>
    Number(
      (await c.query<{ n: string }>(`select count(*) n from ${table} where seminar_id = $1 and status = 'confirmed'`, [seminarId])).rows[0]!
        .n,
    )
  for (let r = 1; r < ROUNDS; r++) {
    const seats = { capacity: CAPACITY, quotas, hostBaseId: ours.hostBaseId }
    const o = await createSeminar(db, { ...seats, startDate: yearLater(r) }, now)
    const ow = await createSeminar(db, { ...seats, startDate: yearLater(r) }, now)
    const f = await createSeminar(db, seats, now)
    const fw = await createSeminar(db, seats, now)
    const doOurs = () => run('ours', OURS_PORT, o.seminarId, ow.seminarId)
    const doFloor = () => run('floor', FLOOR_PORT, f.seminarId, fw.seminarId)
    let oRun: Awaited<ReturnType<typeof doOurs>>
    let fRun: Awaited<ReturnType<typeof doFloor>>
    if (r % 2 === 1) {
      fRun = await doFloor()
      oRun = await doOurs()
    } else {
      oRun = await doOurs()
      fRun = await doFloor()
    }
    const bad = await c.query(`select 1 from seminar_quotas where seminar_id in ($1, $2) and (taken > size or taken < 0)`, [
      o.seminarId,
      f.seminarId,
    ])
    rounds.push({
      ours: figures(`ours, round ${r + 1}${r % 2 === 1 ? ' (floor first)' : ''}`, oRun.shots, oRun.seconds),
      floor: figures(`floor, round ${r + 1}`, fRun.shots, fRun.seconds),
      raw: [oRun, fRun],
      oursConfirmed: await confirmedIn('seminar_registrations', o.seminarId),
      floorConfirmed: await confirmedIn('bench_floor_registrations', f.seminarId),
      quotasOk: bad.rowCount === 0,
    })
  }
  // All rounds together: every request's latency, and requests over the summed burst times.
  const pooled = (label: string, runs: Raw[]) =>
    figures(
      label,
      runs.flatMap((x) => x.shots),
      runs.reduce((t, x) => t + x.seconds, 0),
    )
  const cpuOurs = [oursRun, ...rounds.map((x) => x.raw[0])].map((x) => x.cpuMsPerRequest)
  const cpuFloor = [floorRun, ...rounds.map((x) => x.raw[1])].map((x) => x.cpuMsPerRequest)
  const oursAll = [fo, ...rounds.map((x) => x.ours)]
  const floorAll = [ff, ...rounds.map((x) => x.floor)]
  const totalOurs = pooled('ours, all rounds', [oursRun, ...rounds.map((x) => x.raw[0])])
  const totalFloor = pooled('floor, all rounds', [floorRun, ...rounds.map((x) => x.raw[1])])

  // 3. Checks, from the database.
  const provinceOf = new Map(learners.map((l) => [l.personId, l.province]))
  const regs = (
    await c.query<{
      id: string
      person_id: string
      status: string
      quota_id: string | null
      home_quota_id: string | null
      waitlist_seq: string
    }>(
      `select id, person_id, status, quota_id, home_quota_id, waitlist_seq from seminar_registrations where seminar_id = $1 order by waitlist_seq`,
      [ours.seminarId],
    )
  ).rows.map((r) => ({
    id: Number(r.id),
    personId: Number(r.person_id),
    status: r.status,
    quotaId: r.quota_id === null ? null : Number(r.quota_id),
    homeQuotaId: r.home_quota_id === null ? null : Number(r.home_quota_id),
    seq: Number(r.waitlist_seq),
  }))
  const quotaRows = async (seminarId: number) =>
    (
      await c.query<{ id: string; scope: string; size: number; taken: number }>(
        'select id, scope, size, taken from seminar_quotas where seminar_id = $1 order by id',
        [seminarId],
      )
    ).rows.map((q) => ({ id: Number(q.id), scope: q.scope, size: q.size, taken: q.taken }))
  const oursQuotas = await quotaRows(ours.seminarId)
  const floorQuotas = await quotaRows(floorSeminar.seminarId)
  const confirmed = regs.filter((r) => r.status === 'confirmed')
  const waitlisted = regs.filter((r) => r.status === 'waitlisted')
  const shotOf = new Map(oursRun.shots.map((s) => [s.personId, s]))

  console.log(
    `\nseminar registration benchmark: ${LEARNERS} requests issued at once, agent of ${SOCKETS} sockets, pool of ${POOL} per server`,
  )
  console.log(
    `ours = POST /register/:personId → ${SESSIONS ? 'findSessionUser + ' : ''}register() in a transaction (fresh idempotency key); ` +
      `floor = node:http + pg: begin, conditional UPDATE (own quota, then open), insert into a plain table, commit\n`,
  )
  const header = [
    'server',
    'requests',
    'seconds',
    'regs/s',
    'p50 ms',
    'p99 ms',
    'p50 e2e ms',
    'p99 e2e ms',
    '5xx',
    'HTTP codes',
    'outcomes',
  ]
  const table = [...oursAll.flatMap((o, i) => [o, floorAll[i]!]), totalOurs, totalFloor].map((f) => [
    f.label,
    String(f.n),
    f.seconds.toFixed(2),
    f.rps.toFixed(0),
    f.p50.toFixed(1),
    f.p99.toFixed(1),
    f.e2eP50.toFixed(0),
    f.e2eP99.toFixed(0),
    String(f.fiveXX),
    Object.entries(f.codes)
      .map(([k, v]) => `${k}×${v}`)
      .join(' '),
    Object.entries(f.outcomes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)))
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 || i >= 9 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
  for (const row of table) console.log(line(row))
  console.log('(p50/p99: from the request written to its socket to the answer; e2e: from the burst start, agent queueing included)')
  console.log(
    `server process CPU per request (user + system, Node only, PostgreSQL not included): ours ${cpuOurs.map((x) => x.toFixed(2)).join(', ')} ms; ` +
      `floor ${cpuFloor.map((x) => x.toFixed(2)).join(', ')} ms`,
  )

  const ok = (b: boolean) => (b ? 'yes' : 'NO')
  console.log(`\nconfirmed: ${confirmed.length} (must be exactly ${CAPACITY}: ${ok(confirmed.length === CAPACITY)})`)
  for (const q of oursQuotas) {
    const via = confirmed.filter((r) => r.quotaId === q.id)
    const byProv: Record<string, number> = {}
    for (const r of via) byProv[provinceOf.get(r.personId) ?? '?'] = (byProv[provinceOf.get(r.personId) ?? '?'] ?? 0) + 1
    console.log(
      `  ${q.scope.padEnd(12)} size ${String(q.size).padStart(2)} taken ${String(q.taken).padStart(2)} confirmed ${String(via.length).padStart(2)} ` +
        `(≤ size: ${ok(via.length <= q.size && q.taken === via.length)}) by ID province: ${Object.entries(byProv)
          .map(([p, n]) => `${p} ${n}`)
          .join(', ')}`,
    )
  }
  const confirmedByProvince: Record<string, number> = {}
  for (const r of confirmed) confirmedByProvince[provinceOf.get(r.personId)!] = (confirmedByProvince[provinceOf.get(r.personId)!] ?? 0) + 1
  const scopedWrong = oursQuotas
    .filter((q) => q.scope !== 'open')
    .filter((q) => confirmed.some((r) => r.quotaId === q.id && `province:${provinceOf.get(r.personId)}` !== q.scope)).length
  console.log(
    `  confirmed per ID province: ${Object.entries(confirmedByProvince)
      .sort()
      .map(([p, n]) => `${p} ${n}`)
      .join(', ')}; seats of a province quota held only by that province: ${ok(scopedWrong === 0)}`,
  )

  // Waitlist: arrival order.
  const seqs = regs.map((r) => r.seq)
  const uniqueSeq = new Set(seqs).size === seqs.length
  const gapFree = seqs.length === 0 || seqs[seqs.length - 1]! - seqs[0]! + 1 === seqs.length
  console.log(
    `waitlisted: ${waitlisted.length}; registrations ${regs.length} = confirmed + waitlisted: ${ok(regs.length === confirmed.length + waitlisted.length)}`,
  )
  console.log(
    `  waitlist_seq over the seminar's ${regs.length} registrations: unique ${ok(uniqueSeq)}, gap-free ${ok(gapFree)} (${seqs[0]}…${seqs[seqs.length - 1]})`,
  )
  // Answered positions against the final line (nobody leaves in this bench: the final position is the rank by waitlist_seq).
  let nonIncreasing = 0
  let differ = 0
  let maxUnder = 0
  let prev = 0
  waitlisted.forEach((r, i) => {
    const p = shotOf.get(r.personId)?.body.position ?? NaN
    if (!(p > prev)) nonIncreasing++
    prev = p
    if (p !== i + 1) differ++
    maxUnder = Math.max(maxUnder, i + 1 - p)
  })
  console.log(
    `  positions answered, in waitlist_seq order: strictly increasing ${ok(nonIncreasing === 0)} (${nonIncreasing} not), ` +
      `equal to the final place ${waitlisted.length - differ}/${waitlisted.length} (at most ${maxUnder} lower: earlier arrivals not yet committed)`,
  )
  // Happens-before: A answered before B was written to its socket must be ahead of B in the line.
  const hb = (rows: typeof regs) => {
    const items = rows.map((r) => ({ r, s: shotOf.get(r.personId)! })).filter((x) => x.s)
    const byDone = [...items].sort((a, b) => a.s.doneAt - b.s.doneAt)
    const prefixMax: number[] = []
    byDone.forEach((x, i) => prefixMax.push(Math.max(i ? prefixMax[i - 1]! : -Infinity, x.r.seq)))
    let violations = 0
    for (const b of items) {
      let lo = 0
      let hi = byDone.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (byDone[mid]!.s.doneAt < b.s.sentAt) lo = mid + 1
        else hi = mid
      }
      if (lo > 0 && prefixMax[lo - 1]! > b.r.seq) violations++
    }
    return violations
  }
  // Rank correlation of send order and waitlist_seq (1 = the line is exactly the send order).
  const spearman = (rows: typeof regs) => {
    const items = rows.map((r) => ({ seq: r.seq, sent: shotOf.get(r.personId)?.sentAt ?? NaN })).filter((x) => !Number.isNaN(x.sent))
    const rank = (vals: number[]) => {
      const idx = vals.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0])
      const out = new Array<number>(vals.length)
      idx.forEach(([, i], k) => (out[i] = k))
      return out
    }
    const a = rank(items.map((x) => x.seq))
    const b = rank(items.map((x) => x.sent))
    const n = items.length
    const d2 = a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0)
    return 1 - (6 * d2) / (n * (n * n - 1))
  }
  console.log(
    `  arrival order: answered-before-sent pairs out of line order ${hb(regs)} (all registrations), ${hb(waitlisted)} (waitlisted); ` +
      `rank correlation of send order and waitlist_seq ${spearman(regs).toFixed(3)} (waitlisted ${spearman(waitlisted).toFixed(3)})`,
  )
  // The line is ahead of every newcomer: nobody sent after a waitlisted person was answered got a seat that person could use.
  const canUse = (q: { id: number; scope: string }, province: string | undefined) =>
    q.scope === 'open' || q.scope === `province:${province}`
  let jumped = 0
  for (const cr of confirmed) {
    const q = oursQuotas.find((x) => x.id === cr.quotaId)!
    const sc = shotOf.get(cr.personId)!
    if (waitlisted.some((w) => shotOf.get(w.personId)!.doneAt < sc.sentAt && canUse(q, provinceOf.get(w.personId)))) jumped++
  }
  console.log(
    `  seats taken by someone sent after a waitlisted person (answered) who could use that seat: ${jumped} (must be 0: ${ok(jumped === 0)})`,
  )
  const outbox = (
    await c.query<{ job_name: string; n: string }>(`select job_name, count(*) n from outbox where payload->>'seminarId' = $1 group by 1`, [
      String(ours.seminarId),
    ])
  ).rows
  console.log(`  outbox rows for the seminar: ${outbox.map((o) => `${o.job_name} ${o.n}`).join(', ') || 'none'}`)
  const floorConfirmed = Number(
    (
      await c.query<{ n: string }>(`select count(*) n from bench_floor_registrations where seminar_id = $1 and status = 'confirmed'`, [
        floorSeminar.seminarId,
      ])
    ).rows[0]!.n,
  )
  console.log(
    `floor: confirmed ${floorConfirmed}, quotas ${floorQuotas.map((q) => `${q.scope} ${q.taken}/${q.size}`).join(', ')} (the same seats: ${ok(
      floorConfirmed === CAPACITY,
    )})`,
  )

  for (const [i, r] of rounds.entries())
    console.log(
      `round ${i + 2}: ours confirmed ${r.oursConfirmed}, floor confirmed ${r.floorConfirmed} (exactly ${CAPACITY}: ${ok(
        r.oursConfirmed === CAPACITY && r.floorConfirmed === CAPACITY,
      )}); every quota 0 ≤ taken ≤ size: ${ok(r.quotasOk)}`,
    )
  const perRound = oursAll.map((o, i) => o.rps / floorAll[i]!.rps)
  const median = [...perRound].sort((a, b) => a - b)[Math.floor(perRound.length / 2)]!
  const ratio = totalOurs.rps / totalFloor.rps
  const fo5 = totalOurs.fiveXX
  const ff5 = totalFloor.fiveXX
  console.log(
    `\n5xx (all rounds): ours ${fo5}, floor ${ff5} (must be 0: ${ok(fo5 === 0 && ff5 === 0)})` +
      `\nregistrations/s over ${oursAll.length} round(s): ours ${totalOurs.rps.toFixed(0)}, floor ${totalFloor.rps.toFixed(0)}; ` +
      `ratio ${ratio.toFixed(3)} (per round ${perRound.map((x) => x.toFixed(3)).join(', ')}; median ${median.toFixed(3)}); target ratio ≥ ${TARGET_RATIO}: ${
        ratio >= TARGET_RATIO ? 'MET' : 'MISSED'
      }`,
  )

  // 4. Where the time goes in `register` (BENCH_PROFILE=1, or when the target is missed).
  if (PROFILE || ratio < TARGET_RATIO) {
    const start = yearLater(ROUNDS)
    const prof = await createSeminar(db, { capacity: CAPACITY, quotas, hostBaseId: ours.hostBaseId, startDate: start }, now)
    const warmProf = await createSeminar(
      db,
      {
        capacity: CAPACITY,
        quotas,
        hostBaseId: ours.hostBaseId,
        startDate: start,
      },
      now,
    )
    const pr = await run('ours', OURS_PORT, prof.seminarId, warmProf.seminarId, { BENCH_STATS: '1' })
    const fp = figures('ours, statements timed', pr.shots, pr.seconds)
    const st = pr.stats as { handler: { n: number; ms: number }; statements: Record<string, { n: number; ms: number }> }
    console.log(
      `\nprofile run (a national seminar of a later year, same people, every statement timed): ${fp.rps.toFixed(0)} regs/s, p50 ${fp.p50.toFixed(1)} ms, ` +
        `p99 ${fp.p99.toFixed(1)} ms, 5xx ${fp.fiveXX}, outcomes ${JSON.stringify(fp.outcomes)}`,
    )
    const rows = Object.entries(st.statements).sort((a, b) => b[1].ms - a[1].ms)
    const total = rows.reduce((s, [, v]) => s + v.ms, 0)
    console.log(
      `handler time ${(st.handler.ms / st.handler.n).toFixed(2)} ms per request (${st.handler.n} requests); ` +
        `statements ${(total / st.handler.n).toFixed(2)} ms per request (the rest: waiting for a pooled connection and JS). By statement:`,
    )
    for (const [k, v] of rows.slice(0, 25))
      console.log(
        `  ${(v.ms / st.handler.n).toFixed(3).padStart(7)} ms/req ${((100 * v.ms) / total).toFixed(1).padStart(5)}% ×${String(v.n).padEnd(5)} ` +
          `avg ${(v.ms / v.n).toFixed(2).padStart(6)} ms  ${k}`,
      )
    // The plans of the per-request scans over the line, at the end state (1,930 waiting).
    for (const [label, q] of [
      ['waiting pools', `select distinct home_quota_id from seminar_registrations where seminar_id = $1 and status = 'waitlisted'`],
      [
        'position of the last',
        `select (select count(*) from seminar_registrations o where o.seminar_id = r.seminar_id and o.status = 'waitlisted' and o.waitlist_seq <= r.waitlist_seq)
           from seminar_registrations r where r.id = (select max(id) from seminar_registrations where seminar_id = $1 and status = 'waitlisted')`,
      ],
    ] as const) {
      const plan = (await c.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, timing off) ${q}`, [prof.seminarId])).rows
      console.log(`\n  ${label}:`)
      for (const p of plan) console.log(`    ${p['QUERY PLAN']}`)
    }
  }
}

const mode = process.argv[2]
if (mode === 'ours') {
  serveOurs().catch((e: unknown) => {
    console.error(e)
    process.exit(1)
  })
} else if (mode === 'floor') {
  serveFloor().catch((e: unknown) => {
    console.error(e)
    process.exit(1)
  })
} else {
  const interrupted = (signal: string) => {
    console.error(`${signal}: cleaning up`)
    void cleanup().finally(() => process.exit(130))
  }
  process.once('SIGINT', () => interrupted('SIGINT'))
  process.once('SIGTERM', () => interrupted('SIGTERM'))
  main().then(
    () => cleanup().then(() => process.exit(0)),
    (e: unknown) => {
      console.error(e)
      void cleanup().finally(() => process.exit(1))
    },
  )
}
