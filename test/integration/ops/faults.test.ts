/**
 * The fault suite (issue 9, item 6): the real platform (`npm start`'s launcher, supervisor, web
 * and worker on the production build) under load while faults are injected. Each scenario asserts
 * that both processes are up afterwards, that no request was answered 200 with wrong data, and
 * what the fault cost. Every test that starts the platform lives in this file (one build).
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createApiClient } from '#app/domain/credit-api/api-clients.server.ts'
import { credit } from '#app/domain/hours/ledger.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { createLearner } from '#test/factories/people.ts'
import { type Platform, startPlatform } from '#test/setup/platform.ts'

type Tally = { ok: number; wrong: number; failed: Record<string, number> }
const tally = (): Tally => ({ ok: 0, wrong: 0, failed: {} })
const fail = (t: Tally, why: string) => (t.failed[why] = (t.failed[why] ?? 0) + 1)

let platform: Platform
let apiKey: string
let idNumber: string
const YEAR = 2024

/** A person with a known 2024 record, so every 200 answer can be checked against it. */
async function seedKnownPerson() {
  const db = getDb()
  const learner = await createLearner(db)
  const person = await db.selectFrom('accounts').select('person_id').where('id', '=', learner.accountId).executeTakeFirstOrThrow()
  await db.transaction().execute(async (trx) => {
    await credit(trx, {
      personId: person.person_id,
      category: 'professional',
      hours: '61.5',
      sourceKind: 'external',
      idempotencyKey: 'fault:p',
      occurredAt: new Date('2024-05-01T10:00:00+08:00'),
      ceYear: YEAR,
    })
    await credit(trx, {
      personId: person.person_id,
      category: 'public',
      hours: '30',
      sourceKind: 'external',
      idempotencyKey: 'fault:g',
      occurredAt: new Date('2024-05-02T10:00:00+08:00'),
      ceYear: YEAR,
    })
  })
  const client = await createApiClient(db, {
    name: 'fault suite',
    scopeRegion: '220000',
    rateLimitPerMinute: 1_000_000,
    actorAccountId: null,
  })
  if (!client.ok) throw new Error(client.code)
  return { idNumber: learner.idNumber, key: client.key }
}

/** One credit check, judged: a 200 must carry exactly the known 2024 hours. */
async function check(t: Tally) {
  try {
    const res = await fetch(`${platform.url}/api/v1/credit-checks`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ idNumber, applicationYear: YEAR + 1, currentTitleYear: YEAR - 1 }),
    })
    const body = (await res.json()) as { years?: { year: number; earned: { total: string } }[] }
    if (res.status !== 200) return fail(t, `status ${res.status}`)
    const y = body.years?.find((x) => x.year === YEAR)
    if (y && Number(y.earned.total) === 91.5) t.ok++
    else t.wrong++
  } catch (e) {
    fail(t, (e as { cause?: { code?: string } }).cause?.code ?? 'network')
  }
}

/** `concurrency` loops of checks until `stop()` resolves. */
async function load(t: Tally, concurrency: number, during: () => Promise<void>) {
  let running = true
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) await check(t)
  })
  try {
    await during()
  } finally {
    running = false
    await Promise.all(loops)
  }
}

const report: string[] = []
beforeAll(async () => {
  platform = await startPlatform({ databaseUrl: process.env.DATABASE_URL!, redisUrl: process.env.REDIS_URL! })
}, 180_000)

afterAll(async () => {
  const stopped = await platform?.stop()
  if (stopped) report.push(`stop: exit ${stopped.code} in ${stopped.ms} ms`)
  console.log(`\nFault suite figures:\n  ${report.join('\n  ')}\n`)
}, 90_000)

describe('faults', { sequential: true, timeout: 120_000 }, () => {
  it('SIGTERM to web under load: requests in flight finish, the supervisor brings web back', async () => {
    ;({ idNumber, key: apiKey } = await seedKnownPerson()) // tables are emptied before each test
    const t = tally()
    const web = platform.pid('web')!
    const worker = platform.pid('worker')!
    await load(t, 8, async () => {
      await new Promise((r) => setTimeout(r, 1500))
      const from = platform.lines.length
      process.kill(web, 'SIGTERM')
      await platform.waitForLine(/web exited \(exit 0\)/, 20_000, from)
      await platform.waitHealthy()
      await new Promise((r) => setTimeout(r, 1000))
    })
    report.push(`SIGTERM web under load: ${t.ok} answered right, ${t.wrong} wrong, refused while down ${JSON.stringify(t.failed)}`)
    expect(t.wrong).toBe(0)
    expect(t.ok).toBeGreaterThan(50)
    // Only connections the web process never took are refused (or reset from its listen backlog
    // as it closes); no request it accepted is cut off: every check it answered was recorded,
    // and every recorded check was answered 200 (group-committed records flushed at shutdown).
    for (const why of Object.keys(t.failed)) expect(['ECONNREFUSED', 'ECONNRESET']).toContain(why)
    expect(platform.lines.filter((l) => l.includes('still running at the shutdown deadline'))).toEqual([])
    await new Promise((r) => setTimeout(r, 500)) // the last group commit of the new web process
    const recorded = await getDb().selectFrom('credit_checks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(recorded.n)).toBe(t.ok)
    expect(platform.pid('web')).not.toBe(web)
    expect(platform.pid('worker')).toBe(worker)
  })

  it("killing the app's PostgreSQL backends under load fails only the requests using them; no process crashes", async () => {
    ;({ idNumber, key: apiKey } = await seedKnownPerson()) // tables are emptied before each test
    const t = tally()
    const web = platform.pid('web')!
    const worker = platform.pid('worker')!
    const dbName = new URL(process.env.DATABASE_URL!).pathname.slice(1)
    let killed = 0
    await load(t, 8, async () => {
      for (let round = 0; round < 3; round++) {
        await new Promise((r) => setTimeout(r, 700))
        const { rows } = await sql<{
          n: number
        }>`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid() and application_name <> 'vitest-keep'`.execute(
          getDb(),
        )
        killed += rows[0]!.n
      }
      await new Promise((r) => setTimeout(r, 1500))
    })
    report.push(
      `PostgreSQL backends killed under load: ${killed} killed in 3 rounds; ${t.ok} answered right, ${t.wrong} wrong, failed ${JSON.stringify(t.failed)}`,
    )
    expect(killed).toBeGreaterThan(0)
    expect(t.wrong).toBe(0)
    // The requests whose connection was killed answer 503 (retry later), never 500 or a crash.
    for (const why of Object.keys(t.failed)) expect(why).toBe('status 503')
    expect(platform.pid('web')).toBe(web)
    expect(platform.pid('worker')).toBe(worker)
    await platform.waitHealthy(10_000)
  })
})
