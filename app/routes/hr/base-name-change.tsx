import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { Form } from '@remix-run/react'

import { TextField } from '#app/components/form.tsx'
import { formatDate, useLang, useT } from '#app/i18n/index.ts'

type Pending = { id: number; newName: string | null; newCreditCode: string | null; reason: string; createdAt: string }

/** The pending name change of a base on /hr/bases/:baseId: what changes, why, approve or reject (with a reason). */
export function NameChangePanel({
  base,
  pending,
  lastResult,
  busy,
}: {
  base: { name: string; credit_code: string }
  pending: Pending
  lastResult: SubmissionResult | undefined
  busy: boolean
}) {
  const t = useT()
  const lang = useLang()
  const [form, fields] = useForm<{ requestId: string; decision: string; reason: string }>({ id: 'name-change', lastResult })
  return (
    <section className="panel" aria-labelledby="name-change">
      <h2 id="name-change">{t('baseProfile.hr.title')}</h2>
      <p className="small muted">{t('baseProfile.hr.lead', { date: formatDate(lang, pending.createdAt, 'date') })}</p>
      <dl className="facts">
        {pending.newName ? (
          <div>
            <dt>{t('base.name')}</dt>
            <dd>
              {base.name} → <strong>{pending.newName}</strong>
            </dd>
          </div>
        ) : null}
        {pending.newCreditCode ? (
          <div>
            <dt>{t('base.creditCode')}</dt>
            <dd className="mono">
              {base.credit_code} → <strong>{pending.newCreditCode}</strong>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t('baseProfile.rename.reason')}</dt>
          <dd>{pending.reason}</dd>
        </div>
      </dl>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="name-change" />
        <input type="hidden" name="requestId" value={pending.id} />
        <TextField meta={fields.reason} label={t('baseProfile.hr.reason')} hint={t('baseProfile.hr.reason.hint')} maxLength={1000} />
        <div className="row-actions">
          <button type="submit" name="decision" value="approve" className="button" disabled={busy}>
            {t('baseProfile.hr.approve')}
          </button>
          <button type="submit" name="decision" value="reject" className="button button-secondary" disabled={busy}>
            {t('baseProfile.hr.reject')}
          </button>
        </div>
      </Form>
    </section>
  )
}
