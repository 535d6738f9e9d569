import type { Transaction } from 'kysely'

import { audit } from '#app/domain/identity/audit.server.ts'
import { BASE_INVITATION_POLICY } from '#app/domain/identity/security-policy.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import type { Database, DB } from '#db/schema.ts'

import { baseFacts } from './registry.server.ts'

/**
 * Who works for a training base (ADR 0020). An account works for at most one base at a time
 * through a live `base_members` row; a base admin invites a colleague by the mobile number of
 * their registered account, and the colleague accepts — so a professional who works at a base
 * keeps their own account and hours. The applicant becomes the base's first admin at approval.
 */

export type Membership = { baseId: number; isAdmin: boolean }

/** The live membership of an account, or null. */
export async function membershipOf(db: DB, accountId: number): Promise<Membership | null> {
  const m = await db
    .selectFrom('base_members')
    .select(['base_id', 'is_admin'])
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .executeTakeFirst()
  return m ? { baseId: m.base_id, isAdmin: m.is_admin } : null
}

type AddMember = {
  baseId: number
  accountId: number
  isAdmin: boolean
  how: 'approval' | 'invitation' | 'admin'
  addedBy: number | null
}

/** Adds a live membership; refused when the account already works for a base. Audited. */
export async function addMember(trx: Transaction<Database>, m: AddMember): Promise<Result<{ memberId: number }, 'member_elsewhere'>> {
  const row = await trx
    .insertInto('base_members')
    .values({ base_id: m.baseId, account_id: m.accountId, is_admin: m.isAdmin, how: m.how, added_by: m.addedBy })
    .onConflict((oc) => oc.column('account_id').where('ended_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!row) return err('member_elsewhere')
  await audit(trx, {
    actorAccountId: m.addedBy,
    action: 'base.member_add',
    targetType: 'base',
    targetId: m.baseId,
    detail: { accountId: m.accountId, isAdmin: m.isAdmin, how: m.how },
  })
  return ok({ memberId: row.id })
}

/** The base's live members and open invitations, for its staff page. */
export async function listMembers(db: DB, baseId: number, now = new Date()) {
  const [members, invitations] = await Promise.all([
    db
      .selectFrom('base_members as m')
      .innerJoin('accounts as a', 'a.id', 'm.account_id')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .select(['m.id', 'm.account_id', 'm.is_admin', 'm.how', 'm.created_at', 'p.name', 'a.phone', 'a.disabled_at'])
      .where('m.base_id', '=', baseId)
      .where('m.ended_at', 'is', null)
      .orderBy('m.id')
      .execute(),
    db
      .selectFrom('base_invitations as i')
      .innerJoin('accounts as a', 'a.id', 'i.account_id')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .select(['i.id', 'i.is_admin', 'i.created_at', 'i.expires_at', 'p.name', 'a.phone'])
      .where('i.base_id', '=', baseId)
      .where('i.outcome', 'is', null)
      .where('i.expires_at', '>', now)
      .orderBy('i.id')
      .execute(),
  ])
  return { members, invitations }
}

type Admin = { accountId: number; baseId: number }

async function requireAdmin(db: DB, actor: Admin, baseId: number): Promise<boolean> {
  if (actor.baseId !== baseId) return false
  const m = await membershipOf(db, actor.accountId)
  return m?.baseId === baseId && m.isAdmin
}

/** A base may take on staff unless it is revoked (its staff keep read access to their history). */
async function baseOpen(db: DB, baseId: number): Promise<boolean> {
  const facts = await baseFacts(db, baseId)
  return facts !== null && facts.state !== 'revoked' && facts.revokedOn === null
}

export type InviteCode =
  'not_admin' | 'base_closed' | 'no_account' | 'not_eligible' | 'already_member' | 'member_elsewhere' | 'already_invited'

/**
 * A base admin invites the account registered with `phone`. Only learner and base-staff accounts
 * can work for a base (HR and admins are the regulator). The invitee is told by an in-app notice.
 */
export async function inviteColleague(
  trx: Transaction<Database>,
  actor: Admin,
  baseId: number,
  input: { phone: string; isAdmin: boolean },
  now = new Date(),
): Promise<Result<{ invitationId: number }, InviteCode>> {
  if (!(await requireAdmin(trx, actor, baseId))) return err('not_admin')
  if (!(await baseOpen(trx, baseId))) return err('base_closed')
  const invitee = await trx
    .selectFrom('accounts')
    .select(['id', 'role', 'person_id', 'disabled_at'])
    .where('phone', '=', input.phone)
    .executeTakeFirst()
  if (!invitee || invitee.disabled_at) return err('no_account')
  if (invitee.role === 'hr' || invitee.role === 'admin') return err('not_eligible')
  const current = await membershipOf(trx, invitee.id)
  if (current?.baseId === baseId) return err('already_member')
  if (current) return err('member_elsewhere')
  // A lapsed invitation stays as it was; only an open one blocks a second.
  await trx
    .updateTable('base_invitations')
    .set({ outcome: 'cancelled', answered_at: now })
    .where('base_id', '=', baseId)
    .where('account_id', '=', invitee.id)
    .where('outcome', 'is', null)
    .where('expires_at', '<=', now)
    .execute()
  const row = await trx
    .insertInto('base_invitations')
    .values({
      base_id: baseId,
      account_id: invitee.id,
      is_admin: input.isAdmin,
      invited_by: actor.accountId,
      expires_at: new Date(now.getTime() + BASE_INVITATION_POLICY.ttlMs),
    })
    .onConflict((oc) => oc.columns(['base_id', 'account_id']).where('outcome', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!row) return err('already_invited')
  const base = await trx.selectFrom('bases').select('name').where('id', '=', baseId).executeTakeFirstOrThrow()
  await trx
    .insertInto('notices')
    .values({
      person_id: invitee.person_id,
      kind: 'base_invitation',
      dedupe_key: `base-invitation:${row.id}`,
      params: JSON.stringify({ name: base.name, invitationId: row.id }),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute()
  await audit(trx, {
    actorAccountId: actor.accountId,
    action: 'base.member_invite',
    targetType: 'base',
    targetId: baseId,
    detail: { accountId: invitee.id, isAdmin: input.isAdmin, invitationId: row.id },
  })
  return ok({ invitationId: row.id })
}

/** The invitations open to an account (for its account page). */
export async function invitationsFor(db: DB, accountId: number, now = new Date()) {
  return db
    .selectFrom('base_invitations as i')
    .innerJoin('bases as b', 'b.id', 'i.base_id')
    .innerJoin('accounts as by', 'by.id', 'i.invited_by')
    .innerJoin('people as p', 'p.id', 'by.person_id')
    .select([
      'i.id',
      'i.base_id',
      'b.name as base_name',
      'b.region_code',
      'i.is_admin',
      'i.created_at',
      'i.expires_at',
      'p.name as invited_by_name',
    ])
    .where('i.account_id', '=', accountId)
    .where('i.outcome', 'is', null)
    .where('i.expires_at', '>', now)
    .orderBy('i.id')
    .execute()
}

export type AnswerCode = 'not_found' | 'expired' | 'base_closed' | 'member_elsewhere'

/** The invitee accepts (becoming a member) or declines an open invitation addressed to them. */
export async function answerInvitation(
  trx: Transaction<Database>,
  accountId: number,
  invitationId: number,
  accept: boolean,
  now = new Date(),
): Promise<Result<{ baseId: number }, AnswerCode>> {
  const inv = await trx
    .selectFrom('base_invitations')
    .selectAll()
    .where('id', '=', invitationId)
    .where('account_id', '=', accountId)
    .where('outcome', 'is', null)
    .forUpdate()
    .executeTakeFirst()
  if (!inv) return err('not_found')
  if (inv.expires_at <= now) return err('expired')
  if (accept) {
    if (!(await baseOpen(trx, inv.base_id))) return err('base_closed')
    const added = await addMember(trx, {
      baseId: inv.base_id,
      accountId,
      isAdmin: inv.is_admin,
      how: 'invitation',
      addedBy: inv.invited_by,
    })
    if (!added.ok) return added
  }
  await trx
    .updateTable('base_invitations')
    .set({ outcome: accept ? 'accepted' : 'declined', answered_at: now })
    .where('id', '=', inv.id)
    .execute()
  if (!accept)
    await audit(trx, {
      actorAccountId: accountId,
      action: 'base.member_decline',
      targetType: 'base',
      targetId: inv.base_id,
      detail: { invitationId },
    })
  return ok({ baseId: inv.base_id })
}

/** A base admin withdraws an open invitation of their base. */
export async function cancelInvitation(
  trx: Transaction<Database>,
  actor: Admin,
  baseId: number,
  invitationId: number,
  now = new Date(),
): Promise<Result<object, 'not_admin' | 'not_found'>> {
  if (!(await requireAdmin(trx, actor, baseId))) return err('not_admin')
  const r = await trx
    .updateTable('base_invitations')
    .set({ outcome: 'cancelled', answered_at: now })
    .where('id', '=', invitationId)
    .where('base_id', '=', baseId)
    .where('outcome', 'is', null)
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) === 0) return err('not_found')
  await audit(trx, {
    actorAccountId: actor.accountId,
    action: 'base.member_invite_cancel',
    targetType: 'base',
    targetId: baseId,
    detail: { invitationId },
  })
  return ok()
}

/**
 * A base admin ends a colleague's membership (or their own). The last admin of a base cannot
 * leave: someone must be able to manage its staff.
 */
export async function endMembership(
  trx: Transaction<Database>,
  actor: Admin,
  baseId: number,
  memberId: number,
  now = new Date(),
): Promise<Result<object, 'not_admin' | 'not_found' | 'last_admin'>> {
  if (!(await requireAdmin(trx, actor, baseId))) return err('not_admin')
  // Serialise changes to one base's staff, so two admins removing each other cannot leave none.
  await trx.selectFrom('bases').select('id').where('id', '=', baseId).forUpdate().executeTakeFirst()
  const m = await trx
    .selectFrom('base_members')
    .select(['id', 'account_id', 'is_admin'])
    .where('id', '=', memberId)
    .where('base_id', '=', baseId)
    .where('ended_at', 'is', null)
    .executeTakeFirst()
  if (!m) return err('not_found')
  if (m.is_admin) {
    const { n } = await trx
      .selectFrom('base_members')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('base_id', '=', baseId)
      .where('is_admin', '=', true)
      .where('ended_at', 'is', null)
      .executeTakeFirstOrThrow()
    if (Number(n) <= 1) return err('last_admin')
  }
  await trx.updateTable('base_members').set({ ended_at: now, ended_by: actor.accountId }).where('id', '=', m.id).execute()
  await audit(trx, {
    actorAccountId: actor.accountId,
    action: 'base.member_end',
    targetType: 'base',
    targetId: baseId,
    detail: { accountId: m.account_id },
  })
  return ok()
}
