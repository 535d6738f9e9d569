import { sql, type Transaction } from 'kysely'

import { audit } from '#app/domain/identity/audit.server.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { inScope } from '#app/domain/shared/scope.ts'
import type { BaseStatus, Database, DB } from '#db/schema.ts'

import { fieldErrors } from './applications.schema.ts'
import { lifecycleStateOf } from './decisions.server.ts'
import { notifyBase, recordEvent } from './events.server.ts'
import type { Actor } from './lifecycle.ts'
import { NameChangeSchema, ProfileSchema } from './profile.schema.ts'

/**
 * A training base's public profile (intro, address, website, public phone, training fields),
 * edited at once by its own staff, and its name or credit code, changed only through a request
 * (`base_name_changes`) that HR of the base's region (or the province) decides: the name and the
 * code identify the base in the registry, in decisions and in reported training.
 */

export type ProfileCode =
  | 'not_found'
  /** Not staff of this base (or, deciding, not HR or admin). */
  | 'forbidden'
  /** A revoked or rejected base: its record is history and stays as it was. */
  | 'read_only'
  /** Field errors in `errors` (catalog keys by field). */
  | 'invalid'
  /** A name-change request that changes neither the name nor the code. */
  | 'no_change'
  | 'same_credit_code'
  /** Another base has the code, or an open application uses it. */
  | 'credit_code_taken'
  /** The base already has a pending request. */
  | 'name_change_pending'
  /** The request was decided or withdrawn already. */
  | 'not_pending'
  | 'reason_required'

type Errors = { errors?: Record<string, string[]> }

/** The states whose record is read-only history. */
const READ_ONLY: readonly BaseStatus[] = ['revoked', 'rejected']

async function lockBase(trx: Transaction<Database>, baseId: number) {
  return trx
    .selectFrom('bases')
    .select(['id', 'name', 'credit_code', 'region_code', 'status', 'training_fields', 'intro', 'address', 'website', 'public_phone'])
    .where('id', '=', baseId)
    .forUpdate()
    .executeTakeFirst()
}

/**
 * The base's staff save its public profile. Refused for anyone else (even another base's staff:
 * the base id comes from their session, never from the form) and for a revoked base. A change is
 * recorded as an `edit` status event (detail: the fields changed) and audited.
 */
export async function updateProfile(
  trx: Transaction<Database>,
  actor: Actor,
  baseId: number,
  input: unknown,
): Promise<Result<{ changed: string[] }, ProfileCode, Errors>> {
  if (actor.role !== 'base_staff' || actor.baseId !== baseId) return err('forbidden')
  const base = await lockBase(trx, baseId)
  if (!base) return err('not_found')
  if (READ_ONLY.includes(base.status)) return err('read_only')
  const parsed = ProfileSchema.safeParse(input)
  if (!parsed.success) return err('invalid', { errors: fieldErrors(parsed.error) })
  const v = parsed.data
  const next = {
    intro: v.intro,
    address: v.address,
    website: v.website || null,
    public_phone: v.publicPhone,
  }
  const changed: string[] = []
  if (next.intro !== base.intro) changed.push('intro')
  if (next.address !== base.address) changed.push('address')
  if (next.website !== base.website) changed.push('website')
  if (next.public_phone !== base.public_phone) changed.push('publicPhone')
  if (JSON.stringify(v.trainingFields) !== JSON.stringify(base.training_fields)) changed.push('trainingFields')
  if (changed.length === 0) return ok({ changed })
  await trx
    .updateTable('bases')
    .set({ ...next, training_fields: JSON.stringify(v.trainingFields), profile_updated_at: new Date() })
    .where('id', '=', base.id)
    .execute()
  const state = lifecycleStateOf(base.status)
  await recordEvent(trx, { baseId: base.id, event: 'edit', from: state, to: state, actor, detail: { fields: changed } })
  await audit(trx, {
    actorAccountId: actor.accountId,
    action: 'base.profile.update',
    targetType: 'base',
    targetId: base.id,
    detail: { fields: changed },
  })
  return ok({ changed })
}

