import { designateDue } from '#app/domain/bases/decisions.server.ts'
import { sendOverdueNotices } from '#app/domain/bases/rectification.server.ts'
import type { DB } from '#db/schema.ts'

import { type JobPayload, JOBS } from './contract.ts'

/** base.daily on the `notices` queue; its schema, options and key are in contract.ts. */
export const job = JOBS['base.daily']

/** Idempotent: a base designated or a case notified once stays so. */
export async function process(db: DB, payload: JobPayload<'base.daily'>) {
  const designated = await designateDue(db, { on: payload.day })
  const overdue = await sendOverdueNotices(db, payload.day)
  return { designated, overdue }
}
