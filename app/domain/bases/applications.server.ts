import { createHash } from 'node:crypto'

import type { Transaction } from 'kysely'

import { cleanFilename, evidenceProblem, sniffEvidenceType } from '#app/domain/claims/external-claims.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { inScope, isProvinceScope } from '#app/domain/shared/scope.ts'
import type { BaseApplicationState, Database, DB } from '#db/schema.ts'

import { type ApplicationData, ApplicationInputSchema, fieldErrors } from './applications.schema.ts'
import { accountIdOf, chinaDay, contextFor, notifyBase, recordEvent } from './events.server.ts'
import { type Actor, APPLICATION_SECTIONS, type LifecycleEvent, type SectionReasons, transition, type TransitionCode } from './lifecycle.ts'

/**
 * Applications to become a training base (继续教育基地申请): the applicant keeps a draft, attaches
 * materials, submits; HR of the base's region (or the province) returns it with reasons per
 * section or forwards it to the province (decisions.server.ts). Every write takes the caller's
 * transaction, checks the transition in lifecycle.ts, and appends its status event and audit row.
 */

export type ApplicationCode =
  | TransitionCode
  | 'invalid'
  | 'not_found'
  | 'duplicate_open_application'
  | 'already_designated'
  | 'not_editable'
  | 'file_required'
  | 'file_too_large'
  | 'file_type'

const toData = (d: ApplicationData) => ({
  institution_name: d.institutionName,
  credit_code: d.creditCode,
  region_code: d.regionCode,
  training_fields: JSON.stringify(d.trainingFields),
  classrooms: d.classrooms,
  seats: d.seats,
  online_platform: d.onlinePlatform,
  faculty: JSON.stringify(d.faculty),
  courses: JSON.stringify(d.courses),
  contact: JSON.stringify(d.contact),
})

function parse(input: unknown) {
  const parsed = ApplicationInputSchema.safeParse(input)
  return parsed.success ? ({ ok: true, data: parsed.data } as const) : ({ ok: false, errors: fieldErrors(parsed.error) } as const)
}

/** A code that already has an open application, or a base that is designated (or in notice/rectification). */
async function codeTaken(trx: Transaction<Database>, creditCode: string, exceptApplicationId: number | null) {
  let open = trx
    .selectFrom('base_applications')
    .select('id')
    .where('credit_code', '=', creditCode)
    .where('state', 'in', ['draft', 'submitted', 'returned', 'forwarded'])
  if (exceptApplicationId !== null) open = open.where('id', '<>', exceptApplicationId)
  if (await open.executeTakeFirst()) return 'duplicate_open_application' as const
  const base = await trx.selectFrom('bases').select('status').where('credit_code', '=', creditCode).executeTakeFirst()
  if (base && (base.status === 'approved' || base.status === 'designated' || base.status === 'rectification'))
    return 'already_designated' as const
  return null
}

/**
 * Starts a draft for the signed-in applicant. Refused: invalid input (field errors as data, e.g. a
 * wrong credit-code check character), a code with an open application or a base still standing.
 */
