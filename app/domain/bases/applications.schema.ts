import { z } from 'zod'

import { parseCreditCode, parseMobile } from '#app/domain/shared/id-number.ts'
import { REGION_CODES, TITLE_SERIES } from '#app/domain/shared/reference.ts'

/**
 * The application form of an institution (继续教育基地申请), one schema for the form (Conform) and
 * the domain. Messages are keys (`err.base.*`), worded at the edge.
 */
const text = (max: number) => z.string().trim().min(1, 'err.required').max(max, 'err.tooLong')
const count = z.coerce.number().int('err.base.count').min(0, 'err.base.count').max(100_000, 'err.base.count')

export const FacultySchema = z.object({ name: text(50), title: text(50), field: text(100) })
export const CourseSchema = z.object({
  title: text(200),
  category: z.enum(['public', 'professional']),
  hours: z.coerce.number().positive('err.base.hours').max(1000, 'err.base.hours'),
})

export const ApplicationInputSchema = z.object({
  institutionName: text(200),
  creditCode: z.string().transform((v, ctx) => {
    const r = parseCreditCode(v)
    if (r.ok) return r.value
    ctx.addIssue({ code: 'custom', message: `err.creditCode.${r.problem}` })
    return z.NEVER
  }),
  regionCode: z.string().refine((v) => REGION_CODES.includes(v), 'err.base.region'),
  trainingFields: z
    .array(z.string().refine((v) => TITLE_SERIES.some((t) => t.code === v), 'err.base.field'))
    .min(1, 'err.base.fieldsRequired')
    .max(TITLE_SERIES.length)
    .transform((a) => [...new Set(a)]),
  classrooms: count,
  seats: count,
  onlinePlatform: z.boolean(),
  faculty: z.array(FacultySchema).min(1, 'err.base.facultyRequired').max(500),
  courses: z.array(CourseSchema).min(1, 'err.base.coursesRequired').max(500),
  contact: z.object({
    name: text(50),
    phone: z.string().transform((v, ctx) => parseMobile(v) ?? (ctx.addIssue({ code: 'custom', message: 'err.phone' }), z.NEVER)),
    email: z.string().trim().email('err.base.email').max(200).optional(),
  }),
})
export type ApplicationInput = z.input<typeof ApplicationInputSchema>
export type ApplicationData = z.output<typeof ApplicationInputSchema>

/** Field errors as `{ 'contact.phone': ['err.phone'] }`, the shape `submission.reply({ fieldErrors })` takes. */
export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const i of error.issues) (out[i.path.join('.') || '_'] ??= []).push(i.message)
  return out
}
