import { sql } from 'kysely'

import { chinaDay, notifyBase } from '#app/domain/bases/events.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import { workCalendar } from '#app/domain/policy/work-calendar.server.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { type HrActor, isProvinceScope } from '#app/domain/shared/scope.ts'
import { addWorkingDays, workingDaysBetween } from '#app/domain/shared/working-days.ts'
import type { DB } from '#db/schema.ts'

import { type PackageStats, packageStatus } from './package.ts'
import { surveyResults } from './survey.server.ts'

export { type PackageStats, type PackageStatus, packageStatus } from './package.ts'

/**
 * The host's post-event package (结业材料): the platform assembles the roster, attendance and
 * survey statistics; the host adds a summary and submits it once, after attendance is finalised.
 * It is due `packageDueWorkingDays` working days (policy, China's calendar) after the last day; a
 * package submitted after that is recorded late against the host base.
 */

export const SUMMARY_MAX = 5000

/** The due day of a seminar's package: the policy's working days after its last day. */
export function packageDueOn(seminar: { start_date: string; end_date: string }): string {
  const policy = seminarPolicyOn(seminar.start_date)
  return addWorkingDays(workCalendar(), seminar.end_date, policy.packageDueWorkingDays).date
}

/** Working days from `today` to the due day: positive = left, negative = late by. */
export function workingDaysToDue(dueOn: string, today: string): number {
  return workingDaysBetween(workCalendar(), today, dueOn)
}

/** What the platform assembles for a seminar's package (also the snapshot stored on submission). */
export async function packageDraft(db: DB, seminarId: number): Promise<PackageStats | null> {
  const survey = await surveyResults(db, seminarId)
  if (!survey) return null
  const [byStatus, blocks, participants, results] = await Promise.all([
    db
      .selectFrom('seminar_registrations')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('seminar_id', '=', seminarId)
      .groupBy('status')
      .execute(),
    db
      .selectFrom('seminar_blocks as b')
      .leftJoin('seminar_attendance as a', 'a.block_id', 'b.id')
      .select([
        'b.id',
        'b.starts_at',
        'b.ends_at',
        sql<string>`count(a.signed_in_at)`.as('signed_in'),
        sql<string>`count(*) filter (where a.attended)`.as('attended'),
      ])
      .where('b.seminar_id', '=', seminarId)
      .groupBy(['b.id', 'b.starts_at', 'b.ends_at'])
      .orderBy('b.starts_at')
      .orderBy('b.id')
      .execute(),
    // Anyone who attended a block, by the roster now or by the finalised results.
    sql<{ n: string }>`
      select count(*) as n from (
        select a.person_id from seminar_attendance a join seminar_blocks b on b.id = a.block_id
         where b.seminar_id = ${seminarId} and a.attended
        union
        select person_id from seminar_results where seminar_id = ${seminarId} and blocks_attended > 0
      ) p`.execute(db),
    db
      .selectFrom('seminar_results')
      .select([
        sql<string>`count(*) filter (where completed)`.as('completed'),
        sql<string>`coalesce(sum(hours), 0)::numeric(10,2)::text`.as('hours'),
      ])
      .where('seminar_id', '=', seminarId)
      .executeTakeFirstOrThrow(),
  ])
  return {
    registrations: Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)])),
    participants: Number(participants.rows[0]?.n ?? 0),
    blocks: blocks.map((b) => ({
      id: b.id,
      startsAt: new Date(b.starts_at).toISOString(),
      endsAt: new Date(b.ends_at).toISOString(),
      signedIn: Number(b.signed_in),
      attended: Number(b.attended),
    })),
    completed: Number(results.completed),
    hoursCredited: results.hours,
    survey,
  }
}

export type SubmitPackageCode = 'not_found' | 'not_host' | 'not_finalised' | 'already_submitted' | 'summary_required' | 'summary_too_long'

/**
 * The host base's staff submit the package once, after attendance is finalised: the summary, the
 * draft as a snapshot, the due day and whether it came late (China today after the due day).
 */
