import { getFormProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { requireUser } from '#app/auth/auth.server.ts'
import { FormAlert, Notice, useErrorText } from '#app/components/form.tsx'
import { AppealState, RecordEffect, RecordFacts } from '#app/components/integrity/record-panel.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { APPEAL_MAX_CHARS, AppealSchema } from '#app/domain/integrity/appeal.schema.ts'
import { appealRecord } from '#app/domain/integrity/records.server.ts'
import { pageTitle, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

import { personRecordViews } from './integrity-view.server.ts'

export const meta = pageTitle('integrityMine.record.title')

function recordIdOf(raw: string | undefined): number {
  if (!raw || !/^[1-9]\d{0,17}$/.test(raw)) throw new Response('Not Found', { status: 404 })
  return Number(raw)
}

/** One of the signed-in person's records that took effect; anyone else's, or none, is not found. */
async function ownRecord(personId: number, recordId: number) {
  const record = (await personRecordViews(getDb(), personId)).find((r) => r.id === recordId)
  if (!record) throw new Response('Not Found', { status: 404 })
  return record
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return { record: await ownRecord(user.personId, recordIdOf(params.recordId)) }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const recordId = recordIdOf(params.recordId)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: AppealSchema })
  if (submission.status !== 'success') return data({ ok: false, result: submission.reply() }, { status: 400 })
  if (!isConfirmed(formData)) return data({ ok: false, result: submission.reply({ formErrors: ['err.confirm'] }) }, { status: 400 })
  const r = await getDb()
    .transaction()
    .execute((trx) =>
      appealRecord(trx, { personId: user.personId, accountId: user.accountId }, recordId, submission.value.text, new Date()),
    )
  if (!r.ok) {
    if (r.code === 'not_found') throw new Response('Not Found', { status: 404 })
    if (r.code === 'text_required')
      return data({ ok: false, result: submission.reply({ fieldErrors: { text: ['integrityMine.err.text_required'] } }) }, { status: 400 })
    return data({ ok: false, result: submission.reply({ formErrors: [`integrityMine.err.${r.code}`] }) }, { status: 409 })
  }
  return { ok: true, result: submission.reply({ resetForm: true }) }
}

export default function IntegrityRecordPage() {
  const { record } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const [form, fields] = useForm<{ text: string }>({ id: 'appeal', lastResult: actionData?.ok ? undefined : actionData?.result })
  const formError = useErrorText(form.errors)
  const textError = useErrorText(fields.text.errors)
  const { key: _key, ...textareaProps } = getTextareaProps(fields.text, { ariaDescribedBy: fields.text.descriptionId })
  return (
    <>
      <p className="small">
        <Link to="/hours">← {t('integrityMine.record.back')}</Link>
      </p>
      <h1>{t('integrityMine.record.title')}</h1>
      {actionData?.ok ? <Notice>{t('integrityMine.appeal.sent')}</Notice> : null}
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <section className="panel" aria-labelledby="record-title">
        <h2 id="record-title">{t('integrityMine.panel.title')}</h2>
        {record.state === 'in_force' ? <p>{t('integrityMine.panel.lead')}</p> : null}
        <RecordFacts record={record} />
        <RecordEffect record={record} />
      </section>
      <section className="panel" aria-labelledby="appeal-title">
        <h2 id="appeal-title">{t('integrityMine.appeal.heading')}</h2>
        <AppealState record={record} />
        {record.appealText ? (
          <>
            <h3>{t('integrityMine.appeal.yourText')}</h3>
            <p style={{ whiteSpace: 'pre-wrap' }}>{record.appealText}</p>
          </>
        ) : null}
        {record.canAppeal ? (
          <Confirm
            variant="button"
            tone="primary"
            label={t('integrityMine.appeal.open')}
            title={t('integrityMine.appeal.confirmTitle')}
            body={<p>{t('integrityMine.appeal.confirmBody')}</p>}
            confirmLabel={t('integrityMine.appeal.submit')}
            intent="appeal"
            formProps={getFormProps(form)}
            defaultOpen={Boolean(fields.text.errors)}
            busy={busy}
          >
            <div className={`field${textError ? ' field-invalid' : ''}`}>
              <label htmlFor={fields.text.id}>
                {t('integrityMine.appeal.text')}
                <span className="required" aria-hidden="true">
                  {' '}
                  *
                </span>
              </label>
              <textarea {...textareaProps} rows={6} maxLength={APPEAL_MAX_CHARS} />
              <p className="field-hint" id={fields.text.descriptionId}>
                {t('integrityMine.appeal.textHint')}
              </p>
              {textError ? (
                <p className="field-error" id={fields.text.errorId} role="alert">
                  {textError}
                </p>
              ) : null}
            </div>
          </Confirm>
        ) : null}
      </section>
    </>
  )
}
