import { createHash } from 'node:crypto'

import { governingPolicy } from '#app/domain/credit-api/credit-check.ts'
import { ceYearOf, credit } from '#app/domain/hours/ledger.server.ts'
import type { FieldErrors } from '#app/domain/identity/accounts.schema.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { maskedIdNumber } from '#app/domain/identity/pii.server.ts'
import { cachedPolicies } from '#app/domain/policy/cache.server.ts'
import type { Policy } from '#app/domain/policy/policy.server.ts'
import { normalizeHours, toCents } from '#app/domain/shared/decimal.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { type HrActor, inScope, isProvinceScope } from '#app/domain/shared/scope.ts'
import type { DB } from '#db/schema.ts'

import type { ClaimFields } from './external-claims.schema.ts'
import {
  chinaToday,
  claimedHours,
  type ClaimStatus,
  cleanFilename,
  type ConversionRule,
  evidenceProblem,
  occurredOnProblem,
  sniffEvidenceType,
} from './external-claims.ts'

/**
 * External hours (平台外学习): a person reports an activity done elsewhere with an evidence file;
 * HR of the person's region approves it, which credits the ledger in the same transaction, or
 * rejects it with a reason. Files are stored in PostgreSQL with their SHA-256.
 */

export type ConversionOption = ConversionRule & { key: string }

/** The conversion table of a CE year's policy, for the form. */
export function conversionOptions(policy: Policy | undefined): ConversionOption[] {
  if (!policy) return []
  return Object.entries(policy.conversion.external).map(([key, r]) => ({ key, ...r }))
}

/** The conversion table in force this CE year (China time), for the learner's form. */
export async function currentConversion(db: DB, now = new Date()) {
  const policies = await cachedPolicies(db)
  const year = ceYearOf(now)
  const policy = policies.get(year) ?? governingPolicy(policies, year)
  return { year, today: chinaToday(now), policyVersion: policy?.version ?? null, options: conversionOptions(policy) }
}

export type EvidenceUpload = { filename: string; bytes: Buffer }

/** `invalid`: the field errors say which fields and why (as message keys). */
export type SubmitResult = Result<{ claimId: number; claimedHours: string; ceYear: number }, 'invalid', { errors: FieldErrors }>

/**
 * Records a claim as pending with its evidence file, in one transaction. Everything is checked
 * first (file size and magic bytes, activity of that year's conversion table, date rules); any
 * problem comes back as field errors and nothing is written.
 */
