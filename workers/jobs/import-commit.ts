import { commitImport } from '#app/domain/imports/commit.server.ts'
import type { DB } from '#db/schema.ts'

import { type JobPayload, JOBS } from './contract.ts'

/** import.commit on the `imports` queue; its schema, options and key are in contract.ts. */
export const job = JOBS['import.commit']

/** Idempotent: one transaction, and an import already committed is skipped. */
export async function process(db: DB, payload: JobPayload<'import.commit'>) {
  return commitImport(db, payload.importId)
}
