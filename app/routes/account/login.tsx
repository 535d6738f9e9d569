import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import type { z } from 'zod'

import { getUser, homeFor, safeRedirect, sessionCookie } from '#app/auth/auth.server.ts'
import { FormAlert, TextField, useErrorText } from '#app/components/form.tsx'
import { LoginSchema } from '#app/domain/identity/accounts.schema.ts'
import { authenticate, verifyDummy } from '#app/domain/identity/accounts.server.ts'
import { LOGIN_POLICY } from '#app/domain/identity/security-policy.ts'
import { createSession, findSessionUser } from '#app/domain/identity/sessions.server.ts'
import { pageTitle, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'
import { blockedFor, failOpen, recordFailure } from '#app/lib/rate-limit.server.ts'

import { clientIp } from './client-ip.server.ts'

export const meta = pageTitle('login.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  if (user) throw redirect(homeFor(user.role))
  return null
}

type ActionData = { result: SubmissionResult; lockedMinutes?: number }

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: LoginSchema, disableAutoCoercion: true })
  // The password is never sent back to the page.
  const reply = (formError?: string) => submission.reply({ hideFields: ['password'], ...(formError ? { formErrors: [formError] } : {}) })
  if (submission.status !== 'success') return data<ActionData>({ result: reply() }, { status: 400 })
  const locked = (seconds: number) =>
    data<ActionData>({ result: reply('err.login.locked'), lockedMinutes: Math.ceil(seconds / 60) }, { status: 429 })
  const failed = () => data<ActionData>({ result: reply('err.login.failed') }, { status: 401 })
  const ip = clientIp(request)
  // Per IP in Redis; fails open, because the per-account lock in PostgreSQL still holds (ADR 0018).
  const ipWait = await failOpen('login-ip', blockedFor('login-ip', ip, LOGIN_POLICY.perIp), 0)
  if (ipWait > 0) return locked(ipWait)
  const db = getDb()
  const { login, password } = submission.value
  // A login that names no account is counted on its normalised text ("x" and "X", spaces and
  // hyphens share one counter), so it locks after as many tries as a real account would.
  const textKey = login.replace(/[\s-]/g, '').toUpperCase()
  const textWait = await failOpen('login-unknown', blockedFor('login', textKey, LOGIN_POLICY.perUnknownLogin), 0)
  if (textWait > 0) {
    await verifyDummy(password)
    return locked(textWait)
  }
  const result = await authenticate(db, login, password)
  if (!result.ok) {
    await failOpen('login-ip', recordFailure('login-ip', ip, LOGIN_POLICY.perIp), undefined)
    if (result.code === 'locked') return locked(result.retryAfterSeconds)
    if (result.code === 'unknown_login')
      await failOpen('login-unknown', recordFailure('login', textKey, LOGIN_POLICY.perUnknownLogin), undefined)
    return failed()
  }
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
          <Link to="/forgot-password">{t('login.forgot')}</Link>
        </p>
        <p>
          {t('login.noAccount')} <Link to="/register">{t('nav.register')}</Link>
        </p>
      </Form>
    </section>
  )
}