/** Whether a credit code is another base's, or an open application's. */
async function codeTaken(trx: Transaction<Database>, creditCode: string, baseId: number): Promise<boolean> {
  const other = await trx
    .selectFrom('bases')
    .select('id')
    .where('credit_code', '=', creditCode)
    .where('id', '<>', baseId)
    .executeTakeFirst()
  if (other) return true
  const open = await trx
    .selectFrom('base_applications')
    .select('id')
    .where('credit_code', '=', creditCode)
    .where('state', 'in', ['draft', 'submitted', 'returned', 'forwarded'])
    .executeTakeFirst()
  return open !== undefined
}

/**
 * The base's staff ask HR to change its name, its credit code (GB 32100 check character), or both.
 * One pending request per base; the code must differ from the current one and be nobody else's.
 */
export async function requestNameChange(
  trx: Transaction<Database>,
  actor: Actor,
  baseId: number,
  input: unknown,
): Promise<Result<{ requestId: number }, ProfileCode, Errors>> {
  if (actor.role !== 'base_staff' || actor.baseId !== baseId) return err('forbidden')
  const base = await lockBase(trx, baseId)
  if (!base) return err('not_found')
  if (READ_ONLY.includes(base.status)) return err('read_only')
  const parsed = NameChangeSchema.safeParse(input)
  if (!parsed.success) return err('invalid', { errors: fieldErrors(parsed.error) })
  const newName = parsed.data.newName !== '' && parsed.data.newName !== base.name ? parsed.data.newName : null
  const newCode = parsed.data.newCreditCode || null
  if (newCode === base.credit_code) return err('same_credit_code', { errors: { newCreditCode: ['baseProfile.code.same_credit_code'] } })
  if (newName === null && newCode === null) return err('no_change')
  const pending = await trx
    .selectFrom('base_name_changes')
    .select('id')
    .where('base_id', '=', base.id)
    .where('state', '=', 'pending')
    .executeTakeFirst()
  if (pending) return err('name_change_pending')
  if (newCode !== null && (await codeTaken(trx, newCode, base.id)))
    return err('credit_code_taken', { errors: { newCreditCode: ['baseProfile.code.credit_code_taken'] } })
  // A concurrent second request meets the partial unique index: nothing inserted, the transaction stays usable.
  const row = await trx
    .insertInto('base_name_changes')
    .values({
      base_id: base.id,
      requested_by_account_id: actor.accountId,
      new_name: newName,
      new_credit_code: newCode,
      reason: parsed.data.reason,
      state: 'pending',
    })
    .onConflict((oc) => oc.column('base_id').where('state', '=', 'pending').doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!row) return err('name_change_pending')
  await audit(trx, {
    actorAccountId: actor.accountId,
    action: 'base.name_change.request',
    targetType: 'base',
    targetId: base.id,
    detail: { requestId: row.id, name: newName !== null, creditCode: newCode !== null },
  })
  return ok({ requestId: row.id })
}

async function lockRequest(trx: Transaction<Database>, requestId: number) {
  return trx
    .selectFrom('base_name_changes')
    .select(['id', 'base_id', 'new_name', 'new_credit_code', 'reason', 'state'])
    .where('id', '=', requestId)
    .forUpdate()
    .executeTakeFirst()
}

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === '23505'
}

/**
 * HR of the base's region (or the province, or an admin) approves or rejects a pending request
 * (a reason is required to reject). Approval renames the base and records an `edit` status event
 * with the old and new values; either way the base's people are told and the decision is audited.
 */
