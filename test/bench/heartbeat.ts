/**
 * `npm run bench:heartbeat`: how many lesson heartbeats the platform sustains.
 *
 * Seeds a bench database with many learners (people, accounts, sessions, an enrolment each),
 * starts the production build's web process and a floor server (node:http + pg, one indexed
 * update per request), and loads both at rising concurrency. Each request is one learner's next
 * heartbeat (its own session cookie, player and sequence number), round-robin over the learners,
 * so every beat is applied for real: session lookup, the study rules, the version-checked write.
 * Prints, for each, the highest heartbeats/s whose p99 stayed ≤ 50 ms, the ratio to the floor and
 * the web process's peak RSS. A benchmark, not a test: it prints figures and never fails on them.
 */
import { randomBytes } from 'node:crypto'

import autocannon from 'autocannon'
import pg from 'pg'

import { sha256 } from '#app/lib/crypto.server.ts'
import { recreateDatabase, startTestServices, TEST_DATA_KEY } from '#test/setup/services.ts'

import { buildIfNeeded, peakRssMb, startProcess, stopProcesses, waitFor } from './lib.ts'

const DURATION = Number(process.env.BENCH_SECONDS ?? 10)
const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 5000)
const LEVELS = (process.env.BENCH_CONNECTIONS ?? '8,16,32,64').split(',').map(Number)
const P99_TARGET_MS = 50
const WEB_PORT = 3203
const FLOOR_PORT = 3204

type Learner = { token: string; enrollmentId: number; seq: number }

async function seedLearners(db: pg.Client, courseId: string): Promise<Learner[]> {
  const tokens = Array.from({ length: LEARNERS }, () => randomBytes(24).toString('base64url'))
  const placeholder = Buffer.from([1, ...new Array(40).fill(0)])
  await db.query(
    `with p as (
       insert into people (id_number_enc, id_number_hash, name, gender, birth_date, region_code, title_year)
       select $1, h, '学员' || n, 'F', date '1985-01-01', '220100', 2019 from unnest($2::bytea[], $3::int[]) as u(h, n)
       returning id, name),
     a as (
       insert into accounts (person_id, phone, password_hash, role)
       select id, '15' || lpad(substr(name, 3), 9, '0'), 'bench-no-login', 'learner' from p returning id, person_id, phone)
     insert into sessions (id, account_id, expires_at)
     select s, a.id, now() + interval '1 day' from a join unnest($4::bytea[], $3::int[]) as t(s, n) on a.phone = '15' || lpad(n::text, 9, '0')`,
    [placeholder, tokens.map(() => randomBytes(32)), tokens.map((_, i) => i), tokens.map((t) => sha256(t))],
  )
  const rows = await db.query<{ id: string; phone: string }>(
    `insert into enrollments (person_id, course_id) select person_id, $1 from accounts where password_hash = 'bench-no-login' returning id,
       (select phone from accounts a where a.person_id = enrollments.person_id)`,
    [courseId],
  )
  const byIndex = new Map(rows.rows.map((r) => [Number(r.phone.slice(2)), Number(r.id)]))
  await db.query('analyze')
  return tokens.map((token, i) => ({ token, enrollmentId: byIndex.get(i)!, seq: 0 }))
}

