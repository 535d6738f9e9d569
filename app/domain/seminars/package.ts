import type { SeminarRegistrationStatus } from '#db/schema.ts'

/** Shapes of the survey results and the post-event package (结业材料), and the package's status rule. Pure. */

export type RatingResult = { id: string; zh: string; en: string; average: string; distribution: [number, number, number, number, number] }

/** Below the threshold only the count (never partial figures). */
export type SurveyResults =
  | { count: number; min: number; shown: false }
  | { count: number; min: number; shown: true; version: string; ratings: RatingResult[]; comments: string[] }

export type PackageStats = {
  registrations: Partial<Record<SeminarRegistrationStatus, number>>
  participants: number
  blocks: { id: number; startsAt: string; endsAt: string; signedIn: number; attended: number }[]
  completed: number
  hoursCredited: string
  survey: SurveyResults
}

export type PackageStatus = 'running' | 'due' | 'overdue' | 'submitted' | 'submitted_late'

/** Where a seminar's package stands on a China day. */
export function packageStatus(s: { end_date: string; due_on: string }, pkg: { late: boolean } | null, today: string): PackageStatus {
  if (pkg) return pkg.late ? 'submitted_late' : 'submitted'
  if (today <= s.end_date) return 'running'
  return today > s.due_on ? 'overdue' : 'due'
}
