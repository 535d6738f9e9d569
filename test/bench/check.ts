/**
 * `npm run bench:check`: throughput and latency of the credit-hours check.
 *
 * Seeds a bench database with N people × 5 CE years of hours, starts the production build's web
 * process and a floor server (node:http + pg, one indexed select), loads each with 64
 * connections for 15 s, and prints checks/s, p50/p99, the ratio to the floor, the web process's
 * peak RSS, a 1,000-applicant batch's time, and the same at 10,000 and 100,000 people.
 * A benchmark, not a test: it prints figures and never fails on them.
 */
import { createHmac, hkdfSync } from 'node:crypto'

import autocannon from 'autocannon'
import pg from 'pg'

import { idNumberCheckChar } from '#app/domain/shared/id-number.ts'
import { recreateDatabase, startTestServices, TEST_DATA_KEY } from '#test/setup/services.ts'

import { buildIfNeeded, haveWrk, peakRssMb, startProcess, stopProcesses, waitFor, wrkPost } from './lib.ts'
const DURATION = Number(process.env.BENCH_SECONDS ?? 15)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64)
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number)
const WEB_PORT = 3201
const FLOOR_PORT = 3202

function idFor(i: number): string {
  // Deterministic valid IDs: Changchun area code, birth dates spread over 1960–1999.
  const year = 1960 + (i % 40)
  const month = String(1 + (Math.floor(i / 40) % 12)).padStart(2, '0')
  const day = String(1 + (Math.floor(i / 480) % 28)).padStart(2, '0')
  const serial = String(Math.floor(i / 13440) % 1000).padStart(3, '0')
  const area = `22${String(100 + (i % 9) * 100).padStart(4, '0')}`.slice(0, 6)
  const first17 = `${area}${year}${month}${day}${serial}`
  return first17 + idNumberCheckChar(first17)
}

const master = Buffer.from(TEST_DATA_KEY, 'base64')
const macKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'xueshi/pii-lookup/v1', 32))

async function seedPeople(db: pg.Client, from: number, to: number) {
  // Ciphertext is irrelevant to the check; a fixed placeholder keeps seeding fast.
  const placeholder = Buffer.from([1, ...new Array(40).fill(0)])
  const batch = 5000
  for (let start = from; start < to; start += batch) {
    const end = Math.min(to, start + batch)
    const hashes: Buffer[] = []
    for (let i = start; i < end; i++) hashes.push(createHmac('sha256', macKey).update(idFor(i)).digest())
    await db.query(
      `insert into people (id_number_enc, id_number_hash, name, gender, birth_date, region_code, title_year)
       select $1, h, '测试' || n, 'M', date '1980-01-01', '220100', 2019
       from unnest($2::bytea[], $3::int[]) as u(h, n)`,
      [placeholder, hashes, Array.from({ length: end - start }, (_, k) => start + k)],
    )
  }
  // 5 CE years × 2 categories of entries, and their totals, for the people just added.
  await db.query(
    `
    insert into hour_entries (person_id, ce_year, category, hours, source_kind, counted, idempotency_key, occurred_at)
    select p.id, y, c, case when c = 'professional' then 60 + (p.id % 7) else 28 + (p.id % 5) end, 'base_training', true,
           'bench:' || p.id || ':' || y || ':' || c, make_timestamptz(y, 6, 1, 0, 0, 0, 'Asia/Shanghai')
    from people p cross join generate_series(2021, 2025) y cross join (values ('professional'), ('public')) cats(c)
    where p.id > $1`,
    [from],
  )
  await db.query(
    `
    insert into hour_totals (person_id, ce_year, category, counted_hours, recorded_hours)
    select person_id, ce_year, category, sum(hours), sum(hours) from hour_entries where person_id > $1 group by 1, 2, 3`,
    [from],
  )
  await db.query('analyze')
}

async function load(url: string, headers: Record<string, string>, people: number) {
  if (haveWrk()) {
    const bodies = Array.from({ length: Math.min(people, 20_000) }, (_, k) =>
      JSON.stringify({ idNumber: idFor((k * 7919) % people), applicationYear: 2026 }),
    )
    return wrkPost(url, bodies, { connections: CONNECTIONS, seconds: DURATION, headers })
  }
  let n = 0
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    requests: [
      {
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ idNumber: idFor((n++ * 7919) % people), applicationYear: 2026 }) }),
      },
    ],
  })
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  }
}

