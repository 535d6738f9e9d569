import { promote } from '#app/domain/seminars/registration.server.ts'
import type { DB } from '#db/schema.ts'

import { type JobPayload, JOBS } from './contract.ts'

/** seminar.promote on the `notices` queue; its schema, options and key are in contract.ts. */
export const job = JOBS['seminar.promote']

/** Idempotent: with no free seat, or nobody waiting who can use one, it changes nothing. */
export async function process(db: DB, payload: JobPayload<'seminar.promote'>) {
  return promote(db, payload.seminarId, new Date())
}
