import { z } from 'zod'

import { MAX_REASON } from './checkin.ts'

const id = z
  .string({ required_error: 'err.required' })
  .trim()
  .regex(/^\d{1,12}$/, 'err.choice')
  .transform(Number)

/** Host staff mark one person's attendance of one block, with a reason (the roster on /base/seminars/:seminarId). */
export const MarkAttendanceSchema = z.object({
  intent: z.literal('mark'),
  blockId: id,
  personId: id,
  attended: z.enum(['yes', 'no'], { required_error: 'err.required', invalid_type_error: 'err.choice' }).transform((v) => v === 'yes'),
  reason: z
    .string({ required_error: 'seminarHost.code.reason_required' })
    .trim()
    .min(1, 'seminarHost.code.reason_required')
    .refine((v) => [...v].length <= MAX_REASON, 'seminarHost.code.reason_too_long'),
})
export type MarkAttendanceInput = z.infer<typeof MarkAttendanceSchema>

/** Which code the venue screen shows. */
export const DirectionSchema = z.enum(['in', 'out'])
