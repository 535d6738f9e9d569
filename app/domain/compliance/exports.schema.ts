import { z } from 'zod'

/**
 * The forms of compliance exports (pure, safe in the browser): asking for an export of the people
 * behind a filter, and the admin's grant of the full-ID permission on /admin/staff.
 */
export const EXPORT_FORMATS = ['xlsx', 'csv'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** The filter's fields as an export form carries them (hidden inputs copied from the list's query string). */
export const FILTER_FIELDS = ['year', 'status', 'region', 'employer', 'series', 'level', 'integrity'] as const

const filterField = z.string().max(40).optional()

/** An export request; the filter fields are checked afterwards by `parseFilter` (one filter shape). */
export const ExportRequestSchema = z.object({
  format: z.enum(EXPORT_FORMATS, { errorMap: () => ({ message: 'complianceExports.err.format' }) }),
  fullIds: z.boolean().default(false),
  year: filterField,
  status: filterField,
  region: filterField,
  employer: filterField,
  series: filterField,
  level: filterField,
  integrity: filterField,
})
export type ExportRequestInput = z.infer<typeof ExportRequestSchema>

/** Admin: grant or take back "may export full ID numbers" for an HR account. */
export const FullIdPermissionSchema = z.object({
  intent: z.enum(['grant-full-ids', 'revoke-full-ids']),
  accountId: z
    .string()
    .regex(/^[1-9]\d{0,15}$/)
    .transform(Number),
})
