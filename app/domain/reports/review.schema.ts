import { z } from 'zod'

/** Forms of HR's report review, learners' disputes and HR's decisions on them. Messages are catalog keys. */
const required = () => z.string({ required_error: 'err.required' }).trim().min(1, 'err.required')
const reason = () => required().max(500, 'err.tooLong')
const id = z
  .string({ required_error: 'err.required' })
  .regex(/^[1-9]\d{0,17}$/, 'err.choice')
  .transform(Number)
const hours = z
  .string()
  .trim()
  .refine((v) => v === '' || (/^\d{1,3}(\.\d{1,2})?$/.test(v) && Number(v) > 0), 'err.review.hours')

export const ReportReviewSchema = z.discriminatedUnion(
  'intent',
  [z.object({ intent: z.literal('accept') }), z.object({ intent: z.literal('return'), reason: reason() })],
  { errorMap: () => ({ message: 'err.choice' }) },
)

export const DisputeSchema = z
  .object({
    entryId: id,
    kind: z.enum(['not_me', 'wrong_hours'], { errorMap: () => ({ message: 'err.choice' }) }),
    claimedHours: hours.optional().default(''),
    note: z.string().trim().max(500, 'err.tooLong').optional().default(''),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'wrong_hours' && v.claimedHours === '')
      ctx.addIssue({ code: 'custom', path: ['claimedHours'], message: 'err.review.claimedRequired' })
  })

export const DisputeDecisionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('uphold'), disputeId: id, reason: reason(), correctedHours: hours.optional().default('') }),
    z.object({ intent: z.literal('dismiss'), disputeId: id, reason: reason() }),
  ],
  { errorMap: () => ({ message: 'err.choice' }) },
)

export const LegacyImportActionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('commit'), mode: z.enum(['all', 'valid_only'], { errorMap: () => ({ message: 'err.choice' }) }) }),
    z.object({ intent: z.literal('discard') }),
  ],
  { errorMap: () => ({ message: 'err.choice' }) },
)
