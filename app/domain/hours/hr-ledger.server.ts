import { audit } from '#app/domain/identity/audit.server.ts'
import { maskedIdNumber } from '#app/domain/identity/pii.server.ts'
import { cachedPolicies } from '#app/domain/policy/cache.server.ts'
import { maskIdNumber, type ParsedIdNumber } from '#app/domain/shared/id-number.ts'
import { type Err, err, ok, type Result } from '#app/domain/shared/result.ts'
import { type HrActor, inScope, isProvinceScope } from '#app/domain/shared/scope.ts'
import { lookupHash } from '#app/lib/crypto.server.ts'
import type { Category, DB } from '#db/schema.ts'

import { ceYearOf, credit, type Entry, LedgerError, reverse } from './ledger.server.ts'

/**
 * HR's ledger tools: find a person in the officer's scope (exact ID number through its keyed
 * hash, or exact name + part of the employer), read their ledger, add an adjustment or reverse
 * an entry with a reason. Every search and every change is audited in the same transaction.
 * Only masked ID numbers ever leave this module.
 */

export const SEARCH_LIMIT = 50

export type PersonSearch = { mode: 'id'; idNumber: ParsedIdNumber } | { mode: 'name'; name: string; employer: string }

function likeEscape(v: string): string {
  return v.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** People in scope matching the search, masked; the search itself is audited (masked too). */
export async function searchPeople(db: DB, actor: HrActor, search: PersonSearch) {
  let q = db
    .selectFrom('people')
    .leftJoin('accounts', 'accounts.person_id', 'people.id')
    .select([
      'people.id',
      'people.name',
      'people.employer',
      'people.region_code',
      'people.title_level',
      'people.id_number_enc',
      'accounts.id as account_id',
    ])
  q =
    search.mode === 'id'
      ? q.where('people.id_number_hash', '=', lookupHash(search.idNumber.value))
      : q.where('people.name', '=', search.name).where('people.employer', 'ilike', `%${likeEscape(search.employer)}%`)
  if (!isProvinceScope(actor.scopeRegion)) q = q.where('people.region_code', '=', actor.scopeRegion)
  const rows = await q
    .orderBy('people.name')
    .orderBy('people.id')
    .limit(SEARCH_LIMIT + 1)
    .execute()
  await audit(db, {
    actorAccountId: actor.accountId,
    action: 'hr.people.search',
    targetType: 'person',
    detail:
      search.mode === 'id'
        ? {
            mode: 'id',
            idNumber: maskIdNumber(search.idNumber.value),
            scope: actor.scopeRegion,
            results: Math.min(rows.length, SEARCH_LIMIT),
          }
        : {
            mode: 'name',
            name: search.name,
            employer: search.employer,
            scope: actor.scopeRegion,
            results: Math.min(rows.length, SEARCH_LIMIT),
          },
  })
  return {
    truncated: rows.length > SEARCH_LIMIT,
    people: rows.slice(0, SEARCH_LIMIT).map(({ id_number_enc, account_id, ...r }) => ({
      ...r,
      registered: account_id !== null,
      idNumberMasked: maskedIdNumber(id_number_enc),
    })),
  }
}

export type HrPerson = {
  id: number
  name: string
  idNumberMasked: string
  employer: string | null
  region_code: string | null
  title_series: string | null
  title_level: string | null
  title_year: number | null
  self: boolean
}
export type PersonAccess = Result<{ person: HrPerson }, 'not_found' | 'forbidden'>

/** A person as HR sees them: not found, outside the officer's scope, or their masked details. */
export async function personForHr(db: DB, actor: HrActor, personId: number): Promise<PersonAccess> {
  const row = await db
    .selectFrom('people')
    .select(['id', 'name', 'id_number_enc', 'employer', 'region_code', 'title_series', 'title_level', 'title_year'])
    .where('id', '=', personId)
    .executeTakeFirst()
  if (!row) return err('not_found')
  if (!inScope(actor.scopeRegion, row.region_code)) return err('forbidden')
  const { id_number_enc, ...rest } = row
  return ok({ person: { ...rest, idNumberMasked: maskedIdNumber(id_number_enc), self: row.id === actor.personId } })
}

/** Why HR may not touch this person's ledger. */
export type Refusal = 'not_found' | 'forbidden' | 'own_ledger'

export function isRefusal(code: string): code is Refusal {
  return code === 'not_found' || code === 'forbidden' || code === 'own_ledger'
}

/** The same scope rule, inside the writing transaction (the page's check may be stale). */
async function checkTarget(trx: DB, actor: HrActor, personId: number): Promise<Result<object, Refusal>> {
  const person = await trx.selectFrom('people').select(['id', 'region_code']).where('id', '=', personId).executeTakeFirst()
  if (!person) return err('not_found')
  if (!inScope(actor.scopeRegion, person.region_code)) return err('forbidden')
  // An officer never changes their own hours.
  if (person.id === actor.personId) return err('own_ledger')
  return ok()
}

/** `invalid_year`: a future CE year, or one without a policy. */
export type AdjustResult = Result<{ entryId: number; created: boolean }, Refusal | 'invalid_year'>

/**
 * Adds hours to a person's ledger (source `adjustment`) for a CE year up to the current one that
 * has a policy. The idempotency key carries the form's nonce, so a double submit is one entry
 * (and one audit row).
 */
export async function addAdjustment(
  db: DB,
  actor: HrActor,
  input: { personId: number; category: Category; hours: string; year: number; reason: string; nonce: string },
  now = new Date(),
): Promise<AdjustResult> {
  const currentYear = ceYearOf(now)
  const policies = await cachedPolicies(db)
  if (input.year > currentYear || !policies.has(input.year)) return err('invalid_year')
  const reason = input.reason.trim()
  return db.transaction().execute(async (trx): Promise<AdjustResult> => {
    const target = await checkTarget(trx, actor, input.personId)
    if (!target.ok) return target
    const { entry, created } = await credit(trx, {
      personId: input.personId,
      category: input.category,
      hours: input.hours,
      sourceKind: 'adjustment',
      // Shown to the person on 我的学时 under the source, so they see why.
      evidence: { title: reason },
      idempotencyKey: `adjustment:${input.personId}:${input.nonce}`,
      occurredAt: input.year === currentYear ? now : new Date(`${input.year}-12-31T12:00:00+08:00`),
      ceYear: input.year,
      createdBy: actor.accountId,
      reason,
    })
    if (created) {
      await audit(trx, {
        actorAccountId: actor.accountId,
        action: 'hours.adjust',
        targetType: 'person',
        targetId: input.personId,
        detail: { entryId: entry.id, ceYear: entry.ceYear, category: entry.category, hours: entry.hours, reason },
      })
    }
    return ok({ entryId: entry.id, created })
  })
}

export type ReverseResult = Result<{ reversal: Entry }, Refusal | 'already_reversed' | 'cannot_reverse_reversal' | 'entry_not_found'>

/** Thrown to roll the transaction back; turned into the refusal it carries. */
class Refused extends Error {
  constructor(readonly refusal: Err<Refusal>) {
    super(refusal.code)
  }
}

/**
 * Reverses one of the person's entries with a reason (a new negating entry) and audits it, in one
 * transaction. Reversing the same entry twice is refused and writes nothing.
 */
export async function reverseForHr(
  db: DB,
  actor: HrActor,
  input: { personId: number; entryId: number; reason: string },
): Promise<ReverseResult> {
  const reason = input.reason.trim()
  try {
    const reversal = await db.transaction().execute(async (trx) => {
      const target = await checkTarget(trx, actor, input.personId)
      if (!target.ok) throw new Refused(target)
      const entry = await reverse(trx, { entryId: input.entryId, reason, actorAccountId: actor.accountId, personId: input.personId })
      await audit(trx, {
        actorAccountId: actor.accountId,
        action: 'hours.reverse',
        targetType: 'person',
        targetId: input.personId,
        detail: {
          entryId: input.entryId,
          reversalId: entry.id,
          ceYear: entry.ceYear,
          category: entry.category,
          hours: entry.hours,
          reason,
        },
      })
      return entry
    })
    return ok({ reversal })
  } catch (e) {
    if (e instanceof Refused) return e.refusal
    if (e instanceof LedgerError) {
      if (e.code === 'already_reversed' || e.code === 'cannot_reverse_reversal') return err(e.code)
      if (e.code === 'not_found') return err('entry_not_found')
    }
    throw e
  }
}
