import { runExport } from '#app/domain/compliance/exports.server.ts'
import type { DB } from '#db/schema.ts'

import { type JobPayload, JOBS } from './contract.ts'

/** compliance.export on the `imports` queue; its schema, options and key are in contract.ts. */
export const job = JOBS['compliance.export']

/** Idempotent: a finished export is left as it is; an interrupted one is rewritten from scratch. */
export async function process(db: DB, payload: JobPayload<'compliance.export'>) {
  return runExport(db, payload.exportId)
}
