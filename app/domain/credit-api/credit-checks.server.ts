import { randomUUID } from 'node:crypto'

import type { Insertable } from 'kysely'
import { sql } from 'kysely'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { inForce } from '#app/domain/integrity/records.server.ts'
import { cachedPolicies } from '#app/domain/policy/cache.server.ts'
import { normalizeHours } from '#app/domain/shared/decimal.ts'
import { type IdNumberProblem, maskIdNumber, parseIdNumber } from '#app/domain/shared/id-number.ts'
import { type Err, err, type Ok, ok } from '#app/domain/shared/result.ts'
import { inScope } from '#app/domain/shared/scope.ts'
import { coalescing, coalescingPer } from '#app/lib/coalesce.server.ts'
import { lookupHash } from '#app/lib/crypto.server.ts'
import { singleton } from '#app/lib/singleton.server.ts'
import type { Category, CreditChecksTable, DB } from '#db/schema.ts'

import { type Counted, evaluateCheck, type Evaluation, governingPolicy, type PolicyForCheck } from './credit-check.ts'

/**
 * The credit-hours check service: finds the person by the keyed hash of their ID number, reads
 * their counted totals (one indexed query), evaluates against the policies in force, and records
 * every answer (who asked, about whom, what was answered, which policy) as the caller's proof.
 *
 * The answer's reasons are codes with their data; the caller (the API's edge) turns an answer into
 * what it sends (`present`, which adds the reasons' wording), and that is what is stored: the
 * record is the answer exactly as given, so a later change of wording never rewrites a proof.
 */

export { MAX_BATCH, maxApplicationYear, MIN_APPLICATION_YEAR } from './credit-checks.constants.ts'
import { maxApplicationYear, MIN_APPLICATION_YEAR } from './credit-checks.constants.ts'

export type CheckRequest = { idNumber: string; applicationYear: number; currentTitleYear?: number | null; titleLevel?: string | null }

export type CheckAnswer = {
  checkId: string
  found: boolean
  idNumberMasked: string
  applicationYear: number
  currentTitleYear: number | null
  titleLevel: string | null
  eligible: boolean
  years: Evaluation['years']
  reasons: CheckReason[]
  policyVersion: string
  checkedAt: string
}

export type CheckReason = Evaluation['reasons'][number] | { code: 'not_found' }

export type ItemError =
  | Err<'invalid_id_number', { problem: IdNumberProblem }>
  | Err<'application_year_out_of_range', { min: number; max: number }>
  | Err<'forbidden'>

/** One applicant's outcome: the answer as presented by the caller, or that applicant's error. */
export type CheckResult<A> = Ok<{ answer: A }> | ItemError

/** A stored answer: whatever `present` made of it when it was given (JSON), opaque here. */
export type StoredAnswer = Record<string, unknown>

export type Requester = { apiClientId: number; scopeRegion: string } | { accountId: number; scopeRegion: string }

function newCheckId(): string {
  // randomUUID draws from a cached entropy pool: cheaper per call than randomBytes. 122 random bits.
  return `chk_${randomUUID().replaceAll('-', '')}`
}

/**
 * Checks many applicants with two statements whatever their number: the people and their totals
 * by hash, one insert of all answers; concurrent calls share both (see coalescing). Each item
 * is an answer or an item error, in request order.
 */
export async function runChecks<A extends StoredAnswer>(
  db: DB,
  requester: Requester,
  requests: CheckRequest[],
  present: (answer: CheckAnswer) => A,
  now: Date = new Date(),
): Promise<CheckResult<A>[]> {
  const max = maxApplicationYear()
  type Parsed = { kind: 'error'; error: ItemError } | { kind: 'ok'; id: string; hash: Buffer; req: CheckRequest }
  const parsed = requests.map((r): Parsed => {
    const id = parseIdNumber(r.idNumber)
    if (!id.ok) return { kind: 'error', error: err('invalid_id_number', { problem: id.problem }) }
    if (!Number.isInteger(r.applicationYear) || r.applicationYear < MIN_APPLICATION_YEAR || r.applicationYear > max) {
      return { kind: 'error', error: err('application_year_out_of_range', { min: MIN_APPLICATION_YEAR, max }) }
    }
    return { kind: 'ok', id: id.id.value, hash: lookupHash(id.id.value), req: r }
  })
  const valid = parsed.filter((p) => p.kind === 'ok')
  // The rows of each valid item's person (none: not on the platform), in the order of `valid`.
  const found = await readPeople(
    db,
    valid.map((v) => v.hash),
  )
  const rowsOf = new Map(valid.map((v, i) => [v, found[i]!]))
  const policies = (await cachedPolicies(db)) as Map<number, PolicyForCheck>
  const checkedAt = now
  // Integrity records in force on the check day (China today): one query for the whole batch.
  const personIds = [...new Set(found.flatMap((rows) => (rows[0] ? [rows[0].id] : [])))]
  const records = personIds.length ? await inForce(db, personIds, chinaDay(checkedAt)) : new Map<number, { endsOn: string }>()
  const out: CheckResult<A>[] = []
  const stored: Insertable<CreditChecksTable>[] = []
  for (const p of parsed) {
    if (p.kind === 'error') {
      out.push(p.error)
      continue
    }
    const rows = rowsOf.get(p) ?? []
    const person = rows[0]
    if (person && !inScope(requester.scopeRegion, person.region_code)) {
      out.push(err('forbidden'))
      continue
    }
    const currentTitleYear = p.req.currentTitleYear ?? person?.title_year ?? null
    const base = {
      checkId: newCheckId(),
      found: Boolean(person),
      idNumberMasked: maskIdNumber(p.id),
      applicationYear: p.req.applicationYear,
      currentTitleYear,
      titleLevel: p.req.titleLevel ?? null,
      checkedAt: checkedAt.toISOString(),
    }
    let answer: CheckAnswer
    if (!person) {
      const governing = governingPolicy(policies, p.req.applicationYear)
      answer = {
        ...base,
        eligible: false,
        years: [],
        reasons: [{ code: 'not_found' }],
        policyVersion: governing?.version ?? 'none',
      }
    } else {
      const e = evaluateCheck({
        applicationYear: p.req.applicationYear,
        currentTitleYear,
        totals: countedByYear(rows),
        policies,
        integrity: records.get(Number(person.id)) ?? null,
      })
      answer = { ...base, eligible: e.eligible, years: e.years, reasons: e.reasons, policyVersion: e.policyVersion }
    }
    const given = present(answer)
    out.push(ok({ answer: given }))
    stored.push({
      id: answer.checkId,
      api_client_id: 'apiClientId' in requester ? requester.apiClientId : null,
      requested_by: 'accountId' in requester ? requester.accountId : null,
      person_id: person?.id ?? null,
      id_number_hash: p.hash,
      id_number_masked: answer.idNumberMasked,
      application_year: answer.applicationYear,
      eligible: answer.eligible,
      policy_version: answer.policyVersion,
      answer: JSON.stringify(given),
      created_at: checkedAt,
    })
  }
  if (stored.length) await recordChecks(db, stored)
  return out
}

