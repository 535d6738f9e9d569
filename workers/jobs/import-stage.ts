import { stageImport } from '#app/domain/imports/stage.server.ts'
import type { DB } from '#db/schema.ts'

import { type JobPayload, JOBS } from './contract.ts'

/** import.stage on the `imports` queue; its schema, options and key are in contract.ts. */
export const job = JOBS['import.stage']

/** Idempotent: a staged import is left alone; one interrupted mid-parse starts over. */
export async function process(db: DB, payload: JobPayload<'import.stage'>) {
  return stageImport(db, payload.importId)
}
