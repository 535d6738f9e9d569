import type { DB } from '#db/schema.ts'

import { type JobPayload, JOBS } from './contract.ts'

/** compliance.export on the `imports` queue; its schema, options and key are in contract.ts. */
export const job = JOBS['compliance.export']

// SCAFFOLD (being built by the exports helper): replaced by the streaming writer.
export async function process(_db: DB, payload: JobPayload<'compliance.export'>) {
  throw new Error(`compliance.export ${payload.exportId}: not built yet`)
}
