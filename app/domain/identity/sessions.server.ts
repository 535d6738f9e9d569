import { randomToken, sha256 } from '#app/lib/crypto.server.ts'
import type { DB, Role } from '#db/schema.ts'

import { audit } from './audit.server.ts'

export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000

export type SessionUser = {
  sessionId: Buffer
  accountId: number
  personId: number
  name: string
  role: Role
  baseId: number | null
  scopeRegion: string | null
}

/** Server-side session: the cookie carries only a random token, the database only its hash. */
export async function createSession(db: DB, accountId: number, userAgent: string | null): Promise<string> {
  const token = randomToken()
  await db
    .insertInto('sessions')
    .values({
      id: sha256(token),
      account_id: accountId,
      expires_at: new Date(Date.now() + SESSION_TTL_MS),
      user_agent: userAgent?.slice(0, 300) ?? null,
    })
    .execute()
  return token
}

/** The sessions that sign someone in: not revoked, not expired, account not disabled. */
function activeSessions(db: DB, token: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .where('sessions.id', '=', sha256(token))
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', new Date())
    .where('accounts.disabled_at', 'is', null)
}

export async function findSessionUser(db: DB, token: string): Promise<SessionUser | null> {
  const row = await activeSessions(db, token)
    .innerJoin('people', 'people.id', 'accounts.person_id')
    .select([
      'sessions.id as sessionId',
      'accounts.id as accountId',
      'people.id as personId',
      'people.name',
      'accounts.role',
      'accounts.base_id as baseId',
      'accounts.scope_region as scopeRegion',
    ])
    .executeTakeFirst()
  return row ?? null
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
  return db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'user_agent'])
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc')
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
