import { randomInt, timingSafeEqual } from 'node:crypto'

import { verify } from '@node-rs/argon2'

import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { lookupHash } from '#app/lib/crypto.server.ts'
import type { DB } from '#db/schema.ts'

import { findAccountByLogin, hashPassword, verifyDummy } from './accounts.server.ts'
import { audit } from './audit.server.ts'
import { clearLoginFailures, recordLoginFailure, reserveLoginAttempt } from './login-lock.server.ts'
import { RESET_CODE_POLICY } from './security-policy.ts'

/** Password self-service: change (signed in), reset by a code sent to the registered mobile, admin reset of staff. */

/** Sets a new password, ends every other session; the lock and any must-change flag go. */
async function setPassword(db: DB, accountId: number, passwordHash: string, opts: { keepSession?: Buffer; mustChange?: boolean }) {
  const now = new Date()
  await db
    .updateTable('accounts')
    .set({
      password_hash: passwordHash,
      password_changed_at: now,
      must_change_password: opts.mustChange ?? false,
      failed_logins: 0,
      failed_window_start: null,
      locked_until: null,
    })
    .where('id', '=', accountId)
    .execute()
  let q = db.updateTable('sessions').set({ revoked_at: now }).where('account_id', '=', accountId).where('revoked_at', 'is', null)
  if (opts.keepSession) q = q.where('id', '<>', opts.keepSession)
  const res = await q.executeTakeFirst()
  return Number(res.numUpdatedRows)
}

export type ChangePasswordResult = Result<
  { revoked: number },
  'wrong_password' | 'same_password' | 'locked',
  { retryAfterSeconds?: number }
>

/**
 * The signed-in person changes their password: the current one is checked (wrong guesses count
 * towards the same per-account lock as logins), every other session is signed out.
 */
export async function changePassword(
  db: DB,
  input: { accountId: number; sessionId: Buffer; current: string; next: string },
): Promise<ChangePasswordResult> {
  const row = await db.selectFrom('accounts').select('password_hash').where('id', '=', input.accountId).executeTakeFirstOrThrow()
  const reserved = await reserveLoginAttempt(db, input.accountId)
  if (!reserved.ok) return err('locked', { retryAfterSeconds: reserved.retryAfterSeconds })
  if (!(await verify(row.password_hash, input.current))) {
    await recordLoginFailure(db, input.accountId, reserved.count)
    return err('wrong_password')
  }
  await clearLoginFailures(db, input.accountId)
  if (input.current === input.next) return err('same_password')
  const revoked = await setPassword(db, input.accountId, await hashPassword(input.next), { keepSession: input.sessionId })
  await audit(db, { actorAccountId: input.accountId, action: 'account.change_password', targetType: 'account', targetId: input.accountId })
  return ok({ revoked })
}

// No 0/O, 1/l/I: read aloud or copied from a screen.
const TEMP_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** A temporary password that meets the password rules (letters and digits, 12 characters). */
export function temporaryPassword(): string {
  for (;;) {
    let p = ''
    for (let i = 0; i < 12; i++) p += TEMP_ALPHABET[randomInt(TEMP_ALPHABET.length)]
    if (/[A-Za-z]/.test(p) && /\d/.test(p)) return p
  }
}

export type AdminResetResult = Result<{ temporaryPassword: string }, 'self' | 'not_found' | 'not_staff'>

/**
 * An admin gives a staff account a temporary password (shown to the admin once, never stored in
 * clear): its sessions end and its owner must change it at the next sign-in. Learners reset
 * their own by SMS instead. Audited.
 */
export async function adminResetPassword(db: DB, accountId: number, actorAccountId: number): Promise<AdminResetResult> {
  if (accountId === actorAccountId) return err('self')
  const row = await db.selectFrom('accounts').select(['id', 'role']).where('id', '=', accountId).executeTakeFirst()
  if (!row) return err('not_found')
  if (row.role === 'learner') return err('not_staff')
  const temp = temporaryPassword()
  const revoked = await setPassword(db, accountId, await hashPassword(temp), { mustChange: true })
  await audit(db, { actorAccountId, action: 'account.reset_password', targetType: 'account', targetId: accountId, detail: { revoked } })
  return ok({ temporaryPassword: temp })
}

