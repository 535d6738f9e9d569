import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { getUser, homeFor, sessionCookie } from '#app/auth/auth.server.ts'
import { FormAlert, namedOptions, SelectField, TextField, TitleFields } from '#app/components/form.tsx'
import { RegistrationSchema } from '#app/domain/identity/accounts.schema.ts'
import { registerLearner } from '#app/domain/identity/accounts.server.ts'
import { REGISTRATION_POLICY } from '#app/domain/identity/security-policy.ts'
import { createSession } from '#app/domain/identity/sessions.server.ts'
import { REGIONS } from '#app/domain/shared/reference.ts'
import { pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'
import { getLogger } from '#app/lib/log.server.ts'
import { consume, RateLimitUnavailable } from '#app/lib/rate-limit.server.ts'

import { clientIp } from './client-ip.server.ts'

export const meta = pageTitle('register.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  if (user) throw redirect(homeFor(user.role))
  return null
}

// Passwords are never sent back to the page.
const HIDDEN = ['password', 'passwordConfirm']

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: RegistrationSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: HIDDEN }) }, { status: 400 })
  // Per IP and per ID number, so nobody can probe which ID numbers have an account. These fail
  // closed: no other limit stands behind them, and registering can wait out an outage (ADR 0018).
  let wait: number
  try {
    const ip = clientIp(request)
    wait = Math.max(
      await consume('register-ip', ip, REGISTRATION_POLICY.perIp),
      await consume('register-id', submission.value.idNumber.value, REGISTRATION_POLICY.perIdNumber),
    )
  } catch (e) {
    if (!(e instanceof RateLimitUnavailable)) throw e
    getLogger().error({ err: e.cause }, 'rate limiter unavailable: registration refused (fails closed)')
    return data({ result: submission.reply({ hideFields: HIDDEN, formErrors: ['err.service'] }) }, { status: 503 })
  }
  if (wait > 0)
    return data(
      { result: submission.reply({ hideFields: HIDDEN, formErrors: ['err.register.tooMany'] }), waitMinutes: Math.ceil(wait / 60) },
      { status: 429 },
    )
  const db = getDb()
  const result = await registerLearner(db, submission.value)
  // A taken ID number and a taken phone get one answer, naming neither (and a way forward).
  if (!result.ok) return data({ result: submission.reply({ hideFields: HIDDEN, formErrors: ['err.register.refused'] }) }, { status: 400 })
  const token = await createSession(db, result.accountId, request.headers.get('User-Agent'))
  return redirect('/account', { headers: { 'Set-Cookie': sessionCookie(request, token) } })
}

export default function Register() {
  const t = useT()
  const lang = useLang()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const [form, fields] = useForm<z.input<typeof RegistrationSchema>>({ id: 'register', lastResult: actionData?.result })
  const formError = form.errors?.[0]
  const waitMinutes = actionData && 'waitMinutes' in actionData ? Number(actionData.waitMinutes) : undefined
  return (
    <section className="form-page" aria-labelledby="register-title">
      <h1 id="register-title">{t('register.title')}</h1>
      <p className="lead">{t('register.lead')}</p>
      {formError === 'err.register.refused' ? (
        <FormAlert>
          {t('err.register.refused')} <Link to="/forgot-password">{t('register.forgotLink')}</Link>
        </FormAlert>
      ) : formError === 'err.register.tooMany' ? (
        <FormAlert>{t('err.register.tooMany', { minutes: waitMinutes ?? 60 })}</FormAlert>
      ) : formError ? (
        <FormAlert>{t.issue(formError)}</FormAlert>
      ) : form.status === 'error' ? (
        <FormAlert>{t('err.form')}</FormAlert>
      ) : null}
      <Form method="post" className="stack" {...getFormProps(form)}>
        <fieldset>
          <legend>{t('register.section.identity')}</legend>
          <TextField meta={fields.name} label={t('field.name')} required autoComplete="name" />
          <TextField
            meta={fields.idNumber}
            label={t('field.idNumber')}
            hint={t('field.idNumber.hint')}
            required
            autoComplete="off"
            maxLength={18}
          />
          <TextField
            meta={fields.phone}
            type="tel"
            inputMode="tel"
            label={t('field.phone')}
            hint={t('field.phone.hint')}
            required
            autoComplete="tel"
          />
        </fieldset>
        <fieldset>
          <legend>{t('register.section.work')}</legend>
          <TextField meta={fields.employer} label={t('field.employer')} required autoComplete="organization" />
          <SelectField
            meta={fields.region}
            label={t('field.region')}
            required
            placeholder={t('field.choose')}
            options={namedOptions(REGIONS, lang)}
          />
          <TitleFields series={fields.titleSeries} level={fields.titleLevel} year={fields.titleYear} />
        </fieldset>
        <fieldset>
          <legend>{t('register.section.password')}</legend>
          <TextField
            meta={fields.password}
            type="password"
            label={t('field.password')}
            hint={t('field.password.hint')}
            required
            autoComplete="new-password"
          />
          <TextField
            meta={fields.passwordConfirm}
            type="password"
            label={t('field.passwordConfirm')}
            required
            autoComplete="new-password"
          />
        </fieldset>
        <button type="submit" className="button" disabled={busy}>
          {t('register.submit')}
        </button>
        <p>
          {t('register.haveAccount')} <Link to="/login">{t('nav.login')}</Link>
        </p>
      </Form>
    </section>
  )
}
