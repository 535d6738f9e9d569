import type { Transaction } from 'kysely'

import { evidenceProblem } from '#app/domain/claims/external-claims.ts'
import { basesPolicyFile, basesPolicyOn } from '#app/domain/policy/bases-policy.server.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { enqueue } from '#app/lib/queue.server.ts'
import type { Database, DB } from '#db/schema.ts'

import { storeFile } from './applications.server.ts'
import { applyBaseEvent } from './decisions.server.ts'
import { chinaDay, notifyBase } from './events.server.ts'
import { type Actor, addDays, type TransitionCode } from './lifecycle.ts'

/**
 * Rectification (整改) as a case: HR of the base's region or the province opens it with findings
 * per area and a deadline; the base answers with a report and evidence; a reminder goes out
 * `reminderLeadDays` before the deadline (job `base.rectification_reminder`, delayed in BullMQ
 * until that day); re-inspection ends it: passed (back to designated) or revoked from an
 * effective date (final; the gate refuses from that day, what the base reported before stays).
 */

export type RectificationCode =
  TransitionCode | 'not_found' | 'findings_required' | 'answer_required' | 'file_required' | 'file_too_large' | 'file_type'

const FILE_CODE = {
  'err.evidence.required': 'file_required',
  'err.evidence.tooLarge': 'file_too_large',
  'err.evidence.type': 'file_type',
} as const

/** Findings per area (evaluation indicator key → what was found), at least one. */
export type Findings = Record<string, string>

function cleanFindings(f: Findings): Findings {
  const out: Findings = {}
  for (const [k, v] of Object.entries(f)) if (/^[a-z_]{1,40}$/.test(k) && v.trim()) out[k] = v.trim().slice(0, 2000)
  return out
}

/** Opens a case on a designated base, schedules the reminder, tells the base's staff. */
export async function openRectification(
  trx: Transaction<Database>,
  actor: Actor,
  baseId: number,
  input: { findings: Findings; deadline?: string },
  { on = chinaDay() }: { on?: string } = {},
): Promise<Result<{ caseId: number; deadline: string; remindOn: string }, RectificationCode>> {
  const findings = cleanFindings(input.findings)
  if (Object.keys(findings).length === 0) return err('findings_required')
  if (actor.role === 'system' || actor.role === 'applicant') return err('forbidden')
  const openedBy = actor.accountId
  const policy = basesPolicyOn(basesPolicyFile(), on).rectification
  const deadline = input.deadline ?? addDays(on, policy.defaultDeadlineDays)
  const lead = addDays(deadline, -policy.reminderLeadDays)
  const remindOn = lead > on ? lead : on
  const r = await applyBaseEvent(
    trx,
    actor,
    baseId,
    { type: 'open_rectification', deadline },
    {
      on,
      write: async (base) => {
        const row = await trx
          .insertInto('rectification_cases')
          .values({ base_id: base.id, opened_by: openedBy, findings: JSON.stringify(findings), deadline, remind_on: remindOn })
          .returning('id')
          .executeTakeFirstOrThrow()
        return { caseId: row.id, detail: { deadline, remindOn, areas: Object.keys(findings) } }
      },
    },
  )
  if (!r.ok) return r
  const caseId = r.caseId!
  await enqueue(trx, 'base.rectification_reminder', { caseId, remindOn })
  await notifyBase(trx, { baseId }, 'base_rectification_opened', `base-event:${r.eventId}`, { name: r.base.name, deadline })
  return ok({ caseId, deadline, remindOn })
}

async function openCaseOf(trx: Transaction<Database>, baseId: number) {
  return trx
    .selectFrom('rectification_cases')
    .select(['id', 'deadline'])
    .where('base_id', '=', baseId)
    .where('outcome', 'is', null)
    .forUpdate()
    .executeTakeFirst()
}

/**
 * The base answers its open case with a report and optional evidence files (its own staff only;
 * another base's staff get `not_found`). A later answer replaces the report; files add up.
 */
export async function answerRectification(
  trx: Transaction<Database>,
  actor: Actor,
  baseId: number,
  input: { answer: string; files?: { filename: string; bytes: Uint8Array | null }[] },
  { on = chinaDay() }: { on?: string } = {},
): Promise<Result<{ caseId: number }, RectificationCode>> {
  const answer = input.answer.trim()
  if (!answer) return err('answer_required')
  if (actor.role !== 'base_staff') return err('forbidden')
  const by = actor.accountId
  // Every file is checked before anything is written, so a bad one leaves nothing changed.
  for (const f of input.files ?? []) {
    const problem = evidenceProblem(f.bytes)
    if (problem) return err(FILE_CODE[problem])
  }
  const r = await applyBaseEvent(
    trx,
    actor,
    baseId,
    { type: 'answer_rectification' },
    {
      on,
      write: async (base) => {
        const c = await openCaseOf(trx, base.id)
        if (!c) throw new Error(`base ${base.id} is in rectification without an open case`)
        for (const f of input.files ?? []) {
          const stored = await storeFile(trx, f, { application_id: null, case_id: c.id, uploaded_by: by })
          if (!stored.ok) throw new Error(`checked file refused: ${stored.code}`)
        }
        await trx
          .updateTable('rectification_cases')
          .set({ answer: answer.slice(0, 20_000), answered_by: by, answered_at: new Date() })
          .where('id', '=', c.id)
          .execute()
        return { caseId: c.id, detail: { files: input.files?.length ?? 0 } }
      },
    },
  )
  if (!r.ok) return r
  return ok({ caseId: r.caseId! })
}

