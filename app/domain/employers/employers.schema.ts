import { z } from 'zod'

import { parseCreditCode } from '#app/domain/shared/id-number.ts'
import { REGION_CODES } from '#app/domain/shared/reference.ts'

import { normaliseEmployerName } from './names.ts'

/**
 * An employer (工作单位) as an admin creates it, one schema for the form (Conform) and the domain.
 * Messages are catalog keys, worded where they are shown. The credit code (统一社会信用代码) is
 * optional; when given it must pass the GB 32100-2015 check, as a training base's must.
 */
export const EMPLOYER_NAME_MAX = 200

export const EmployerInputSchema = z.object({
  name: z
    .string({ required_error: 'employers.err.name' })
    .trim()
    .min(1, 'employers.err.name')
    .max(EMPLOYER_NAME_MAX, 'employers.err.nameLong')
    // Only invisible characters: nothing left to match on.
    .refine((v) => normaliseEmployerName(v) !== '', 'employers.err.name'),
  creditCode: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return null
      const r = parseCreditCode(v)
      if (r.ok) return r.value
      ctx.addIssue({ code: 'custom', message: `err.creditCode.${r.problem}` })
      return z.NEVER
    }),
  region: z.string({ required_error: 'employers.err.region' }).refine((v) => REGION_CODES.includes(v), 'employers.err.region'),
})
export type EmployerInput = z.input<typeof EmployerInputSchema>

/** The admin page's forms: create an employer, or run the matching over everyone again. */
export const EmployerActionSchema = z.discriminatedUnion('intent', [
  EmployerInputSchema.extend({ intent: z.literal('create') }),
  z.object({ intent: z.literal('match-all') }),
])

/** The list's search (GET): a region and a part of the name or a credit code; anything else is dropped. */
export const EmployerSearchSchema = z.object({
  region: z
    .string()
    .optional()
    .transform((v) => (v && REGION_CODES.includes(v) ? v : undefined)),
  q: z
    .string()
    .optional()
    .transform((v) => v?.trim().slice(0, 100) || undefined),
})

/** Field errors as `{ creditCode: ['err.creditCode.checksum'] }`, the shape `submission.reply({ fieldErrors })` takes. */
export function employerFieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const i of error.issues) (out[i.path.join('.') || '_'] ??= []).push(i.message)
  return out
}