export async function submitPackage(
  db: DB,
  staff: { accountId: number; baseId: number },
  seminarId: number,
  summary: string,
  now: Date,
): Promise<Result<{ dueOn: string; late: boolean }, SubmitPackageCode>> {
  return db.transaction().execute(async (trx) => {
    // The seminar row lock serialises two submissions of the same package.
    const s = await trx
      .selectFrom('seminars')
      .select(['id', 'host_base_id', 'start_date', 'end_date', 'finalised_at'])
      .where('id', '=', seminarId)
      .forUpdate()
      .executeTakeFirst()
    if (!s) return err('not_found')
    if (s.host_base_id !== staff.baseId) return err('not_host')
    if (s.finalised_at === null) return err('not_finalised')
    const existing = await trx.selectFrom('seminar_packages').select('seminar_id').where('seminar_id', '=', seminarId).executeTakeFirst()
    if (existing) return err('already_submitted')
    const text = summary.trim()
    if (text === '') return err('summary_required')
    if (text.length > SUMMARY_MAX) return err('summary_too_long')
    const stats = await packageDraft(trx, seminarId)
    if (!stats) return err('not_found')
    const dueOn = packageDueOn(s)
    const late = chinaDay(now) > dueOn
    const policy = seminarPolicyOn(s.start_date)
    await trx
      .insertInto('seminar_packages')
      .values({
        seminar_id: seminarId,
        due_on: dueOn,
        summary: text,
        stats: JSON.stringify(stats),
        submitted_at: now,
        submitted_by: staff.accountId,
        late,
        policy_version: policy.version,
      })
      .execute()
    await audit(trx, {
      actorAccountId: staff.accountId,
      action: 'seminar.package_submit',
      targetType: 'seminar',
      targetId: seminarId,
      detail: { baseId: staff.baseId, dueOn, late },
    })
    return ok({ dueOn, late })
  })
}

/** The submitted package, or null. */
export async function packageOf(db: DB, seminarId: number) {
  const row = await db
    .selectFrom('seminar_packages as p')
    .select(['p.seminar_id', 'p.due_on', 'p.summary', 'p.stats', 'p.submitted_at', 'p.late', 'p.policy_version'])
    .where('p.seminar_id', '=', seminarId)
    .executeTakeFirst()
  return row ? { ...row, stats: row.stats as unknown as PackageStats } : null
}

type SeminarScope = { baseId?: number; scopeRegion?: string }

/**
 * Seminars (published or finished) with their package's status: one base's, or the bases of an
 * HR officer's region (the province: all), latest first.
 */
export async function seminarPackages(db: DB, scope: SeminarScope, today: string) {
  let q = db
    .selectFrom('seminars as s')
    .innerJoin('bases as b', 'b.id', 's.host_base_id')
    .leftJoin('seminar_packages as p', 'p.seminar_id', 's.id')
    .select([
      's.id',
      's.title',
      's.level',
      's.start_date',
      's.end_date',
      's.finalised_at',
      'b.id as base_id',
      'b.name as base_name',
      'b.region_code',
      'p.submitted_at',
      'p.late',
      'p.due_on',
    ])
    .where('s.status', 'in', ['published', 'finished'])
  if (scope.baseId !== undefined) q = q.where('s.host_base_id', '=', scope.baseId)
  if (scope.scopeRegion !== undefined && !isProvinceScope(scope.scopeRegion)) q = q.where('b.region_code', '=', scope.scopeRegion)
  const rows = await q.orderBy('s.end_date', 'desc').orderBy('s.id', 'desc').limit(500).execute()
  return rows.map((r) => {
    const dueOn = r.due_on ?? packageDueOn(r)
    const pkg = r.submitted_at ? { late: r.late === true } : null
    return {
      id: r.id,
      title: r.title,
      level: r.level,
      startDate: r.start_date,
      endDate: r.end_date,
      finalised: r.finalised_at !== null,
      baseId: r.base_id,
      baseName: r.base_name,
      regionCode: r.region_code,
      dueOn,
      submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
      status: packageStatus({ end_date: r.end_date, due_on: dueOn }, pkg, today),
    }
  })
}