function codeHash(accountId: number, code: string): Buffer {
  return lookupHash(`password-reset:${accountId}:${code}`)
}

export function newResetCode(): string {
  return String(randomInt(10 ** RESET_CODE_POLICY.digits)).padStart(RESET_CODE_POLICY.digits, '0')
}

/** What happened to a reset request. The page answers all of them alike (it must not tell whether an account exists). */
export type ResetRequestOutcome = 'sent' | 'no_account' | 'throttled'

/**
 * A forgotten password: a one-time code goes to the account's registered mobile through
 * `deliver` (the edge words the message and picks the SMS channel). At most one send a minute
 * and five an hour per account; a new code replaces the older ones.
 */
export async function requestResetCode(
  db: DB,
  login: string,
  deliver: (phone: string, code: string) => Promise<void>,
  now = new Date(),
): Promise<ResetRequestOutcome> {
  const account = await findAccountByLogin(db, login)
  if (!account || account.disabled_at) return 'no_account'
  const sent = await db.transaction().execute(async (trx) => {
    // Serialises concurrent requests for one account, so the caps hold.
    await trx.selectFrom('accounts').select('id').where('id', '=', account.id).forUpdate().executeTakeFirstOrThrow()
    const recent = await trx
      .selectFrom('password_reset_codes')
      .select(['created_at'])
      .where('account_id', '=', account.id)
      .where('created_at', '>', new Date(now.getTime() - 3600 * 1000))
      .orderBy('created_at', 'desc')
      .execute()
    const last = recent[0]
    if (recent.length >= RESET_CODE_POLICY.maxPerHour) return null
    if (last && now.getTime() - last.created_at.getTime() < RESET_CODE_POLICY.minIntervalMs) return null
    const code = newResetCode()
    await trx
      .updateTable('password_reset_codes')
      .set({ used_at: now })
      .where('account_id', '=', account.id)
      .where('used_at', 'is', null)
      .execute()
    await trx
      .insertInto('password_reset_codes')
      .values({
        account_id: account.id,
        code_hash: codeHash(account.id, code),
        created_at: now,
        expires_at: new Date(now.getTime() + RESET_CODE_POLICY.ttlMs),
      })
      .execute()
    return code
  })
  if (sent === null) return 'throttled'
  await deliver(account.phone, sent)
  return 'sent'
}

export type ResetResult = Result<{ accountId: number }, 'invalid_code'>

/**
 * Sets a new password with a code from `requestResetCode`: the latest unused code of the account,
 * within 10 minutes, at most 5 guesses, used once. Unknown login, no code, expired, used up or
 * wrong all answer `invalid_code`. Every session of the account ends.
 */
export async function resetPasswordWithCode(
  db: DB,
  input: { login: string; code: string; password: string },
  now = new Date(),
): Promise<ResetResult> {
  const account = await findAccountByLogin(db, input.login)
  if (!account || account.disabled_at) {
    await verifyDummy(input.password)
    return err('invalid_code')
  }
  const matched = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('password_reset_codes')
      .select(['id', 'code_hash', 'attempts', 'expires_at'])
      .where('account_id', '=', account.id)
      .where('used_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(1)
      .forUpdate()
      .executeTakeFirst()
    if (!row || row.expires_at <= now || row.attempts >= RESET_CODE_POLICY.maxAttempts) return false
    const good = timingSafeEqual(row.code_hash, codeHash(account.id, input.code))
    await trx
      .updateTable('password_reset_codes')
      .set(good ? { used_at: now, attempts: row.attempts + 1 } : { attempts: row.attempts + 1 })
      .where('id', '=', row.id)
      .execute()
    return good
  })
  if (!matched) {
    // As costly as the unknown-login path and the success path (one argon2 each).
    await verifyDummy(input.password)
    return err('invalid_code')
  }
  const revoked = await setPassword(db, account.id, await hashPassword(input.password), {})
  await audit(db, {
    actorAccountId: account.id,
    action: 'account.reset_password_by_code',
    targetType: 'account',
    targetId: account.id,
    detail: { revoked },
  })
  return ok({ accountId: account.id })
}
