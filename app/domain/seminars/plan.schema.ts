import { z } from 'zod'

import { DELIVERY_FIELDS } from '#app/domain/reports/activities.schema.ts'
import { PROVINCE, REGION_CODES, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { isIsoDate } from '#app/domain/shared/working-days.ts'

/**
 * A province admin puts a seminar into the year's plan (strings as the form sends them). Days are
 * China calendar days: registration opens at 00:00 of its first day and closes at 24:00 of its
 * last, a seat may be given back until 24:00 of `cancelUntil`, and scoped quotas are released to
 * everyone at 00:00 of `releaseOn`. Rules that need policy data, the host base or the database
 * are checked by `createSeminar`.
 */
const required = (max: number) => z.string({ required_error: 'err.required' }).trim().min(1, 'err.required').max(max, 'err.tooLong')
const day = z
  .string({ required_error: 'err.required' })
  .trim()
  .refine((v) => isIsoDate(v), 'reportCode.bad_date')
const optionalDay = z
  .string()
  .trim()
  .default('')
  .refine((v) => v === '' || isIsoDate(v), 'reportCode.bad_date')
const codes = (allowed: readonly string[]) =>
  z
    .array(z.string())
    .or(z.string().transform((v) => [v]))
    .default([])
    .refine((v) => v.every((s) => allowed.includes(s)), 'err.choice')
const quotaScope = z.string().trim().default('')
const quotaSize = z.string().trim().default('')

export const SERIES_CODES = TITLE_SERIES.map((s) => s.code)
export const LEVEL_CODES = TITLE_LEVELS.map((l) => l.code)
/** Regions an eligibility rule may name: the whole province (220000) or one of its 市州. */
export const ELIGIBLE_REGIONS = [PROVINCE.code, ...REGION_CODES]
/** How many quota rows the create form offers (more can be added later by editing). */
export const QUOTA_ROWS = [1, 2, 3, 4] as const

export const SeminarSchema = z
  .object({
    level: z.enum(['national', 'provincial'], { errorMap: () => ({ message: 'err.choice' }) }),
    hostBaseId: z
      .string({ required_error: 'err.required' })
      .trim()
      .regex(/^\d{1,12}$/, 'err.choice')
      .transform(Number),
    title: required(200),
    category: z.enum(['professional', 'public'], { errorMap: () => ({ message: 'err.choice' }) }),
    titleSeries: codes(SERIES_CODES).refine((v) => v.length > 0, 'reportCode.series_required'),
    ...DELIVERY_FIELDS,
    capacity: z
      .string({ required_error: 'err.required' })
      .trim()
      .regex(/^[1-9]\d{0,3}$/, 'seminars.err.capacity')
      .transform(Number),
    quota1Scope: quotaScope,
    quota1Size: quotaSize,
    quota2Scope: quotaScope,
    quota2Size: quotaSize,
    quota3Scope: quotaScope,
    quota3Size: quotaSize,
    quota4Scope: quotaScope,
    quota4Size: quotaSize,
    releaseOn: optionalDay,
    opensOn: day,
    closesOn: day,
    cancelUntil: day,
    waitlistMode: z.enum(['auto', 'offer'], { errorMap: () => ({ message: 'err.choice' }) }),
    offerHours: z
      .string()
      .trim()
      .default('')
      .refine((v) => v === '' || /^[1-9]\d{0,2}$/.test(v), 'seminars.err.offer_hours'),
    levels: codes(LEVEL_CODES),
    series: codes(SERIES_CODES),
    regions: codes(ELIGIBLE_REGIONS),
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (v.endDate < v.startDate) issue('endDate', 'reportCode.end_before_start')
    if (v.fullDays + v.halfDays < 1) issue('fullDays', 'reportCode.bad_days')
    if (v.closesOn < v.opensOn) issue('closesOn', 'seminars.err.closes_before_opens')
    else if (v.closesOn >= v.startDate) issue('closesOn', 'seminars.err.window_after_start')
    if (v.cancelUntil >= v.startDate) issue('cancelUntil', 'seminars.err.cutoff_after_start')
    for (const n of QUOTA_ROWS) {
      const scope = v[`quota${n}Scope`]
      const size = v[`quota${n}Size`]
      if (scope === '' && size === '') continue
      if (!/^(province:\d{2}|region:\d{6})$/.test(scope)) issue(`quota${n}Scope`, 'err.choice')
      if (!/^\d{1,4}$/.test(size)) issue(`quota${n}Size`, 'seminars.err.quota_size')
    }
  })
  .transform(({ quota1Scope, quota1Size, quota2Scope, quota2Size, quota3Scope, quota3Size, quota4Scope, quota4Size, ...rest }) => ({
    ...rest,
    quotas: [
      [quota1Scope, quota1Size],
      [quota2Scope, quota2Size],
      [quota3Scope, quota3Size],
      [quota4Scope, quota4Size],
    ]
      .filter(([scope]) => scope !== '')
      .map(([scope, size]) => ({ scope: scope!, size: Number(size) })),
  }))
export type SeminarInput = z.infer<typeof SeminarSchema>

/** Resizing one scoped quota of a seminar (the open pool follows: capacity minus the scoped quotas). */
export const QuotaSizeSchema = z.object({
  seminarId: z
    .string()
    .trim()
    .regex(/^\d{1,12}$/, 'err.choice')
    .transform(Number),
  scope: z
    .string()
    .trim()
    .regex(/^(province:\d{2}|region:\d{6})$/, 'err.choice'),
  size: z
    .string()
    .trim()
    .regex(/^\d{1,4}$/, 'seminars.err.quota_size')
    .transform(Number),
})

const registrationId = z
  .string({ required_error: 'err.required' })
  .trim()
  .regex(/^\d{1,12}$/, 'err.choice')
  .transform(Number)

/**
 * The buttons of a seminar's page. `key` is the idempotency key the page's loader chose for this
 * click (a double click or a resent form registers once).
 */
export const RegistrationIntentSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('register'),
    key: z.string({ required_error: 'err.required' }).regex(/^[A-Za-z0-9-]{16,64}$/, 'seminars.code.key_reused'),
  }),
  z.object({ intent: z.literal('cancel'), registrationId }),
  z.object({ intent: z.literal('accept'), registrationId }),
  z.object({ intent: z.literal('decline'), registrationId }),
])

/** Publishing a draft from the admin's plan. */
export const PublishSchema = z.object({ intent: z.literal('publish'), seminarId: registrationId })
