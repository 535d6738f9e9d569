import type { DB } from '#db/schema.ts'

import { type JobPayload, JOBS } from './contract.ts'

/** compliance.campaign_send on the `notices` queue; its schema, options and key are in contract.ts. */
export const job = JOBS['compliance.campaign_send']

// SCAFFOLD (being built by the campaigns helper).
export async function process(_db: DB, payload: JobPayload<'compliance.campaign_send'>) {
  throw new Error(`compliance.campaign_send ${payload.campaignId}: not built yet`)
}
