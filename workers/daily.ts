import { chinaDay } from '#app/domain/bases/events.server.ts'
import { enqueue, hasRecentJob } from '#app/lib/queue.server.ts'
import type { DB } from '#db/schema.ts'

/**
 * The worker's clock for daily work. Every `everyMs` (and at start) it makes sure today's (China
 * day) `base.daily` job is in the outbox, so the run survives a Redis restart like any other job,
 * and a worker that was down at midnight catches up when it starts. Several workers may both
 * enqueue the same day: the job is idempotent.
 */
export async function ensureDailyJobs(db: DB, now = new Date()): Promise<boolean> {
  const day = chinaDay(now)
  // One row per day ever (a few hundred a year), so no time bound is needed.
  if (await hasRecentJob(db, 'base.daily', { day }, new Date(0))) return false
  await enqueue(db, 'base.daily', { day })
  return true
}
