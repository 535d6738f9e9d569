/**
 * HR's review of training reports (施教机构报送学时审核): HR of the base's region (the province
 * sees every base) accepts a reported activity, or returns it with a reason. A return reverses
 * nothing: the credited roster stands until the base uploads a corrected roster, whose commit
 * (imports/commit.server.ts) sets the activity back to `reported`. An activity outside the
 * officer's scope does not exist for them.
 */
import type { Transaction } from 'kysely'

import { notifyBase } from '#app/domain/bases/events.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { maskedIdNumber } from '#app/domain/identity/pii.server.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { type HrActor, inScope, isProvinceScope } from '#app/domain/shared/scope.ts'
import type { Database, DB } from '#db/schema.ts'

import type { ReportFilter } from './review.ts'

function inRegion(db: DB, scopeRegion: string) {
  let q = db.selectFrom('training_activities as a').innerJoin('bases as b', 'b.id', 'a.base_id')
  if (!isProvinceScope(scopeRegion)) q = q.where('b.region_code', '=', scopeRegion)
  return q
}

/**
 * Activities of the bases in the officer's region, what awaits review (reported) first, then by
 * report date; with the people credited now and the late flag.
 */
export async function reportsForHr(db: DB, scopeRegion: string, filter: ReportFilter = 'reported', limit = 200) {
  let q = inRegion(db, scopeRegion).select((eb) => [
    'a.id',
    'a.title',
    'a.category',
    'a.mode',
    'a.start_date',
    'a.end_date',
    'a.declared_hours',
    'a.report_due',
    'a.state',
    'a.first_reported_on',
    'a.late',
    'a.reviewed_at',
    'b.id as base_id',
    'b.name as base_name',
    'b.region_code',
    eb
      .selectFrom('activity_credits as c')
      .select((s) => s.fn.countAll<string>().as('n'))
      .whereRef('c.activity_id', '=', 'a.id')
      .as('credited'),
  ])
  if (filter !== 'all') q = q.where('a.state', '=', filter)
  const rows = await q
    .orderBy((eb) => eb.case().when('a.state', '=', 'reported').then(0).else(1).end())
    .orderBy('a.first_reported_on', (o) => o.asc().nullsLast())
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ ...r, credited: Number(r.credited ?? 0) }))
}

export const CREDITED_PAGE = 50

/**
 * One activity as HR of its base's region sees it: facts, base, roster versions (its uploads with
 * their outcome) and a page of the people credited now (masked ID numbers). Undefined when out of
 * scope or absent (the page answers 404).
 */
export async function reportForHr(db: DB, scopeRegion: string, activityId: number, { page = 1 }: { page?: number } = {}) {
  const a = await inRegion(db, scopeRegion)
    .leftJoin('accounts as r', 'r.id', 'a.reviewed_by')
    .leftJoin('people as rp', 'rp.id', 'r.person_id')
    .selectAll('a')
    .select(['b.name as base_name', 'b.region_code', 'b.status as base_status', 'rp.name as reviewer'])
    .where('a.id', '=', activityId)
    .executeTakeFirst()
  if (!a) return undefined
  const [files, credited, total] = await Promise.all([
    db
      .selectFrom('import_files')
      .select([
        'id',
        'version',
        'filename',
        'status',
        'rows_read',
        'rows_ok',
        'rows_warning',
        'rows_error',
        'outcome',
        'created_at',
        'committed_at',
      ])
      .where('activity_id', '=', activityId)
      .orderBy('id', 'desc')
      .execute(),
    db
      .selectFrom('activity_credits as c')
      .innerJoin('people as p', 'p.id', 'c.person_id')
      .innerJoin('import_files as f', 'f.id', 'c.import_id')
      .select(['c.person_id', 'c.hours', 'c.row_number', 'f.version', 'p.name', 'p.id_number_enc', 'p.employer'])
      .where('c.activity_id', '=', activityId)
      .orderBy('c.import_id')
      .orderBy('c.row_number')
      .limit(CREDITED_PAGE)
      .offset((Math.max(1, page) - 1) * CREDITED_PAGE)
      .execute(),
    db
      .selectFrom('activity_credits')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('activity_id', '=', activityId)
      .executeTakeFirstOrThrow(),
  ])
  return {
    activity: a,
    files,
    credited: credited.map(({ id_number_enc, ...c }) => ({ ...c, idNumberMasked: maskedIdNumber(id_number_enc) })),
    creditedTotal: Number(total.n),
  }
}

