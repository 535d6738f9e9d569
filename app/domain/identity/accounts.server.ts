import { hash, verify } from '@node-rs/argon2'
import type { Transaction } from 'kysely'

import { addMember } from '#app/domain/bases/members.server.ts'
import { matchPersonEmployer } from '#app/domain/employers/employers.server.ts'
import { maskedIdNumber } from '#app/domain/identity/pii.server.ts'
import type { ParsedIdNumber } from '#app/domain/shared/id-number.ts'
import { maskIdNumber, parseIdNumber, parseMobile } from '#app/domain/shared/id-number.ts'
import { type Err, err, type Ok, ok, type Result } from '#app/domain/shared/result.ts'
import { decryptPii, encryptPii, lookupHash } from '#app/lib/crypto.server.ts'
import { enqueue } from '#app/lib/queue.server.ts'
import type { Database, DB, Role } from '#db/schema.ts'

import type { FieldErrors, RegistrationInput, StaffInput } from './accounts.schema.ts'
import { audit } from './audit.server.ts'
import { recordLoginFailure, reserveLoginAttempt } from './login-lock.server.ts'

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane).
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2)
}

// A real hash to verify against when the login is unknown, so both paths cost the same time.
let dummyHash: Promise<string> | undefined

function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string }
  return err?.code === '23505' && (!constraint || err.constraint === constraint)
}

/**
 * Finds or creates the person for an ID number. A person may already exist without an account
 * (a base reported them), in which case their hours wait for them and registration adopts them.
 */
