import { sql, type Transaction } from 'kysely'

import { chinaDay, notifyBase } from '#app/domain/bases/events.server.ts'
import { cleanFilename, MAX_EVIDENCE_BYTES, sniffEvidenceType } from '#app/domain/claims/external-claims.ts'
import { LedgerError, reverse } from '#app/domain/hours/ledger.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { integrityPolicyOn } from '#app/domain/policy/integrity-policy.server.ts'
import { PROVINCE } from '#app/domain/shared/reference.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { type HrActor, inScope, isProvinceScope } from '#app/domain/shared/scope.ts'
import type { Database, DB, EvidenceContentType, IntegritySourceKind, IntegrityStatus, IntegritySubject } from '#db/schema.ts'

import { appealLastDay, appealOpenOn, recordTerm } from './term.ts'

/**
 * Integrity records (诚信档案, issue 14). HR of the person's region finds that the evidence behind
 * hours was falsified (伪造/冒用) — an external-hours claim, a ledger entry or a roster row — with
 * the finding, a document number and an evidence file; a SECOND officer of the same scope (or
 * province HR) confirms (four eyes). Only then does it take effect: the hours the source earned
 * are reversed (reversals, never deletions), the record is in force for the policy's years
 * (content/policies/integrity.json), the person (or the base's staff) is told, and the
 * credit-check API answers `integrity_record` while it is in force. The person may appeal to
 * province HR within the policy's days; a withdrawal ends the record from that day and restores no
 * hours by itself (HR re-credits by a new entry where the hours were genuine). Everything is audited.
 *
 * Scope: a record belongs to the region of its person (or base); a person without a region
 * belongs to the province, so only province HR acts on it. Out of scope is 'out_of_scope' on
 * writes and null on reads.
 */

type Trx = Transaction<Database>

export type Evidence = { filename: string; bytes: Buffer }

export type ProposeCode =
  | 'not_found'
  | 'out_of_scope'
  | 'finding_required'
  | 'document_required'
  | 'evidence_required'
  | 'evidence_type'
  | 'evidence_too_large'
  | 'already_open'
export type ProposeResult = Result<{ recordId: number }, ProposeCode>

export type ProposeInput = {
  sourceKind: IntegritySourceKind
  /**
   * 'claim': external_claims.id; 'entry': hour_entries.id; 'roster_row': the roster row's credit
   * entry (activity_credits.entry_id — a roster row has no id of its own).
   */
  sourceId: number
  finding: string
  documentNumber: string
  evidence: Evidence
}

export type ConfirmCode = 'not_found' | 'out_of_scope' | 'not_proposed' | 'own_finding'
export type CancelCode = 'not_found' | 'out_of_scope' | 'not_proposed' | 'reason_required'
export type AppealCode = 'not_found' | 'not_in_force' | 'appeal_closed' | 'already_appealed' | 'text_required'
export type DecideAppealCode = 'not_found' | 'not_province' | 'no_appeal' | 'already_decided' | 'reason_required'

/** Texts longer than these are cut, never refused (a finding is prose; a document number is short). */
const MAX_FINDING = 4000
const MAX_DOCUMENT = 200
const MAX_APPEAL = 4000

function regionOf(personOrBaseRegion: string | null): string {
  return personOrBaseRegion ?? PROVINCE.code
}

type Checked = { finding: string; documentNumber: string; mime: EvidenceContentType; filename: string; bytes: Buffer }

function checkFinding(input: {
  finding: string
  documentNumber: string
  evidence: Evidence | null | undefined
}): Result<Checked, ProposeCode> {
  const finding = (input.finding ?? '').trim().slice(0, MAX_FINDING)
  if (!finding) return err('finding_required')
  const documentNumber = (input.documentNumber ?? '').trim().slice(0, MAX_DOCUMENT)
  if (!documentNumber) return err('document_required')
  const bytes = input.evidence?.bytes
  if (!bytes || bytes.length === 0) return err('evidence_required')
  if (bytes.length > MAX_EVIDENCE_BYTES) return err('evidence_too_large')
  const mime = sniffEvidenceType(bytes)
  if (!mime) return err('evidence_type')
  const filename = cleanFilename(input.evidence?.filename ?? '', mime)
  return ok({ finding, documentNumber, mime, filename, bytes: Buffer.from(bytes) })
}

