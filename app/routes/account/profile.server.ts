import { type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data } from '@remix-run/node'

import { ProfileSchema } from '#app/domain/identity/accounts.schema.ts'
import { updateOwnProfile } from '#app/domain/identity/profile.server.ts'
import type { SessionUser } from '#app/domain/identity/sessions.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { fieldErrorList } from '#app/lib/http.server.ts'

export type ProfileActionData = { profile: { result: SubmissionResult; saved?: 'saved' | 'pending' } }

/** The /account "update your details" form (learners): phone and employer at once, a title change for HR to verify. */
export async function profileAction(user: SessionUser, formData: FormData) {
  if (user.role !== 'learner') throw new Response('Forbidden', { status: 403 })
  const submission = parseWithZod(formData, { schema: ProfileSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data<ProfileActionData>({ profile: { result: submission.reply() } }, { status: 400 })
  const result = await updateOwnProfile(getDb(), user.accountId, submission.value)
  if (!result.ok)
    return data<ProfileActionData>(
      { profile: { result: submission.reply({ fieldErrors: fieldErrorList(result.errors) }) } },
      { status: 400 },
    )
  return data<ProfileActionData>({ profile: { result: submission.reply(), saved: result.titleChange === 'pending' ? 'pending' : 'saved' } })
}
