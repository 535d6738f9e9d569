import type { Transaction } from 'kysely'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { canBaseDeliver, type GateCode } from '#app/domain/bases/gate.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { reportsPolicyOn } from '#app/domain/policy/reports-policy.server.ts'
import { workCalendar } from '#app/domain/policy/work-calendar.server.ts'
import { fromCents, toCents } from '#app/domain/shared/decimal.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { addWorkingDays } from '#app/domain/shared/working-days.ts'
import type { Database, DB } from '#db/schema.ts'

import type { ActivityInput } from './activities.schema.ts'

/** Base staff act for their own base only: the base comes from the session, never from a form. */
export type Staff = { accountId: number; baseId: number }

export type DeclareCode = GateCode | 'too_many_days' | 'hours_over_limit' | 'in_future'

/** Calendar days from start to end, both included. */
export function calendarDays(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000) + 1
}

/**
 * The most hours an activity may declare under the reports policy in force on its start date:
 * full days × the full-day limit + half days × the half-day limit (6 and 3 in reports.1).
 */
export function maxDeclaredHours(input: { startDate: string; fullDays: number; halfDays: number }) {
  const policy = reportsPolicyOn(input.startDate)
  const cents = input.fullDays * toCents(String(policy.hoursPerDay.full)) + input.halfDays * toCents(String(policy.hoursPerDay.half))
  return { max: fromCents(cents), policy }
}

/** The report deadline: N working days (policy) after the end, with the years that had no holiday calendar. */
export function reportDueFor(endDate: string) {
  const policy = reportsPolicyOn(endDate)
  const due = addWorkingDays(workCalendar(), endDate, policy.reportDeadlineWorkingDays)
  return { due: due.date, yearsWithoutCalendar: due.yearsWithoutCalendar, workingDays: policy.reportDeadlineWorkingDays }
}

/**
 * A base declares an activity it delivered (or is delivering): inside its designation on every
 * day from start to end (the one gate, bases/gate.server.ts), days and hours within the policy.
 * Its report deadline is fixed now and shown from the start.
 */
export async function declareActivity(
  trx: Transaction<Database>,
  staff: Staff,
  input: ActivityInput,
  { today = chinaDay() }: { today?: string } = {},
): Promise<Result<{ activityId: number; reportDue: string }, DeclareCode, { field?: string }>> {
  if (input.startDate > today) return err('in_future', { field: 'startDate' })
  for (const day of [input.startDate, input.endDate]) {
    const gate = await canBaseDeliver(trx, staff.baseId, day)
    if (!gate.ok) return err(gate.code, { field: day === input.startDate ? 'startDate' : 'endDate' })
  }
  if (input.fullDays + input.halfDays > calendarDays(input.startDate, input.endDate)) return err('too_many_days', { field: 'fullDays' })
  const { max, policy } = maxDeclaredHours(input)
  if (toCents(input.declaredHours) > toCents(max)) return err('hours_over_limit', { field: 'declaredHours', max })
  const due = reportDueFor(input.endDate)
  const row = await trx
    .insertInto('training_activities')
    .values({
      base_id: staff.baseId,
      title: input.title,
      category: input.category,
      mode: input.mode,
      title_series: JSON.stringify(input.titleSeries),
      start_date: input.startDate,
      end_date: input.endDate,
      full_days: input.fullDays,
      half_days: input.halfDays,
      declared_hours: input.declaredHours,
      venue: input.venue,
      report_due: due.due,
      due_without_calendar: JSON.stringify(due.yearsWithoutCalendar),
      policy_version: policy.version,
      created_by: staff.accountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await audit(trx, {
    actorAccountId: staff.accountId,
    action: 'report.activity_declare',
    targetType: 'training_activity',
    targetId: row.id,
    detail: { baseId: staff.baseId, declaredHours: input.declaredHours, reportDue: due.due },
  })
  return ok({ activityId: row.id, reportDue: due.due })
}

/** One activity of the caller's base, or undefined (another base's activity does not exist for them). */
export async function activityOfBase(db: DB, baseId: number, activityId: number) {
  return db.selectFrom('training_activities').selectAll().where('id', '=', activityId).where('base_id', '=', baseId).executeTakeFirst()
}

/** The base's activities, newest end first, with roster status, deadline and lateness. */
export async function activitiesOfBase(db: DB, baseId: number) {
  return db
    .selectFrom('training_activities as a')
    .select((eb) => [
      'a.id',
      'a.title',
      'a.category',
      'a.mode',
      'a.start_date',
      'a.end_date',
      'a.declared_hours',
      'a.report_due',
      'a.state',
      'a.late',
      'a.first_reported_on',
      eb.selectFrom('activity_credits as c').select(eb.fn.countAll<string>().as('n')).whereRef('c.activity_id', '=', 'a.id').as('people'),
      eb
        .selectFrom('import_files as f')
        .select('f.status')
        .whereRef('f.activity_id', '=', 'a.id')
        .orderBy('f.id', 'desc')
        .limit(1)
        .as('last_upload'),
    ])
    .where('a.base_id', '=', baseId)
    .orderBy('a.end_date', 'desc')
    .orderBy('a.id', 'desc')
    .execute()
}

/** Whether an activity with no committed roster is overdue on `today` (for the workspace). */
export function overdue(a: { report_due: string; first_reported_on: string | null }, today: string): boolean {
  return a.first_reported_on === null && today > a.report_due
}