async function openExists(trx: DB, subject: IntegritySubject, sourceKind: IntegritySourceKind, sourceId: number): Promise<boolean> {
  const row = await trx
    .selectFrom('integrity_records')
    .select('id')
    .where('subject', '=', subject)
    .where('source_kind', '=', sourceKind)
    .where('source_id', '=', sourceId)
    .where('status', 'in', ['proposed', 'in_force'])
    .executeTakeFirst()
  return Boolean(row)
}

async function insertProposal(
  trx: Trx,
  hr: HrActor,
  values: {
    subject: IntegritySubject
    person_id: number | null
    base_id: number | null
    source_kind: IntegritySourceKind
    source_id: number
    activity_id: number | null
    region_code: string
  },
  c: Checked,
  now: Date,
): Promise<ProposeResult> {
  if (await openExists(trx, values.subject, values.source_kind, values.source_id)) return err('already_open')
  // A concurrent proposal on the same source meets the unique index: nothing is written twice.
  const inserted = await trx
    .insertInto('integrity_records')
    .values({
      ...values,
      finding: c.finding,
      document_number: c.documentNumber,
      evidence_file: c.bytes,
      evidence_filename: c.filename,
      evidence_mime: c.mime,
      status: 'proposed',
      found_by: hr.accountId,
      found_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['subject', 'source_kind', 'source_id'])
        .where(sql<boolean>`status in ('proposed', 'in_force')`)
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst()
  if (!inserted) return err('already_open')
  await audit(trx, {
    actorAccountId: hr.accountId,
    action: 'integrity.propose',
    targetType: 'integrity_record',
    targetId: inserted.id,
    detail: {
      subject: values.subject,
      personId: values.person_id,
      baseId: values.base_id,
      sourceKind: values.source_kind,
      sourceId: values.source_id,
      documentNumber: c.documentNumber,
      evidence: { filename: c.filename, mime: c.mime, size: c.bytes.length },
    },
  })
  return ok({ recordId: Number(inserted.id) })
}

/**
 * HR records a finding that the evidence behind a person's hours was falsified. Nothing takes
 * effect until another officer confirms (`confirmFinding`). One open record per source.
 */
export async function proposeFinding(trx: Trx, hr: HrActor, input: ProposeInput, now: Date): Promise<ProposeResult> {
  if (!Number.isSafeInteger(input.sourceId) || input.sourceId <= 0) return err('not_found')
  let source: { person_id: number; region_code: string | null; activity_id: number | null } | undefined
  if (input.sourceKind === 'claim') {
    source = await trx
      .selectFrom('external_claims as c')
      .innerJoin('people as p', 'p.id', 'c.person_id')
      .select(['c.person_id', 'p.region_code'])
      .select((eb) => eb.val<number | null>(null).as('activity_id'))
      .where('c.id', '=', input.sourceId)
      .executeTakeFirst()
  } else if (input.sourceKind === 'entry') {
    source = await trx
      .selectFrom('hour_entries as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .select(['e.person_id', 'p.region_code'])
      .select((eb) => eb.val<number | null>(null).as('activity_id'))
      .where('e.id', '=', input.sourceId)
      .where('e.source_kind', '<>', 'reversal')
      .executeTakeFirst()
  } else if (input.sourceKind === 'roster_row') {
    source = await trx
      .selectFrom('activity_credits as r')
      .innerJoin('people as p', 'p.id', 'r.person_id')
      .select(['r.person_id', 'p.region_code', 'r.activity_id'])
      .where('r.entry_id', '=', input.sourceId)
      .executeTakeFirst()
  }
  if (!source) return err('not_found')
  // An officer never acts on themself.
  if (!inScope(hr.scopeRegion, source.region_code) || source.person_id === hr.personId) return err('out_of_scope')
  const checked = checkFinding(input)
  if (!checked.ok) return checked
  return insertProposal(
    trx,
    hr,
    {
      subject: 'person',
      person_id: source.person_id,
      base_id: null,
      source_kind: input.sourceKind,
      source_id: input.sourceId,
      activity_id: source.activity_id === null ? null : Number(source.activity_id),
      region_code: regionOf(source.region_code),
    },
    checked,
    now,
  )
}

/**
 * HR records that a base's roster report for an activity was falsified: a record against the base
 * (source 'roster_row', source id the activity). It reverses nothing itself (the persons' rows are
 * findings of their own); it counts when the base's rectification or evaluation is decided.
 */
export async function proposeBaseFinding(
  trx: Trx,
  hr: HrActor,
  input: { activityId: number; finding: string; documentNumber: string; evidence: Evidence },
  now: Date,
): Promise<ProposeResult> {
  if (!Number.isSafeInteger(input.activityId) || input.activityId <= 0) return err('not_found')
  const a = await trx
    .selectFrom('training_activities as a')
    .innerJoin('bases as b', 'b.id', 'a.base_id')
    .select(['a.id', 'a.base_id', 'b.region_code'])
    .where('a.id', '=', input.activityId)
    .executeTakeFirst()
  if (!a) return err('not_found')
  if (!inScope(hr.scopeRegion, a.region_code)) return err('out_of_scope')
  const checked = checkFinding(input)
  if (!checked.ok) return checked
  return insertProposal(
    trx,
    hr,
    {
      subject: 'base',
      person_id: null,
      base_id: Number(a.base_id),
      source_kind: 'roster_row',
      source_id: Number(a.id),
      activity_id: Number(a.id),
      region_code: regionOf(a.region_code),
    },
    checked,
    now,
  )
}

/** Reverses one entry unless it is reversed already (the ledger's idempotency key makes it once). */
async function reverseOnce(trx: Trx, entryId: number, personId: number, reason: string, actorAccountId: number): Promise<boolean> {
  try {
    await reverse(trx, { entryId, reason, actorAccountId, personId })
    return true
  } catch (e) {
    if (e instanceof LedgerError && (e.code === 'already_reversed' || e.code === 'not_found' || e.code === 'cannot_reverse_reversal'))
      return false
    throw e
  }
}

/**
 * A second officer of the same scope (province HR: any) confirms a proposed finding: the record
 * is in force from China today for the policy's years, the source's hours are reversed (once),
 * the person or the base's staff are told, and it is audited.
 */
export async function confirmFinding(trx: Trx, hr: HrActor, recordId: number, now: Date): Promise<Result<{ endsOn: string }, ConfirmCode>> {
  const r = await trx
    .selectFrom('integrity_records')
    .select([
      'id',
      'subject',
      'person_id',
      'base_id',
      'source_kind',
      'source_id',
      'activity_id',
      'region_code',
      'status',
      'found_by',
      'document_number',
    ])
    .where('id', '=', recordId)
    .forUpdate()
    .executeTakeFirst()
  if (!r) return err('not_found')
  if (!inScope(hr.scopeRegion, r.region_code) || (r.person_id !== null && Number(r.person_id) === hr.personId)) return err('out_of_scope')
  if (r.status !== 'proposed') return err('not_proposed')
  if (Number(r.found_by) === hr.accountId) return err('own_finding')

  const today = chinaDay(now)
  const policy = integrityPolicyOn(today)
  const term = recordTerm(today, policy.recordYears)
  await trx
    .updateTable('integrity_records')
    .set({
      status: 'in_force',
      confirmed_by: hr.accountId,
      confirmed_at: now,
      starts_on: term.startsOn,
      ends_on: term.endsOn,
      policy_version: policy.version,
    })
    .where('id', '=', r.id)
    .execute()

  const reversed: number[] = []
  if (r.subject === 'person' && r.person_id !== null) {
    const personId = Number(r.person_id)
    const reason = `诚信档案 ${r.document_number}`.slice(0, 500)
    let entryId: number | null = null
    if (r.source_kind === 'claim') {
      const c = await trx.selectFrom('external_claims').select('ledger_entry_id').where('id', '=', r.source_id).executeTakeFirst()
      entryId = c?.ledger_entry_id == null ? null : Number(c.ledger_entry_id)
    } else if (r.source_kind === 'entry') {
      entryId = Number(r.source_id)
    } else if (r.activity_id !== null) {
      // The entry credited now for the row (a re-upload may have replaced the one found), as disputes do;
      // the person leaves the activity's credited roster.
      const live = await trx
        .selectFrom('activity_credits')
        .select('entry_id')
        .where('activity_id', '=', r.activity_id)
        .where('person_id', '=', personId)
        .forUpdate()
        .executeTakeFirst()
      entryId = live ? Number(live.entry_id) : null
      if (live)
        await trx.deleteFrom('activity_credits').where('activity_id', '=', r.activity_id).where('person_id', '=', personId).execute()
      // …and is never credited again by a re-uploaded roster.
      await trx
        .insertInto('activity_exclusions')
        .values({ activity_id: r.activity_id, person_id: personId, dispute_id: null, integrity_record_id: Number(r.id) })
        .onConflict((oc) => oc.columns(['activity_id', 'person_id']).doNothing())
        .execute()
    }
    if (entryId !== null && (await reverseOnce(trx, entryId, personId, reason, hr.accountId))) reversed.push(entryId)
    await trx
      .insertInto('notices')
      .values({
        person_id: personId,
        kind: 'integrity_record',
        dedupe_key: `integrity-record:${r.id}`,
        params: JSON.stringify({
          recordId: Number(r.id),
          endsOn: term.endsOn,
          documentNumber: r.document_number,
          appealLastDay: appealLastDay(today, policy.appealDays),
        }),
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute()
  } else if (r.base_id !== null) {
    await notifyBase(trx, { baseId: Number(r.base_id) }, 'integrity_record', `integrity-record-base:${r.id}`, {
      recordId: Number(r.id),
      endsOn: term.endsOn,
      documentNumber: r.document_number,
    })
  }
  await audit(trx, {
    actorAccountId: hr.accountId,
    action: 'integrity.confirm',
    targetType: 'integrity_record',
    targetId: r.id,
    detail: {
      subject: r.subject,
      personId: r.person_id,
      baseId: r.base_id,
      startsOn: term.startsOn,
      endsOn: term.endsOn,
      policyVersion: policy.version,
      reversedEntries: reversed,
    },
  })
  return ok({ endsOn: term.endsOn })
}

/** A proposed finding is dropped (by any officer of its scope, its author too) with a reason; nothing had taken effect. */
export async function cancelFinding(
  trx: Trx,
  hr: HrActor,
  recordId: number,
  reason: string,
  now: Date,
): Promise<Result<object, CancelCode>> {
  const r = await trx
    .selectFrom('integrity_records')
    .select(['id', 'region_code', 'status', 'person_id'])
    .where('id', '=', recordId)
    .forUpdate()
    .executeTakeFirst()
  if (!r) return err('not_found')
  if (!inScope(hr.scopeRegion, r.region_code) || (r.person_id !== null && Number(r.person_id) === hr.personId)) return err('out_of_scope')
  if (r.status !== 'proposed') return err('not_proposed')
  const why = (reason ?? '').trim().slice(0, MAX_FINDING)
  if (!why) return err('reason_required')
  await trx
    .updateTable('integrity_records')
    .set({ status: 'cancelled', cancel_reason: why, cancelled_by: hr.accountId, cancelled_at: now })
    .where('id', '=', r.id)
    .execute()
  await audit(trx, {
    actorAccountId: hr.accountId,
    action: 'integrity.cancel',
    targetType: 'integrity_record',
    targetId: r.id,
    detail: { reason: why },
  })
  return ok({})
}

/** The person appeals their record in force to province HR, once, within the policy's days of its confirmation. */
export async function appealRecord(
  trx: Trx,
  person: { personId: number; accountId: number },
  recordId: number,
  text: string,
  now: Date,
): Promise<Result<object, AppealCode>> {
  const r = await trx
    .selectFrom('integrity_records')
    .select(['id', 'status', 'starts_on', 'ends_on', 'confirmed_at', 'appealed_at'])
    .where('id', '=', recordId)
    .where('subject', '=', 'person')
    .where('person_id', '=', person.personId)
    .forUpdate()
    .executeTakeFirst()
  if (!r) return err('not_found')
  const today = chinaDay(now)
  if (r.status !== 'in_force' || !r.ends_on || r.ends_on <= today || !r.confirmed_at) return err('not_in_force')
  if (r.appealed_at) return err('already_appealed')
  const confirmedOn = chinaDay(new Date(r.confirmed_at))
  if (!appealOpenOn(confirmedOn, integrityPolicyOn(confirmedOn).appealDays, today)) return err('appeal_closed')
  const body = (text ?? '').trim().slice(0, MAX_APPEAL)
  if (!body) return err('text_required')
  await trx.updateTable('integrity_records').set({ appeal_text: body, appealed_at: now }).where('id', '=', r.id).execute()
  await audit(trx, {
    actorAccountId: person.accountId,
    action: 'integrity.appeal',
    targetType: 'integrity_record',
    targetId: r.id,
    detail: { length: body.length },
  })
  return ok({})
}

/**
 * Province HR decides an appeal: uphold (the record stays) or withdraw (status 'withdrawn', the
 * record ends today: from now on it is not in force). A withdrawal restores no hours by itself.
 */
export async function decideAppeal(
  trx: Trx,
  hr: HrActor,
  recordId: number,
  decision: 'uphold' | 'withdraw',
  reason: string,
  now: Date,
): Promise<Result<{ status: IntegrityStatus }, DecideAppealCode>> {
  const r = await trx
    .selectFrom('integrity_records')
    .select(['id', 'person_id', 'status', 'starts_on', 'ends_on', 'appealed_at', 'appeal_decision', 'document_number'])
    .where('id', '=', recordId)
    .forUpdate()
    .executeTakeFirst()
  if (!r) return err('not_found')
  if (!isProvinceScope(hr.scopeRegion)) return err('not_province')
  if (!r.appealed_at) return err('no_appeal')
  if (r.appeal_decision !== null || r.status !== 'in_force') return err('already_decided')
  if (r.person_id !== null && Number(r.person_id) === hr.personId) return err('not_province')
  const why = (reason ?? '').trim().slice(0, MAX_FINDING)
  if (!why) return err('reason_required')
  const today = chinaDay(now)
  const status: IntegrityStatus = decision === 'withdraw' ? 'withdrawn' : 'in_force'
  const endsOn =
    decision === 'withdraw'
      ? r.starts_on && today < r.starts_on
        ? r.starts_on
        : today < (r.ends_on ?? today)
          ? today
          : r.ends_on
      : r.ends_on
  await trx
    .updateTable('integrity_records')
    .set({
      status,
      ends_on: endsOn,
      appeal_decision: decision === 'withdraw' ? 'withdrawn' : 'upheld',
      appeal_decided_by: hr.accountId,
      appeal_decided_at: now,
      appeal_reason: why,
    })
    .where('id', '=', r.id)
    .execute()
  if (r.person_id !== null) {
    await trx
      .insertInto('notices')
      .values({
        person_id: Number(r.person_id),
        kind: decision === 'withdraw' ? 'integrity_appeal_withdrawn' : 'integrity_appeal_upheld',
        dedupe_key: `integrity-appeal:${r.id}`,
        params: JSON.stringify({ recordId: Number(r.id), documentNumber: r.document_number, reason: why, endsOn }),
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute()
  }
  await audit(trx, {
    actorAccountId: hr.accountId,
    action: decision === 'withdraw' ? 'integrity.appeal_withdraw' : 'integrity.appeal_uphold',
    targetType: 'integrity_record',
    targetId: r.id,
    detail: { reason: why, endsOn },
  })
  return ok({ status })
}

/**
 * Which of these people have a record in force on `day` (China day), with its end: ONE query for
 * the batch (the check API's only extra read). When several are in force, the latest end wins.
 */
export async function inForce(db: DB, personIds: number[], day: string): Promise<Map<number, { recordId: number; endsOn: string }>> {
  const out = new Map<number, { recordId: number; endsOn: string }>()
  const ids = [...new Set(personIds)]
  if (ids.length === 0) return out
  const rows = await db
    .selectFrom('integrity_records')
    .select(['id', 'person_id', 'ends_on'])
    .where('person_id', 'in', ids)
    .where('status', '=', 'in_force')
    .where('starts_on', '<=', day)
    .where('ends_on', '>', day)
    .execute()
  for (const r of rows) {
    if (r.person_id === null || r.ends_on === null) continue
    const pid = Number(r.person_id)
    const prev = out.get(pid)
    if (!prev || r.ends_on > prev.endsOn) out.set(pid, { recordId: Number(r.id), endsOn: r.ends_on })
  }
  return out
}

/** The columns shown about a record (never the file's bytes). */
const SHOWN = [
  'r.id',
  'r.subject',
  'r.person_id',
  'r.base_id',
  'r.source_kind',
  'r.source_id',
  'r.activity_id',
  'r.region_code',
  'r.finding',
  'r.document_number',
  'r.evidence_filename',
  'r.evidence_mime',
  'r.status',
  'r.found_by',
  'r.found_at',
  'r.confirmed_by',
  'r.confirmed_at',
  'r.starts_on',
  'r.ends_on',
  'r.policy_version',
  'r.cancel_reason',
  'r.cancelled_at',
  'r.appeal_text',
  'r.appealed_at',
  'r.appeal_decision',
  'r.appeal_decided_at',
  'r.appeal_reason',
] as const

type Row = Awaited<ReturnType<ReturnType<typeof listQuery>['execute']>>[number]

export type RecordView = Omit<Row, 'id'> & {
  id: number
  /** In force on China today. */
  inForceToday: boolean
  /** The last China day an appeal is accepted (inclusive), for confirmed records; null otherwise. */
  appealLastDay: string | null
  /** Whether the person may appeal today. */
  canAppeal: boolean
}

function view(rows: Row[], now: Date): RecordView[] {
  const today = chinaDay(now)
  return rows.map((r) => {
    const confirmedOn = r.confirmed_at ? chinaDay(new Date(r.confirmed_at)) : null
    const last = confirmedOn ? appealLastDay(confirmedOn, integrityPolicyOn(confirmedOn).appealDays) : null
    const inForceToday = r.status === 'in_force' && r.starts_on !== null && r.ends_on !== null && r.starts_on <= today && today < r.ends_on
    return {
      ...r,
      id: Number(r.id),
      inForceToday,
      appealLastDay: last,
      canAppeal: r.subject === 'person' && inForceToday && !r.appealed_at && last !== null && today <= last,
    }
  })
}

function listQuery(db: DB) {
  return db
    .selectFrom('integrity_records as r')
    .leftJoin('people as p', 'p.id', 'r.person_id')
    .leftJoin('bases as b', 'b.id', 'r.base_id')
    .select(SHOWN)
    .select(['p.name as person_name', 'b.name as base_name'])
    .orderBy('r.found_at', 'desc')
    .orderBy('r.id', 'desc')
}

/** A person's confirmed records (in force, withdrawn or ended), newest first: proposals and cancelled ones are HR's only. */
export async function recordsOfPerson(db: DB, personId: number, now: Date = new Date()): Promise<RecordView[]> {
  const rows = await listQuery(db)
    .where('r.subject', '=', 'person')
    .where('r.person_id', '=', personId)
    .where('r.status', 'in', ['in_force', 'withdrawn'])
    .execute()
  return view(rows, now)
}

/** A base's confirmed records, newest first (for its staff and for decisions on its rectification or evaluation). */
export async function recordsOfBase(db: DB, baseId: number, now: Date = new Date()): Promise<RecordView[]> {
  const rows = await listQuery(db)
    .where('r.subject', '=', 'base')
    .where('r.base_id', '=', baseId)
    .where('r.status', 'in', ['in_force', 'withdrawn'])
    .execute()
  return view(rows, now)
}

/** One record for HR, null when out of the officer's scope (or unknown). */
export async function recordFor(db: DB, hr: HrActor, recordId: number, now: Date = new Date()): Promise<RecordView | null> {
  if (!Number.isSafeInteger(recordId) || recordId <= 0) return null
  const rows = await listQuery(db).where('r.id', '=', recordId).execute()
  const r = rows[0]
  if (!r || !inScope(hr.scopeRegion, r.region_code)) return null
  return view(rows, now)[0] ?? null
}

export type HrRecordView = RecordView & {
  /** What this officer may do now: confirm another officer's proposal, or (province) decide an appeal. */
  awaits: 'confirm' | 'appeal' | null
}

/** The records in the officer's scope, newest first, each with what awaits this officer. */
export async function listForHr(
  db: DB,
  hr: HrActor,
  filter: { status?: IntegrityStatus; awaiting?: boolean; limit?: number } = {},
  now: Date = new Date(),
): Promise<HrRecordView[]> {
  let q = listQuery(db)
  if (!isProvinceScope(hr.scopeRegion)) q = q.where('r.region_code', '=', hr.scopeRegion)
  if (filter.status) q = q.where('r.status', '=', filter.status)
  const rows = await q.limit(filter.limit ?? 500).execute()
  const out = view(rows, now).map((r): HrRecordView => {
    const mine = r.person_id !== null && Number(r.person_id) === hr.personId
    let awaits: HrRecordView['awaits'] = null
    if (!mine && r.status === 'proposed' && Number(r.found_by) !== hr.accountId) awaits = 'confirm'
    else if (!mine && r.status === 'in_force' && r.appealed_at && !r.appeal_decision && isProvinceScope(hr.scopeRegion)) awaits = 'appeal'
    return { ...r, awaits }
  })
  return filter.awaiting ? out.filter((r) => r.awaits !== null) : out
}

/** The evidence file of a record: for HR in scope, or for the person it is about (confirmed records only). Null otherwise. */
export async function evidenceOf(
  db: DB,
  who: HrActor | { personId: number },
  recordId: number,
): Promise<{ filename: string; mime: EvidenceContentType; bytes: Buffer } | null> {
  if (!Number.isSafeInteger(recordId) || recordId <= 0) return null
  const r = await db
    .selectFrom('integrity_records')
    .select(['region_code', 'person_id', 'status', 'evidence_filename', 'evidence_mime', 'evidence_file'])
    .where('id', '=', recordId)
    .executeTakeFirst()
  if (!r) return null
  const allowed =
    'scopeRegion' in who
      ? inScope(who.scopeRegion, r.region_code)
      : r.person_id !== null && Number(r.person_id) === who.personId && (r.status === 'in_force' || r.status === 'withdrawn')
  if (!allowed) return null
  return { filename: r.evidence_filename, mime: r.evidence_mime, bytes: r.evidence_file }
}
