import { type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data } from '@remix-run/node'

import { NameDecisionSchema } from '#app/domain/bases/profile.schema.ts'
import { decideNameChange, nameChangesOf } from '#app/domain/bases/profile.server.ts'
import type { HrActor } from '#app/domain/shared/scope.ts'
import { getDb } from '#app/lib/db.server.ts'
import type { DB } from '#db/schema.ts'

import { hrActor } from './bases-helpers.server.ts'

export type NameChangeActionData = { ok: true; done: 'name-change' } | { ok: false; intent: 'name-change'; result: SubmissionResult }

/** The pending name change of a base, as /hr/bases/:baseId shows it, or null. */
export async function pendingNameChange(db: DB, baseId: number) {
  const [latest] = await nameChangesOf(db, baseId, { limit: 1 })
  if (!latest || latest.state !== 'pending') return null
  return {
    id: latest.id,
    newName: latest.new_name,
    newCreditCode: latest.new_credit_code,
    reason: latest.reason,
    createdAt: latest.created_at.toISOString(),
  }
}

/** HR approves or rejects the base's pending name change (intent 'name-change' of /hr/bases/:baseId). */
export async function nameChangeAction(hr: HrActor, baseId: number, formData: FormData) {
  const submission = parseWithZod(formData, { schema: NameDecisionSchema, disableAutoCoercion: true })
  if (submission.status !== 'success')
    return data<NameChangeActionData>({ ok: false, intent: 'name-change', result: submission.reply() }, { status: 400 })
  const { requestId, decision, reason } = submission.value
  const r = await getDb()
    .transaction()
    .execute((trx) => decideNameChange(trx, hrActor(hr), requestId, { approve: decision === 'approve', reason, baseId }))
  if (!r.ok) {
    if (r.code === 'not_found') throw new Response('Not Found', { status: 404 })
    if (r.code === 'forbidden') throw new Response('Forbidden', { status: 403 })
    const key = `baseProfile.code.${r.code}`
    const reply =
      r.code === 'reason_required' ? submission.reply({ fieldErrors: { reason: [key] } }) : submission.reply({ formErrors: [key] })
    return data<NameChangeActionData>(
      { ok: false, intent: 'name-change', result: reply },
      { status: r.code === 'not_pending' || r.code === 'credit_code_taken' ? 409 : 400 },
    )
  }
  return { ok: true, done: 'name-change' } satisfies NameChangeActionData
}