async function measure(url: string, connections: number, next: () => { headers: Record<string, string>; body: string }) {
  const result = await autocannon({
    url,
    connections,
    duration: DURATION,
    method: 'POST',
    requests: [
      {
        setupRequest: (req) => {
          const n = next()
          return { ...req, headers: { ...req.headers, 'content-type': 'application/json', ...n.headers }, body: n.body }
        },
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
  const url = await recreateDatabase(services.adminUrl, 'xueshi_bench_heartbeat')
  const { createDb } = await import('#app/lib/db.server.ts')
  const { prepareDatabase } = await import('#app/cli/prepare.ts')
  const kdb = createDb(url, 2)
  await prepareDatabase(kdb)
  await kdb.destroy()

  const db = new pg.Client({ connectionString: url })
  await db.connect()
  const lesson = (
    await db.query<{ course_id: string; id: string }>(`select course_id, id from lessons where kind = 'text' order by seconds desc limit 1`)
  ).rows[0]!
  const t0 = Date.now()
  const learners = await seedLearners(db, lesson.course_id)
  console.log(`seeded ${LEARNERS} learners enrolled in ${lesson.course_id} in ${((Date.now() - t0) / 1000).toFixed(1)} s`)

  const web = startProcess(['--import', 'tsx', 'app/server.ts'], {
    NODE_ENV: 'production',
    PORT: String(WEB_PORT),
    XUESHI_PUBLIC_URL: `http://127.0.0.1:${WEB_PORT}`,
    XUESHI_SMS_LOCAL: '1',
    DATABASE_URL: url,
    REDIS_URL: services.redisUrl,
    XUESHI_DATA_KEY: TEST_DATA_KEY,
    XUESHI_REDIS_PREFIX: `benchhb${Date.now()}`,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  })
  const floor = startProcess(['--import', 'tsx', 'test/bench/floor-heartbeat.ts'], { PORT: String(FLOOR_PORT), DATABASE_URL: url })
  await waitFor(`http://127.0.0.1:${WEB_PORT}/healthz`)
  await waitFor(`http://127.0.0.1:${FLOOR_PORT}/`, { method: 'POST', body: JSON.stringify({ enrollmentId: 0, lessonId: 'x' }) })

  const beatUrl = `http://127.0.0.1:${WEB_PORT}/study/heartbeat`
  const body = (l: Learner, i: number, start = false) =>
    JSON.stringify({
      courseId: lesson.course_id,
      lessonId: lesson.id,
      playerId: `bench-player-${i}`,
      seq: l.seq++,
      ...(start ? { start: true } : {}),
      engaged: true,
    })
  // Every learner opens the lesson (claims its slot): this also creates each progress row the floor updates.
  for (let i = 0; i < learners.length; i += 64) {
    await Promise.all(
      learners.slice(i, i + 64).map(async (l, k) => {
        const r = await fetch(beatUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: `xs_session=${l.token}` },
          body: body(l, i + k, true),
        })
        if (r.status !== 200) throw new Error(`start beat: ${r.status} ${await r.text()}`)
      }),
    )
  }

  let n = 0
  const nextApp = () => {
    const i = n++ % learners.length
    const l = learners[i]!
    return { headers: { cookie: `xs_session=${l.token}` }, body: body(l, i) }
  }
  let m = 0
  const nextFloor = () => {
    const l = learners[m++ % learners.length]!
    return { headers: {}, body: JSON.stringify({ enrollmentId: l.enrollmentId, lessonId: lesson.id }) }
  }
  // Warm both up.
  await measure(beatUrl, 8, nextApp)
  await measure(`http://127.0.0.1:${FLOOR_PORT}/`, 8, nextFloor)

  const rows: { connections: number; app: Awaited<ReturnType<typeof measure>>; floor: Awaited<ReturnType<typeof measure>> }[] = []
  for (const c of LEVELS) {
    const app = await measure(beatUrl, c, nextApp)
    const fl = await measure(`http://127.0.0.1:${FLOOR_PORT}/`, c, nextFloor)
    rows.push({ connections: c, app, floor: fl })
    console.log(
      `${String(c).padStart(4)} connections | app ${String(app.rps).padStart(5)} beats/s p50 ${app.p50} ms p99 ${app.p99} ms (errors ${app.errors}) | floor ${String(fl.rps).padStart(5)}/s p50 ${fl.p50} ms p99 ${fl.p99} ms (errors ${fl.errors})`,
    )
  }
  const credited = (
    await db.query<{ n: string; s: string }>(`select count(*) n, sum(verified_ms) s from lesson_progress where verified_ms > 0`)
  ).rows[0]!
  const rss = peakRssMb(web.pid!)
  await stopProcesses([web, floor])
  await db.end()
  await services.stop()

  const best = (pick: 'app' | 'floor') =>
    rows.filter((r) => r[pick].p99 <= P99_TARGET_MS && r[pick].errors === 0).sort((a, b) => b[pick].rps - a[pick].rps)[0]
  const app = best('app')
  const fl = best('floor')
  console.log(`\nheartbeat benchmark (${LEARNERS} learners, ${DURATION} s per level, ${process.env.BENCH_LOG_LEVEL ?? 'info'} logging)`)
  console.log(
    `sustained at p99 ≤ ${P99_TARGET_MS} ms: app ${app ? `${app.app.rps} beats/s (${app.connections} connections, p99 ${app.app.p99} ms)` : 'none'}`,
  )
  console.log(
    `sustained at p99 ≤ ${P99_TARGET_MS} ms: floor ${fl ? `${fl.floor.rps} updates/s (${fl.connections} connections, p99 ${fl.floor.p99} ms)` : 'none'}`,
  )
  if (app && fl) console.log(`ratio ${(app.app.rps / fl.floor.rps).toFixed(2)}`)
  console.log(`web peak RSS ${rss} MB; ${credited.n} learners credited, ${Math.round(Number(credited.s) / 1000)} verified seconds in all`)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
