import { z } from 'zod'

import { isHours } from '#app/domain/shared/decimal.ts'

export const SORTS = ['newest', 'hours', 'title'] as const
export type CatalogSort = (typeof SORTS)[number]

export type CatalogQuery = {
  q?: string
  category?: 'public' | 'professional'
  series?: string
  /** Inclusive bounds, hours values such as "2" or "1.5". */
  minHours?: string
  maxHours?: string
  sort?: CatalogSort
}

const hoursParam = z
  .string()
  .trim()
  .refine((v) => isHours(v) && !v.startsWith('-'))

/** Each catalog query parameter on its own: a bad value is ignored rather than failing the page. */
const PARAMS = {
  q: z.string().trim().min(1).max(50),
  category: z.enum(['public', 'professional']),
  series: z.string().regex(/^[a-z_]+$/),
  min: hoursParam,
  max: hoursParam,
  sort: z.enum(SORTS),
}

/** The catalog's query from /courses?q=&category=&series=&min=&max=&sort= (linkable). */
export function parseCatalogQuery(params: URLSearchParams): CatalogQuery {
  const get = <T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, name: string): T | undefined => {
    const r = schema.safeParse(params.get(name) ?? undefined)
    return r.success ? r.data : undefined
  }
  return {
    q: get(PARAMS.q, 'q'),
    category: get(PARAMS.category, 'category'),
    series: get(PARAMS.series, 'series'),
    minHours: get(PARAMS.min, 'min'),
    maxHours: get(PARAMS.max, 'max'),
    sort: get(PARAMS.sort, 'sort') ?? 'newest',
  }
}

/**
 * A quiz submission: the attempt it answers and one answer per question, named `q:<question id>`.
 * Which answers are missing or invalid is judged by `readAnswers` against the attempt's layout.
 */
export const QuizSubmitSchema = z
  .object({
    attemptId: z
      .string()
      .regex(/^[1-9]\d{0,15}$/)
      .transform(Number),
  })
  .catchall(z.unknown())
  .transform(({ attemptId, ...rest }) => ({
    attemptId,
    answers: Object.fromEntries(Object.entries(rest).flatMap(([k, v]) => (k.startsWith('q:') ? [[k.slice(2), v]] : []))),
  }))
