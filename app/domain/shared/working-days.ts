/**
 * Working days in China: Monday to Friday, minus the public holidays, plus the weekend days the
 * State Council's yearly notice makes working days (调休上班). Pure: the calendar is passed in
 * (app/domain/policy/work-calendar.server.ts loads content/calendar/cn-working-days.json).
 *
 * Dates are China calendar days as 'YYYY-MM-DD' strings. The arithmetic runs on UTC midnights so
 * that neither the server's time zone nor a daylight-saving change can shift a day.
 *
 * A year without an entry (the notice for it is not out yet) is counted as plain Monday–Friday;
 * `addWorkingDays` names such years so the caller can say the deadline was computed without them.
 */
export type WorkCalendarYear = { holidays: string[]; workdays: string[] }
export type WorkCalendar = { years: Record<string, WorkCalendarYear> }

const DAY_MS = 86_400_000

/** Whether `s` is a real calendar day written 'YYYY-MM-DD' (2026-02-30 is not). */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const t = Date.parse(`${s}T00:00:00Z`)
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s
}

function toUtcMs(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`not a date: ${JSON.stringify(date)} (expected YYYY-MM-DD)`)
  return Date.parse(`${date}T00:00:00Z`)
}

const fromUtcMs = (t: number): string => new Date(t).toISOString().slice(0, 10)

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return new Date(toUtcMs(date)).getUTCDay()
}

/** The calendar day `n` days after `date` (negative: before). */
export function addDays(date: string, n: number): string {
  return fromUtcMs(toUtcMs(date) + n * DAY_MS)
}

export function isWeekend(date: string): boolean {
  const d = dayOfWeek(date)
  return d === 0 || d === 6
}

// Sets built once per year entry; a WeakMap keeps this pure and lets a replaced calendar go.
const indexCache = new WeakMap<WorkCalendarYear, { holidays: Set<string>; workdays: Set<string> }>()
function indexOf(entry: WorkCalendarYear) {
  let index = indexCache.get(entry)
  if (!index) {
    index = { holidays: new Set(entry.holidays), workdays: new Set(entry.workdays) }
    indexCache.set(entry, index)
  }
  return index
}

const yearOf = (date: string): number => Number(date.slice(0, 4))

/** Whether the calendar has the official arrangement for `year`. */
export function hasCalendarYear(cal: WorkCalendar, year: number): boolean {
  return Object.hasOwn(cal.years, String(year))
}

export function isWorkingDay(cal: WorkCalendar, date: string): boolean {
  const weekend = isWeekend(date) // also validates the date
  const entry = cal.years[String(yearOf(date))]
  if (entry) {
    const index = indexOf(entry)
    // A make-up day wins over the weekend; a holiday wins over the weekday.
    if (index.workdays.has(date)) return true
    if (index.holidays.has(date)) return false
  }
  return !weekend
}

/**
 * The n-th working day after `date` (n = 0: `date` itself), e.g. a report deadline 10 working days
 * after an activity's end. `yearsWithoutCalendar` lists the years crossed (after `date` up to the
 * result) that have no entry and were therefore counted as plain Monday–Friday.
 */
export function addWorkingDays(cal: WorkCalendar, date: string, n: number): { date: string; yearsWithoutCalendar: number[] } {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days to add must be a whole number ≥ 0, got ${n}`)
  let t = toUtcMs(date)
  for (let left = n; left > 0;) {
    t += DAY_MS
    if (isWorkingDay(cal, fromUtcMs(t))) left--
  }
  const result = fromUtcMs(t)
  return { date: result, yearsWithoutCalendar: yearsWithoutCalendar(cal, date, result) }
}

/**
 * Working days after `from` up to and including `to`; negative (the same count, negated) when
 * `to` is before `from`. With `from` a deadline and `to` the day a report came in, a positive
 * result is the number of working days it was late; 0 means on time.
 */
export function workingDaysBetween(cal: WorkCalendar, from: string, to: string): number {
  const a = toUtcMs(from)
  const b = toUtcMs(to)
  const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1]
  let count = 0
  for (let t = lo + DAY_MS; t <= hi; t += DAY_MS) if (isWorkingDay(cal, fromUtcMs(t))) count++
  return sign * count
}

/**
 * Years with no entry among the days after the earlier of `from` and `to` up to the later one:
 * the days that were counted as plain Monday–Friday by `addWorkingDays` / `workingDaysBetween`.
 */
export function yearsWithoutCalendar(cal: WorkCalendar, from: string, to: string): number[] {
  const a = toUtcMs(from)
  const b = toUtcMs(to)
  if (a === b) return []
  const [lo, hi] = a < b ? [a, b] : [b, a]
  const out: number[] = []
  // Start from the day after: a span from 31 December counts nothing of that year.
  for (let y = yearOf(fromUtcMs(lo + DAY_MS)); y <= yearOf(fromUtcMs(hi)); y++) if (!hasCalendarYear(cal, y)) out.push(y)
  return out
}