export async function createApplication(
  trx: Transaction<Database>,
  applicantAccountId: number,
  input: unknown,
): Promise<Result<{ applicationId: number }, ApplicationCode, { errors?: Record<string, string[]> }>> {
  const p = parse(input)
  if (!p.ok) return err('invalid', { errors: p.errors })
  const taken = await codeTaken(trx, p.data.creditCode, null)
  if (taken) return err(taken, { errors: { creditCode: [`err.base.${taken}`] } })
  // A concurrent duplicate meets the partial unique index: nothing inserted, the caller's transaction stays usable.
  const row = await trx
    .insertInto('base_applications')
    .values({ applicant_account_id: applicantAccountId, state: 'draft', ...toData(p.data) })
    .onConflict((oc) => oc.column('credit_code').where('state', 'in', ['draft', 'submitted', 'returned', 'forwarded']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!row) return err('duplicate_open_application', { errors: { creditCode: ['err.base.duplicate_open_application'] } })
  const actor: Actor = { role: 'applicant', accountId: applicantAccountId }
  await recordEvent(trx, { applicationId: row.id, event: 'create', from: null, to: 'draft', actor })
  await audit(trx, {
    actorAccountId: applicantAccountId,
    action: 'base.application.create',
    targetType: 'base_application',
    targetId: row.id,
  })
  return ok({ applicationId: row.id })
}

type Loaded = {
  id: number
  applicant_account_id: number
  region_code: string
  state: BaseApplicationState
  base_id: number | null
  credit_code: string
  institution_name: string
}

async function lockApplication(trx: Transaction<Database>, applicationId: number): Promise<Loaded | undefined> {
  return trx
    .selectFrom('base_applications')
    .select(['id', 'applicant_account_id', 'region_code', 'state', 'base_id', 'credit_code', 'institution_name'])
    .where('id', '=', applicationId)
    .forUpdate()
    .executeTakeFirst()
}

/** Edits a draft or a returned application (only its applicant). A submitted one is read-only. */
export async function updateApplication(
  trx: Transaction<Database>,
  applicantAccountId: number,
  applicationId: number,
  input: unknown,
): Promise<Result<object, ApplicationCode, { errors?: Record<string, string[]> }>> {
  const app = await lockApplication(trx, applicationId)
  if (!app || app.applicant_account_id !== applicantAccountId) return err('not_found')
  if (app.state !== 'draft' && app.state !== 'returned') return err('not_editable')
  const p = parse(input)
  if (!p.ok) return err('invalid', { errors: p.errors })
  if (p.data.creditCode !== app.credit_code) {
    const taken = await codeTaken(trx, p.data.creditCode, app.id)
    if (taken) return err(taken, { errors: { creditCode: [`err.base.${taken}`] } })
  }
  await trx
    .updateTable('base_applications')
    .set({ ...toData(p.data), updated_at: new Date() })
    .where('id', '=', app.id)
    .execute()
  const actor: Actor = { role: 'applicant', accountId: applicantAccountId }
  await recordEvent(trx, { applicationId: app.id, event: 'edit', from: app.state, to: app.state, actor })
  await audit(trx, {
    actorAccountId: applicantAccountId,
    action: 'base.application.edit',
    targetType: 'base_application',
    targetId: app.id,
  })
  return ok()
}

/** Attaches a material (PDF, PNG or JPEG judged by its bytes, ≤ 5 MB) to a draft or returned application. */
export async function attachApplicationFile(
  trx: Transaction<Database>,
  applicantAccountId: number,
  applicationId: number,
  file: { filename: string; bytes: Uint8Array | null },
): Promise<Result<{ fileId: number }, ApplicationCode>> {
  const app = await lockApplication(trx, applicationId)
  if (!app || app.applicant_account_id !== applicantAccountId) return err('not_found')
  if (app.state !== 'draft' && app.state !== 'returned') return err('not_editable')
  const stored = await storeFile(trx, file, { application_id: app.id, case_id: null, uploaded_by: applicantAccountId })
  if (!stored.ok) return stored
  await audit(trx, {
    actorAccountId: applicantAccountId,
    action: 'base.application.file',
    targetType: 'base_application',
    targetId: app.id,
    detail: { fileId: stored.fileId },
  })
  return stored
}

/** Stores a type-checked file for an application or a rectification case (shared with rectification.server.ts). */
export async function storeFile(
  trx: Transaction<Database>,
  file: { filename: string; bytes: Uint8Array | null },
  owner: { application_id: number | null; case_id: number | null; uploaded_by: number },
): Promise<Result<{ fileId: number }, 'file_required' | 'file_too_large' | 'file_type'>> {
  const problem = evidenceProblem(file.bytes)
  if (problem === 'err.evidence.required') return err('file_required')
  if (problem === 'err.evidence.tooLarge') return err('file_too_large')
  const type = file.bytes ? sniffEvidenceType(file.bytes) : null
  if (problem || !type || !file.bytes) return err('file_type')
  const bytes = Buffer.from(file.bytes)
  const row = await trx
    .insertInto('base_files')
    .values({
      ...owner,
      filename: cleanFilename(file.filename, type),
      content_type: type,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return ok({ fileId: row.id })
}

/**
 * Runs one lifecycle event on an application: locks it, checks the transition for this actor,
 * updates the state, appends the status event and the audit row. Used by the functions below and
 * by decisions.server.ts.
 */
export async function applyApplicationEvent(
  trx: Transaction<Database>,
  actor: Actor,
  applicationId: number,
  event: LifecycleEvent,
  opts: {
    on?: string
    /** Runs after the transition was allowed and before it is written (e.g. the approval creates the base). */
    prepare?: (app: Loaded) => Promise<{ baseId?: number; detail?: Record<string, unknown> }>
    reason?: string | null
    documentNumber?: string | null
  } = {},
): Promise<Result<{ application: Loaded; next: BaseApplicationState; eventId: number }, ApplicationCode>> {
  const app = await lockApplication(trx, applicationId)
  if (!app || !visibleTo(actor, app)) return err('not_found')
  const on = opts.on ?? chinaDay()
  const subject = { regionCode: app.region_code, applicantAccountId: app.applicant_account_id, baseId: app.base_id, noticeEnd: null }
  const t = transition(app.state, event, contextFor(actor, subject, on))
  if (!t.ok) return err(t.code)
  const next = t.next as BaseApplicationState
  const prepared = opts.prepare ? await opts.prepare(app) : {}
  const baseId = prepared.baseId ?? app.base_id
  const sectionReasons = event.type === 'return' ? cleanReasons(event.sectionReasons) : null
  await trx
    .updateTable('base_applications')
    .set({
      state: next,
      updated_at: new Date(),
      ...(event.type === 'submit' ? { submitted_at: new Date(), section_reasons: null } : {}),
      ...(sectionReasons ? { section_reasons: JSON.stringify(sectionReasons) } : {}),
      base_id: baseId,
    })
    .where('id', '=', app.id)
    .execute()
  const eventId = await recordEvent(trx, {
    applicationId: app.id,
    baseId,
    event: event.type,
    from: app.state,
    to: next,
    actor,
    reason: opts.reason ?? null,
    documentNumber: opts.documentNumber ?? null,
    sectionReasons,
    detail: prepared.detail ?? {},
  })
  await audit(trx, {
    actorAccountId: accountIdOf(actor),
    action: `base.application.${event.type}`,
    targetType: 'base_application',
    targetId: app.id,
    detail: { from: app.state, to: next },
  })
  return ok({ application: { ...app, base_id: baseId }, next, eventId })
}

function cleanReasons(r: SectionReasons): SectionReasons {
  const out: SectionReasons = {}
  for (const s of APPLICATION_SECTIONS) {
    const v = r[s]?.trim()
    if (v) out[s] = v.slice(0, 1000)
  }
  return out
}

/** Applicants see their own; HR sees its region (the province all); admins all; base staff their base's. */
function visibleTo(actor: Actor, app: { applicant_account_id: number; region_code: string; base_id: number | null }): boolean {
  switch (actor.role) {
    case 'applicant':
      return actor.accountId === app.applicant_account_id
    case 'hr':
      return inScope(actor.scopeRegion, app.region_code)
    case 'base_staff':
      return app.base_id !== null && actor.baseId === app.base_id
    default:
      return true
  }
}

export async function submitApplication(trx: Transaction<Database>, actor: Actor, applicationId: number) {
  const r = await applyApplicationEvent(trx, actor, applicationId, { type: 'submit' })
  return r.ok ? ok() : r
}

export async function withdrawApplication(trx: Transaction<Database>, actor: Actor, applicationId: number) {
  const r = await applyApplicationEvent(trx, actor, applicationId, { type: 'withdraw' })
  return r.ok ? ok() : r
}

/** HR returns a submitted application with reasons per section; the applicant is told. */
export async function returnApplication(trx: Transaction<Database>, actor: Actor, applicationId: number, sectionReasons: SectionReasons) {
  const r = await applyApplicationEvent(trx, actor, applicationId, { type: 'return', sectionReasons })
  if (!r.ok) return r
  await notifyBase(
    trx,
    { baseId: null, applicantAccountId: r.application.applicant_account_id },
    'base_application_returned',
    eventKey(r),
    {
      applicationId,
      institution: r.application.institution_name,
    },
  )
  return ok()
}

/** HR forwards a submitted application to the province. */
export async function forwardApplication(trx: Transaction<Database>, actor: Actor, applicationId: number) {
  const r = await applyApplicationEvent(trx, actor, applicationId, { type: 'forward' })
  return r.ok ? ok() : r
}

/** A notice's dedupe key: one per status event, so a decision is told once. */
export function eventKey(r: { eventId: number }): string {
  return `base-event:${r.eventId}`
}

export type ApplicationView = NonNullable<Awaited<ReturnType<typeof getApplication>>>

/** One application with its files (without bytes) and its history, or null when the viewer may not see it. */
export async function getApplication(db: DB, viewer: Actor, applicationId: number) {
  const app = await db.selectFrom('base_applications').selectAll().where('id', '=', applicationId).executeTakeFirst()
  if (!app || !visibleTo(viewer, app)) return null
  const [files, history] = await Promise.all([
    db
      .selectFrom('base_files')
      .select(['id', 'filename', 'content_type', 'size', 'created_at'])
      .where('application_id', '=', applicationId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('base_status_events')
      .select(['id', 'event', 'from_state', 'to_state', 'actor_role', 'reason', 'document_number', 'section_reasons', 'at'])
      .where('application_id', '=', applicationId)
      .orderBy('id')
      .execute(),
  ])
  return { ...app, files, history }
}

/** Applications waiting for this HR officer (submitted, in scope) or for the province (forwarded), oldest first. */
export async function applicationsAwaiting(db: DB, actor: Actor) {
  let q = db
    .selectFrom('base_applications')
    .select(['id', 'institution_name', 'credit_code', 'region_code', 'state', 'submitted_at', 'updated_at'])
    .orderBy('submitted_at')
  if (actor.role === 'hr') {
    q = q.where('state', 'in', isProvinceScope(actor.scopeRegion) ? ['submitted', 'forwarded'] : ['submitted'])
    if (!isProvinceScope(actor.scopeRegion)) q = q.where('region_code', '=', actor.scopeRegion)
  } else if (actor.role === 'admin') q = q.where('state', '=', 'forwarded')
  else if (actor.role === 'applicant') q = q.where('applicant_account_id', '=', actor.accountId)
  else return []
  return q.execute()
}
