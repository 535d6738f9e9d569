import { randomBytes } from 'node:crypto'

import { sql, type Transaction } from 'kysely'

import { evaluateYear, type PolicyForCheck } from '#app/domain/credit-api/credit-check.ts'
import { cachedPolicies } from '#app/domain/policy/cache.server.ts'
import { canonical } from '#app/domain/shared/canonical-json.ts'
import { ceYearOf } from '#app/domain/shared/ce-year.ts'
import { fromCents, normalizeHours, toCents } from '#app/domain/shared/decimal.ts'
import { maskIdNumber } from '#app/domain/shared/id-number.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { decryptPii } from '#app/lib/crypto.server.ts'
import { enqueue, hasRecentJob, jobDeadlineMs } from '#app/lib/queue.server.ts'
import type { CertificateStatus, Database, DB, SourceKind } from '#db/schema.ts'

import {
  type CategoryHours,
  CERTIFICATE_ISSUER,
  type CertificateFacts,
  CODE_ALPHABET,
  CODE_LENGTH,
  isCompletionFacts,
  type Method,
  methodOf,
  METHODS,
  normalizeCode,
  type SeminarCompletionFacts,
  verifyPath,
} from './certificate.ts'

/**
 * Hours certificates (学时证明). A request snapshots the facts (name, masked ID, counted hours per
 * category and how they were earned, the policy verdict) and the ledger's high-water mark in one
 * transaction with the render job; the worker renders the PDF into the row; anyone holding the
 * code can check the facts on a public page, which also says when later ledger entries have
 * superseded them.
 */

export type CertificateError = 'invalid_year' | 'no_policy' | 'no_hours'

type SummaryBase = {
  id: number
  code: string
  year: number
  status: CertificateStatus
  createdAt: Date
  readyAt: Date | null
  error: string | null
  superseded: boolean
}

/** A learner's certificate: a year's hours (学时证明) or a seminar's completion (结业证书). */
export type CertificateSummary =
  | (SummaryBase & { kind: 'hours'; facts: CertificateFacts })
  | (SummaryBase & { kind: 'seminar_completion'; facts: SeminarCompletionFacts; seminarId: number })

const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })

// Namespace of the per-person advisory lock that serialises requests (so a double click is one certificate).
const LOCK_NAMESPACE = 0x5853_4345 // 'XSCE'

export function newCode(): string {
  const bytes = randomBytes(CODE_LENGTH) // one byte per symbol, low 5 bits: 80 random bits in all
  let out = ''
  for (let i = 0; i < CODE_LENGTH; i++) out += CODE_ALPHABET[bytes[i]! & 31]
  return out
}

/** The years a learner may ask for: from the first year with a policy through the current CE year. */
export async function certificateYears(db: DB, now = new Date()): Promise<number[]> {
  const policies = await cachedPolicies(db)
  const current = ceYearOf(now)
  return [...policies.keys()].filter((y) => y <= current).sort((a, b) => b - a)
}

type LedgerSnapshot = { highWater: number; counted: Map<string, number> }

/**
 * One statement, so one consistent view: counted hours per (original source kind, category) and
 * the highest entry id of the person's year (counted or not).
 */
async function ledgerSnapshot(db: DB, personId: number, year: number): Promise<LedgerSnapshot> {
  const rows = await db
    .selectFrom('hour_entries as e')
    .leftJoin('hour_entries as o', 'o.id', 'e.reverses_id')
    .select((eb) => [
      eb.fn.coalesce('o.source_kind', 'e.source_kind').as('kind'),
      'e.category',
      'e.counted',
      eb.fn.sum<string>('e.hours').as('hours'),
      eb.fn.max<number>('e.id').as('max_id'),
    ])
    .where('e.person_id', '=', personId)
    .where('e.ce_year', '=', year)
    .groupBy([sql`1`, 'e.category', 'e.counted'])
    .execute()
  const counted = new Map<string, number>()
  let highWater = 0
  for (const r of rows) {
    highWater = Math.max(highWater, Number(r.max_id))
    if (!r.counted) continue
    const key = `${methodOf(r.kind as Exclude<SourceKind, 'reversal'>)}:${r.category}`
    counted.set(key, (counted.get(key) ?? 0) + toCents(normalizeHours(r.hours)))
  }
  return { highWater, counted }
}

