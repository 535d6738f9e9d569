import { deliverCampaign } from '#app/domain/compliance/campaigns.server.ts'
import type { DB } from '#db/schema.ts'

import { type JobPayload, JOBS } from './contract.ts'

/** compliance.campaign_send on the `notices` queue; its schema, options and key are in contract.ts. */
export const job = JOBS['compliance.campaign_send']

/**
 * Idempotent: one recipient row and one notice per person per campaign (keys), a retry resumes
 * after the last committed batch, a campaign already sent changes nothing. A missing or unsent
 * campaign answers its code (nothing to do, nothing to retry).
 */
export async function process(db: DB, payload: JobPayload<'compliance.campaign_send'>) {
  return deliverCampaign(db, payload.campaignId)
}
