import { z } from 'zod'

import { ComplianceFilterSchema } from './filter.ts'

/**
 * A reminder campaign's words (pure, safe in the browser). Messages are catalog keys of the
 * complianceCampaigns area; the filter is `ComplianceFilterSchema` (filter.ts), whose codes
 * (`bad_year`, …) the route maps to this area's keys.
 */
/** The notice kind of a campaign's in-app notice (the learner's page renders it specially). */
export const REMINDER_KIND = 'compliance.reminder'

export const TITLE_MAX = 60
export const MESSAGE_MAX = 500

export const CampaignTextSchema = z.object({
  title: z
    .string({ required_error: 'complianceCampaigns.err.title_required' })
    .trim()
    .min(1, 'complianceCampaigns.err.title_required')
    .max(TITLE_MAX, 'complianceCampaigns.err.title_too_long'),
  message: z
    .string({ required_error: 'complianceCampaigns.err.message_required' })
    .trim()
    .min(1, 'complianceCampaigns.err.message_required')
    .max(MESSAGE_MAX, 'complianceCampaigns.err.message_too_long'),
})
export type CampaignText = z.infer<typeof CampaignTextSchema>

/** The campaign page's one button. */
export const CampaignActionSchema = z.discriminatedUnion('intent', [z.object({ intent: z.literal('send') })])

/** The new-campaign form: who (the one filter shape) and what they read. */
export const NewCampaignSchema = ComplianceFilterSchema.merge(CampaignTextSchema)
