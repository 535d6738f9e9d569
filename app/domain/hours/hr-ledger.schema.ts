import { z } from 'zod'

import { idNumberField } from '#app/domain/identity/accounts.schema.ts'
import { isHours, toCents } from '#app/domain/shared/decimal.ts'

/** Input schemas for HR's ledger tools. Messages are catalog keys (app/lib/i18n.ts). */
const required = () => z.string({ required_error: 'err.required' }).trim().min(1, 'err.required')
const id = z
  .string({ required_error: 'err.required' })
  .regex(/^[1-9]\d{0,17}$/, 'err.choice')
  .transform(Number)

export const PersonSearchSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('search-id'), idNumber: idNumberField }),
    z.object({ intent: z.literal('search-name'), name: required().max(30, 'err.name'), employer: required().max(100, 'err.tooLong') }),
  ],
  { errorMap: () => ({ message: 'err.choice' }) },
)
export type PersonSearchInput = z.infer<typeof PersonSearchSchema>

/** Hours an officer may add: more than 0, at most 999.99, at most two decimal places. */
export const adjustmentHours = required().superRefine((v, ctx) => {
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(v) || !isHours(v)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'err.hours.format' })
  else if (toCents(v) <= 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'err.hours.positive' })
})

export const AdjustmentSchema = z.object({
  intent: z.literal('adjust'),
  category: z.enum(['professional', 'public'], { errorMap: () => ({ message: 'err.choice' }) }),
  hours: adjustmentHours,
  year: z
    .string({ required_error: 'err.required' })
    .regex(/^\d{4}$/, 'err.adjust.year')
    .transform(Number),
  reason: required().max(500, 'err.tooLong'),
  // One random value per rendered form (from the loader): a double submit is one entry.
  nonce: z.string({ required_error: 'err.form' }).regex(/^[A-Za-z0-9_-]{16,64}$/, 'err.form'),
})
export type AdjustmentInput = z.infer<typeof AdjustmentSchema>

export const ReverseSchema = z.object({
  intent: z.literal('reverse'),
  entryId: id,
  reason: required().max(500, 'err.tooLong'),
})
export type ReverseInput = z.infer<typeof ReverseSchema>

/** The person page's two forms: an adjustment, or the reversal of one entry. */
export const PersonLedgerActionSchema = z.discriminatedUnion('intent', [AdjustmentSchema, ReverseSchema], {
  errorMap: () => ({ message: 'err.choice' }),
})
