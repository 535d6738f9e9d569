import { z } from 'zod'

/** The host's post-event package form: the summary (the statistics are assembled by the platform). */
export const PackageSubmitSchema = z.object({
  intent: z.literal('submit'),
  summary: z
    .string({ required_error: 'seminarPackage.code.summary_required' })
    .trim()
    .min(1, 'seminarPackage.code.summary_required')
    .max(5000, 'seminarPackage.code.summary_too_long'),
})
