import { z } from 'zod'

/**
 * The forms of the HR, province and base-workspace pages on the lifecycle (strings as a form
 * sends them; the lifecycle checks dates, reasons and numbers and answers with its codes).
 */
const id = z
  .string()
  .regex(/^\d{1,9}$/, 'err.required')
  .transform(Number)
const text = (max: number) => z.string().trim().max(max, 'err.tooLong')
const required = (max: number) => z.string().trim().min(1, 'err.required').max(max, 'err.tooLong')
const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'baseCode.bad_date')

/** The province's decision on one application (the lifecycle checks the number, the date and the reason). */
const approval = { decisionNumber: text(100).default(''), noticeStart: day }
const rejection = { reason: required(1000) }

/**
 * HR reviewing one application: return (a reason for at least one section) or forward; HR of the
 * province also approves or rejects a forwarded one (the lifecycle refuses anyone else).
 */
export const ReviewSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('approve'), ...approval }),
  z.object({ intent: z.literal('reject'), ...rejection }),
  z.object({ intent: z.literal('forward') }),
  z.object({
    intent: z.literal('return'),
    institution: text(1000).optional(),
    fields: text(1000).optional(),
    capacity: text(1000).optional(),
    faculty: text(1000).optional(),
    courses: text(1000).optional(),
    contact: text(1000).optional(),
    materials: text(1000).optional(),
  }),
])

/**
 * HR (or the province) on one base: open a rectification case, pass it, or revoke the base; HR of
 * the province also designates a base whose notice is over.
 */
export const BaseActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('designate') }),
  z.object({
    intent: z.literal('open'),
    deadline: day,
    capacity: text(2000).optional(),
    faculty: text(2000).optional(),
    courses_materials: text(2000).optional(),
    training_delivered: text(2000).optional(),
    quality_satisfaction: text(2000).optional(),
    supervision_compliance: text(2000).optional(),
  }),
  z.object({ intent: z.literal('pass'), reason: text(1000).optional() }),
  z.object({
    intent: z.literal('revoke'),
    reason: required(1000),
    documentNumber: text(100).default(''),
    effectiveOn: day,
  }),
])

/** The areas findings are recorded under (the evaluation template's indicators). */
export const FINDING_AREAS = [
  'capacity',
  'faculty',
  'courses_materials',
  'training_delivered',
  'quality_satisfaction',
  'supervision_compliance',
] as const

/** The province deciding: approve, reject, designate one base, or every base due. */
export const ProvinceSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('approve'), applicationId: id, ...approval }),
  z.object({ intent: z.literal('reject'), applicationId: id, ...rejection }),
  z.object({ intent: z.literal('designate'), baseId: id }),
  z.object({ intent: z.literal('designate-due') }),
])

/** The base answering its open rectification case (the evidence file is read apart). */
export const AnswerSchema = z.object({ answer: required(20_000) })
