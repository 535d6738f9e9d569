import { readFileSync } from 'node:fs'
import path from 'node:path'

import { z } from 'zod'

import { isIsoDate, isWeekend } from '#app/domain/shared/working-days.ts'
import { singleton } from '#app/lib/singleton.server.ts'

/**
 * China's working-day calendar: for each year the State Council's holiday arrangement (dates off,
 * and weekend days made working days). Authored in content/calendar/cn-working-days.json from the
 * published notices; a year is added when its notice is out, never guessed. The arithmetic is pure
 * (app/domain/shared/working-days.ts); this module only reads and checks the file.
 */
const day = z.string().refine(isIsoDate, 'must be a real date such as "2026-01-01"')

export const WorkCalendarYearSchema = z
  .object({
    /** The notice's title and document number (e.g. 国办发明电〔2023〕7号). */
    source: z.string().min(1),
    $comment: z.string().optional(),
    holidays: z.array(day),
    workdays: z.array(day),
  })
  .strict()

export const WorkCalendarFileSchema = z
  .object({
    $comment: z.string().optional(),
    years: z.record(z.string().regex(/^\d{4}$/, 'must be a year such as "2026"'), WorkCalendarYearSchema),
  })
  .strict()
  .superRefine((f, ctx) => {
    for (const [year, entry] of Object.entries(f.years)) {
      const check = (list: 'holidays' | 'workdays') => {
        const seen = new Set<string>()
        entry[list].forEach((d, i) => {
          const at = ['years', year, list, i]
          if (seen.has(d)) ctx.addIssue({ code: 'custom', path: at, message: `${d} is listed twice` })
          seen.add(d)
          // Lookups go by the date's own year, so a date filed under another year would be ignored.
          if (!d.startsWith(`${year}-`)) ctx.addIssue({ code: 'custom', path: at, message: `${d} is not in ${year}` })
        })
      }
      check('holidays')
      check('workdays')
      const holidays = new Set(entry.holidays)
      entry.workdays.forEach((d, i) => {
        const at = ['years', year, 'workdays', i]
        if (holidays.has(d)) ctx.addIssue({ code: 'custom', path: at, message: `${d} is both a holiday and a make-up working day` })
        else if (isIsoDate(d) && !isWeekend(d))
          ctx.addIssue({ code: 'custom', path: at, message: `${d} is a weekday: only a Saturday or Sunday can be a make-up working day` })
      })
    }
  })
export type WorkCalendarFile = z.infer<typeof WorkCalendarFileSchema>

export class WorkCalendarFileError extends Error {}

export const WORK_CALENDAR_FILE = path.join(process.cwd(), 'content', 'calendar', 'cn-working-days.json')

/** Reads and validates the file; a bad file is refused naming the field. */
export function loadWorkCalendar(file = WORK_CALENDAR_FILE): WorkCalendarFile {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new WorkCalendarFileError(`${file}: not valid JSON (${(e as Error).message})`)
  }
  const parsed = WorkCalendarFileSchema.safeParse(json)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`)
    throw new WorkCalendarFileError(`${file}: ${problems.join('; ')}`)
  }
  return parsed.data
}

/** The calendar, read once per process (it changes with a deploy, never at run time; ADR 0013 singleton). */
export function workCalendar(): WorkCalendarFile {
  return singleton('work-calendar', () => loadWorkCalendar())
}
