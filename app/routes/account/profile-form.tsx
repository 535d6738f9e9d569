import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'

import { Notice, TextField, TitleFields } from '#app/components/form.tsx'
import { useT } from '#app/i18n/index.ts'

type Values = { phone: string; employer: string; titleSeries: string; titleLevel: string; titleYear: string }

/** "Update your details" on /account (learners). The title fields show the pending change if there is one. */
export function ProfileForm({
  defaults,
  lastResult,
  saved,
}: {
  defaults: Values
  lastResult: SubmissionResult | undefined
  saved: 'saved' | 'pending' | undefined
}) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const [form, fields] = useForm<Values>({ id: 'profile', lastResult, defaultValue: defaults })
  return (
    <section className="panel" aria-labelledby="edit-title">
      <h2 id="edit-title">{t('account.edit')}</h2>
      <p className="muted small">{t('account.edit.lead')}</p>
      {saved ? <Notice>{t(saved === 'pending' ? 'account.edit.pending' : 'account.edit.saved')}</Notice> : null}
      <Form method="post" className="stack" {...getFormProps(form)}>
        <TextField meta={fields.phone} type="tel" inputMode="tel" label={t('field.phone')} required autoComplete="tel" />
        <TextField meta={fields.employer} label={t('field.employer')} required autoComplete="organization" />
        <TitleFields series={fields.titleSeries} level={fields.titleLevel} year={fields.titleYear} />
        <button type="submit" name="intent" value="profile" className="button" disabled={busy}>
          {t('account.edit.submit')}
        </button>
      </Form>
    </section>
  )
}
