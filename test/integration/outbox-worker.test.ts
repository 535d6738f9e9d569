import { afterEach, describe, expect, test } from 'vitest'
import { Queue, UnrecoverableError, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { action as register } from '#app/routes/account/register.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { enqueue } from '#app/lib/queue.server.ts'
import { relayOutbox } from '#workers/outbox-relay.ts'
import { processJob } from '#workers/processors/index.ts'
import { processWelcomeNotice } from '#workers/processors/welcome-notice.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'
import { createLearner, registrationForm } from '#test/factories/people.ts'

let cleanups: (() => Promise<unknown>)[] = []

afterEach(async () => {
  const list = cleanups.reverse()
  cleanups = []
  for (const c of list) await c().catch(() => undefined)
})

function connection(): Redis {
  const c = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null })
  cleanups.push(() => c.quit())
  return c
}

function makeQueue(): Queue {
  const queue = new Queue('notices', { connection: connection(), prefix: process.env.XUESHI_REDIS_PREFIX })
  cleanups.push(() => queue.close())
  return queue
}

function startWorker(failures: string[]): Worker {
  const worker = new Worker('notices', (job) => processJob(getDb(), job.name, job.data), {
    connection: connection(),
    prefix: process.env.XUESHI_REDIS_PREFIX,
  })
  worker.on('failed', (job, err) => failures.push(`${job?.name}: ${err.message}`))
  worker.on('error', (err) => failures.push(`worker: ${err.message}`))
  cleanups.push(() => worker.close())
  return worker
}

/** Polls until `probe` returns something truthy, or fails at the deadline. */
async function eventually<T>(probe: () => Promise<T>, what: string, ms = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (v) return v as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

function outboxRows() {
  return getDb().selectFrom('outbox').selectAll().orderBy('id').execute()
}

async function jobTotal(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children')
  return Object.values(counts).reduce((a, b) => a + b, 0)
}

describe('outbox → BullMQ → worker (消息队列)', () => {
  test('registration → outbox row → relay → real worker → welcome notice; the row is marked dispatched', async () => {
    const form = registrationForm()
    expect((await call(register, makeRequest('/register', { form }))).status).toBe(302)
    const [row] = await outboxRows()
    expect(row).toMatchObject({ job_name: 'notice.welcome', dispatched_at: null, attempts: 0 })
    const person = await getDb()
      .selectFrom('people')
      .innerJoin('accounts', 'accounts.person_id', 'people.id')
      .select(['people.id as personId', 'accounts.id as accountId'])
      .where('accounts.phone', '=', form.phone!)
      .executeTakeFirstOrThrow()
    expect(row!.payload).toEqual(person)

    const queue = makeQueue()
    expect(await relayOutbox(getDb(), { notices: queue })).toBe(1)
    const failures: string[] = []
    startWorker(failures)

    const notice = await eventually(
      async () => {
        if (failures.length) throw new Error(failures.join('; '))
        return getDb().selectFrom('notices').selectAll().where('person_id', '=', person.personId).where('kind', '=', 'welcome').executeTakeFirst()
      },
      'the welcome notice',
    )
    expect(notice.params).toEqual({ name: form.name })
    expect(notice.dedupe_key).toBe(`welcome:${person.accountId}`)

    const [after] = await outboxRows()
    expect(after!.dispatched_at).toBeInstanceOf(Date)
    expect(after!.attempts).toBe(1)
    const job = await eventually(async () => {
      const j = await queue.getJob(`outbox-${row!.id}-${row!.created_at.getTime()}`)
      return j && (await j.getState()) === 'completed' ? j : undefined
    }, 'the job to complete')
    expect(job.returnvalue).toBe('sent')
    expect(failures).toEqual([])
  })

  test('relaying twice makes one job: the second relay moves nothing', async () => {
    await createLearner(getDb())
    const queue = makeQueue()
    expect(await relayOutbox(getDb(), { notices: queue })).toBe(1)
    expect(await relayOutbox(getDb(), { notices: queue })).toBe(0)
    expect(await jobTotal(queue)).toBe(1)
  })

  test('a row relayed again (crash between add and commit) is still one BullMQ job', async () => {
    await createLearner(getDb())
    const queue = makeQueue()
    expect(await relayOutbox(getDb(), { notices: queue })).toBe(1)
    await getDb().updateTable('outbox').set({ dispatched_at: null }).execute()
    expect(await relayOutbox(getDb(), { notices: queue })).toBe(1)
    expect(await jobTotal(queue)).toBe(1)
  })

  test('the welcome processor is idempotent: run twice, one notice', async () => {
    const learner = await createLearner(getDb())
    const [row] = await outboxRows()
    expect(await processWelcomeNotice(getDb(), row!.payload)).toBe('sent')
    expect(await processWelcomeNotice(getDb(), row!.payload)).toBe('already-sent')
    expect(await processJob(getDb(), 'notice.welcome', row!.payload)).toBe('already-sent')
    const notices = await getDb().selectFrom('notices').selectAll().execute()
    expect(notices).toHaveLength(1)
    expect(notices[0]!.dedupe_key).toBe(`welcome:${learner.accountId}`)
  })

  test('a rolled-back transaction leaves no outbox row; a committed one does', async () => {
    const learner = await createLearner(getDb())
    await getDb().deleteFrom('outbox').execute()
    const { personId } = await getDb().selectFrom('accounts').select('person_id as personId').where('id', '=', learner.accountId).executeTakeFirstOrThrow()
    const payload = { personId, accountId: learner.accountId }

    await expect(
      getDb()
        .transaction()
        .execute(async (trx) => {
          await enqueue(trx, 'notice.welcome', payload)
          expect(await trx.selectFrom('outbox').selectAll().execute()).toHaveLength(1)
          throw new Error('boom')
        }),
    ).rejects.toThrow('boom')
    expect(await outboxRows()).toEqual([])

    await getDb()
      .transaction()
      .execute((trx) => enqueue(trx, 'notice.welcome', payload))
    expect(await outboxRows()).toHaveLength(1)
  })

  test('enqueue refuses a payload that does not match the job schema', async () => {
    await expect(enqueue(getDb(), 'notice.welcome', { personId: -1, accountId: 1 })).rejects.toThrow()
    expect(await outboxRows()).toEqual([])
  })

  test('an unknown job name or an invalid payload → UnrecoverableError (no retries)', async () => {
    await expect(processJob(getDb(), 'notice.nope', { personId: 1, accountId: 1 })).rejects.toBeInstanceOf(UnrecoverableError)
    for (const bad of [{}, { personId: 'x', accountId: 1 }, { personId: 1 }, null, 'text']) {
      await expect(processJob(getDb(), 'notice.welcome', bad)).rejects.toBeInstanceOf(UnrecoverableError)
    }
    expect(await getDb().selectFrom('notices').selectAll().execute()).toEqual([])
  })
})
