import { z } from 'zod'

import { isIsoDate } from './external-claims.ts'

/** Input schemas for external claims. Messages are catalog keys (app/lib/i18n.ts). */
const required = () => z.string({ required_error: 'err.required' }).trim().min(1, 'err.required')
const category = z.enum(['professional', 'public'], { errorMap: () => ({ message: 'err.choice' }) })
const id = z
  .string({ required_error: 'err.required' })
  .regex(/^[1-9]\d{0,17}$/, 'err.choice')
  .transform(Number)

export const ClaimFieldsSchema = z.object({
  activity: required().regex(/^[a-z_]+$/, 'err.choice'),
  title: required().max(200, 'err.tooLong'),
  category,
  // Units of the activity (days, half days or hours): positive, at most one decimal place.
  units: required().refine((v) => /^\d{1,3}(\.\d)?$/.test(v) && Number(v) > 0, 'err.claim.units'),
  occurredOn: required().refine(isIsoDate, 'err.claim.date'),
})
export type ClaimFields = z.infer<typeof ClaimFieldsSchema>

export const ClaimDecisionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('approve'), claimId: id }),
    z.object({ intent: z.literal('reject'), claimId: id, reason: required().max(500, 'err.tooLong') }),
  ],
  { errorMap: () => ({ message: 'err.choice' }) },
)
export type ClaimDecision = z.infer<typeof ClaimDecisionSchema>