export async function submitClaim(
  db: DB,
  personId: number,
  input: ClaimFields,
  file: EvidenceUpload | null,
  now = new Date(),
): Promise<SubmitResult> {
  const errors: FieldErrors = {}
  const fileProblem = evidenceProblem(file?.bytes ?? null)
  if (fileProblem) errors.evidence = fileProblem
  const contentType = file ? sniffEvidenceType(file.bytes) : null

  const policies = await cachedPolicies(db)
  const today = chinaToday(now)
  const currentYear = Number(today.slice(0, 4))
  const inForce = policies.get(currentYear) ?? governingPolicy(policies, currentYear)
  const ceYear = Number(input.occurredOn.slice(0, 4))
  const dateProblem = occurredOnProblem(input.occurredOn, today, new Set(policies.keys()), inForce?.makeUp)
  if (dateProblem) errors.occurredOn = dateProblem

  // The activity must be in the conversion table of the year it happened (or, while the date is
  // still wrong, of the year in force, so the activity field is judged on its own).
  const policy = policies.get(ceYear)
  const rule = (policy ?? inForce)?.conversion.external[input.activity]
  if (!rule) errors.activity = inForce?.conversion.external[input.activity] ? 'err.claim.activityYear' : 'err.choice'

  const hours = rule ? claimedHours(input.units, rule) : '0'
  if (rule && toCents(hours) <= 0) errors.units = 'err.claim.units'

  if (Object.keys(errors).length || !file || !contentType || !policy || !rule) return err('invalid', { errors })

  const sha256 = createHash('sha256').update(file.bytes).digest('hex')
  const claimId = await db.transaction().execute(async (trx) => {
    const claim = await trx
      .insertInto('external_claims')
      .values({
        person_id: personId,
        ce_year: ceYear,
        activity: input.activity,
        title: input.title,
        category: input.category,
        units: input.units,
        claimed_hours: hours,
        policy_version: policy.version,
        occurred_on: input.occurredOn,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('evidence_files')
      .values({
        claim_id: claim.id,
        filename: cleanFilename(file.filename, contentType),
        content_type: contentType,
        size: file.bytes.length,
        sha256,
        bytes: file.bytes,
      })
      .execute()
    return claim.id
  })
  return ok({ claimId, claimedHours: hours, ceYear })
}

const CLAIM_COLUMNS = [
  'external_claims.id',
  'external_claims.person_id',
  'external_claims.ce_year',
  'external_claims.activity',
  'external_claims.title',
  'external_claims.category',
  'external_claims.units',
  'external_claims.claimed_hours',
  'external_claims.policy_version',
  'external_claims.occurred_on',
  'external_claims.status',
  'external_claims.decision_reason',
  'external_claims.decided_at',
  'external_claims.created_at',
  'evidence_files.filename',
  'evidence_files.content_type',
  'evidence_files.size',
  'evidence_files.sha256',
] as const

function activityOf(policies: Map<number, Policy>, year: number, key: string): Omit<ConversionRule, 'hoursPerUnit' | 'maxHours'> | null {
  const r = policies.get(year)?.conversion.external[key]
  return r ? { zh: r.zh, en: r.en, unit: r.unit } : null
}

/** A person's own claims, newest first (never the file bytes). */
export async function listOwnClaims(db: DB, personId: number) {
  const [rows, policies] = await Promise.all([
    db
      .selectFrom('external_claims')
      .leftJoin('evidence_files', 'evidence_files.claim_id', 'external_claims.id')
      .select(CLAIM_COLUMNS)
      .where('external_claims.person_id', '=', personId)
      .orderBy('external_claims.created_at', 'desc')
      .orderBy('external_claims.id', 'desc')
      .limit(200)
      .execute(),
    cachedPolicies(db),
  ])
  return rows.map((r) => ({
    ...r,
    units: normalizeHours(r.units),
    claimed_hours: normalizeHours(r.claimed_hours),
    activityInfo: activityOf(policies, r.ce_year, r.activity),
  }))
}

/** Claims of people in an HR officer's scope, with the person's masked ID number. */
export async function listClaimsForHr(db: DB, scopeRegion: string, status: ClaimStatus = 'pending', limit = 200) {
  let q = db
    .selectFrom('external_claims')
    .innerJoin('people', 'people.id', 'external_claims.person_id')
    .leftJoin('evidence_files', 'evidence_files.claim_id', 'external_claims.id')
    .select([...CLAIM_COLUMNS, 'people.name', 'people.employer', 'people.region_code', 'people.id_number_enc'])
    .where('external_claims.status', '=', status)
  if (!isProvinceScope(scopeRegion)) q = q.where('people.region_code', '=', scopeRegion)
  const [rows, policies] = await Promise.all([
    q
      .orderBy('external_claims.created_at', status === 'pending' ? 'asc' : 'desc')
      .orderBy('external_claims.id')
      .limit(limit)
      .execute(),
    cachedPolicies(db),
  ])
  return rows.map(({ id_number_enc, ...r }) => ({
    ...r,
    units: normalizeHours(r.units),
    claimed_hours: normalizeHours(r.claimed_hours),
    idNumberMasked: maskedIdNumber(id_number_enc),
    activityInfo: activityOf(policies, r.ce_year, r.activity),
  }))
}

/** The evidence file of a claim, only for HR whose scope covers the claimant; otherwise null. */
export async function getEvidenceForHr(db: DB, claimId: number, scopeRegion: string) {
  const row = await db
    .selectFrom('evidence_files')
    .innerJoin('external_claims', 'external_claims.id', 'evidence_files.claim_id')
    .innerJoin('people', 'people.id', 'external_claims.person_id')
    .select([
      'evidence_files.id',
      'evidence_files.filename',
      'evidence_files.content_type',
      'evidence_files.size',
      'evidence_files.sha256',
      'evidence_files.bytes',
      'people.region_code',
      'external_claims.person_id',
    ])
    .where('evidence_files.claim_id', '=', claimId)
    .orderBy('evidence_files.id')
    .executeTakeFirst()
  if (!row || !inScope(scopeRegion, row.region_code)) return null
  return row
}

/**
 * Tells the claimant (消息通知) in the decision's transaction: the notice exists exactly when the
 * decision does. One per claim (`dedupe_key`); its text is rendered in the reader's language from
 * `kind` (`notice.claim_approved.*` / `notice.claim_rejected.*`).
 */
async function noticeDecision(
  trx: DB,
  claim: { id: number; person_id: number; title: string; ce_year: number; claimed_hours: string },
  status: 'approved' | 'rejected',
  extra: { hours?: string; reason?: string },
) {
  await trx
    .insertInto('notices')
    .values({
      person_id: claim.person_id,
      kind: status === 'approved' ? 'claim_approved' : 'claim_rejected',
      dedupe_key: `claim-decision:${claim.id}`,
      params: JSON.stringify({ title: claim.title, year: claim.ce_year, hours: normalizeHours(claim.claimed_hours), ...extra }),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute()
}

export type DecideResult = Result<
  { status: 'approved' | 'rejected'; entryId: number | null; already: boolean },
  'not_found' | 'already_decided' | 'own_claim' | 'reason_required'
>

/**
 * Approves or rejects a pending claim. Approval, in ONE transaction: the claim row is locked,
 * the ledger is credited (idempotency key `external:<claimId>`), the claim marked approved and
 * an audit row written. Approving an approved claim again changes nothing. A claim outside the
 * officer's scope is "not found".
 */
export async function decideClaim(
  db: DB,
  actor: HrActor,
  input: { claimId: number; decision: 'approve' | 'reject'; reason?: string },
): Promise<DecideResult> {
  const reason = input.reason?.trim() ?? ''
  if (input.decision === 'reject' && !reason) return { ok: false, code: 'reason_required' }
  return db.transaction().execute(async (trx): Promise<DecideResult> => {
    const claim = await trx
      .selectFrom('external_claims')
      .innerJoin('people', 'people.id', 'external_claims.person_id')
      .select([
        'external_claims.id',
        'external_claims.person_id',
        'external_claims.ce_year',
        'external_claims.activity',
        'external_claims.title',
        'external_claims.category',
        'external_claims.units',
        'external_claims.claimed_hours',
        'external_claims.occurred_on',
        'external_claims.status',
        'external_claims.ledger_entry_id',
        'people.region_code',
      ])
      .where('external_claims.id', '=', input.claimId)
      .forUpdate('external_claims')
      .executeTakeFirst()
    if (!claim || !inScope(actor.scopeRegion, claim.region_code)) return { ok: false, code: 'not_found' }
    if (claim.person_id === actor.personId) return { ok: false, code: 'own_claim' }
    if (claim.status !== 'pending') {
      if (input.decision === 'approve' && claim.status === 'approved')
        return { ok: true, status: 'approved', entryId: claim.ledger_entry_id, already: true }
      return { ok: false, code: 'already_decided' }
    }
    const decidedAt = new Date()
    if (input.decision === 'reject') {
      await trx
        .updateTable('external_claims')
        .set({ status: 'rejected', decided_by: actor.accountId, decided_at: decidedAt, decision_reason: reason })
        .where('id', '=', claim.id)
        .execute()
      await audit(trx, {
        actorAccountId: actor.accountId,
        action: 'external_claim.reject',
        targetType: 'external_claim',
        targetId: claim.id,
        detail: { personId: claim.person_id, ceYear: claim.ce_year, claimedHours: normalizeHours(claim.claimed_hours), reason },
      })
      await noticeDecision(trx, claim, 'rejected', { reason })
      return { ok: true, status: 'rejected', entryId: null, already: false }
    }
    const units = normalizeHours(claim.units)
    const { entry } = await credit(trx, {
      personId: claim.person_id,
      category: claim.category,
      hours: normalizeHours(claim.claimed_hours),
      sourceKind: 'external',
      sourceRef: String(claim.id),
      evidence: { claimId: claim.id, title: claim.title, activity: claim.activity, units },
      idempotencyKey: `external:${claim.id}`,
      occurredAt: new Date(`${claim.occurred_on}T12:00:00+08:00`),
      ceYear: claim.ce_year,
      createdBy: actor.accountId,
    })
    await trx
      .updateTable('external_claims')
      .set({
        status: 'approved',
        decided_by: actor.accountId,
        decided_at: decidedAt,
        decision_reason: reason || null,
        ledger_entry_id: entry.id,
      })
      .where('id', '=', claim.id)
      .execute()
    await audit(trx, {
      actorAccountId: actor.accountId,
      action: 'external_claim.approve',
      targetType: 'external_claim',
      targetId: claim.id,
      detail: { personId: claim.person_id, ceYear: claim.ce_year, category: claim.category, hours: entry.hours, entryId: entry.id },
    })
    await noticeDecision(trx, claim, 'approved', { hours: normalizeHours(entry.hours) })
    return { ok: true, status: 'approved', entryId: entry.id, already: false }
  })
}
