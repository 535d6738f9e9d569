import { z } from 'zod'

/** Longest reason HR may give for a decision (the form's and the domain's limit). */
export const REASON_MAX = 500

const registrationId = z
  .string({ required_error: 'err.required' })
  .trim()
  .regex(/^\d{1,12}$/, 'err.choice')
  .transform(Number)

/** HR's decision on one registration awaiting approval; a rejection needs a reason (the person sees it). */
export const ApprovalDecisionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('approve'), registrationId }),
  z.object({
    intent: z.literal('reject'),
    registrationId,
    reason: z
      .string({ required_error: 'seminarApproval.code.reason_required' })
      .trim()
      .min(1, 'seminarApproval.code.reason_required')
      .max(REASON_MAX, 'err.tooLong'),
  }),
])
