import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'

import { Notice, SelectField, TextField } from '#app/components/form.tsx'
import { TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { useLang, useT } from '#app/i18n/index.ts'

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
  const lang = useLang()
  const busy = useNavigation().state === 'submitting'
  const [form, fields] = useForm<Values>({ id: 'profile', lastResult, defaultValue: defaults })
  const opts = (list: readonly { code: string; zh: string; en: string }[]) => list.map((x) => ({ value: x.code, label: x[lang] }))
  return (
    <section className="panel" aria-labelledby="edit-title">
      <h2 id="edit-title">{t('account.edit')}</h2>
      <p className="muted small">{t('account.edit.lead')}</p>
      {saved ? <Notice>{t(saved === 'pending' ? 'account.edit.pending' : 'account.edit.saved')}</Notice> : null}
      <Form method="post" className="stack" {...getFormProps(form)}>
        <TextField meta={fields.phone} type="tel" inputMode="tel" label={t('field.phone')} required autoComplete="tel" />
        <TextField meta={fields.employer} label={t('field.employer')} required autoComplete="organization" />
        <SelectField
          meta={fields.titleSeries}
          label={t('field.titleSeries')}
          required
          placeholder={t('field.choose')}
          options={opts(TITLE_SERIES)}
        />
        <SelectField
          meta={fields.titleLevel}
          label={t('field.titleLevel')}
          required
          placeholder={t('field.choose')}
          options={opts(TITLE_LEVELS)}
        />
        <TextField
          meta={fields.titleYear}
          inputMode="numeric"
          label={t('field.titleYear')}
          hint={t('field.titleYear.hint')}
          maxLength={4}
        />
        <button type="submit" name="intent" value="profile" className="button" disabled={busy}>
          {t('account.edit.submit')}
        </button>
      </Form>
    </section>
  )
}
