import { z } from 'zod'

import { parseIdNumber, parseMobile } from '#app/domain/shared/id-number.ts'
import { HR_SCOPE_CODES, REGION_CODES, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'

/**
 * Input schemas for accounts. Messages are catalog keys (app/lib/i18n.ts), translated where they
 * are shown, so one schema serves both languages.
 */
const required = (key = 'err.required') => z.string({ required_error: key }).trim().min(1, key)

export const idNumberField = z.string({ required_error: 'err.required' }).transform((v, ctx) => {
  const r = parseIdNumber(v)
  if (!r.ok) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: r.problem === 'empty' ? 'err.required' : `err.idNumber.${r.problem}` })
    return z.NEVER
  }
  return r.id
})

export const mobileField = z.string({ required_error: 'err.required' }).transform((v, ctx) => {
  if (v.trim() === '') {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'err.required' })
    return z.NEVER
  }
  const m = parseMobile(v)
  if (!m) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'err.phone' })
    return z.NEVER
  }
  return m
})

export const PASSWORD_MIN = 8
export const passwordField = z
  .string({ required_error: 'err.required' })
  .min(PASSWORD_MIN, 'err.password.short')
  .max(128, 'err.password.long')
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), 'err.password.weak')

const oneOf = (codes: readonly string[]) => required().refine((v) => codes.includes(v), 'err.choice')

const personFields = {
  name: required()
    .max(30, 'err.name')
    .refine((v) => /^[\p{Script=Han}A-Za-z·・. ]+$/u.test(v), 'err.name'),
  idNumber: idNumberField,
  phone: mobileField,
  employer: required().max(100, 'err.tooLong'),
  region: oneOf(REGION_CODES),
  titleSeries: oneOf(TITLE_SERIES.map((s) => s.code)),
  titleLevel: oneOf(TITLE_LEVELS.map((l) => l.code)),
  titleYear: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null
      const n = Number(v)
      if (!Number.isInteger(n) || n < 1950 || n > new Date().getFullYear()) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'err.titleYear' })
        return z.NEVER
      }
      return n
    }),
}

function titleYearConsistent<T extends { titleLevel: string; titleYear: number | null }>(v: T, ctx: z.RefinementCtx) {
  if (v.titleLevel !== 'none' && v.titleYear === null) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['titleYear'], message: 'err.titleYear.required' })
  }
}

export const RegistrationSchema = z
  .object({ ...personFields, password: passwordField, passwordConfirm: z.string({ required_error: 'err.required' }) })
  .superRefine((v, ctx) => {
    if (v.password !== v.passwordConfirm) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['passwordConfirm'], message: 'err.password.mismatch' })
    }
    titleYearConsistent(v, ctx)
    // No one holds a title from before (or in) the year they were born: the ID number says when.
    // (The ID number may have failed its own check: zod still runs this refinement, with no value.)
    const birthYear = Number(v.idNumber?.birthDate?.slice(0, 4))
    if (v.titleYear != null && birthYear && v.titleYear <= birthYear) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['titleYear'], message: 'err.titleYear.beforeBirth' })
    }
  })
export type RegistrationInput = z.infer<typeof RegistrationSchema>

export const LoginSchema = z.object({
  login: required(),
  password: z.string({ required_error: 'err.required' }).min(1, 'err.required'),
})

export const STAFF_ROLES = ['base_staff', 'hr', 'admin'] as const
const staffFields = z.object({
  name: personFields.name,
  idNumber: idNumberField,
  phone: mobileField,
  password: passwordField,
  role: z.enum(STAFF_ROLES, { errorMap: () => ({ message: 'err.choice' }) }),
  baseId: z.string().optional(),
  scopeRegion: z.string().optional(),
})

/** A base's staff belong to a base; HR officers have a region in scope. */
function staffBinding(v: { role?: string; baseId?: string; scopeRegion?: string }, ctx: z.RefinementCtx) {
  if (v.role === 'base_staff' && !(v.baseId && /^\d+$/.test(v.baseId))) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['baseId'], message: 'err.choice' })
  }
  if (v.role === 'hr' && !(v.scopeRegion && HR_SCOPE_CODES.includes(v.scopeRegion))) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['scopeRegion'], message: 'err.choice' })
  }
}

export const StaffSchema = staffFields.superRefine(staffBinding)
export type StaffInput = z.infer<typeof StaffSchema>

/** The staff page's forms (admin): create an account, or act on one (sign out everywhere, disable, enable). */
export const StaffActionSchema = z
  .discriminatedUnion('intent', [
    staffFields.extend({ intent: z.literal('create') }),
    z.object({
      intent: z.enum(['revoke', 'disable', 'enable']),
      accountId: z
        .string()
        .regex(/^[1-9]\d{0,15}$/)
        .transform(Number),
    }),
  ])
  .superRefine((v, ctx) => {
    if (v.intent === 'create') staffBinding(v, ctx)
  })

export type FieldErrors = Record<string, string>

/** First message key per field, for forms. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {}
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_form'
    if (!(key in out)) out[key] = issue.message
  }
  return out
}

function passwordsMatch(v: { password: string; passwordConfirm: string }, ctx: z.RefinementCtx) {
  if (v.password !== v.passwordConfirm) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['passwordConfirm'], message: 'err.password.mismatch' })
  }
}

/** Change password when signed in: the current one, the new one twice. */
export const ChangePasswordSchema = z
  .object({
    current: z.string({ required_error: 'err.required' }).min(1, 'err.required'),
    password: passwordField,
    passwordConfirm: z.string({ required_error: 'err.required' }),
  })
  .superRefine(passwordsMatch)

/** A forgotten password, step 1 (send a code) and step 2 (the code and a new password). */
export const ResetPasswordSchema = z
  .discriminatedUnion('intent', [
    z.object({ intent: z.literal('send'), login: required() }),
    z.object({
      intent: z.literal('reset'),
      login: required(),
      code: z
        .string({ required_error: 'err.required' })
        .trim()
        .regex(/^\d{6}$/, 'err.reset.codeFormat'),
      password: passwordField,
      passwordConfirm: z.string({ required_error: 'err.required' }),
    }),
  ])
  .superRefine((v, ctx) => {
    if (v.intent === 'reset') passwordsMatch(v, ctx)
  })

/** What a learner may change on /account. A title change waits for HR (title_changes). */
export const ProfileSchema = z
  .object({
    phone: mobileField,
    employer: personFields.employer,
    titleSeries: personFields.titleSeries,
    titleLevel: personFields.titleLevel,
    titleYear: personFields.titleYear,
  })
  .superRefine(titleYearConsistent)
export type ProfileInput = z.infer<typeof ProfileSchema>
