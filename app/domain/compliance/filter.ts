import { z } from 'zod'

import { REGION_CODES, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'

/**
 * Which people a compliance figure, list, campaign or export is about: one shape for all four
 * (pure, safe in the browser). `year` is a CE year for met/short, and says which year's list an
 * application-readiness status (`not_ready`, `ready`: next year's title application) is shown with.
 * A value that is not a known code is refused (the message key is the issue's code).
 */
/** Marks counted exactly up to this many; more reads as "more than" (freshness). */
export const BACKLOG_CAP = 10_000

/** What the dashboard breaks figures down by. */
export const DIMENSIONS = ['region', 'employer', 'series', 'level'] as const
export type Dimension = (typeof DIMENSIONS)[number]

export const STATUSES = ['all', 'short', 'met', 'not_ready', 'ready'] as const
export type ComplianceStatus = (typeof STATUSES)[number]

const code = (list: readonly string[], message: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || list.includes(v), { message })

export const ComplianceFilterSchema = z.object({
  year: z.coerce.number({ invalid_type_error: 'bad_year' }).int('bad_year').min(2000, 'bad_year').max(2100, 'bad_year'),
  status: z.enum(STATUSES, { errorMap: () => ({ message: 'bad_status' }) }).default('short'),
  region: code(REGION_CODES, 'bad_region'),
  employer: z
    .union([z.literal(''), z.coerce.number().int('bad_employer').positive('bad_employer')])
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  series: code(
    TITLE_SERIES.map((s) => s.code),
    'bad_series',
  ),
  level: code(
    TITLE_LEVELS.map((l) => l.code),
    'bad_level',
  ),
  /** Only people with an integrity record (诚信档案) in force when next year begins. */
  integrity: z.enum(['any', 'in_force'], { errorMap: () => ({ message: 'bad_integrity' }) }).default('any'),
})
export type ComplianceFilter = z.infer<typeof ComplianceFilterSchema>

/** Reads a filter from a query string (or a stored JSON object); `year` defaults to `defaultYear`. */
export function parseFilter(
  input: URLSearchParams | Record<string, unknown>,
  defaultYear: number,
): { ok: true; filter: ComplianceFilter } | { ok: false; problems: string[] } {
  const raw: Record<string, unknown> = input instanceof URLSearchParams ? Object.fromEntries(input) : { ...input }
  if (raw.year === undefined || raw.year === '') raw.year = defaultYear
  const r = ComplianceFilterSchema.safeParse(raw)
  if (r.success) return { ok: true, filter: r.data }
  return { ok: false, problems: [...new Set(r.error.issues.map((i) => i.message))] }
}

/** The filter as query-string pairs (defaults left out), for links and stored campaigns. */
export function filterToParams(f: ComplianceFilter): URLSearchParams {
  const p = new URLSearchParams({ year: String(f.year), status: f.status })
  if (f.region) p.set('region', f.region)
  if (f.employer) p.set('employer', String(f.employer))
  if (f.series) p.set('series', f.series)
  if (f.level) p.set('level', f.level)
  if (f.integrity !== 'any') p.set('integrity', f.integrity)
  return p
}