async function main() {
  buildIfNeeded()
  const services = await startTestServices((s) => console.log(s))
  const url = await recreateDatabase(services.adminUrl, 'xueshi_bench')
  const { createDb } = await import('#app/lib/db.server.ts')
  const { prepareDatabase } = await import('#app/cli/prepare.ts')
  const kdb = createDb(url, 2)
  await prepareDatabase(kdb)
  await kdb.destroy()

  process.env.DATABASE_URL = url
  process.env.XUESHI_DATA_KEY = TEST_DATA_KEY
  const { createApiClient } = await import('#app/domain/credit-api/api-clients.server.ts')
  const adb = createDb(url, 1)
  const client = await createApiClient(adb, { name: 'bench', scopeRegion: '220000', rateLimitPerMinute: 100_000_000, actorAccountId: null })
  await adb.destroy()
  if (!client.ok) throw new Error('api client')

  const db = new pg.Client({ connectionString: url })
  await db.connect()
  const env = {
    NODE_ENV: 'production',
    PORT: String(WEB_PORT),
    XUESHI_PUBLIC_URL: `http://127.0.0.1:${WEB_PORT}`,
    XUESHI_SMS_LOCAL: '1',
    DATABASE_URL: url,
    REDIS_URL: services.redisUrl,
    XUESHI_DATA_KEY: TEST_DATA_KEY,
    XUESHI_REDIS_PREFIX: `bench${Date.now()}`,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  }
  const rows: string[] = []
  let seeded = 0
  for (const size of SIZES) {
    const t0 = Date.now()
    await seedPeople(db, seeded, size)
    seeded = size
    console.log(`seeded ${size} people × 5 years in ${((Date.now() - t0) / 1000).toFixed(1)} s`)

    const web = startProcess(['--import', 'tsx', 'app/server.ts'], env)
    const floor = startProcess(['--import', 'tsx', 'test/bench/floor-check.ts'], {
      PORT: String(FLOOR_PORT),
      DATABASE_URL: url,
      FLOOR_MAC_KEY: macKey.toString('base64'),
    })
    await waitFor(`http://127.0.0.1:${WEB_PORT}/healthz`)
    await waitFor(`http://127.0.0.1:${FLOOR_PORT}/`, { method: 'POST', body: JSON.stringify({ idNumber: idFor(0) }) })

    const auth = { authorization: `Bearer ${client.key}` }
    // Warm both up, then measure each in turn on the same machine.
    await autocannon({
      url: `http://127.0.0.1:${WEB_PORT}/api/v1/credit-checks`,
      connections: 8,
      duration: 3,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ idNumber: idFor(1), applicationYear: 2026 }),
    })
    const app = await load(`http://127.0.0.1:${WEB_PORT}/api/v1/credit-checks`, auth, size)
    const fl = await load(`http://127.0.0.1:${FLOOR_PORT}/`, {}, size)
    const rss = peakRssMb(web.pid!)

    const batchTimes: number[] = []
    for (let r = 0; r < 5; r++) {
      const applicants = Array.from({ length: 1000 }, (_, k) => ({ idNumber: idFor((r * 1000 + k * 31) % size), applicationYear: 2026 }))
      const t = performance.now()
      const res = await fetch(`http://127.0.0.1:${WEB_PORT}/api/v1/credit-checks/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ applicants }),
      })
      await res.json()
      batchTimes.push(performance.now() - t)
    }
    batchTimes.sort((a, b) => a - b)
    await stopProcesses([web, floor])

    rows.push(
      `${String(size).padStart(7)} people | app ${String(app.rps).padStart(5)} checks/s p50 ${app.p50} ms p99 ${app.p99} ms (errors ${app.errors}) | ` +
        `floor ${String(fl.rps).padStart(5)}/s p50 ${fl.p50} ms p99 ${fl.p99} ms | ratio ${(app.rps / fl.rps).toFixed(2)} | web peak RSS ${rss} MB | ` +
        `batch of 1,000: median ${Math.round(batchTimes[2]!)} ms (min ${Math.round(batchTimes[0]!)})`,
    )
    console.log(rows[rows.length - 1])
  }
  await db.end()
  await services.stop()
  console.log(
    `\ncredit-check benchmark (${CONNECTIONS} connections, ${DURATION} s each, load from ${haveWrk() ? 'wrk' : 'autocannon'}, ${process.env.BENCH_LOG_LEVEL ?? 'info'} logging)`,
  )
  for (const r of rows) console.log(r)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
