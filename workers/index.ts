/**
 * The worker process: relays the outbox to BullMQ and runs the jobs. Stateless; run as many as
 * needed. SIGTERM/SIGINT: stop relaying, let running jobs finish (with a deadline), then close
 * queues, the database and Redis.
 */
import { z } from 'zod'

import { refreshBatch } from '#app/domain/compliance/refresh.server.ts'
import { closeDb, getDb } from '#app/lib/db.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { getLogger } from '#app/lib/log.server.ts'
import { createWorkerRedis } from '#app/lib/redis.server.ts'

import { ensureDailyJobs } from './daily.ts'
import { QUEUES } from './jobs/contract.ts'
import { relayOutbox } from './outbox-relay.ts'
import { openQueues, startWorkers } from './runtime.ts'

const env = getEnv()
const log = getLogger().child({ proc: 'worker' })
const db = getDb()
const connection = createWorkerRedis()
connection.on('error', (e) => log.warn({ err: e.message }, 'redis connection error'))
const prefix = env.XUESHI_REDIS_PREFIX
// One deadline for every job kind instead of each kind's own (ADR 0016): the fault suite uses it to
// see lost jobs sent again within seconds. Unset in production.
const deadlineMs = z.coerce
  .number()
  .int()
  .min(1000)
  .optional()
  .parse(process.env.XUESHI_OUTBOX_REDISPATCH_MS || undefined)

const queues = openQueues(connection, prefix)
const workers = Object.values(startWorkers(db, { connect: createWorkerRedis, prefix }))
for (const w of workers) {
  w.on('completed', (job, result) => log.info({ queue: w.name, job: job.name, jobId: job.id, result }, 'job done'))
  w.on('failed', (job, err) =>
    log.warn({ queue: w.name, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'),
  )
  w.on('error', (err) => log.error({ queue: w.name, err: err.message }, 'worker error'))
}

let stopping = false
let relayTimer: NodeJS.Timeout | undefined
async function relayLoop() {
  if (stopping) return
  let moved = 0
  try {
    moved = await relayOutbox(db, queues, { deadlineMs })
    if (moved) log.debug({ moved }, 'outbox relayed')
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'outbox relay failed; will retry')
  }
  if (!stopping) relayTimer = setTimeout(() => void relayLoop(), moved ? 0 : 500)
}
void relayLoop()

let dailyTimer: NodeJS.Timeout | undefined
async function dailyLoop() {
  if (stopping) return
  try {
    if (await ensureDailyJobs(db)) log.info('daily jobs enqueued')
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'daily jobs not enqueued; will retry')
  }
  if (!stopping) dailyTimer = setTimeout(() => void dailyLoop(), 10 * 60_000)
}
void dailyLoop()
// The compliance refresher (ADR 0025): recomputes the people triggers marked, a batch at a time;
// several workers take turns (an advisory lock), and what a crash interrupts is still marked.
let complianceTimer: NodeJS.Timeout | undefined
async function complianceLoop() {
  if (stopping) return
  let processed = 0
  try {
    processed = (await refreshBatch(db)).processed
    if (processed) log.debug({ processed }, 'compliance refreshed')
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'compliance refresh failed; will retry')
  }
  if (!stopping) complianceTimer = setTimeout(() => void complianceLoop(), processed ? 0 : 1000)
}
void complianceLoop()
log.info({ queues: QUEUES }, 'worker started')

async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  log.info({ signal }, 'worker shutting down')
  clearTimeout(relayTimer)
  clearTimeout(dailyTimer)
  clearTimeout(complianceTimer)
  const deadline = new Promise((resolve) => setTimeout(resolve, 10_000).unref())
  await Promise.race([Promise.allSettled(workers.map((w) => w.close())), deadline])
  await Promise.allSettled(Object.values(queues).map((q) => q.close()))
  await Promise.allSettled([closeDb(), connection.quit()])
  log.info('worker stopped')
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
// Started by `npm start`: stop if the supervisor goes away, so no process is left behind.
if (process.send) process.on('disconnect', () => void shutdown('supervisor-exit'))
