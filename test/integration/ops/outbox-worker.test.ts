import { type Queue, UnrecoverableError, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, test } from 'vitest'

import { requestCertificate } from '#app/domain/hours/certificates/certificates.server.ts'
import { credit } from '#app/domain/hours/ledger.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { enqueue } from '#app/lib/queue.server.ts'
import { action as register } from '#app/routes/account/register.tsx'
import { createLearner, registrationForm } from '#test/factories/people.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'
import { jobIdFor, JOBS, QUEUE_NAMES, QUEUES } from '#workers/jobs/contract.ts'
import { processJob } from '#workers/jobs/index.ts'
import * as welcomeNotice from '#workers/jobs/notice-welcome.ts'
import { relayOutbox } from '#workers/outbox-relay.ts'
import { openQueues, startWorkers } from '#workers/runtime.ts'

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

/** The production wiring: one producer handle per queue. */
function makeQueues() {
  const queues = openQueues(connection(), process.env.XUESHI_REDIS_PREFIX!)
  cleanups.push(() => Promise.all(Object.values(queues).map((q) => q.close())))
  return queues
}

/** The production wiring: one BullMQ Worker per queue, with that queue's concurrency. */
function startAllWorkers(failures: string[]) {
  const workers = startWorkers(getDb(), { connect: connection, prefix: process.env.XUESHI_REDIS_PREFIX! })
  for (const worker of Object.values(workers)) {
    worker.on('failed', (job, err) => failures.push(`${job?.name}: ${err.message}`))
    worker.on('error', (err) => failures.push(`worker: ${err.message}`))
    cleanups.push(() => worker.close())
  }
  return workers
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

    const queues = makeQueues()
    expect(await relayOutbox(getDb(), queues)).toBe(1)
    const failures: string[] = []
    startAllWorkers(failures)

    const notice = await eventually(async () => {
      if (failures.length) throw new Error(failures.join('; '))
      return getDb()
        .selectFrom('notices')
        .selectAll()
        .where('person_id', '=', person.personId)
        .where('kind', '=', 'welcome')
        .executeTakeFirst()
    }, 'the welcome notice')
    expect(notice.params).toEqual({ name: form.name })
    expect(notice.dedupe_key).toBe(`welcome:${person.accountId}`)

    const [after] = await eventually(async () => {
      const rows = await outboxRows()
      return rows[0]?.completed_at ? rows : undefined
    }, 'the row marked completed')
    expect(after!.dispatched_at).toBeInstanceOf(Date)
    expect(after!.attempts).toBe(1)
    expect(after!.failed_at).toBeNull()
    const job = await eventually(async () => {
      const j = await queues.notices.getJob(`notice.welcome-account-${person.accountId}-${row!.created_at.getTime()}`)
      return j && (await j.getState()) === 'completed' ? j : undefined
    }, 'the job to complete')
    expect(job.returnvalue).toBe('sent')
    expect(failures).toEqual([])
  })

  test('relaying twice makes one job: the second relay moves nothing', async () => {
    await createLearner(getDb())
    const queues = makeQueues()
    expect(await relayOutbox(getDb(), queues)).toBe(1)
    expect(await relayOutbox(getDb(), queues)).toBe(0)
    expect(await jobTotal(queues.notices)).toBe(1)
  })

  test('a row relayed again (crash between add and commit) is still one BullMQ job', async () => {
    await createLearner(getDb())
    const queues = makeQueues()
    expect(await relayOutbox(getDb(), queues)).toBe(1)
    await getDb().updateTable('outbox').set({ dispatched_at: null }).execute()
    expect(await relayOutbox(getDb(), queues)).toBe(1)
    expect(await jobTotal(queues.notices)).toBe(1)
  })

  test('each job goes to its own queue with its options and a job id from its business key', async () => {
    const learner = await createLearner(getDb())
    await enqueue(getDb(), 'certificate.render', { certificateId: 42, baseUrl: 'http://localhost' })
    const [welcome, render] = await outboxRows()
    const queues = makeQueues()
    expect(await relayOutbox(getDb(), queues)).toBe(2)
    expect(await jobTotal(queues.notices)).toBe(1)
    expect(await jobTotal(queues.pdf)).toBe(1)

    const notice = await queues.notices.getJob(`notice.welcome-account-${learner.accountId}-${welcome!.created_at.getTime()}`)
    expect(notice).toMatchObject({ name: 'notice.welcome', data: welcome!.payload })
    expect(notice!.opts).toMatchObject({ attempts: 5, backoff: { type: 'exponential', delay: 2000 } })
    const pdf = await queues.pdf.getJob(`certificate.render-certificate-42-${render!.created_at.getTime()}`)
    expect(pdf).toMatchObject({ name: 'certificate.render', data: { certificateId: 42, baseUrl: 'http://localhost' } })
    expect(pdf!.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential', delay: 5000 } })
    expect(jobIdFor('certificate.render', render!.payload, render!.created_at)).toBe(pdf!.id)
  })

  test('every job names a queue that has a worker, and no job id contains BullMQ’s separator', () => {
    for (const def of Object.values(JOBS)) expect(QUEUE_NAMES).toContain(def.queue)
    expect(QUEUES.pdf.concurrency).toBeGreaterThan(0)
    expect(jobIdFor('notice.welcome', { personId: 1, accountId: 2 }, new Date(0))).toBe('notice.welcome-account-2-0')
    expect(jobIdFor('certificate.render', { certificateId: 7, baseUrl: 'https://example.org' }, new Date(0))).toBe(
      'certificate.render-certificate-7-0',
    )
    // A stored payload that no longer matches its schema still gets an id (its processor refuses it).
    expect(jobIdFor('certificate.render', { nope: true }, new Date(0))).toBe('certificate.render-invalid-0')
  })

  test('an outbox row written before the split (certificate.render, once on `notices`) is relayed to `pdf` and rendered there', async () => {
    // As the old producer wrote it: same job name, same payload shape, no queue stored in the row.
    await getDb()
      .insertInto('outbox')
      .values({ job_name: 'certificate.render', payload: JSON.stringify({ certificateId: 999999, baseUrl: 'http://localhost' }) })
      .execute()
    const queues = makeQueues()
    expect(await relayOutbox(getDb(), queues)).toBe(1)
    expect(await jobTotal(queues.notices)).toBe(0)
    const [job] = await queues.pdf.getJobs(['waiting'])
    expect(job!.name).toBe('certificate.render')
    const failures: string[] = []
    startAllWorkers(failures)
    const done = await eventually(async () => {
      if (failures.length) throw new Error(failures.join('; '))
      return (await queues.pdf.getJobs(['completed']))[0]
    }, 'the render job on pdf')
    // No certificate with that id: the processor ran and said so.
    expect(done.returnvalue).toBe('not-found')
  })

  test('a certificate.render job already in `notices` (relayed before the split) is still run by that queue’s worker', async () => {
    const queues = makeQueues()
    await queues.notices.add(
      'certificate.render',
      { certificateId: 999999, baseUrl: 'http://localhost' },
      { jobId: 'outbox-1-1700000000000' },
    )
    const failures: string[] = []
    startAllWorkers(failures)
    const done = await eventually(async () => {
      if (failures.length) throw new Error(failures.join('; '))
      // The state first, then the job: a job read before it completed carries no return value.
      const state = await queues.notices.getJobState('outbox-1-1700000000000')
      return state === 'completed' ? await queues.notices.getJob('outbox-1-1700000000000') : undefined
    }, 'the leftover job')
    expect(done.returnvalue).toBe('not-found')
  })

  test('the welcome processor is idempotent: run twice, one notice', async () => {
    const learner = await createLearner(getDb())
    const [row] = await outboxRows()
    const payload = welcomeNotice.job.schema.parse(row!.payload)
    expect(await welcomeNotice.process(getDb(), payload)).toBe('sent')
    expect(await welcomeNotice.process(getDb(), payload)).toBe('already-sent')
    expect(await processJob(getDb(), 'notice.welcome', row!.payload)).toBe('already-sent')
    const notices = await getDb().selectFrom('notices').selectAll().execute()
    expect(notices).toHaveLength(1)
    expect(notices[0]!.dedupe_key).toBe(`welcome:${learner.accountId}`)
  })

  test('a rolled-back transaction leaves no outbox row; a committed one does', async () => {
    const learner = await createLearner(getDb())
    await getDb().deleteFrom('outbox').execute()
    const { personId } = await getDb()
      .selectFrom('accounts')
      .select('person_id as personId')
      .where('id', '=', learner.accountId)
      .executeTakeFirstOrThrow()
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

const MINUTE = 60_000
const later = (ms: number) => new Date(Date.now() + ms)

async function rowsDone(what: string) {
  return eventually(async () => {
    const rows = await outboxRows()
    return rows.length > 0 && rows.every((r) => r.completed_at || r.failed_at) ? rows : undefined
  }, what)
}

async function welcomeNotices() {
  return getDb().selectFrom('notices').select(['person_id', 'dedupe_key']).where('kind', '=', 'welcome').execute()
}

describe('the outbox finishes what it hands over (reconciler, ADR 0016)', () => {
  test('a job Redis lost after dispatch is sent again after its deadline, under the same id, and done once', async () => {
    const learner = await createLearner(getDb())
    const queues = makeQueues()
    expect(await relayOutbox(getDb(), queues)).toBe(1)
    const [row] = await outboxRows()
    expect(row!.job_id).toBe(jobIdFor('notice.welcome', row!.payload, row!.created_at))
    expect(row!.redispatch_after!.getTime() - row!.dispatched_at!.getTime()).toBeGreaterThanOrEqual(
      JOBS['notice.welcome'].redispatchAfterMs - 1000,
    )
    // Redis restarted empty: the job is gone.
    await queues.notices.obliterate({ force: true })
    expect(await jobTotal(queues.notices)).toBe(0)
    // Before its deadline nothing happens; after it, the row is sent again.
    expect(await relayOutbox(getDb(), queues)).toBe(0)
    expect(await relayOutbox(getDb(), queues, { now: later(3 * MINUTE) })).toBe(1)
    expect(await jobTotal(queues.notices)).toBe(1)
    expect(await queues.notices.getJob(row!.job_id!)).toBeDefined()
    expect((await outboxRows())[0]!.attempts).toBe(2)

    const failures: string[] = []
    startAllWorkers(failures)
    const [done] = await rowsDone('the re-sent job')
    expect(done!.completed_at).toBeInstanceOf(Date)
    expect(done!.failed_at).toBeNull()
    expect(await welcomeNotices()).toEqual([expect.objectContaining({ dedupe_key: `welcome:${learner.accountId}` })])
    // Completed: never looked at again.
    expect(await relayOutbox(getDb(), queues, { now: later(60 * MINUTE) })).toBe(0)
    expect(failures).toEqual([])
  })

  test('a job still waiting in Redis past its deadline gets more time, not a second send', async () => {
    await createLearner(getDb())
    const queues = makeQueues()
    expect(await relayOutbox(getDb(), queues)).toBe(1)
    expect(await relayOutbox(getDb(), queues, { now: later(3 * MINUTE) })).toBe(1)
    const [row] = await outboxRows()
    expect(row!.attempts).toBe(1)
    expect(row!.redispatch_after!.getTime()).toBeGreaterThan(Date.now() + 4 * MINUTE)
    expect(await jobTotal(queues.notices)).toBe(1)
  })

  test('a job that failed in Redis without the worker recording it (stalled too often) is sent again and done', async () => {
    const learner = await createLearner(getDb())
    const queues = makeQueues()
    expect(await relayOutbox(getDb(), queues)).toBe(1)
    // A worker takes the job and dies with it: BullMQ fails it ("stalled more than allowable
    // limit") without our processor ever running, so PostgreSQL still says "dispatched".
    const crashed = new Worker('notices', null, { connection: connection(), prefix: process.env.XUESHI_REDIS_PREFIX! })
    cleanups.push(() => crashed.close())
    const job = (await crashed.getNextJob('dead-worker'))!
    await job.moveToFailed(new UnrecoverableError('job stalled more than allowable limit'), 'dead-worker')
    expect(await job.getState()).toBe('failed')

    expect(await relayOutbox(getDb(), queues, { now: later(3 * MINUTE) })).toBe(1)
    expect(await queues.notices.getJobState(job.id!)).toBe('waiting')
    const failures: string[] = []
    startAllWorkers(failures)
    const [done] = await rowsDone('the re-sent job')
    expect(done).toMatchObject({ attempts: 2, failed_at: null })
    expect(await welcomeNotices()).toEqual([expect.objectContaining({ dedupe_key: `welcome:${learner.accountId}` })])
  })

  test('a job that fails permanently is marked failed with its error and never sent again', async () => {
    // A stored payload its processor refuses (UnrecoverableError): no retry can help.
    await getDb()
      .insertInto('outbox')
      .values({ job_name: 'certificate.render', payload: JSON.stringify({ certificateId: -5, baseUrl: 'http://localhost' }) })
      .execute()
    const queues = makeQueues()
    expect(await relayOutbox(getDb(), queues)).toBe(1)
    const failures: string[] = []
    startAllWorkers(failures)
    const [row] = await rowsDone('the failed job')
    expect(row!.failed_at).toBeInstanceOf(Date)
    expect(row!.completed_at).toBeNull()
    expect(row!.last_error).toMatch(/Invalid payload for certificate.render/)
    expect(await relayOutbox(getDb(), queues, { now: later(24 * 60 * MINUTE) })).toBe(0)
    expect(row!.attempts).toBe(1)
  })

  test('a row that never completes is given up after its sends, with the reason; an unknown job name at once', async () => {
    await createLearner(getDb())
    await getDb().insertInto('outbox').values({ job_name: 'notice.gone', payload: '{}' }).execute()
    const queues = makeQueues()
    expect(await relayOutbox(getDb(), queues)).toBe(2)
    for (let send = 2; send <= 3; send++) {
      await queues.notices.obliterate({ force: true })
      expect(await relayOutbox(getDb(), queues, { now: later(send * 3 * MINUTE), maxSends: 3 })).toBe(1)
    }
    await queues.notices.obliterate({ force: true })
    expect(await relayOutbox(getDb(), queues, { now: later(12 * MINUTE), maxSends: 3 })).toBe(1)
    const [welcome, unknown] = await outboxRows()
    expect(welcome).toMatchObject({ attempts: 3, completed_at: null, last_error: 'not completed after 3 sends: lost from Redis' })
    expect(welcome!.failed_at).toBeInstanceOf(Date)
    expect(unknown).toMatchObject({ last_error: 'unknown job name', completed_at: null })
    expect(unknown!.failed_at).toBeInstanceOf(Date)
    expect(await relayOutbox(getDb(), queues, { now: later(60 * MINUTE) })).toBe(0)
  })

  test('no transaction is held while the relay waits on Redis: the claim is committed and the rows unlocked', async () => {
    await createLearner(getDb())
    const real = makeQueues()
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let entered!: () => void
    const waiting = new Promise<void>((r) => (entered = r))
    const slow = {
      ...real,
      notices: {
        addBulk: async (jobs: Parameters<Queue['addBulk']>[0]) => {
          entered()
          await gate
          return real.notices.addBulk(jobs)
        },
      } as unknown as Queue,
    }
    const relaying = relayOutbox(getDb(), slow)
    await waiting
    // Another session can lock the row at once (NOWAIT): the relay holds no lock on it…
    const locked = await getDb()
      .transaction()
      .execute((trx) => trx.selectFrom('outbox').select(['id', 'claimed_until', 'job_id']).forUpdate().noWait().execute())
    // …and its claim is visible, so another relay skips the row.
    expect(locked[0]!.claimed_until!.getTime()).toBeGreaterThan(Date.now())
    expect(locked[0]!.job_id).toMatch(/^notice\.welcome-account-/)
    expect(await relayOutbox(getDb(), real)).toBe(0)
    release()
    expect(await relaying).toBe(1)
    const [row] = await outboxRows()
    expect(row).toMatchObject({ claimed_until: null, attempts: 1 })
    expect(row!.dispatched_at).toBeInstanceOf(Date)
  })

  test('when Redis refuses the hand-over, the claim is released at once and nothing is marked dispatched', async () => {
    await createLearner(getDb())
    const real = makeQueues()
    const dead = {
      ...real,
      notices: {
        addBulk: () => Promise.reject(new Error('Connection is closed.')),
      } as unknown as Queue,
    }
    await expect(relayOutbox(getDb(), dead)).rejects.toThrow('Connection is closed.')
    const [row] = await outboxRows()
    expect(row).toMatchObject({ claimed_until: null, dispatched_at: null, attempts: 0 })
    expect(await relayOutbox(getDb(), real)).toBe(1)
  })

  test('a certificate stuck pending past its deadline can be asked for again: a new render job, and it becomes ready', async () => {
    const learner = await createLearner(getDb())
    const { person_id: personId } = await getDb()
      .selectFrom('accounts')
      .select('person_id')
      .where('id', '=', learner.accountId)
      .executeTakeFirstOrThrow()
    await getDb()
      .transaction()
      .execute((trx) =>
        credit(trx, {
          personId,
          hours: '12',
          category: 'professional',
          sourceKind: 'external',
          occurredAt: new Date('2024-06-01T10:00:00+08:00'),
          idempotencyKey: `stuck:${personId}`,
          ceYear: 2024,
        }),
      )
    const first = await requestCertificate(getDb(), personId, 2024, { baseUrl: 'http://localhost' })
    if (!first.ok) throw new Error(first.code)
    // Its render job was given up (say the database was down through every attempt).
    await getDb().updateTable('outbox').set({ failed_at: new Date(), last_error: 'database down' }).execute()
    const renders = () => getDb().selectFrom('outbox').select('id').where('job_name', '=', 'certificate.render').execute()

    // Asked again within the deadline: the same certificate, no new job (it may still be rendering).
    const soon = await requestCertificate(getDb(), personId, 2024, { baseUrl: 'http://localhost' })
    expect(soon).toEqual({ ok: true, id: first.id, code: first.code, created: false })
    expect(await renders()).toHaveLength(1)
    // Past it: the same certificate, and a new render job — once, however often it is asked.
    const sixMinutesAgo = new Date(Date.now() - 6 * MINUTE)
    await getDb().updateTable('certificates').set({ created_at: sixMinutesAgo }).execute()
    await getDb().updateTable('outbox').set({ created_at: sixMinutesAgo }).execute()
    for (let i = 0; i < 2; i++) {
      const again = await requestCertificate(getDb(), personId, 2024, { baseUrl: 'http://localhost' })
      expect(again).toEqual({ ok: true, id: first.id, code: first.code, created: false })
    }
    expect(await renders()).toHaveLength(2)

    const queues = makeQueues()
    await relayOutbox(getDb(), queues)
    const failures: string[] = []
    startAllWorkers(failures)
    await eventually(async () => {
      const c = await getDb().selectFrom('certificates').select('status').where('id', '=', first.id).executeTakeFirstOrThrow()
      return c.status === 'ready'
    }, 'the certificate to be ready')
    expect(failures).toEqual([])
  })
})
