import { z } from 'zod'

import { isHours } from '#app/domain/shared/decimal.ts'
import { TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { isIsoDate } from '#app/domain/shared/working-days.ts'

/**
 * Declaring a training activity (strings as a form sends them). The rules that need policy data
 * (hours per day, the deadline) or the base's status are checked by `declareActivity`.
 */
const SERIES = new Set(TITLE_SERIES.map((s) => s.code))
const required = (max: number) => z.string({ required_error: 'err.required' }).trim().min(1, 'err.required').max(max, 'err.tooLong')
const day = z
  .string({ required_error: 'err.required' })
  .trim()
  .refine((v) => isIsoDate(v), 'reportCode.bad_date')
const count = z
  .string()
  .trim()
  .regex(/^\d{1,3}$/, 'reportCode.bad_days')
  .transform(Number)

/**
 * The fields of anything delivered on dates (a base's training activity, a seminar): the dates,
 * full and half days, declared hours and venue. The per-day hours limit needs policy data and is
 * checked by the domain (`maxDeclaredHours`).
 */
export const DELIVERY_FIELDS = {
  startDate: day,
  endDate: day,
  fullDays: count.default('0'),
  halfDays: count.default('0'),
  declaredHours: z
    .string({ required_error: 'err.required' })
    .trim()
    .refine((v) => isHours(v) && Number(v) > 0, 'reportCode.bad_hours'),
  venue: required(200),
}

export const ActivitySchema = z
  .object({
    title: required(200),
    category: z.enum(['professional', 'public'], { errorMap: () => ({ message: 'err.choice' }) }),
    mode: z.enum(['face_to_face', 'online', 'blended'], { errorMap: () => ({ message: 'err.choice' }) }),
    titleSeries: z
      .array(z.string())
      .or(z.string().transform((v) => [v]))
      .default([])
      .refine((v) => v.length > 0, 'reportCode.series_required')
      .refine((v) => v.every((s) => SERIES.has(s)), 'err.choice'),
    ...DELIVERY_FIELDS,
  })
  .superRefine((v, ctx) => {
    if (v.endDate < v.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'reportCode.end_before_start' })
    if (v.fullDays + v.halfDays < 1) ctx.addIssue({ code: 'custom', path: ['fullDays'], message: 'reportCode.bad_days' })
  })
export type ActivityInput = z.infer<typeof ActivitySchema>
