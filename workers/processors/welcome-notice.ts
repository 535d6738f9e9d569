import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { sendWelcomeNotice } from '#app/domain/identity/notices.server.ts'
import { JOBS, type JobPayload } from '../jobs.ts'

/** notice.welcome: idempotent (the notice's dedupe key), so retries and replays are harmless. */
export async function processWelcomeNotice(db: Kysely<Database>, data: unknown) {
  const payload: JobPayload<'notice.welcome'> = JOBS['notice.welcome'].schema.parse(data)
  return sendWelcomeNotice(db, payload.personId, payload.accountId)
}
