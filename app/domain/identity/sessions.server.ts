import { sql } from 'kysely'

import { randomToken, sha256 } from '#app/lib/crypto.server.ts'
import type { DB, Role } from '#db/schema.ts'

import { audit } from './audit.server.ts'
import { SESSION_MAX_MS, SESSION_POLICY, sessionPolicyFor } from './security-policy.ts'

/** The longest a session can live (the cookie's Max-Age); each role's own limits are in security-policy.ts. */
export const SESSION_TTL_MS = SESSION_MAX_MS

export type SessionUser = {
  sessionId: Buffer
  accountId: number
  personId: number
  name: string
  role: Role
  /** The base this account works for (a live membership), whatever its role. */
  baseId: number | null
  /** May manage the base's staff. */
  baseAdmin: boolean
  scopeRegion: string | null
  /** An admin set a temporary password: every signed-in page leads to /account/password until it is changed. */
  mustChangePassword: boolean
}

/** Server-side session: the cookie carries only a random token, the database only its hash. */
export async function createSession(db: DB, accountId: number, userAgent: string | null): Promise<string> {
  const token = randomToken()
  const { role } = await db.selectFrom('accounts').select('role').where('id', '=', accountId).executeTakeFirstOrThrow()
  await db
    .insertInto('sessions')
    .values({
      id: sha256(token),
      account_id: accountId,
      // The absolute lifetime: fixed at sign-in, shorter for staff.
      expires_at: new Date(Date.now() + sessionPolicyFor(role).absoluteMs),
      user_agent: userAgent?.slice(0, 300) ?? null,
    })
    .execute()
  return token
}

/**
 * The idle deadline of a session as SQL: last seen + the idle timeout of the account's role.
 * Read from the role at each request, so a policy change applies to open sessions at once.
 */
const interval = (ms: number) => sql.raw(`interval '${Math.round(ms)} milliseconds'`)
const idleDeadline = sql<Date>`sessions.last_seen_at + case when accounts.role = 'learner'
  then ${interval(SESSION_POLICY.learner.idleMs)} else ${interval(SESSION_POLICY.staff.idleMs)} end`

/** The sessions that sign someone in: not revoked, not expired (absolute or idle), account not disabled. */
function activeSessions(db: DB, token: string) {
  const now = new Date()
  return db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .where('sessions.id', '=', sha256(token))
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now)
    .where(idleDeadline, '>', now)
    .where('accounts.disabled_at', 'is', null)
}

export async function findSessionUser(db: DB, token: string): Promise<SessionUser | null> {
  const row = await activeSessions(db, token)
    .innerJoin('people', 'people.id', 'accounts.person_id')
    // Base staff through a live membership (ADR 0020): at most one per account.
    .leftJoin('base_members', (j) => j.onRef('base_members.account_id', '=', 'accounts.id').on('base_members.ended_at', 'is', null))
    .select([
      'sessions.id as sessionId',
      'accounts.id as accountId',
      'people.id as personId',
      'people.name',
      'accounts.role',
      'base_members.base_id as baseId',
      'base_members.is_admin as baseAdmin',
      'accounts.scope_region as scopeRegion',
      'accounts.must_change_password as mustChangePassword',
      'sessions.last_seen_at as lastSeenAt',
    ])
    .executeTakeFirst()
  if (!row) return null
  const { lastSeenAt, baseAdmin, ...user } = row
  await touchSession(db, user.sessionId, lastSeenAt)
  return { ...user, baseAdmin: baseAdmin ?? false }
}

/**
 * Slides the idle deadline: `last_seen_at` is written at most once a minute per session (and
 * only by the first of concurrent requests), not on every request.
 */
async function touchSession(db: DB, sessionId: Buffer, lastSeenAt: Date): Promise<void> {
  const now = Date.now()
  if (now - lastSeenAt.getTime() < SESSION_POLICY.touchEveryMs) return
  await db
    .updateTable('sessions')
    .set({ last_seen_at: new Date(now) })
    .where('id', '=', sessionId)
    .where('last_seen_at', '<', new Date(now - SESSION_POLICY.touchEveryMs))
    .execute()
}

/**
 * The person a session token signs in, as a subquery, for hot paths that look up the person and
 * what they act on in one statement (the lesson heartbeat). Same rules as findSessionUser.
 */
export function sessionPersonQuery(db: DB, token: string) {
  return activeSessions(db, token).select('accounts.person_id')
}

export async function revokeSession(db: DB, sessionId: Buffer, accountId: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('id', '=', sessionId)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .execute()
}

export async function listActiveSessions(db: DB, accountId: number) {
  const now = new Date()
  return db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .select(['sessions.id', 'sessions.created_at', 'sessions.last_seen_at', 'sessions.user_agent'])
    .where('sessions.account_id', '=', accountId)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now)
    .where(idleDeadline, '>', now)
    .orderBy('sessions.created_at', 'desc')
    .execute()
}

/** "Sign out everywhere else" for oneself, or every session of an account by an admin (audited). */
export async function revokeAllSessions(
  db: DB,
  accountId: number,
  opts: { except?: Buffer; actorAccountId?: number } = {},
): Promise<number> {
  let q = db.updateTable('sessions').set({ revoked_at: new Date() }).where('account_id', '=', accountId).where('revoked_at', 'is', null)
  if (opts.except) q = q.where('id', '<>', opts.except)
  const res = await q.executeTakeFirst()
  const n = Number(res.numUpdatedRows)
  if (opts.actorAccountId !== undefined && opts.actorAccountId !== accountId) {
    await audit(db, {
      actorAccountId: opts.actorAccountId,
      action: 'account.revoke_sessions',
      targetType: 'account',
      targetId: accountId,
      detail: { revoked: n },
    })
  }
  return n
}