/** A seminar an HR officer may see (its host base in their region; the province: any), or null. */
export async function seminarForHr(db: DB, hr: Pick<HrActor, 'scopeRegion'>, seminarId: number) {
  let q = db
    .selectFrom('seminars as s')
    .innerJoin('bases as b', 'b.id', 's.host_base_id')
    .select(['s.id', 's.title', 's.level', 's.start_date', 's.end_date', 's.finalised_at', 'b.id as base_id', 'b.name as base_name'])
    .where('s.id', '=', seminarId)
    .where('s.status', 'in', ['published', 'finished'])
  if (!isProvinceScope(hr.scopeRegion)) q = q.where('b.region_code', '=', hr.scopeRegion)
  return (await q.executeTakeFirst()) ?? null
}

/** Staff of the host base's seminars to show on the package page (another base's → null). */
export async function seminarForHost(db: DB, baseId: number, seminarId: number) {
  return (
    (await db
      .selectFrom('seminars')
      .select(['id', 'title', 'level', 'start_date', 'end_date', 'finalised_at', 'host_base_id'])
      .where('id', '=', seminarId)
      .where('host_base_id', '=', baseId)
      .where('status', 'in', ['published', 'finished'])
      .executeTakeFirst()) ?? null
  )
}

/** The roster for the package's download: each registration with the person's outcome. */
export async function packageRoster(db: DB, seminarId: number) {
  return (
    db
      .selectFrom('seminar_registrations as r')
      .innerJoin('people as p', 'p.id', 'r.person_id')
      .leftJoin('seminar_results as x', (j) => j.onRef('x.seminar_id', '=', 'r.seminar_id').onRef('x.person_id', '=', 'r.person_id'))
      .select([
        'p.name',
        'p.id_number_enc',
        'p.region_code',
        'r.status',
        'x.blocks_attended',
        'x.blocks_total',
        'x.hours',
        'x.completed',
        (eb) =>
          eb
            .selectFrom('seminar_attendance as a')
            .innerJoin('seminar_blocks as b', 'b.id', 'a.block_id')
            .select((c) => c.fn.countAll<string>().as('n'))
            .whereRef('a.person_id', '=', 'r.person_id')
            .whereRef('b.seminar_id', '=', 'r.seminar_id')
            .where('a.attended', '=', true)
            .as('attended_now'),
      ])
      .where('r.seminar_id', '=', seminarId)
      // The latest registration per person only (a person who cancelled and came back has two).
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('seminar_registrations as r2')
              .select('r2.id')
              .whereRef('r2.seminar_id', '=', 'r.seminar_id')
              .whereRef('r2.person_id', '=', 'r.person_id')
              .whereRef('r2.waitlist_seq', '>', 'r.waitlist_seq'),
          ),
        ),
      )
      .orderBy('r.waitlist_seq')
      .execute()
  )
}

/**
 * The daily reminder (from base.daily): host staff of each seminar whose package is unsubmitted
 * and due within the policy's `packageReminderWorkingDays` working days (not yet past) get one notice,
 * idempotent by seminar, so a day the job missed is caught up by the next.
 */
export async function remindPackagesDue(db: DB, today: string): Promise<number[]> {
  const open = await db
    .selectFrom('seminars as s')
    .leftJoin('seminar_packages as p', 'p.seminar_id', 's.id')
    .select(['s.id', 's.title', 's.host_base_id', 's.start_date', 's.end_date'])
    .where('s.status', 'in', ['published', 'finished'])
    .where('p.seminar_id', 'is', null)
    .where('s.end_date', '<', today)
    .execute()
  const reminded: number[] = []
  for (const s of open) {
    const dueOn = packageDueOn(s)
    const left = workingDaysToDue(dueOn, today)
    if (left < 0 || left > seminarPolicyOn(s.start_date).packageReminderWorkingDays) continue
    await notifyBase(db, { baseId: s.host_base_id }, 'base_seminar_package_due', `seminar-package-due:${s.id}`, { title: s.title, dueOn })
    reminded.push(s.id)
  }
  return reminded
}
