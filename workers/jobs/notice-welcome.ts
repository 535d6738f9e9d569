import { sendWelcomeNotice } from '#app/domain/identity/notices.server.ts'
import type { DB } from '#db/schema.ts'

import { type JobPayload, JOBS } from './contract.ts'

/** notice.welcome on the `notices` queue; its schema, options and key are in contract.ts. */
export const job = JOBS['notice.welcome']

/** Idempotent (the notice's dedupe key), so retries and replays are harmless. */
export async function process(db: DB, payload: JobPayload<'notice.welcome'>) {
  return sendWelcomeNotice(db, payload.personId, payload.accountId)
}
