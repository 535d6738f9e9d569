import { matchPersonEmployer } from '#app/domain/employers/employers.server.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { type HrActor, isProvinceScope } from '#app/domain/shared/scope.ts'
import type { DB } from '#db/schema.ts'

import type { FieldErrors, ProfileInput } from './accounts.schema.ts'
import { audit } from './audit.server.ts'

/**
 * A learner's own profile. Phone and employer change at once. A change of title (series, level
 * or year) becomes a pending `title_changes` row that HR of the person's region approves or
 * rejects; until then `people.title_*` keep the verified values, which the credit check uses.
 */
export type ProfileResult = Result<{ titleChange: 'none' | 'pending' }, 'phone_taken', { errors: FieldErrors }>

function isUniqueViolation(e: unknown, constraint: string): boolean {
  const x = e as { code?: string; constraint?: string }
  return x?.code === '23505' && x.constraint === constraint
}

export async function updateOwnProfile(db: DB, accountId: number, input: ProfileInput): Promise<ProfileResult> {
  try {
    return await db.transaction().execute(async (trx): Promise<ProfileResult> => {
      const me = await trx
        .selectFrom('accounts')
        .innerJoin('people', 'people.id', 'accounts.person_id')
        .select([
          'people.id as personId',
          'accounts.phone',
          'people.employer',
          'people.title_series',
          'people.title_level',
          'people.title_year',
        ])
        .where('accounts.id', '=', accountId)
        .forUpdate()
        .executeTakeFirstOrThrow()
      if (input.phone !== me.phone) await trx.updateTable('accounts').set({ phone: input.phone }).where('id', '=', accountId).execute()
      if (input.employer !== me.employer) {
        await trx.updateTable('people').set({ employer: input.employer }).where('id', '=', me.personId).execute()
        await matchPersonEmployer(trx, me.personId)
      }
      const titleYear = input.titleLevel === 'none' ? null : input.titleYear
      const sameTitle = input.titleSeries === me.title_series && input.titleLevel === me.title_level && titleYear === me.title_year
      const pending = await trx
        .selectFrom('title_changes')
        .select(['id', 'title_series', 'title_level', 'title_year'])
        .where('person_id', '=', me.personId)
        .where('status', '=', 'pending')
        .executeTakeFirst()
      const samePending =
        pending &&
        pending.title_series === input.titleSeries &&
        pending.title_level === input.titleLevel &&
        pending.title_year === titleYear
      if (samePending) return ok({ titleChange: 'pending' })
      // A new request (or going back to the verified title) replaces the one waiting.
      if (pending)
        await trx.updateTable('title_changes').set({ status: 'withdrawn', decided_at: new Date() }).where('id', '=', pending.id).execute()
      if (sameTitle) return ok({ titleChange: 'none' })
      await trx
        .insertInto('title_changes')
        .values({ person_id: me.personId, title_series: input.titleSeries, title_level: input.titleLevel, title_year: titleYear })
        .execute()
      return ok({ titleChange: 'pending' })
    })
  } catch (e) {
    if (isUniqueViolation(e, 'accounts_phone_key')) return err('phone_taken', { errors: { phone: 'err.phone.taken' } })
    throw e
  }
}

export async function pendingTitleChange(db: DB, personId: number) {
  return (
    (await db
      .selectFrom('title_changes')
      .select(['id', 'title_series', 'title_level', 'title_year', 'created_at'])
      .where('person_id', '=', personId)
      .where('status', '=', 'pending')
      .executeTakeFirst()) ?? null
  )
}

/** The title changes waiting in an HR officer's scope (their region, or the province), oldest first. */
export async function listPendingTitleChanges(db: DB, actor: HrActor) {
  let q = db
    .selectFrom('title_changes as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .select([
      'c.id',
      'c.person_id as personId',
      'p.name',
      'p.region_code as regionCode',
      'p.title_series as currentSeries',
      'p.title_level as currentLevel',
      'p.title_year as currentYear',
      'c.title_series as series',
      'c.title_level as level',
      'c.title_year as year',
      'c.created_at as createdAt',
    ])
    .where('c.status', '=', 'pending')
    .where('c.person_id', '<>', actor.personId)
    .orderBy('c.created_at')
    .limit(200)
  if (!isProvinceScope(actor.scopeRegion)) q = q.where('p.region_code', '=', actor.scopeRegion)
  return q.execute()
}

export type DecideResult = Result<object, 'not_found' | 'decided'>

/** HR approves (people.title_* take the new values) or rejects a title change in their scope. Audited. */
export async function decideTitleChange(
  db: DB,
  actor: HrActor,
  changeId: number,
  decision: 'approve' | 'reject',
  reason: string | null,
): Promise<DecideResult> {
  return db.transaction().execute(async (trx): Promise<DecideResult> => {
    let q = trx
      .selectFrom('title_changes as c')
      .innerJoin('people as p', 'p.id', 'c.person_id')
      .select([
        'c.id',
        'c.person_id',
        'c.status',
        'c.title_series',
        'c.title_level',
        'c.title_year',
        'p.title_series as oldSeries',
        'p.title_level as oldLevel',
        'p.title_year as oldYear',
      ])
      .where('c.id', '=', changeId)
      .where('c.person_id', '<>', actor.personId)
      .forUpdate('c')
    if (!isProvinceScope(actor.scopeRegion)) q = q.where('p.region_code', '=', actor.scopeRegion)
    const row = await q.executeTakeFirst()
    if (!row) return err('not_found')
    if (row.status !== 'pending') return err('decided')
    const now = new Date()
    await trx
      .updateTable('title_changes')
      .set({
        status: decision === 'approve' ? 'approved' : 'rejected',
        decided_by: actor.accountId,
        decided_at: now,
        decision_reason: reason,
      })
      .where('id', '=', row.id)
      .execute()
    if (decision === 'approve')
      await trx
        .updateTable('people')
        .set({ title_series: row.title_series, title_level: row.title_level, title_year: row.title_year })
        .where('id', '=', row.person_id)
        .execute()
    await audit(trx, {
      actorAccountId: actor.accountId,
      action: decision === 'approve' ? 'title_change.approve' : 'title_change.reject',
      targetType: 'person',
      targetId: row.person_id,
      detail: {
        from: { series: row.oldSeries, level: row.oldLevel, year: row.oldYear },
        to: { series: row.title_series, level: row.title_level, year: row.title_year },
        ...(reason ? { reason } : {}),
      },
    })
    return ok({})
  })
}