function buildFacts(input: {
  name: string
  idNumber: string
  year: number
  policy: PolicyForCheck
  snapshot: LedgerSnapshot
  now: Date
}): CertificateFacts {
  const byMethod = {} as Record<Method, CategoryHours>
  let prof = 0
  let pub = 0
  for (const m of METHODS) {
    const p = input.snapshot.counted.get(`${m}:professional`) ?? 0
    const q = input.snapshot.counted.get(`${m}:public`) ?? 0
    byMethod[m] = { professional: fromCents(p), public: fromCents(q), total: fromCents(p + q) }
    prof += p
    pub += q
  }
  const r = evaluateYear(input.year, input.policy, { professional: fromCents(prof), public: fromCents(pub) })
  return {
    name: input.name,
    idNumberMasked: maskIdNumber(input.idNumber),
    year: input.year,
    hours: r.earned,
    byMethod,
    ledgerCounted: { professional: fromCents(prof), public: fromCents(pub) },
    requirement: { ...r.required },
    publicCap: input.policy.caps.publicCounted,
    met: r.met,
    policyVersion: r.policyVersion,
    issuer: CERTIFICATE_ISSUER,
    issuedOn: CHINA_DAY.format(input.now),
  }
}

/** The facts minus the issue date: two certificates saying the same thing. */
function sameFacts(a: CertificateFacts, b: CertificateFacts): boolean {
  const strip = ({ issuedOn: _issuedOn, ...rest }: CertificateFacts) => rest
  return canonical(strip(a)) === canonical(strip(b))
}

/**
 * A learner asks for a certificate for one CE year. Writes the row (pending) and the render job
 * in one transaction. If a pending or ready certificate already states the same facts at the same
 * ledger mark, that one is returned and nothing is written, except that a certificate pending
 * longer than its render's deadline gets a new render job (the relay also re-sends a lost job,
 * ADR 0016; this covers a job given up, e.g. the database down through all its attempts). Renders
 * are idempotent, so a slow job and the new one still make one PDF.
 */
