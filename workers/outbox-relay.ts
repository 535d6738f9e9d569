import type { Queue } from 'bullmq'
import { type Kysely, sql } from 'kysely'

import type { Database } from '#db/schema.ts'

import { isJobName, jobIdFor, type JobName, JOBS, type QueueName } from './jobs/contract.ts'

/**
 * The outbox relay and its reconciler (ADR 0016): side work is done exactly once, eventually.
 *
 * 1. **Claim** (one short transaction): open rows that are new, or dispatched and past their
 *    deadline, `FOR UPDATE SKIP LOCKED`, stamped with a lease and their BullMQ job id; commit.
 *    No transaction is open while Redis is asked anything, so a slow or dead Redis never holds
 *    row locks or a pooled connection.
 * 2. **Hand over**: a new row is added to its job's queue (`addBulk`, one call per queue). A row
 *    past its deadline is looked up in BullMQ first: still waiting, delayed or running → more
 *    time; completed → marked completed; lost (a Redis restart) or failed (stalled too often, or
 *    its completion could not be recorded) → sent again under the same job id, so BullMQ dedupes a
 *    job that is still there. After `maxSends` sends a row is given up (failed, with the error).
 * 3. **Record**: dispatched_at, redispatch_after (per job kind), attempts; the lease is released.
 *
 * The worker marks a row completed (or failed for good) by its job id, inside the processor and
 * before BullMQ records the outcome (`markJobCompleted`, `markJobFailed`), so a job that BullMQ
 * keeps as completed is always completed in PostgreSQL too.
 */

export type RelayOptions = {
  /** Rows per claim. */
  batch?: number
  /** The clock (tests move it forward instead of sleeping). */
  now?: Date
  /** Overrides every job kind's `redispatchAfterMs` (XUESHI_OUTBOX_REDISPATCH_MS, for the fault suite). */
  deadlineMs?: number
  /** How long a claim holds a row if its relay dies before recording the hand-over. */
  leaseMs?: number
  /** Sends after which a row that never completes is given up. */
  maxSends?: number
}

type Claimed = { id: number; job_name: string; payload: unknown; dispatched_at: Date | null; attempts: number; job_id: string }

const DEFAULTS = { batch: 100, leaseMs: 30_000, maxSends: 5 }
const STILL_THERE = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'])

