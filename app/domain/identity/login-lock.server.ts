import { err, ok, type Result } from '#app/domain/shared/result.ts'
import type { DB } from '#db/schema.ts'

import { LOGIN_POLICY } from './security-policy.ts'

/**
 * The per-account login lock, kept on the account row in PostgreSQL (ADR 0018): it counts the
 * account, not the text typed, so the ID number, the mobile and any hyphenated form of it share
 * one counter; and it survives a Redis restart.
 *
 * An attempt is counted *before* the password is checked (and forgiven when it turns out right),
 * so concurrent guesses cannot all slip in before the first failure is recorded.
 */
export type Reservation = Result<{ count: number }, 'locked', { retryAfterSeconds: number }>

const policy = LOGIN_POLICY.perAccount

function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000))
}

export async function reserveLoginAttempt(db: DB, accountId: number, now = new Date()): Promise<Reservation> {
  return db.transaction().execute(async (trx): Promise<Reservation> => {
    const a = await trx
      .selectFrom('accounts')
      .select(['failed_logins', 'failed_window_start', 'locked_until'])
      .where('id', '=', accountId)
      .forUpdate()
      .executeTakeFirstOrThrow()
    if (a.locked_until && a.locked_until > now) return err('locked', { retryAfterSeconds: secondsUntil(a.locked_until, now) })
    const inWindow = a.failed_window_start !== null && now.getTime() - a.failed_window_start.getTime() < policy.windowMs
    const count = (inWindow ? a.failed_logins : 0) + 1
    if (count > policy.maxFailures) {
      const until = new Date(now.getTime() + policy.lockMs)
      await trx.updateTable('accounts').set({ locked_until: until }).where('id', '=', accountId).execute()
      return err('locked', { retryAfterSeconds: secondsUntil(until, now) })
    }
    await trx
      .updateTable('accounts')
      .set({ failed_logins: count, failed_window_start: inWindow ? a.failed_window_start : now, locked_until: null })
      .where('id', '=', accountId)
      .execute()
    return ok({ count })
  })
}

/** The reserved attempt was a wrong password: the last one allowed locks the account. */
export async function recordLoginFailure(db: DB, accountId: number, count: number, now = new Date()): Promise<void> {
  if (count < policy.maxFailures) return
  await db
    .updateTable('accounts')
    .set({ locked_until: new Date(now.getTime() + policy.lockMs) })
    .where('id', '=', accountId)
    .execute()
}

/** The right password (or a completed reset): the counter starts again. */
export async function clearLoginFailures(db: DB, accountId: number): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ failed_logins: 0, failed_window_start: null, locked_until: null })
    .where('id', '=', accountId)
    .execute()
}
