import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { LoginSchema, fieldErrors, type FieldErrors } from '#app/domain/identity/accounts.schema.ts'
import { authenticate } from '#app/domain/identity/accounts.server.ts'
import { createSession, findSessionUser } from '#app/domain/identity/sessions.server.ts'
import { getUser, homeFor, safeRedirect, sessionCookie } from '#app/auth/auth.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { formFields } from '#app/lib/http.server.ts'
import { getLogger } from '#app/lib/log.server.ts'
import { blockedFor, clearFailures, LOGIN_LIMITS, recordFailure } from '#app/lib/rate-limit.server.ts'
import { FormAlert, TextField } from '#app/components/form.tsx'
import { useT } from '#app/i18n/use-t.ts'

export const meta = pageTitle('login.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  if (user) throw redirect(homeFor(user.role))
  return null
}

type ActionData = { errors: FieldErrors; formError?: { key: string; params?: Record<string, number> }; login: string }

function clientIp(request: Request): string {
  return request.headers.get('X-Xueshi-Client-Ip') ?? 'unknown'
}

export async function action({ request }: ActionFunctionArgs) {
  const fields = await formFields(request)
  const parsed = LoginSchema.safeParse(fields)
  const login = (fields.login ?? '').trim()
  if (!parsed.success) return data<ActionData>({ errors: fieldErrors(parsed.error), login }, { status: 400 })
  // Normalise so that "x" and "X", or spaces in a phone number, share one counter.
  const loginKey = parsed.data.login.replace(/\s/g, '').toUpperCase()
  const ip = clientIp(request)
  let wait: number
  try {
    wait = Math.max(await blockedFor('login', loginKey, LOGIN_LIMITS.perLogin), await blockedFor('login-ip', ip, LOGIN_LIMITS.perIp))
  } catch (e) {
    getLogger().error({ err: e }, 'rate limiter unavailable')
    return data<ActionData>({ errors: {}, formError: { key: 'err.service' }, login }, { status: 503 })
  }
  if (wait > 0) {
    return data<ActionData>({ errors: {}, formError: { key: 'err.login.locked', params: { minutes: Math.ceil(wait / 60) } }, login }, { status: 429 })
  }
  const db = getDb()
  const result = await authenticate(db, parsed.data.login, parsed.data.password)
  if (!result.ok) {
    await recordFailure('login', loginKey, LOGIN_LIMITS.perLogin)
    await recordFailure('login-ip', ip, LOGIN_LIMITS.perIp)
    return data<ActionData>({ errors: {}, formError: { key: 'err.login.failed' }, login }, { status: 401 })
  }
  await clearFailures('login', loginKey)
  const token = await createSession(db, result.accountId, request.headers.get('User-Agent'))
  const user = await findSessionUser(db, token)
  const fallback = user ? homeFor(user.role) : '/account'
  const to = safeRedirect(new URL(request.url).searchParams.get('redirectTo') ?? fields.redirectTo, fallback)
  return redirect(to, { headers: { 'Set-Cookie': sessionCookie(request, token) } })
}

export default function Login() {
  const t = useT()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const [params] = useSearchParams()
  const busy = useNavigation().state === 'submitting'
  const errors = actionData?.errors ?? {}
  return (
    <section className="form-page narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      {actionData?.formError ? <FormAlert>{t(actionData.formError.key, actionData.formError.params)}</FormAlert> : null}
      <Form method="post" noValidate className="stack">
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
        <TextField
          name="login"
          label={t('field.login')}
          required
          autoComplete="username"
          defaultValue={actionData?.login}
          error={errors.login ? t(errors.login) : undefined}
        />
        <TextField
          name="password"
          type="password"
          label={t('field.password')}
          required
          autoComplete="current-password"
          error={errors.password ? t(errors.password) : undefined}
        />
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