/** One statement shape whatever the number of rows (arrays + unnest), so PostgreSQL reuses its plan. */
async function insertChecks(db: DB, rows: Insertable<CreditChecksTable>[]) {
  const col = <K extends keyof Insertable<CreditChecksTable>>(k: K) => rows.map((r) => r[k] ?? null)
  await sql`/* prepared: check-record */
    insert into credit_checks (id, api_client_id, requested_by, person_id, id_number_hash, id_number_masked,
                               application_year, eligible, policy_version, answer, created_at)
    select * from unnest(${col('id')}::text[], ${col('api_client_id')}::bigint[], ${col('requested_by')}::bigint[],
                         ${col('person_id')}::bigint[], ${col('id_number_hash')}::bytea[], ${col('id_number_masked')}::text[],
                         ${col('application_year')}::int[], ${col('eligible')}::boolean[], ${col('policy_version')}::text[],
                         ${col('answer')}::json[], ${col('created_at')}::timestamptz[])`.execute(db)
}

/**
 * Group commit for the check records: while one insert is committing, the records of requests
 * that arrive meanwhile wait and then go in together, so a burst of checks shares one WAL flush
 * instead of paying one each. Every caller still gets its answer only after its row is durable.
 */
const recordChecks = singleton('coalesce:check-record', () =>
  coalescingPer((db: DB) =>
    coalescing(async (rows: Insertable<CreditChecksTable>[]) => {
      await insertChecks(db, rows)
      return rows.map(() => true)
    }, 200),
  ),
)

/** A person's counted hours per CE year and category, from their totals rows. */
function countedByYear(rows: PersonTotalsRow[]): Map<number, Counted> {
  const perYear = new Map<number, Counted>()
  for (const r of rows) {
    if (r.ce_year === null || r.category === null || r.counted_hours === null) continue
    const c = perYear.get(r.ce_year) ?? { professional: '0', public: '0' }
    c[r.category] = normalizeHours(r.counted_hours)
    perYear.set(r.ce_year, c)
  }
  return perYear
}

type PersonTotalsRow = {
  id: number
  id_number_hash: Buffer
  region_code: string | null
  title_year: number | null
  ce_year: number | null
  category: Category | null
  counted_hours: string | null
}

/**
 * The people with these ID hashes and all their yearly totals, one indexed query (a fixed SQL text,
 * prepared per connection). Concurrent checks share the query: each gets the rows of its own hashes.
 */
const readPeople = singleton('coalesce:check-people', () =>
  coalescingPer((db: DB) =>
    coalescing(async (hashes: Buffer[]) => {
      const rows = (
        await sql<PersonTotalsRow>`/* prepared: check-people */
          select p.id, p.id_number_hash, p.region_code, p.title_year, t.ce_year, t.category, t.counted_hours
          from people p left join hour_totals t on t.person_id = p.id
          where p.id_number_hash = any(${hashes}::bytea[])`.execute(db)
      ).rows
      const byHash = new Map<string, PersonTotalsRow[]>()
      for (const r of rows) {
        const k = r.id_number_hash.toString('hex')
        const list = byHash.get(k)
        if (list) list.push(r)
        else byHash.set(k, [r])
      }
      return hashes.map((h) => byHash.get(h.toString('hex')) ?? [])
    }),
  ),
)

/** A stored answer, for the client that asked it (or HR/admin with `scopeRegion`). */
export async function getCheck(
  db: DB,
  checkId: string,
  owner: { apiClientId: number } | { scopeRegion: string },
): Promise<StoredAnswer | null> {
  let q = db
    .selectFrom('credit_checks')
    .leftJoin('people', 'people.id', 'credit_checks.person_id')
    .select(['credit_checks.answer', 'people.region_code'])
    .where('credit_checks.id', '=', checkId)
  if ('apiClientId' in owner) q = q.where('credit_checks.api_client_id', '=', owner.apiClientId)
  const row = await q.executeTakeFirst()
  if (!row) return null
  if ('scopeRegion' in owner && !inScope(owner.scopeRegion, row.region_code)) return null
  return row.answer as StoredAnswer
}

export async function touchApiClient(db: DB, id: number) {
  await db
    .updateTable('api_clients')
    .set({ last_used_at: sql`now()` })
    .where('id', '=', id)
    .execute()
}