/** One pass: claims up to `batch` rows, hands them over, records it. Returns how many rows it claimed. */
export async function relayOutbox(db: Kysely<Database>, queues: Record<QueueName, Queue>, opts: RelayOptions = {}): Promise<number> {
  const now = opts.now ?? new Date()
  const { batch, leaseMs, maxSends } = { ...DEFAULTS, ...opts }
  const rows = await claim(db, now, batch, leaseMs)
  if (rows.length === 0) return 0
  try {
    const toAdd: (Claimed & { name: JobName })[] = []
    const extend: Claimed[] = []
    const completed: number[] = []
    const giveUp: { id: number; error: string }[] = []
    for (const row of rows) {
      if (!isJobName(row.job_name)) {
        giveUp.push({ id: row.id, error: 'unknown job name' })
        continue
      }
      const named = { ...row, name: row.job_name }
      if (row.dispatched_at === null) {
        toAdd.push(named)
        continue
      }
      // Past its deadline: what became of the job?
      const queue = queues[JOBS[row.job_name].queue]
      const state = await queue.getJobState(row.job_id)
      if (state === 'completed') completed.push(row.id)
      else if (STILL_THERE.has(state)) extend.push(row)
      else {
        let reason = 'lost from Redis'
        if (state === 'failed') {
          // A failed job kept in Redis would swallow the re-send (same id): remove it first.
          const job = await queue.getJob(row.job_id)
          reason = job?.failedReason ?? 'failed'
          await job?.remove()
        }
        if (row.attempts >= maxSends)
          giveUp.push({ id: row.id, error: `not completed after ${row.attempts} sends: ${reason}`.slice(0, 500) })
        else toAdd.push(named)
      }
    }

    const byQueue = new Map<QueueName, (Claimed & { name: JobName })[]>()
    for (const row of toAdd) {
      const q = JOBS[row.name].queue
      byQueue.set(q, [...(byQueue.get(q) ?? []), row])
    }
    for (const [q, list] of byQueue) {
      await queues[q].addBulk(
        list.map((r) => ({
          name: r.name,
          data: r.payload,
          opts: { ...JOBS[r.name].options, jobId: r.job_id, delay: JOBS[r.name].delayOf(r.payload, now) },
        })),
      )
    }

    const sentAt = new Date()
    for (const name of new Set([...toAdd, ...extend].map((r) => r.job_name as JobName))) {
      const deadline = new Date(now.getTime() + (opts.deadlineMs ?? JOBS[name].redispatchAfterMs))
      const sent = toAdd.filter((r) => r.name === name).map((r) => r.id)
      const waiting = extend.filter((r) => r.job_name === name).map((r) => r.id)
      if (sent.length) {
        await db
          .updateTable('outbox')
          .set((eb) => ({ dispatched_at: sentAt, redispatch_after: deadline, attempts: eb('attempts', '+', 1), claimed_until: null }))
          .where('id', 'in', sent)
          .execute()
      }
      if (waiting.length) {
        await db.updateTable('outbox').set({ redispatch_after: deadline, claimed_until: null }).where('id', 'in', waiting).execute()
      }
    }
    if (completed.length) {
      await db
        .updateTable('outbox')
        .set({ completed_at: sentAt, claimed_until: null })
        .where('id', 'in', completed)
        .where('completed_at', 'is', null)
        .execute()
    }
    for (const g of giveUp) {
      await db
        .updateTable('outbox')
        .set((eb) => ({
          failed_at: sentAt,
          last_error: g.error,
          claimed_until: null,
          dispatched_at: eb.fn.coalesce('dispatched_at', eb.val(sentAt)),
        }))
        .where('id', '=', g.id)
        .execute()
    }
    return rows.length
  } catch (e) {
    // Redis refused (or the database went away): let the rows go now rather than at the lease's end.
    await db
      .updateTable('outbox')
      .set({ claimed_until: null })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute()
      .catch(() => undefined)
    throw e
  }
}

/** The short claim transaction: lock, stamp lease and job id, commit. */
async function claim(db: Kysely<Database>, now: Date, batch: number, leaseMs: number): Promise<Claimed[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('outbox')
      .select(['id', 'job_name', 'payload', 'created_at', 'dispatched_at', 'attempts', 'job_id'])
      .where('completed_at', 'is', null)
      .where('failed_at', 'is', null)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .where((eb) => eb.or([eb('dispatched_at', 'is', null), eb('redispatch_after', '<=', now), eb('redispatch_after', 'is', null)]))
      .orderBy('id')
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute()
    if (rows.length === 0) return []
    const claimed = rows.map((r) => ({
      id: r.id,
      job_name: r.job_name,
      payload: r.payload,
      dispatched_at: r.dispatched_at,
      attempts: r.attempts,
      // Kept once set: the id a row was first sent under is the one BullMQ may still hold.
      job_id: r.job_id ?? (isJobName(r.job_name) ? jobIdFor(r.job_name, r.payload, r.created_at) : `unknown-${r.id}`),
    }))
    await sql`
      update outbox o set claimed_until = ${new Date(now.getTime() + leaseMs)}, job_id = v.job_id
      from unnest(${claimed.map((c) => c.id)}::bigint[], ${claimed.map((c) => c.job_id)}::text[]) as v(id, job_id)
      where o.id = v.id`.execute(trx)
    return claimed
  })
}

/** The worker's side: the job ran to completion (called before BullMQ records it). */
export async function markJobCompleted(db: Kysely<Database>, jobId: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ completed_at: new Date(), failed_at: null })
    .where('job_id', '=', jobId)
    .where('completed_at', 'is', null)
    .execute()
}

/** The worker's side: the job failed for good (unrecoverable, or its last attempt); never sent again. */
export async function markJobFailed(db: Kysely<Database>, jobId: string, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ failed_at: new Date(), last_error: error.slice(0, 500) })
    .where('job_id', '=', jobId)
    .where('completed_at', 'is', null)
    .where('failed_at', 'is', null)
    .execute()
}
