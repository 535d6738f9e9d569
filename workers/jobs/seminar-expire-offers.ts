import { expireOffers } from '#app/domain/seminars/registration.server.ts'
import type { DB } from '#db/schema.ts'

import { type JobPayload, JOBS } from './contract.ts'

/** seminar.expire_offers on the `notices` queue, delayed until the offer's expiry (contract.ts `runAt`). */
export const job = JOBS['seminar.expire_offers']

/**
 * Idempotent: expires whatever offers of the seminar are due now (an offer accepted meanwhile is
 * no longer `offered`), then promotes. Run early (a retry, a clock ahead), it expires nothing.
 */
export async function process(db: DB, payload: JobPayload<'seminar.expire_offers'>) {
  return expireOffers(db, new Date(), payload.seminarId)
}
