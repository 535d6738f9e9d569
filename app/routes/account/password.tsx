import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireUser } from '#app/auth/auth.server.ts'
import { FormAlert, Notice, TextField } from '#app/components/form.tsx'
import { ChangePasswordSchema } from '#app/domain/identity/accounts.schema.ts'
import { changePassword } from '#app/domain/identity/passwords.server.ts'
import { pageTitle, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('password.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return { mustChange: user.mustChangePassword }
}

// Passwords are never sent back to the page.
const HIDDEN = ['current', 'password', 'passwordConfirm']

type ActionData = { result: SubmissionResult; revoked?: number; lockedMinutes?: number }

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await request.formData(), { schema: ChangePasswordSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data<ActionData>({ result: submission.reply({ hideFields: HIDDEN }) }, { status: 400 })
  const result = await changePassword(getDb(), {
    accountId: user.accountId,
    sessionId: user.sessionId,
    current: submission.value.current,
    next: submission.value.password,
  })
  if (!result.ok) {
    if (result.code === 'locked')
      return data<ActionData>(
        {
          result: submission.reply({ hideFields: HIDDEN, formErrors: ['err.password.locked'] }),
          lockedMinutes: Math.ceil((result.retryAfterSeconds ?? 60) / 60),
        },
        { status: 429 },
      )
    const field: Record<string, string[]> =
      result.code === 'wrong_password' ? { current: ['err.password.current'] } : { password: ['err.password.same'] }
    return data<ActionData>({ result: submission.reply({ hideFields: HIDDEN, fieldErrors: field }) }, { status: 400 })
  }
  return data<ActionData>({ result: submission.reply({ resetForm: true }), revoked: result.revoked })
}

export default function ChangePassword() {
  const t = useT()
  const { mustChange } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const [form, fields] = useForm<z.input<typeof ChangePasswordSchema>>({ id: 'password', lastResult: actionData?.result })
  return (
    <section className="form-page narrow" aria-labelledby="password-title">
      <h1 id="password-title">{t('password.title')}</h1>
      {mustChange && actionData?.revoked === undefined ? <FormAlert>{t('password.mustChange')}</FormAlert> : null}
      {actionData?.revoked !== undefined ? <Notice>{t('password.done', { count: actionData.revoked })}</Notice> : null}
      {actionData?.lockedMinutes !== undefined ? (
        <FormAlert>{t('err.password.locked', { minutes: actionData.lockedMinutes })}</FormAlert>
      ) : null}
      <p className="lead">{t('password.lead')}</p>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <TextField meta={fields.current} type="password" label={t('password.current')} required autoComplete="current-password" />
        <TextField
          meta={fields.password}
          type="password"
          label={t('password.new')}
          hint={t('field.password.hint')}
          required
          autoComplete="new-password"
        />
        <TextField meta={fields.passwordConfirm} type="password" label={t('field.passwordConfirm')} required autoComplete="new-password" />
        <button type="submit" className="button" disabled={busy}>
          {t('password.submit')}
        </button>
      </Form>
    </section>
  )
}
