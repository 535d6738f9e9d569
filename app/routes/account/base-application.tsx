import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { requireUser } from '#app/auth/auth.server.ts'
import { ApplicationForm, SectionBox } from '#app/components/bases/application-form.tsx'
import { asBaseEvent } from '#app/components/bases/status-badge.tsx'
import { FileField, FormAlert, Notice, useErrorText } from '#app/components/form.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import {
  attachApplicationFile,
  getApplication,
  submitApplication,
  updateApplication,
  withdrawApplication,
} from '#app/domain/bases/applications.server.ts'
import { baseFileUrl } from '#app/domain/bases/files.ts'
import type { Actor } from '#app/domain/bases/lifecycle.ts'
import { EVIDENCE_ACCEPT, MAX_EVIDENCE_BYTES } from '#app/domain/claims/external-claims.ts'
import { REGIONS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { readUpload } from '#app/lib/upload.server.ts'

import { ApplicationFormSchema, formErrors, formValues, toInput } from './base-application-form.server.ts'

// URL /bases/applications/:applicationId: the applicant's own application (anyone else: 404).
export const meta = pageTitle('base.apply.title')

const SECTIONS = ['institution', 'fields', 'capacity', 'faculty', 'courses', 'contact', 'materials'] as const

function idOf(params: Record<string, string | undefined>): number {
  const id = Number(params.applicationId)
  if (!Number.isSafeInteger(id) || id <= 0) notFound()
  return id
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const id = idOf(params)
  const app = await getApplication(getDb(), { role: 'applicant', accountId: user.accountId }, id)
  if (!app) notFound()
  const lang = getLang(request)
  const editable = app.state === 'draft' || app.state === 'returned'
  const reasons = app.state === 'returned' ? ((app.section_reasons ?? {}) as Record<string, string>) : {}
  return {
    id: app.id,
    name: app.institution_name,
    state: app.state,
    editable,
    values: formValues(app),
    reasons: Object.fromEntries(SECTIONS.flatMap((s) => (reasons[s] ? [[s, reasons[s]]] : []))),
    regions: REGIONS.map((r) => ({ value: r.code, label: r[lang] })),
    series: TITLE_SERIES.map((s) => ({ value: s.code, label: s[lang] })),
    maxMb: MAX_EVIDENCE_BYTES / 1024 / 1024,
    files: app.files.map((f) => ({ id: f.id, filename: f.filename, size: f.size, at: f.created_at.toISOString() })),
    history: app.history.map((h) => ({ id: h.id, event: asBaseEvent(h.event), to: h.to_state, reason: h.reason, at: h.at.toISOString() })),
  }
}

type Intent = 'save' | 'upload' | 'submit' | 'withdraw'
type ActionData = { intent: Intent; ok: boolean; result: SubmissionResult }

const refused = (intent: Intent, field: string, key: string, status = 400) =>
  data<ActionData>({ intent, ok: false, result: { status: 'error', error: { [field]: [key] } } }, { status })

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const id = idOf(params)
  const db = getDb()
  const applicant = { role: 'applicant', accountId: user.accountId } satisfies Actor

  // Materials come as a multipart form of their own.
  if (/^multipart\/form-data/i.test(request.headers.get('Content-Type') ?? '')) {
    const upload = await readUpload(request, { fileField: 'material', maxFileBytes: MAX_EVIDENCE_BYTES })
    if (!upload.ok)
      return upload.problem === 'too_large'
        ? refused('upload', 'material', 'err.base.file_too_large', 413)
        : refused('upload', '', 'err.upload')
    const r = await db
      .transaction()
      .execute((trx) => attachApplicationFile(trx, user.accountId, id, upload.file ?? { filename: '', bytes: null }))
    if (!r.ok) {
      if (r.code === 'not_found') notFound()
      return refused('upload', r.code.startsWith('file_') ? 'material' : '', `err.base.${r.code}`)
    }
    return data<ActionData>({ intent: 'upload', ok: true, result: { status: 'success', initialValue: null } })
  }

  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  if (intent === 'save') {
    const submission = parseWithZod(form, { schema: ApplicationFormSchema, disableAutoCoercion: true })
    if (submission.status !== 'success') return data<ActionData>({ intent, ok: false, result: submission.reply() }, { status: 400 })
    const r = await db.transaction().execute((trx) => updateApplication(trx, user.accountId, id, toInput(submission.value)))
    if (!r.ok) {
      if (r.code === 'not_found') notFound()
      const fieldErrors = r.errors ? formErrors(r.errors) : { '': [`err.base.${r.code}`] }
      return data<ActionData>(
        { intent, ok: false, result: submission.reply({ fieldErrors }) },
        { status: r.code === 'invalid' ? 400 : 409 },
      )
    }
    return data<ActionData>({ intent, ok: true, result: submission.reply() })
  }
  if (intent === 'submit' || intent === 'withdraw') {
    if (!isConfirmed(form)) return refused(intent, '', 'err.confirm')
    const run = intent === 'submit' ? submitApplication : withdrawApplication
    const r = await db.transaction().execute((trx) => run(trx, applicant, id))
    if (!r.ok) {
      if (r.code === 'not_found') notFound()
      return refused(intent, '', `err.base.${r.code}`, 409)
    }
    return data<ActionData>({ intent, ok: true, result: { status: 'success', initialValue: null } })
  }
  return refused('save', '', 'err.form')
}

const DONE = {
  save: 'base.apply.saved',
  upload: 'base.apply.uploaded',
  submit: 'base.apply.submitted',
  withdraw: 'base.apply.withdrawn',
} as const