export type ReviewCode = 'not_found' | 'not_reported' | 'reason_required'

/** The activity locked for a review, or a refusal: out of scope is `not_found`, anything but `reported` is `not_reported`. */
async function lockForReview(trx: Transaction<Database>, hr: HrActor, activityId: number) {
  const a = await trx
    .selectFrom('training_activities as a')
    .innerJoin('bases as b', 'b.id', 'a.base_id')
    .select(['a.id', 'a.state', 'a.title', 'a.base_id', 'b.region_code', 'b.name as base_name'])
    .where('a.id', '=', activityId)
    .forUpdate('a')
    .executeTakeFirst()
  if (!a || !inScope(hr.scopeRegion, a.region_code)) return err('not_found')
  if (a.state !== 'reported') return err('not_reported')
  // One notice per review of a roster version: a re-upload reported again is reviewed afresh.
  const v = await trx
    .selectFrom('import_files')
    .select((eb) => eb.fn.max<number | null>('version').as('v'))
    .where('activity_id', '=', activityId)
    .executeTakeFirstOrThrow()
  return ok({ ...a, version: Number(v.v ?? 0) })
}

/** HR accepts a reported activity (reported → accepted). */
export async function acceptReport(
  trx: Transaction<Database>,
  hr: HrActor,
  activityId: number,
  now = new Date(),
): Promise<Result<object, Exclude<ReviewCode, 'reason_required'>>> {
  const a = await lockForReview(trx, hr, activityId)
  if (!a.ok) return a
  await trx
    .updateTable('training_activities')
    .set({ state: 'accepted', review_reason: null, reviewed_by: hr.accountId, reviewed_at: now })
    .where('id', '=', activityId)
    .execute()
  await audit(trx, {
    actorAccountId: hr.accountId,
    action: 'report.accept',
    targetType: 'activity',
    targetId: activityId,
    detail: { baseId: a.base_id, version: a.version },
  })
  await notifyBase(trx, { baseId: a.base_id }, 'base_report_accepted', `report-accepted:${activityId}:v${a.version}`, {
    title: a.title,
  })
  return ok()
}

/**
 * HR returns a reported activity with a reason (reported → returned). Nothing is reversed: the
 * credited roster stands until the base uploads a corrected one.
 */
export async function returnReport(
  trx: Transaction<Database>,
  hr: HrActor,
  activityId: number,
  reason: string,
  now = new Date(),
): Promise<Result<object, ReviewCode>> {
  const why = reason.trim()
  if (!why) return err('reason_required')
  const a = await lockForReview(trx, hr, activityId)
  if (!a.ok) return a
  await trx
    .updateTable('training_activities')
    .set({ state: 'returned', review_reason: why, reviewed_by: hr.accountId, reviewed_at: now })
    .where('id', '=', activityId)
    .execute()
  await audit(trx, {
    actorAccountId: hr.accountId,
    action: 'report.return',
    targetType: 'activity',
    targetId: activityId,
    detail: { baseId: a.base_id, version: a.version, reason: why },
  })
  await notifyBase(trx, { baseId: a.base_id }, 'base_report_returned', `report-returned:${activityId}:v${a.version}`, {
    title: a.title,
    reason: why,
  })
  return ok()
}

/** Reported activities awaiting review in the officer's region (for the HR home). */
export async function reportsAwaiting(db: DB, scopeRegion: string): Promise<number> {
  const r = await inRegion(db, scopeRegion)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('a.state', '=', 'reported')
    .executeTakeFirstOrThrow()
  return Number(r.n)
}
