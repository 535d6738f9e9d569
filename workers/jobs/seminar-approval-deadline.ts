import { confirmOverdueApprovals } from '#app/domain/seminars/approval.server.ts'
import type { DB } from '#db/schema.ts'

import { type JobPayload, JOBS } from './contract.ts'

/** seminar.approval_deadline on the `notices` queue, delayed until the approval's due time (contract.ts `runAt`). */
export const job = JOBS['seminar.approval_deadline']

/**
 * Idempotent: confirms whatever registrations of the seminar are still pending and due now (one
 * HR decided meanwhile is no longer pending). Run early (a retry, a clock behind), it changes nothing.
 */
export async function process(db: DB, payload: JobPayload<'seminar.approval_deadline'>) {
  return confirmOverdueApprovals(db, new Date(), payload.seminarId)
}
