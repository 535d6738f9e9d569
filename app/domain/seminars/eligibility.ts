/**
 * Who may register for a seminar (pure, no I/O, safe in the browser): every reason a person may
 * not, as codes, so the page shows them before anyone clicks and `register` refuses with the same
 * list. Checked against the person's verified data (title level and series, region, the resident
 * ID's province) and their other live registrations (confirmed, offered, pending approval and
 * waitlisted: a place on a waiting list counts, so a promotion can never break a rule).
 */
import type { SeminarLevel } from './quotas.ts'

export type SeminarRules = { levels?: readonly string[]; series?: readonly string[]; regions?: readonly string[] }

export type EligibilityPerson = {
  titleLevel: string | null
  titleSeries: string | null
  regionCode: string | null
  /** First two digits of the resident ID number. */
  idProvince: string | null
}

export type EligibilitySeminar = {
  id: number
  level: SeminarLevel
  startDate: string
  endDate: string
  eligibility: SeminarRules
}

/** One of the person's live registrations (any seminar, this one included). */
export type LiveRegistration = { seminarId: number; level: SeminarLevel; startDate: string; endDate: string }

export type Ineligibility = 'already_registered' | 'title_level' | 'title_series' | 'region' | 'national_limit' | 'date_overlap'

/**
 * `regions` entries are region codes (people.region_code, e.g. '220100' 长春市) or a province as
 * 'NN0000', which matches anyone whose resident ID starts with NN or whose region lies in it
 * (so '220000' admits all of Jilin).
 */
export function regionMatches(entry: string, person: Pick<EligibilityPerson, 'regionCode' | 'idProvince'>): boolean {
  if (person.regionCode === entry) return true
  if (!/^\d{2}0000$/.test(entry)) return false
  const nn = entry.slice(0, 2)
  return person.idProvince === nn || (person.regionCode !== null && person.regionCode.startsWith(nn))
}

/** The CE year a seminar counts in: the year of its first day. */
export const seminarYear = (s: { startDate: string }) => s.startDate.slice(0, 4)

export function overlaps(a: { startDate: string; endDate: string }, b: { startDate: string; endDate: string }): boolean {
  return a.startDate <= b.endDate && b.startDate <= a.endDate
}

/** Every reason the person may not register (empty: they may). */
export function ineligibility(
  person: EligibilityPerson,
  seminar: EligibilitySeminar,
  live: readonly LiveRegistration[],
  policy: { nationalPerPersonPerYear: number },
): Ineligibility[] {
  const reasons: Ineligibility[] = []
  if (live.some((r) => r.seminarId === seminar.id)) reasons.push('already_registered')
  const rules = seminar.eligibility
  if (rules.levels?.length && (person.titleLevel === null || !rules.levels.includes(person.titleLevel))) reasons.push('title_level')
  if (rules.series?.length && (person.titleSeries === null || !rules.series.includes(person.titleSeries))) reasons.push('title_series')
  if (rules.regions?.length && !rules.regions.some((e) => regionMatches(e, person))) reasons.push('region')
  const others = live.filter((r) => r.seminarId !== seminar.id)
  if (seminar.level === 'national') {
    const held = others.filter((r) => r.level === 'national' && seminarYear(r) === seminarYear(seminar)).length
    if (held >= policy.nationalPerPersonPerYear) reasons.push('national_limit')
  }
  if (others.some((r) => overlaps(r, seminar))) reasons.push('date_overlap')
  return reasons
}

export type WindowProblem = 'not_published' | 'not_open_yet' | 'registration_closed'

/** Whether registration is open at `now`: published, and opens_at ≤ now < closes_at. */
export function windowProblem(
  seminar: { status: string; registrationOpensAt: Date; registrationClosesAt: Date },
  now: Date,
): WindowProblem | null {
  if (seminar.status !== 'published') return 'not_published'
  if (now.getTime() < seminar.registrationOpensAt.getTime()) return 'not_open_yet'
  if (now.getTime() >= seminar.registrationClosesAt.getTime()) return 'registration_closed'
  return null
}
