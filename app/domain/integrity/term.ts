import { addDays } from '#app/domain/shared/working-days.ts'

/**
 * The term of an integrity record (诚信档案) as pure rules on China calendar days ('YYYY-MM-DD').
 * A record is in force on days d with starts_on <= d < ends_on: ends_on is the first day it no
 * longer applies (exclusive), so "3 years from 2026-11-30" ends on 2029-11-30.
 */

/** `day` plus `years` calendar years; 29 February becomes 28 February in a year without it (as PostgreSQL does). */
export function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const year = y + years
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate()
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`
}

/** The term of a record confirmed on `confirmedOn`: in force from that day for `recordYears` years. */
export function recordTerm(confirmedOn: string, recordYears: number): { startsOn: string; endsOn: string } {
  return { startsOn: confirmedOn, endsOn: addYears(confirmedOn, recordYears) }
}

/** Whether a record with this status and term is in force on `day`. */
export function inForceOn(record: { status: string; starts_on: string | null; ends_on: string | null }, day: string): boolean {
  return (
    record.status === 'in_force' && record.starts_on !== null && record.ends_on !== null && record.starts_on <= day && day < record.ends_on
  )
}

/** The last China day on which a record confirmed on `confirmedOn` may still be appealed (inclusive). */
export function appealLastDay(confirmedOn: string, appealDays: number): string {
  return addDays(confirmedOn, appealDays)
}

/** Whether an appeal made on `day` is within the deadline. */
export function appealOpenOn(confirmedOn: string, appealDays: number, day: string): boolean {
  return day <= appealLastDay(confirmedOn, appealDays)
}