/** Re-inspection passed: the case closes and the base is back in good standing. */
export async function passRectification(
  trx: Transaction<Database>,
  actor: Actor,
  baseId: number,
  { reason = null, on = chinaDay() }: { reason?: string | null; on?: string } = {},
): Promise<Result<{ caseId: number }, RectificationCode>> {
  const r = await applyBaseEvent(
    trx,
    actor,
    baseId,
    { type: 'pass_rectification' },
    { on, reason, write: async (base) => ({ caseId: await closeCase(trx, base.id, actor, 'passed') }) },
  )
  if (!r.ok) return r
  await notifyBase(trx, { baseId }, 'base_rectification_passed', `base-event:${r.eventId}`, { name: r.base.name })
  return ok({ caseId: r.caseId! })
}

/**
 * Re-inspection failed: the base is revoked from `effectiveOn` (today or later), with the decision's
 * document number and reason. Final: only a new application can bring the code back.
 */
export async function revokeBase(
  trx: Transaction<Database>,
  actor: Actor,
  baseId: number,
  input: { reason: string; documentNumber: string; effectiveOn: string },
  { on = chinaDay() }: { on?: string } = {},
): Promise<Result<{ caseId: number }, RectificationCode>> {
  const r = await applyBaseEvent(
    trx,
    actor,
    baseId,
    { type: 'revoke', ...input },
    {
      on,
      reason: input.reason.trim(),
      documentNumber: input.documentNumber.trim(),
      write: async (base) => {
        await trx
          .updateTable('bases')
          .set({
            revoked_on: input.effectiveOn,
            revocation_document: input.documentNumber.trim(),
            status_before_revocation: 'rectification',
          })
          .where('id', '=', base.id)
          .execute()
        return { caseId: await closeCase(trx, base.id, actor, 'revoked'), detail: { effectiveOn: input.effectiveOn } }
      },
    },
  )
  if (!r.ok) return r
  await notifyBase(trx, { baseId }, 'base_revoked', `base-event:${r.eventId}`, { name: r.base.name, effectiveOn: input.effectiveOn })
  return ok({ caseId: r.caseId! })
}

async function closeCase(trx: Transaction<Database>, baseId: number, actor: Actor, outcome: 'passed' | 'revoked'): Promise<number> {
  const c = await openCaseOf(trx, baseId)
  if (!c) throw new Error(`base ${baseId} is in rectification without an open case`)
  await trx
    .updateTable('rectification_cases')
    .set({ outcome, closed_at: new Date(), closed_by: actor.role === 'system' ? null : actor.accountId })
    .where('id', '=', c.id)
    .execute()
  return c.id
}

/**
 * The reminder job's work: tells the base's staff that the deadline approaches, once per case and
 * reminder day. Nothing when the case is closed, already answered, or the day has not come (a
 * job that ran early, or a deadline moved later: the newer job will remind).
 */
export async function sendRectificationReminder(
  db: DB,
  caseId: number,
  remindOn: string,
  now: Date = new Date(),
): Promise<'sent' | 'closed' | 'answered' | 'not_yet' | 'stale' | 'not_found'> {
  const c = await db
    .selectFrom('rectification_cases')
    .innerJoin('bases', 'bases.id', 'rectification_cases.base_id')
    .select(['rectification_cases.id', 'base_id', 'deadline', 'remind_on', 'outcome', 'answered_at', 'bases.name'])
    .where('rectification_cases.id', '=', caseId)
    .executeTakeFirst()
  if (!c) return 'not_found'
  if (c.outcome !== null) return 'closed'
  if (c.answered_at !== null) return 'answered'
  if (c.remind_on !== remindOn) return 'stale'
  if (chinaDay(now) < remindOn) return 'not_yet'
  await notifyBase(db, { baseId: c.base_id }, 'base_rectification_reminder', `rectification-reminder:${c.id}:${remindOn}`, {
    name: c.name,
    deadline: c.deadline,
  })
  await db.updateTable('rectification_cases').set({ reminded_at: now }).where('id', '=', c.id).where('reminded_at', 'is', null).execute()
  return 'sent'
}

/** A base's cases, newest first, for its staff (own base), HR in scope, the province. */
export async function casesOf(db: DB, baseId: number) {
  return db
    .selectFrom('rectification_cases')
    .select(['id', 'findings', 'deadline', 'remind_on', 'reminded_at', 'answer', 'answered_at', 'outcome', 'closed_at', 'created_at'])
    .where('base_id', '=', baseId)
    .orderBy('id', 'desc')
    .execute()
}

/**
 * Cases whose deadline passed before `on` with no answer: the base is told once per case (the
 * HR page already lists them as overdue). Idempotent by the notice's dedupe key; returns how many.
 */
export async function sendOverdueNotices(db: DB, on: string): Promise<number> {
  const overdue = await db
    .selectFrom('rectification_cases')
    .innerJoin('bases', 'bases.id', 'rectification_cases.base_id')
    .select(['rectification_cases.id', 'base_id', 'deadline', 'bases.name'])
    .where('outcome', 'is', null)
    .where('answered_at', 'is', null)
    .where('deadline', '<', on)
    .execute()
  for (const c of overdue)
    await notifyBase(db, { baseId: c.base_id }, 'base_rectification_overdue', `rectification-overdue:${c.id}`, {
      name: c.name,
      deadline: c.deadline,
    })
  return overdue.length
}
