import { z } from 'zod'

import { parseCreditCode } from '#app/domain/shared/id-number.ts'
import { TITLE_SERIES } from '#app/domain/shared/reference.ts'

/**
 * A training base's public profile and its name-change request, one schema each for the form
 * (Conform) and the domain. Outputs are valid inputs again (the domain parses what the route
 * parsed); an empty optional field stays '' and is stored as null. Messages are catalog keys.
 */
const required = (max: number) => z.string().trim().min(1, 'err.required').max(max, 'err.tooLong')
const optional = (max: number) => z.string().trim().max(max, 'err.tooLong').default('')

export const INTRO_MAX = 2000

/** An absolute http(s) address: the only kind the public page links. */
export function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false
  try {
    const u = new URL(value)
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== ''
  } catch {
    return false
  }
}

/** A public phone: a landline with its area code, a mobile, or a 400 number (digits, spaces, dashes, brackets). */
function isPublicPhone(value: string): boolean {
  const digits = value.replace(/\D/g, '')
  return /^\+?[\d\s()-]+$/.test(value) && digits.length >= 7 && digits.length <= 15
}

export const ProfileSchema = z.object({
  intro: required(INTRO_MAX),
  address: required(200),
  website: optional(300).refine((v) => v === '' || isHttpUrl(v), 'err.baseProfile.website'),
  publicPhone: required(30).refine(isPublicPhone, 'err.baseProfile.phone'),
  // A form sends one checkbox as a string, several as an array, none as nothing.
  trainingFields: z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(z.string().refine((v) => TITLE_SERIES.some((t) => t.code === v), 'err.base.field'))
      .min(1, 'err.base.fieldsRequired')
      .max(TITLE_SERIES.length)
      .transform((a) => [...new Set(a)]),
  ),
})
export type ProfileInput = z.input<typeof ProfileSchema>
export type ProfileData = z.output<typeof ProfileSchema>

/** A request to change the name, the credit code, or both; the reason is for HR. */
export const NameChangeSchema = z.object({
  newName: optional(200),
  newCreditCode: z
    .string()
    .default('')
    .transform((v, ctx) => {
      if (v.trim() === '') return ''
      const r = parseCreditCode(v)
      if (r.ok) return r.value
      ctx.addIssue({ code: 'custom', message: `err.creditCode.${r.problem}` })
      return z.NEVER
    }),
  reason: required(1000),
})
export type NameChangeInput = z.input<typeof NameChangeSchema>

/** The base profile page's forms, one intent each. */
export const BaseProfileActionSchema = z.discriminatedUnion('intent', [
  ProfileSchema.extend({ intent: z.literal('profile') }),
  NameChangeSchema.extend({ intent: z.literal('rename') }),
  z.object({ intent: z.literal('withdraw') }),
])

const requestId = z
  .string()
  .regex(/^\d{1,9}$/, 'err.required')
  .transform(Number)

/** HR deciding the pending name change shown to them (by its id): a reason is required to reject. */
export const NameDecisionSchema = z.discriminatedUnion('decision', [
  z.object({ intent: z.literal('name-change'), requestId, decision: z.literal('approve'), reason: optional(1000) }),
  z.object({ intent: z.literal('name-change'), requestId, decision: z.literal('reject'), reason: required(1000) }),
])
