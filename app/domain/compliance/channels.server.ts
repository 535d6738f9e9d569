import { sql, type Transaction } from 'kysely'

import type { Database } from '#db/schema.ts'

import { REMINDER_KIND } from './campaigns.schema.ts'

/**
 * How a reminder campaign reaches people: one channel per campaign (compliance_campaigns.channel).
 * The shape follows the SMS channel of password reset (app/lib/sms.server.ts: a `kind` and a
 * send), but a campaign channel works on a batch inside the campaign's transaction, so recording
 * who was reached and reaching them commit together. Only `in_app` exists now; an SMS channel would
 * be one more adapter here, sending through `smsChannel()` to each person's account phone.
 */
export type CampaignMessage = { campaignId: number; title: string; message: string; year: number }

export interface CampaignChannel {
  readonly kind: 'in_app'
  /**
   * Reaches these people with the message, at most once per person and campaign whatever the
   * retries; answers the notice id (or other delivery reference) of every person reached, including
   * those reached by an earlier or concurrent run.
   */
  deliver(trx: Transaction<Database>, message: CampaignMessage, personIds: readonly number[]): Promise<Map<number, number>>
}

export function reminderDedupeKey(campaignId: number, personId: number): string {
  return `campaign:${campaignId}:${personId}`
}

/**
 * In-app notices (the learner's /account page). `notices.dedupe_key` is unique, so two runs of the
 * same batch insert one notice per person: the second waits for the first's row and does nothing.
 */
export const inAppChannel: CampaignChannel = {
  kind: 'in_app',
  async deliver(trx, message, personIds) {
    const out = new Map<number, number>()
    if (personIds.length === 0) return out
    const params = JSON.stringify(message)
    await trx
      .insertInto('notices')
      .values(
        personIds.map((personId) => ({
          person_id: personId,
          kind: REMINDER_KIND,
          dedupe_key: reminderDedupeKey(message.campaignId, personId),
          params,
        })),
      )
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute()
    const keys = personIds.map((p) => reminderDedupeKey(message.campaignId, p))
    const rows = await trx
      .selectFrom('notices')
      .select(['id', 'person_id'])
      .where('dedupe_key', '=', sql<string>`any(${keys}::text[])`)
      .execute()
    for (const r of rows) out.set(Number(r.person_id), Number(r.id))
    return out
  },
}

export function campaignChannel(kind: string): CampaignChannel | null {
  return kind === inAppChannel.kind ? inAppChannel : null
}
