import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { fieldErrors, RegistrationSchema, type FieldErrors } from '#app/domain/identity/accounts.schema.ts'
import { registerLearner } from '#app/domain/identity/accounts.server.ts'
import { REGIONS, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { createSession } from '#app/domain/identity/sessions.server.ts'
import { getUser, homeFor, sessionCookie } from '#app/auth/auth.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { formFields } from '#app/lib/http.server.ts'
import { FormAlert, SelectField, TextField, useFocusFirstError } from '#app/components/form.tsx'
import { useLang, useT } from '#app/i18n/use-t.ts'

export const meta = pageTitle('register.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  if (user) throw redirect(homeFor(user.role))
  return null
}

type ActionData = { errors: FieldErrors; values: Record<string, string> }

export async function action({ request }: ActionFunctionArgs) {
  const fields = await formFields(request)
  const { password: _p, passwordConfirm: _c, ...values } = fields
  const parsed = RegistrationSchema.safeParse(fields)
  if (!parsed.success) return data<ActionData>({ errors: fieldErrors(parsed.error), values }, { status: 400 })
  const db = getDb()
  const result = await registerLearner(db, parsed.data)
  if (!result.ok) return data<ActionData>({ errors: result.errors, values }, { status: 400 })
  const token = await createSession(db, result.accountId, request.headers.get('User-Agent'))
  return redirect('/account', { headers: { 'Set-Cookie': sessionCookie(request, token) } })
}

export default function Register() {
  const t = useT()
  const lang = useLang()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const errors = actionData?.errors ?? {}
  useFocusFirstError(actionData?.errors)
  const values = actionData?.values ?? {}
  const err = (k: string) => (errors[k] ? t(errors[k]) : undefined)
  const opts = (list: readonly { code: string; zh: string; en: string }[]) => list.map((x) => ({ value: x.code, label: x[lang] }))
  return (
    <section className="form-page" aria-labelledby="register-title">
      <h1 id="register-title">{t('register.title')}</h1>
      <p className="lead">{t('register.lead')}</p>
      {Object.keys(errors).length ? <FormAlert>{t('err.form')}</FormAlert> : null}
      <Form method="post" noValidate className="stack">
        <fieldset>
          <legend>{t('register.section.identity')}</legend>
          <TextField name="name" label={t('field.name')} required autoComplete="name" defaultValue={values.name} error={err('name')} />
          <TextField
            name="idNumber"
            label={t('field.idNumber')}
            hint={t('field.idNumber.hint')}
            required
            autoComplete="off"
            maxLength={18}
            defaultValue={values.idNumber}
            error={err('idNumber')}
          />
          <TextField
            name="phone"
            type="tel"
            inputMode="tel"
            label={t('field.phone')}
            hint={t('field.phone.hint')}
            required
            autoComplete="tel"
            defaultValue={values.phone}
            error={err('phone')}
          />
        </fieldset>
        <fieldset>
          <legend>{t('register.section.work')}</legend>
          <TextField name="employer" label={t('field.employer')} required autoComplete="organization" defaultValue={values.employer} error={err('employer')} />
          <SelectField name="region" label={t('field.region')} required placeholder={t('field.choose')} options={opts(REGIONS)} defaultValue={values.region} error={err('region')} />
          <SelectField name="titleSeries" label={t('field.titleSeries')} required placeholder={t('field.choose')} options={opts(TITLE_SERIES)} defaultValue={values.titleSeries} error={err('titleSeries')} />
          <SelectField name="titleLevel" label={t('field.titleLevel')} required placeholder={t('field.choose')} options={opts(TITLE_LEVELS)} defaultValue={values.titleLevel} error={err('titleLevel')} />
          <TextField name="titleYear" inputMode="numeric" label={t('field.titleYear')} hint={t('field.titleYear.hint')} maxLength={4} defaultValue={values.titleYear} error={err('titleYear')} />
        </fieldset>
        <fieldset>
          <legend>{t('register.section.password')}</legend>
          <TextField name="password" type="password" label={t('field.password')} hint={t('field.password.hint')} required autoComplete="new-password" error={err('password')} />
          <TextField name="passwordConfirm" type="password" label={t('field.passwordConfirm')} required autoComplete="new-password" error={err('passwordConfirm')} />
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
