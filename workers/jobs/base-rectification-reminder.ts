import { sendRectificationReminder } from '#app/domain/bases/rectification.server.ts'
import type { DB } from '#db/schema.ts'

import { type JobPayload, JOBS } from './contract.ts'

/** base.rectification_reminder on the `notices` queue; its schema, options, key and delay are in contract.ts. */
export const job = JOBS['base.rectification_reminder']

/** Idempotent (the notice's dedupe key per case and reminder day); a closed or answered case gets nothing. */
export async function process(db: DB, payload: JobPayload<'base.rectification_reminder'>) {
  return sendRectificationReminder(db, payload.caseId, payload.remindOn)
}