export async function requestCertificate(
  db: DB,
  personId: number,
  year: number,
  opts: { baseUrl: string; now?: Date },
): Promise<Result<{ id: number; code: string; created: boolean }, CertificateError>> {
  const now = opts.now ?? new Date()
  if (!Number.isInteger(year) || year < 2000 || year > ceYearOf(now)) return err('invalid_year')
  const policy = (await cachedPolicies(db)).get(year)
  if (!policy) return err('no_policy')
  return db.transaction().execute(async (trx): Promise<Result<{ id: number; code: string; created: boolean }, CertificateError>> => {
    await sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}::int, ${personId}::int)`.execute(trx)
    const snapshot = await ledgerSnapshot(trx, personId, year)
    if (snapshot.highWater === 0) return err('no_hours')
    const person = await trx.selectFrom('people').select(['name', 'id_number_enc']).where('id', '=', personId).executeTakeFirstOrThrow()
    const facts = buildFacts({
      name: person.name,
      idNumber: decryptPii(person.id_number_enc),
      year,
      policy: policy as PolicyForCheck,
      snapshot,
      now,
    })
    const existing = await trx
      .selectFrom('certificates')
      .select(['id', 'code', 'facts', 'status', 'created_at'])
      .where('person_id', '=', personId)
      .where('ce_year', '=', year)
      .where('kind', '=', 'hours')
      .where('status', 'in', ['pending', 'ready'])
      .where('ledger_high_water', '=', snapshot.highWater)
      .orderBy('id', 'desc')
      .execute()
    const same = existing.find((e) => sameFacts(e.facts as CertificateFacts, facts))
    if (same) {
      const overdue = new Date(now.getTime() - jobDeadlineMs('certificate.render'))
      const stuck =
        same.status === 'pending' &&
        same.created_at < overdue &&
        !(await hasRecentJob(trx, 'certificate.render', { certificateId: same.id }, overdue))
      if (stuck) await enqueue(trx, 'certificate.render', { certificateId: same.id, baseUrl: opts.baseUrl })
      return ok({ id: same.id, code: same.code, created: false })
    }
    const row = await trx
      .insertInto('certificates')
      .values({ code: newCode(), person_id: personId, ce_year: year, facts: JSON.stringify(facts), ledger_high_water: snapshot.highWater })
      .returning(['id', 'code'])
      .executeTakeFirstOrThrow()
    await enqueue(trx, 'certificate.render', { certificateId: row.id, baseUrl: opts.baseUrl })
    return ok({ id: row.id, code: row.code, created: true })
  })
}

export type RenderOutcome = 'rendered' | 'already-ready' | 'failed' | 'not-found'

/**
 * The worker's half: renders the PDF from the stored facts and stores it. Idempotent: a ready
 * certificate is left alone. A rendering error marks the certificate failed with the message (a
 * retry would fail the same way); a database error throws, so the job is retried.
 */
export async function renderCertificate(db: DB, id: number, opts: { baseUrl: string }): Promise<RenderOutcome> {
  const row = await db.selectFrom('certificates').select(['id', 'code', 'status', 'facts']).where('id', '=', id).executeTakeFirst()
  if (!row) return 'not-found'
  if (row.status === 'ready') return 'already-ready'
  let pdf: Buffer
  try {
    // Loaded here, not at the top: the web process, which never renders, does not load pdfkit.
    const { buildCertificatePdf, buildCompletionCertificatePdf } = await import('./pdf.server.ts')
    const verifyUrl = `${opts.baseUrl}${verifyPath(row.code)}`
    pdf = isCompletionFacts(row.facts)
      ? await buildCompletionCertificatePdf({ facts: row.facts, code: row.code, verifyUrl })
      : await buildCertificatePdf({ facts: row.facts as CertificateFacts, code: row.code, verifyUrl })
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    await db
      .updateTable('certificates')
      .set({ status: 'failed', error: message.slice(0, 500) })
      .where('id', '=', id)
      .where('status', '<>', 'ready')
      .execute()
    return 'failed'
  }
  const updated = await db
    .updateTable('certificates')
    .set({ status: 'ready', pdf, error: null, ready_at: new Date() })
    .where('id', '=', id)
    .where('status', '<>', 'ready')
    .executeTakeFirst()
  return updated.numUpdatedRows > 0n ? 'rendered' : 'already-ready'
}

type CurrentYear = { maxId: number; professional: number; public: number }

/** The person's ledger now, per year: highest entry id and counted totals per category. */
async function currentLedger(db: DB, personId: number, years: number[]): Promise<Map<number, CurrentYear>> {
  const out = new Map<number, CurrentYear>()
  if (years.length === 0) return out
  const [maxIds, totals] = await Promise.all([
    db
      .selectFrom('hour_entries')
      .select((eb) => ['ce_year', eb.fn.max<number>('id').as('max_id')])
      .where('person_id', '=', personId)
      .where('ce_year', 'in', years)
      .groupBy('ce_year')
      .execute(),
    db
      .selectFrom('hour_totals')
      .select(['ce_year', 'category', 'counted_hours'])
      .where('person_id', '=', personId)
      .where('ce_year', 'in', years)
      .execute(),
  ])
  const get = (y: number) => out.get(y) ?? (out.set(y, { maxId: 0, professional: 0, public: 0 }), out.get(y)!)
  for (const r of maxIds) get(r.ce_year).maxId = Number(r.max_id)
  for (const t of totals) get(t.ce_year)[t.category] = toCents(normalizeHours(t.counted_hours))
  return out
}

function isSuperseded(facts: CertificateFacts, highWater: number, now: CurrentYear | undefined): boolean {
  const cur = now ?? { maxId: 0, professional: 0, public: 0 }
  return (
    cur.maxId > highWater ||
    cur.professional !== toCents(facts.ledgerCounted.professional) ||
    cur.public !== toCents(facts.ledgerCounted.public)
  )
}

/** The learner's own certificates, newest first (no PDF bytes). */
export async function listCertificates(db: DB, personId: number): Promise<CertificateSummary[]> {
  const rows = await db
    .selectFrom('certificates')
    .select(['id', 'code', 'ce_year', 'status', 'facts', 'kind', 'seminar_id', 'ledger_high_water', 'created_at', 'ready_at', 'error'])
    .where('person_id', '=', personId)
    .orderBy('id', 'desc')
    .limit(100)
    .execute()
  const hoursYears = rows.filter((r) => r.kind === 'hours').map((r) => r.ce_year)
  const seminarIds = rows.flatMap((r) => (r.kind === 'seminar_completion' && r.seminar_id !== null ? [r.seminar_id] : []))
  const [ledger, results] = await Promise.all([
    currentLedger(db, personId, [...new Set(hoursYears)]),
    currentSeminarResults(db, personId, seminarIds),
  ])
  return rows.map((r): CertificateSummary => {
    const base = {
      id: r.id,
      code: r.code,
      year: r.ce_year,
      status: r.status,
      createdAt: r.created_at,
      readyAt: r.ready_at ? new Date(r.ready_at) : null,
      error: r.error,
    }
    if (r.kind === 'seminar_completion' && r.seminar_id !== null && isCompletionFacts(r.facts)) {
      const seminarId = r.seminar_id
      return {
        ...base,
        kind: 'seminar_completion',
        seminarId,
        facts: r.facts,
        superseded: completionSuperseded(r.facts, results.get(seminarId)),
      }
    }
    const facts = r.facts as CertificateFacts
    return { ...base, kind: 'hours', facts, superseded: isSuperseded(facts, r.ledger_high_water, ledger.get(r.ce_year)) }
  })
}

type CurrentResult = { hours: string; completed: boolean }

/** The person's current outcome of each seminar (seminar_results at the latest revision). */
async function currentSeminarResults(db: DB, personId: number, seminarIds: number[]): Promise<Map<number, CurrentResult>> {
  if (seminarIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('seminar_results')
    .select(['seminar_id', 'hours', 'completed'])
    .where('person_id', '=', personId)
    .where('seminar_id', 'in', seminarIds)
    .execute()
  return new Map(rows.map((r) => [r.seminar_id, { hours: r.hours, completed: r.completed }]))
}

/** A completion certificate no longer holds when a later finalisation says not completed, or other hours. */
function completionSuperseded(facts: SeminarCompletionFacts, now: CurrentResult | undefined): boolean {
  return !now || !now.completed || toCents(normalizeHours(now.hours)) !== toCents(facts.hours)
}

/**
 * Issues a seminar's completion certificate (结业证书) inside the caller's transaction (the one
 * that finalised attendance): the row (pending) and its render job. The CE year is the seminar's
 * (its last block's end, as the hours were credited); the ledger mark is the entry holding the
 * hours. The partial unique index allows one pending/ready completion certificate per seminar
 * and person; the caller checks there is none.
 */
export async function requestCompletionCertificate(
  trx: Transaction<Database>,
  personId: number,
  seminarId: number,
  facts: SeminarCompletionFacts,
  baseUrl: string,
): Promise<{ id: number; code: string }> {
  const [last, result] = await Promise.all([
    trx
      .selectFrom('seminar_blocks')
      .select((eb) => eb.fn.max('ends_at').as('ends_at'))
      .where('seminar_id', '=', seminarId)
      .executeTakeFirst(),
    trx
      .selectFrom('seminar_results')
      .select('entry_id')
      .where('seminar_id', '=', seminarId)
      .where('person_id', '=', personId)
      .executeTakeFirst(),
  ])
  const ceYear = ceYearOf(last?.ends_at ? new Date(last.ends_at) : new Date(`${facts.endDate}T12:00:00+08:00`))
  const row = await trx
    .insertInto('certificates')
    .values({
      code: newCode(),
      person_id: personId,
      ce_year: ceYear,
      kind: 'seminar_completion',
      seminar_id: seminarId,
      facts: JSON.stringify(facts),
      ledger_high_water: result?.entry_id ?? 0,
    })
    .returning(['id', 'code'])
    .executeTakeFirstOrThrow()
  await enqueue(trx, 'certificate.render', { certificateId: row.id, baseUrl })
  return row
}

/** The PDF of a ready certificate, only for its owner (anyone else: null, as if it did not exist). */
export async function getPdf(
  db: DB,
  personId: number,
  certificateId: number,
): Promise<{ pdf: Buffer; year: number; code: string; kind: 'hours' | 'seminar_completion' } | null> {
  const row = await db
    .selectFrom('certificates')
    .select(['pdf', 'ce_year', 'code', 'kind'])
    .where('id', '=', certificateId)
    .where('person_id', '=', personId)
    .where('status', '=', 'ready')
    .executeTakeFirst()
  if (!row?.pdf) return null
  return { pdf: row.pdf, year: row.ce_year, code: row.code, kind: row.kind }
}

export type Verification = { code: string; superseded: boolean; issuedAt: Date } & (
  { kind: 'hours'; facts: CertificateFacts } | { kind: 'seminar_completion'; facts: SeminarCompletionFacts }
)

/**
 * Public: what a certificate states, and whether the ledger has moved on since. Returns the
 * stated facts only (the ID number masked), never who the person is in the database. A
 * certificate whose rendering failed was never issued, so it is not found either.
 */
export async function verifyCertificate(db: DB, input: string): Promise<Verification | null> {
  const code = normalizeCode(input)
  if (!code) return null
  const row = await db
    .selectFrom('certificates')
    .select(['person_id', 'ce_year', 'facts', 'kind', 'seminar_id', 'ledger_high_water', 'created_at'])
    .where('code', '=', code)
    .where('status', 'in', ['pending', 'ready'])
    .executeTakeFirst()
  if (!row) return null
  if (row.kind === 'seminar_completion' && row.seminar_id !== null && isCompletionFacts(row.facts)) {
    const results = await currentSeminarResults(db, row.person_id, [row.seminar_id])
    const facts = row.facts
    return {
      code,
      kind: 'seminar_completion',
      facts,
      superseded: completionSuperseded(facts, results.get(row.seminar_id)),
      issuedAt: row.created_at,
    }
  }
  const ledger = await currentLedger(db, row.person_id, [row.ce_year])
  const facts = row.facts as CertificateFacts
  return {
    code,
    kind: 'hours',
    facts,
    superseded: isSuperseded(facts, row.ledger_high_water, ledger.get(row.ce_year)),
    issuedAt: row.created_at,
  }
}
