import { designateDue } from '#app/domain/bases/decisions.server.ts'
import { sendOverdueNotices } from '#app/domain/bases/rectification.server.ts'
import { removeExpiredExports } from '#app/domain/compliance/exports.server.ts'
import { confirmOverdueApprovals } from '#app/domain/seminars/approval.server.ts'
import { remindPackagesDue } from '#app/domain/seminars/package.server.ts'
import type { DB } from '#db/schema.ts'

import { type JobPayload, JOBS } from './contract.ts'

/** base.daily on the `notices` queue; its schema, options and key are in contract.ts. */
export const job = JOBS['base.daily']

/** Idempotent: a base designated or a case notified once stays so. */
export async function process(db: DB, payload: JobPayload<'base.daily'>) {
  const designated = await designateDue(db, { on: payload.day })
  const overdue = await sendOverdueNotices(db, payload.day)
  // Seminar approvals past their due time: each has a delayed job of its own; this catches one
  // Redis lost, within a day.
  const approvals = await confirmOverdueApprovals(db, new Date())
  const packagesReminded = await remindPackagesDue(db, payload.day)
  // Compliance export files past their expiry (the rows stay, without a file).
  const exportsRemoved = await removeExpiredExports(db, new Date())
  return {
    designated,
    overdue,
    approvalsConfirmed: approvals.confirmed.length,
    packagesReminded: packagesReminded.length,
    exportsRemoved,
  }
}
