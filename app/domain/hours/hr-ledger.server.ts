import type { Kysely } from 'kysely'
import type { Category, Database } from '#db/schema.ts'
import { decryptPii, lookupHash } from '#app/lib/crypto.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import type { FieldErrors } from '#app/domain/identity/accounts.schema.ts'
import { cachedPolicies } from '#app/domain/credit-api/credit-checks.server.ts'
import { inScope, isProvinceScope, type HrActor } from '#app/domain/shared/scope.ts'
import { maskIdNumber, type ParsedIdNumber } from '#app/domain/shared/id-number.ts'
import { ceYearOf, credit, LedgerError, reverse, type Entry } from './ledger.server.ts'

/**
 * HR's ledger tools: find a person in the officer's scope (exact ID number through its keyed
 * hash, or exact name + part of the employer), read their ledger, add an adjustment or reverse
 * an entry with a reason. Every search and every change is audited in the same transaction.
 * Only masked ID numbers ever leave this module.
 */
type DB = Kysely<Database>

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
    .select(['people.id', 'people.name', 'people.employer', 'people.region_code', 'people.title_level', 'people.id_number_enc', 'accounts.id as account_id'])
  q = search.mode === 'id' ? q.where('people.id_number_hash', '=', lookupHash(search.idNumber.value)) : q.where('people.name', '=', search.name).where('people.employer', 'ilike', `%${likeEscape(search.employer)}%`)
  if (!isProvinceScope(actor.scopeRegion)) q = q.where('people.region_code', '=', actor.scopeRegion)
  const rows = await q.orderBy('people.name').orderBy('people.id').limit(SEARCH_LIMIT + 1).execute()
  await audit(db, {
    actorAccountId: actor.accountId,
    action: 'hr.people.search',
    targetType: 'person',
    detail:
      search.mode === 'id'
        ? { mode: 'id', idNumber: maskIdNumber(search.idNumber.value), scope: actor.scopeRegion, results: Math.min(rows.length, SEARCH_LIMIT) }
        : { mode: 'name', name: search.name, employer: search.employer, scope: actor.scopeRegion, results: Math.min(rows.length, SEARCH_LIMIT) },
  })
  return {
    truncated: rows.length > SEARCH_LIMIT,
    people: rows.slice(0, SEARCH_LIMIT).map(({ id_number_enc, account_id, ...r }) => ({ ...r, registered: account_id !== null, idNumberMasked: maskIdNumber(decryptPii(id_number_enc)) })),
  }
}

export type PersonAccess =
  | { status: 'not_found' }
  | { status: 'forbidden' }
  | {
      status: 'ok'
      person: { id: number; name: string; idNumberMasked: string; employer: string | null; region_code: string | null; title_series: string | null; title_level: string | null; title_year: number | null; self: boolean }
    }

/** A person as HR sees them: not found, outside the officer's scope, or their masked details. */
export async function personForHr(db: DB, actor: HrActor, personId: number): Promise<PersonAccess> {
  const row = await db
    .selectFrom('people')
    .select(['id', 'name', 'id_number_enc', 'employer', 'region_code', 'title_series', 'title_level', 'title_year'])
    .where('id', '=', personId)
    .executeTakeFirst()
  if (!row) return { status: 'not_found' }
  if (!inScope(actor.scopeRegion, row.region_code)) return { status: 'forbidden' }
  const { id_number_enc, ...rest } = row
  return { status: 'ok', person: { ...rest, idNumberMasked: maskIdNumber(decryptPii(id_number_enc)), self: row.id === actor.personId } }
}

type Refusal = 'not_found' | 'forbidden' | 'own_ledger'

/** The same scope rule, inside the writing transaction (the page's check may be stale). */
async function checkTarget(trx: DB, actor: HrActor, personId: number): Promise<Refusal | null> {
  const person = await trx.selectFrom('people').select(['id', 'region_code']).where('id', '=', personId).executeTakeFirst()
  if (!person) return 'not_found'
  if (!inScope(actor.scopeRegion, person.region_code)) return 'forbidden'
  // An officer never changes their own hours.
  if (person.id === actor.personId) return 'own_ledger'
  return null
}

export type AdjustResult = { ok: true; entryId: number; created: boolean } | { ok: false; errors: FieldErrors } | { ok: false; refused: Refusal }

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
  if (input.year > currentYear || !policies.has(input.year)) return { ok: false, errors: { year: 'err.adjust.year' } }
  const reason = input.reason.trim()
  return db.transaction().execute(async (trx): Promise<AdjustResult> => {
    const refused = await checkTarget(trx, actor, input.personId)
    if (refused) return { ok: false, refused }
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
    return { ok: true, entryId: entry.id, created }
  })
}

export type ReverseResult = { ok: true; reversal: Entry } | { ok: false; refused: Refusal } | { ok: false; code: 'already_reversed' | 'cannot_reverse_reversal' | 'entry_not_found' }

class Refused extends Error {
  constructor(readonly refused: Refusal) {
    super(refused)
  }
}

/**
 * Reverses one of the person's entries with a reason (a new negating entry) and audits it, in one
 * transaction. Reversing the same entry twice is refused and writes nothing.
 */
export async function reverseForHr(db: DB, actor: HrActor, input: { personId: number; entryId: number; reason: string }): Promise<ReverseResult> {
  const reason = input.reason.trim()
  try {
    const reversal = await db.transaction().execute(async (trx) => {
      const refused = await checkTarget(trx, actor, input.personId)
      if (refused) throw new Refused(refused)
      const entry = await reverse(trx, { entryId: input.entryId, reason, actorAccountId: actor.accountId, personId: input.personId })
      await audit(trx, {
        actorAccountId: actor.accountId,
        action: 'hours.reverse',
        targetType: 'person',
        targetId: input.personId,
        detail: { entryId: input.entryId, reversalId: entry.id, ceYear: entry.ceYear, category: entry.category, hours: entry.hours, reason },
      })
      return entry
    })
    return { ok: true, reversal }
  } catch (e) {
    if (e instanceof Refused) return { ok: false, refused: e.refused }
    if (e instanceof LedgerError) {
      if (e.code === 'already_reversed' || e.code === 'cannot_reverse_reversal') return { ok: false, code: e.code }
      if (e.code === 'not_found') return { ok: false, code: 'entry_not_found' }
    }
    throw e
  }
}