export async function decideNameChange(
  trx: Transaction<Database>,
  actor: Actor,
  requestId: number,
  decision: { approve: boolean; reason: string; /** The base the page showed: another base's request is not found. */ baseId?: number },
): Promise<Result<object, ProfileCode>> {
  if (actor.role !== 'hr' && actor.role !== 'admin') return err('forbidden')
  const req = await lockRequest(trx, requestId)
  if (!req || (decision.baseId !== undefined && decision.baseId !== req.base_id)) return err('not_found')
  const base = await lockBase(trx, req.base_id)
  if (!base) return err('not_found')
  // HR outside the base's region learn nothing about it.
  if (actor.role === 'hr' && !inScope(actor.scopeRegion, base.region_code)) return err('not_found')
  if (req.state !== 'pending') return err('not_pending')
  const reason = decision.reason.trim()
  if (!decision.approve && reason === '') return err('reason_required')
  const detail: Record<string, { from: string; to: string }> = {}
  if (decision.approve) {
    if (req.new_credit_code !== null && (await codeTaken(trx, req.new_credit_code, base.id))) return err('credit_code_taken')
    const to = { name: req.new_name ?? base.name, credit_code: req.new_credit_code ?? base.credit_code }
    // A code taken since the check (another approval at the same moment) meets the unique index:
    // undo just the update so the caller's transaction stays usable.
    await sql`savepoint base_rename`.execute(trx)
    try {
      await trx.updateTable('bases').set(to).where('id', '=', base.id).execute()
      await sql`release savepoint base_rename`.execute(trx)
    } catch (e) {
      if (!isUniqueViolation(e)) throw e
      await sql`rollback to savepoint base_rename`.execute(trx)
      return err('credit_code_taken')
    }
    if (to.name !== base.name) detail.name = { from: base.name, to: to.name }
    if (to.credit_code !== base.credit_code) detail.creditCode = { from: base.credit_code, to: to.credit_code }
    const state = lifecycleStateOf(base.status)
    await recordEvent(trx, { baseId: base.id, event: 'edit', from: state, to: state, actor, reason: req.reason, detail })
  }
  const outcome = decision.approve ? 'approved' : 'rejected'
  await trx
    .updateTable('base_name_changes')
    .set({ state: outcome, decided_by_account_id: actor.accountId, decided_at: new Date(), decision_reason: reason || null })
    .where('id', '=', req.id)
    .execute()
  await notifyBase(trx, { baseId: base.id }, `base_name_change_${outcome}`, `base-name-change:${req.id}`, {
    name: base.name,
    newName: req.new_name ?? base.name,
    newCreditCode: req.new_credit_code ?? base.credit_code,
    reason: reason || '—',
  })
  await audit(trx, {
    actorAccountId: actor.accountId,
    action: `base.name_change.${decision.approve ? 'approve' : 'reject'}`,
    targetType: 'base',
    targetId: base.id,
    detail: { requestId: req.id, ...detail },
  })
  return ok()
}

/** The base's staff withdraw its pending request. */
export async function withdrawNameChange(
  trx: Transaction<Database>,
  actor: Actor,
  requestId: number,
): Promise<Result<object, ProfileCode>> {
  const req = await lockRequest(trx, requestId)
  if (!req) return err('not_found')
  if (actor.role !== 'base_staff' || actor.baseId !== req.base_id) return err('forbidden')
  if (req.state !== 'pending') return err('not_pending')
  await trx
    .updateTable('base_name_changes')
    .set({ state: 'withdrawn', decided_by_account_id: actor.accountId, decided_at: new Date() })
    .where('id', '=', req.id)
    .execute()
  await audit(trx, {
    actorAccountId: actor.accountId,
    action: 'base.name_change.withdraw',
    targetType: 'base',
    targetId: req.base_id,
    detail: { requestId: req.id },
  })
  return ok()
}

/** A base's public profile as its staff edit it. */
export async function getProfile(db: DB, baseId: number) {
  return db
    .selectFrom('bases')
    .select(['id', 'name', 'credit_code', 'status', 'training_fields', 'intro', 'address', 'website', 'public_phone', 'profile_updated_at'])
    .where('id', '=', baseId)
    .executeTakeFirst()
}

/** A base's name-change requests, newest first (the pending one, if any, is first). */
export async function nameChangesOf(db: DB, baseId: number, { limit = 5 }: { limit?: number } = {}) {
  return db
    .selectFrom('base_name_changes')
    .select(['id', 'new_name', 'new_credit_code', 'reason', 'state', 'decision_reason', 'decided_at', 'created_at'])
    .where('base_id', '=', baseId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}