export default function BaseApplication() {
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const answered = (intent: Intent) => (actionData?.intent === intent ? actionData.result : undefined)
  const [uploadForm, uploadFields] = useForm<{ material: File }>({ id: 'material-upload', lastResult: answered('upload') })
  const uploadError = useErrorText(uploadForm.errors)
  const actionError = actionData && !actionData.ok && (actionData.intent === 'submit' || actionData.intent === 'withdraw')
  const actionErrorKey = actionError ? actionData.result.error?.['']?.[0] : undefined
  return (
    <>
      <p className="small">
        <Link to="/bases/apply">← {t('base.apply.mine')}</Link>
      </p>
      <h1>{d.name}</h1>
      <p>
        {t('base.apply.state')}
        {t('common.colon')}
        <strong>{t(`base.apply.state.${d.state}`)}</strong>
      </p>
      {actionData?.ok ? <Notice>{t(DONE[actionData.intent])}</Notice> : null}
      {actionErrorKey ? <FormAlert>{t.issue(actionErrorKey)}</FormAlert> : null}
      {d.state === 'returned' ? <p className="lead">{t('base.apply.returnedLead')}</p> : null}
      {!d.editable && (d.state === 'submitted' || d.state === 'forwarded') ? <p className="lead">{t('base.apply.readOnly')}</p> : null}

      {d.editable ? (
        <ApplicationForm
          id="base-application"
          lastResult={answered('save')}
          defaultValue={d.values}
          regions={d.regions}
          series={d.series}
          reasons={d.reasons}
          submitLabel={t('base.apply.save')}
          busy={busy}
        />
      ) : (
        <ReadOnly values={d.values} regions={d.regions} series={d.series} />
      )}

      <SectionBox section="materials" reason={d.reasons.materials}>
        {d.files.length === 0 ? (
          <p className="muted">{t('base.apply.files.none')}</p>
        ) : (
          <ul>
            {d.files.map((f) => (
              <li key={f.id}>
                <a href={baseFileUrl(f.id)} target="_blank" rel="noreferrer">
                  {f.filename}
                </a>{' '}
                <span className="muted small">{formatDate(lang, f.at, 'date')}</span>
              </li>
            ))}
          </ul>
        )}
        {d.editable ? (
          <Form method="post" encType="multipart/form-data" className="stack" {...getFormProps(uploadForm)}>
            {uploadForm.errors?.length ? <FormAlert>{uploadError}</FormAlert> : null}
            <FileField
              meta={uploadFields.material}
              label={t('base.apply.upload')}
              hint={t('base.apply.file', { mb: d.maxMb })}
              accept={EVIDENCE_ACCEPT}
              required
            />
            <button type="submit" name="intent" value="upload" className="button button-secondary" disabled={busy}>
              {t('base.apply.upload')}
            </button>
          </Form>
        ) : null}
      </SectionBox>

      {d.editable ? (
        <div className="actions">
          <Confirm
            label={t('base.apply.submit')}
            title={t('base.apply.submit.title')}
            body={t('base.apply.submit.body')}
            confirmLabel={t('base.apply.submit.confirm')}
            intent="submit"
            variant="button"
            tone="primary"
            busy={busy}
          />{' '}
        </div>
      ) : null}
      {d.state === 'draft' || d.state === 'returned' || d.state === 'submitted' || d.state === 'forwarded' ? (
        <Confirm
          label={t('base.apply.withdraw')}
          title={t('base.apply.withdraw.title')}
          body={t('base.apply.withdraw.body')}
          confirmLabel={t('base.apply.withdraw.confirm')}
          intent="withdraw"
          variant="button-secondary"
          busy={busy}
        />
      ) : null}

      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">{t('base.apply.history')}</h2>
        <ol>
          {d.history.map((h) => (
            <li key={h.id}>
              <span className="nowrap">{formatDate(lang, h.at, 'dateTime')}</span> {h.event ? t(`base.event.${h.event}`) : null}
              {h.reason ? <span className="muted"> · {h.reason}</span> : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  )
}

function ReadOnly({
  values: v,
  regions,
  series,
}: {
  values: ReturnType<typeof useLoaderData<typeof loader>>['values']
  regions: { value: string; label: string }[]
  series: { value: string; label: string }[]
}) {
  const t = useT()
  const label = (list: { value: string; label: string }[], code: string) => list.find((o) => o.value === code)?.label ?? code
  const row = (k: string, value: string) => (
    <div key={k}>
      <dt>{k}</dt>
      <dd>{value || '—'}</dd>
    </div>
  )
  return (
    <>
      <SectionBox section="institution">
        <dl className="facts">
          {row(t('base.apply.field.institutionName'), v.institutionName)}
          {row(t('base.apply.field.creditCode'), v.creditCode)}
          {row(t('base.apply.field.region'), label(regions, v.regionCode))}
        </dl>
      </SectionBox>
      <SectionBox section="fields">
        <p>{v.trainingFields.map((f) => label(series, f)).join('、')}</p>
      </SectionBox>
      <SectionBox section="capacity">
        <dl className="facts">
          {row(t('base.apply.field.classrooms'), v.classrooms)}
          {row(t('base.apply.field.seats'), v.seats)}
          {row(t('base.apply.field.onlinePlatform'), v.onlinePlatform ? t('base.page.yes') : t('base.page.no'))}
        </dl>
      </SectionBox>
      <SectionBox section="faculty">
        <pre className="plain">{v.faculty}</pre>
      </SectionBox>
      <SectionBox section="courses">
        <pre className="plain">{v.courses}</pre>
      </SectionBox>
      <SectionBox section="contact">
        <dl className="facts">
          {row(t('base.apply.field.contactName'), v.contactName)}
          {row(t('base.apply.field.contactPhone'), v.contactPhone)}
          {row(t('base.apply.field.contactEmail'), v.contactEmail)}
        </dl>
      </SectionBox>
    </>
  )
}