async function upsertPerson(
  trx: Transaction<Database>,
  id: ParsedIdNumber,
  fields: {
    name: string
    employer?: string | null
    region_code?: string | null
    title_series?: string | null
    title_level?: string | null
    title_year?: number | null
  },
): Promise<number> {
  const idHash = lookupHash(id.value)
  const existing = await trx.selectFrom('people').select('id').where('id_number_hash', '=', idHash).forUpdate().executeTakeFirst()
  if (existing) {
    await trx.updateTable('people').set(fields).where('id', '=', existing.id).execute()
    return existing.id
  }
  const row = await trx
    .insertInto('people')
    .values({
      id_number_enc: encryptPii(id.value),
      id_number_hash: idHash,
      gender: id.gender,
      birth_date: id.birthDate,
      ...fields,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A refusal names its code and the form field it belongs to (with that field's message key). */
type Taken = 'id_number_taken' | 'phone_taken'
export type RegisterResult = Result<{ accountId: number }, Taken, { errors: FieldErrors }>

/** 实名注册: one account per ID number; the welcome notice goes out through the outbox. */
export async function registerLearner(db: DB, input: RegistrationInput): Promise<RegisterResult> {
  const passwordHash = await hashPassword(input.password)
  try {
    return await db.transaction().execute(async (trx) => {
      const personId = await upsertPerson(trx, input.idNumber, {
        name: input.name,
        employer: input.employer,
        region_code: input.region,
        title_series: input.titleSeries,
        title_level: input.titleLevel,
        title_year: input.titleYear,
      })
      await matchPersonEmployer(trx, personId)
      const taken = await trx.selectFrom('accounts').select('id').where('person_id', '=', personId).executeTakeFirst()
      if (taken) throw new DuplicateError('idNumber')
      const account = await trx
        .insertInto('accounts')
        .values({ person_id: personId, phone: input.phone, password_hash: passwordHash, role: 'learner' })
        .returning('id')
        .executeTakeFirstOrThrow()
      await enqueue(trx, 'notice.welcome', { personId, accountId: account.id })
      return ok({ accountId: account.id })
    })
  } catch (e) {
    if (e instanceof DuplicateError)
      return err(e.field === 'phone' ? 'phone_taken' : 'id_number_taken', { errors: { [e.field]: `err.${e.field}.taken` } })
    if (isUniqueViolation(e, 'accounts_phone_key')) return err('phone_taken', { errors: { phone: 'err.phone.taken' } })
    if (isUniqueViolation(e)) return err('id_number_taken', { errors: { idNumber: 'err.idNumber.taken' } })
    throw e
  }
}

class DuplicateError extends Error {
  constructor(readonly field: 'idNumber' | 'phone') {
    super(`duplicate ${field}`)
  }
}

export type LoginResult =
  Ok<{ accountId: number }> | Err<'invalid_credentials'> | Err<'unknown_login'> | Err<'locked', { retryAfterSeconds: number }>

/** The account a login names: a mobile number (hyphens and spaces ignored) or a resident ID number. */
export async function findAccountByLogin(db: DB, login: string) {
  let query = db
    .selectFrom('accounts')
    .innerJoin('people', 'people.id', 'accounts.person_id')
    .select(['accounts.id', 'accounts.password_hash', 'accounts.disabled_at', 'accounts.phone'])
  const mobile = parseMobile(login)
  if (mobile) {
    query = query.where('accounts.phone', '=', mobile)
  } else {
    const id = parseIdNumber(login)
    if (!id.ok) return null
    query = query.where('people.id_number_hash', '=', lookupHash(id.id.value))
  }
  return (await query.executeTakeFirst()) ?? null
}

/**
 * Log in with a resident ID number or a mobile number. Wrong password and disabled account look
 * alike; `unknown_login` (no such account) must be answered like them too, which is the edge's
 * job, since it keeps a text-keyed counter for it (a lock that only real accounts reach would
 * tell which logins exist). Every path costs one argon2 verification.
 */
export async function authenticate(db: DB, login: string, password: string, now = new Date()): Promise<LoginResult> {
  const row = await findAccountByLogin(db, login)
  if (!row) {
    await verifyDummy(password)
    return err('unknown_login')
  }
  const reserved = await reserveLoginAttempt(db, row.id, now)
  if (!reserved.ok) {
    await verifyDummy(password)
    return reserved
  }
  let good = false
  if (row.disabled_at) await verifyDummy(password)
  else good = await verify(row.password_hash, password)
  if (!good) {
    await recordLoginFailure(db, row.id, reserved.count, now)
    return err('invalid_credentials')
  }
  await db
    .updateTable('accounts')
    .set({ last_login_at: now, failed_logins: 0, failed_window_start: null, locked_until: null })
    .where('id', '=', row.id)
    .execute()
  return ok({ accountId: row.id })
}

export async function verifyDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password-1')
  await verify(await dummyHash, password).catch(() => false)
}

export type StaffResult = Result<{ accountId: number }, Taken | 'unknown_base', { errors: FieldErrors }>

/** An admin creates a staff account (base staff, HR officer, admin). Audited. */
export async function createStaffAccount(db: DB, actorAccountId: number | null, input: StaffInput): Promise<StaffResult> {
  const passwordHash = await hashPassword(input.password)
  const baseId = input.role === 'base_staff' ? Number(input.baseId) : null
  const scopeRegion = input.role === 'hr' ? (input.scopeRegion ?? null) : null
  try {
    return await db.transaction().execute(async (trx): Promise<StaffResult> => {
      if (baseId !== null) {
        const base = await trx.selectFrom('bases').select(['id', 'status']).where('id', '=', baseId).executeTakeFirst()
        if (!base) return err('unknown_base', { errors: { baseId: 'err.choice' } })
      }
      // Refuse before touching the person: a taken ID must change nothing, not even the name.
      const taken = await trx
        .selectFrom('accounts')
        .innerJoin('people', 'people.id', 'accounts.person_id')
        .select('accounts.id')
        .where('people.id_number_hash', '=', lookupHash(input.idNumber.value))
        .executeTakeFirst()
      if (taken) return err('id_number_taken', { errors: { idNumber: 'err.idNumber.taken' } })
      const personId = await upsertPerson(trx, input.idNumber, { name: input.name })
      const account = await trx
        .insertInto('accounts')
        .values({
          person_id: personId,
          phone: input.phone,
          password_hash: passwordHash,
          role: input.role,
          scope_region: scopeRegion,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      // A base-only account administers its base (ADR 0020).
      if (baseId !== null) await addMember(trx, { baseId, accountId: account.id, isAdmin: true, how: 'admin', addedBy: actorAccountId })
      await audit(trx, {
        actorAccountId,
        action: 'account.create_staff',
        targetType: 'account',
        targetId: account.id,
        detail: { role: input.role, baseId, scopeRegion, idNumber: maskIdNumber(input.idNumber.value) },
      })
      return ok({ accountId: account.id })
    })
  } catch (e) {
    if (isUniqueViolation(e, 'accounts_phone_key')) return err('phone_taken', { errors: { phone: 'err.phone.taken' } })
    throw e
  }
}

export async function listStaff(db: DB) {
  const rows = await db
    .selectFrom('accounts')
    .innerJoin('people', 'people.id', 'accounts.person_id')
    .leftJoin('base_members as m', (j) => j.onRef('m.account_id', '=', 'accounts.id').on('m.ended_at', 'is', null))
    .leftJoin('bases', 'bases.id', 'm.base_id')
    .select([
      'accounts.id',
      'accounts.role',
      'accounts.scope_region',
      'accounts.disabled_at',
      'accounts.created_at',
      'accounts.can_export_full_ids',
      'people.name',
      'people.id_number_enc',
      'bases.name as base_name',
    ])
    .where('accounts.role', '<>', 'learner')
    .orderBy('accounts.id')
    .execute()
  return rows.map(({ id_number_enc, ...r }) => ({ ...r, idNumberMasked: maskedIdNumber(id_number_enc) }))
}

export async function listBases(db: DB) {
  return db.selectFrom('bases').select(['id', 'name', 'region_code', 'status']).orderBy('id').execute()
}

/** The signed-in person's own profile: the only place their ID number is shown in full. */
export async function getOwnProfile(db: DB, accountId: number) {
  const row = await db
    .selectFrom('accounts')
    .innerJoin('people', 'people.id', 'accounts.person_id')
    .leftJoin('base_members as m', (j) => j.onRef('m.account_id', '=', 'accounts.id').on('m.ended_at', 'is', null))
    .leftJoin('bases', 'bases.id', 'm.base_id')
    .select([
      'accounts.id as accountId',
      'accounts.phone',
      'accounts.role',
      'accounts.scope_region',
      'accounts.created_at',
      'people.id as personId',
      'people.name',
      'people.gender',
      'people.birth_date',
      'people.employer',
      'people.region_code',
      'people.title_series',
      'people.title_level',
      'people.title_year',
      'people.id_number_enc',
      'bases.name as base_name',
    ])
    .where('accounts.id', '=', accountId)
    .executeTakeFirstOrThrow()
  const { id_number_enc, ...rest } = row
  return { ...rest, idNumber: decryptPii(id_number_enc) }
}

export async function countPeopleInScope(db: DB, scopeRegion: string, provinceCode: string) {
  let q = db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n'))
  if (scopeRegion !== provinceCode) q = q.where('region_code', '=', scopeRegion)
  return (await q.executeTakeFirstOrThrow()).n
}

export type { Role }

export type DisableResult = Result<{ changed: boolean }, 'self' | 'not_found'>

/**
 * An admin disables an account (someone left, a key role changed hands) or enables it again.
 * Disabling signs it out everywhere at once (sessions of a disabled account stop working anyway:
 * findSessionUser checks `disabled_at`) and refuses its logins. An admin cannot disable their own
 * account, so the last admin can never lock everyone out. Audited; the caller's transaction.
 */
export async function setAccountDisabled(trx: DB, accountId: number, disabled: boolean, actorAccountId: number): Promise<DisableResult> {
  if (accountId === actorAccountId) return err('self')
  const row = await trx.selectFrom('accounts').select(['id', 'disabled_at']).where('id', '=', accountId).forUpdate().executeTakeFirst()
  if (!row) return err('not_found')
  if (Boolean(row.disabled_at) === disabled) return ok({ changed: false })
  await trx
    .updateTable('accounts')
    .set({ disabled_at: disabled ? new Date() : null })
    .where('id', '=', accountId)
    .execute()
  if (disabled)
    await trx
      .updateTable('sessions')
      .set({ revoked_at: new Date() })
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .execute()
  await audit(trx, { actorAccountId, action: disabled ? 'account.disable' : 'account.enable', targetType: 'account', targetId: accountId })
  return ok({ changed: true })
}

export type FullIdExportResult = Result<{ changed: boolean }, 'not_found' | 'not_hr'>

/**
 * Grants or takes back an HR officer's permission to export full ID numbers (compliance exports
 * mask them otherwise). Audited; a no-op when nothing changes.
 */
export async function setFullIdExport(trx: DB, accountId: number, allowed: boolean, actorAccountId: number): Promise<FullIdExportResult> {
  const row = await trx
    .selectFrom('accounts')
    .select(['role', 'can_export_full_ids'])
    .where('id', '=', accountId)
    .forUpdate()
    .executeTakeFirst()
  if (!row) return err('not_found')
  if (row.role !== 'hr') return err('not_hr')
  if (row.can_export_full_ids === allowed) return ok({ changed: false })
  await trx.updateTable('accounts').set({ can_export_full_ids: allowed }).where('id', '=', accountId).execute()
  await audit(trx, {
    actorAccountId,
    action: allowed ? 'account.full_id_export_granted' : 'account.full_id_export_revoked',
    targetType: 'account',
    targetId: accountId,
  })
  return ok({ changed: true })
}
