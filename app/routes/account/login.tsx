import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import type { z } from 'zod'

import { getUser, homeFor, safeRedirect, sessionCookie } from '#app/auth/auth.server.ts'
import { FormAlert, TextField, useErrorText } from '#app/components/form.tsx'
import { LoginSchema } from '#app/domain/identity/accounts.schema.ts'
import { authenticate } from '#app/domain/identity/accounts.server.ts'
import { createSession, findSessionUser } from '#app/domain/identity/sessions.server.ts'
import { pageTitle, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'
import { getLogger } from '#app/lib/log.server.ts'
import { blockedFor, clearFailures, LOGIN_LIMITS, recordFailure } from '#app/lib/rate-limit.server.ts'

export const meta = pageTitle('login.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  if (user) throw redirect(homeFor(user.role))
  return null
}

type ActionData = { result: SubmissionResult; lockedMinutes?: number }

function clientIp(request: Request): string {
  return request.headers.get('X-Xueshi-Client-Ip') ?? 'unknown'
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: LoginSchema, disableAutoCoercion: true })
  // The password is never sent back to the page.
  const reply = (formError?: string) => submission.reply({ hideFields: ['password'], ...(formError ? { formErrors: [formError] } : {}) })
  if (submission.status !== 'success') return data<ActionData>({ result: reply() }, { status: 400 })
  // Normalise so that "x" and "X", or spaces in a phone number, share one counter.
  const loginKey = submission.value.login.replace(/\s/g, '').toUpperCase()
  const ip = clientIp(request)
  let wait: number
  try {
    wait = Math.max(await blockedFor('login', loginKey, LOGIN_LIMITS.perLogin), await blockedFor('login-ip', ip, LOGIN_LIMITS.perIp))
  } catch (e) {
    getLogger().error({ err: e }, 'rate limiter unavailable')
    return data<ActionData>({ result: reply('err.service') }, { status: 503 })
  }
  if (wait > 0) return data<ActionData>({ result: reply('err.login.locked'), lockedMinutes: Math.ceil(wait / 60) }, { status: 429 })
  const db = getDb()
  const result = await authenticate(db, submission.value.login, submission.value.password)
  if (!result.ok) {
    await recordFailure('login', loginKey, LOGIN_LIMITS.perLogin)
    await recordFailure('login-ip', ip, LOGIN_LIMITS.perIp)
    return data<ActionData>({ result: reply('err.login.failed') }, { status: 401 })
  }
  await clearFailures('login', loginKey)
  const token = await createSession(db, result.accountId, request.headers.get('User-Agent'))
  const user = await findSessionUser(db, token)
  const fallback = user ? homeFor(user.role) : '/account'
  const redirectTo = formData.get('redirectTo')
  const to = safeRedirect(
    new URL(request.url).searchParams.get('redirectTo') ?? (typeof redirectTo === 'string' ? redirectTo : undefined),
    fallback,
  )
  return redirect(to, { headers: { 'Set-Cookie': sessionCookie(request, token) } })
}

export default function Login() {
  const t = useT()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const [params] = useSearchParams()
  const busy = useNavigation().state === 'submitting'
  const [form, fields] = useForm<z.input<typeof LoginSchema>>({ id: 'login', lastResult: actionData?.result })
  const formError = useErrorText(form.errors)
  const lockedMinutes = actionData?.lockedMinutes
  return (
    <section className="form-page narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      {formError ? (
        <FormAlert>{lockedMinutes !== undefined ? t('err.login.locked', { minutes: lockedMinutes }) : formError}</FormAlert>
      ) : null}
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
        <TextField meta={fields.login} label={t('field.login')} required autoComplete="username" />
        <TextField meta={fields.password} type="password" label={t('field.password')} required autoComplete="current-password" />
        <button type="submit" className="button" disabled={busy}>
          {t('login.submit')}
        </button>
        <p>
          {t('login.noAccount')} <Link to="/register">{t('nav.register')}</Link>
        </p>
      </Form>
    </section>
  )
}
