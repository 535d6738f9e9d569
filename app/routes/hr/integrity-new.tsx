import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireHr } from '#app/auth/hr.server.ts'
import { categoryLabel } from '#app/components/category.ts'
import { FileField, FormAlert, TextAreaField, TextField, useErrorText } from '#app/components/form.tsx'
import { chinaToday, EVIDENCE_ACCEPT, evidenceProblem, MAX_EVIDENCE_BYTES } from '#app/domain/claims/external-claims.ts'
import { proposeBaseFinding, proposeFinding } from '#app/domain/integrity/records.server.ts'
import { integrityPolicyOn } from '#app/domain/policy/integrity-policy.server.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'
import { readUpload } from '#app/lib/upload.server.ts'

import { FindingFieldsSchema, findingSourceOf } from './integrity-forms.ts'
import { sourceForHr } from './integrity-helpers.server.ts'

// URL /hr/integrity/new?source=claim|entry|activity&id=N, or ?source=roster_row&activity=A&person=P
export const meta = pageTitle('integrityHr.new.title')

/** The source the query names, as this officer may see it: unknown → 404, another region → 403. */
async function sourceOr404(request: Request) {
  const hr = await requireHr(request)
  const source = findingSourceOf(new URL(request.url).searchParams)
  if (!source) return { hr, view: null }
  const view = await sourceForHr(getDb(), hr, source)
  if (view === null) throw new Response('Not Found', { status: 404 })
  if (view === 'out_of_scope') throw new Response('Forbidden', { status: 403 })
  return { hr, view }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { view } = await sourceOr404(request)
  if (!view) return data({ source: null, years: 0, maxMb: 0 }, { status: 400 })
  return { source: view, years: integrityPolicyOn(chinaToday(new Date())).recordYears, maxMb: MAX_EVIDENCE_BYTES / 1024 / 1024 }
}

type ActionData = { result: SubmissionResult }

const FILE_PROBLEM = {
  'err.evidence.required': 'integrityHr.err.evidence_required',
  'err.evidence.tooLarge': 'integrityHr.err.evidence_too_large',
  'err.evidence.type': 'integrityHr.err.evidence_type',
} as const

export async function action({ request }: ActionFunctionArgs) {
  const { hr, view } = await sourceOr404(request)
  if (!view) return data<ActionData>({ result: { status: 'error', error: { '': ['integrityHr.badSource'] } } }, { status: 400 })
  const upload = await readUpload(request, { fileField: 'evidence', maxFileBytes: MAX_EVIDENCE_BYTES })
  if (!upload.ok) {
    const error: Record<string, string[]> =
      upload.problem === 'too_large' && upload.field === 'evidence'
        ? { evidence: ['integrityHr.err.evidence_too_large'] }
        : { '': ['integrityHr.err.upload'] }
    return data<ActionData>({ result: { status: 'error', error } }, { status: upload.problem === 'too_large' ? 413 : 400 })
  }
  const submission = parseWithZod(new URLSearchParams(upload.fields), { schema: FindingFieldsSchema, disableAutoCoercion: true })
  const fileProblem = evidenceProblem(upload.file?.bytes ?? null)
  if (submission.status !== 'success' || fileProblem)
    return data<ActionData>(
      { result: submission.reply(fileProblem ? { fieldErrors: { evidence: [FILE_PROBLEM[fileProblem]] } } : {}) },
      { status: 400 },
    )
  const evidence = upload.file ?? { filename: '', bytes: Buffer.alloc(0) }
  const input = { ...submission.value, evidence }
  const now = new Date()
  const result = await getDb()
    .transaction()
    .execute((trx) =>
      view.kind === 'activity'
        ? proposeBaseFinding(trx, hr, { activityId: view.activityId, ...input }, now)
        : proposeFinding(trx, hr, { sourceKind: view.kind, sourceId: view.sourceId, ...input }, now),
    )
  if (!result.ok) {
    const code = result.code
    if (code === 'not_found') throw new Response('Not Found', { status: 404 })
    if (code === 'out_of_scope') throw new Response('Forbidden', { status: 403 })
    const key = `integrityHr.err.${code}` as const
    if (code === 'already_open') return data<ActionData>({ result: submission.reply({ formErrors: [key] }) }, { status: 409 })
    const field = code === 'finding_required' ? 'finding' : code === 'document_required' ? 'documentNumber' : 'evidence'
    return data<ActionData>({ result: submission.reply({ fieldErrors: { [field]: [key] } }) }, { status: 400 })
  }
  return redirect(`/hr/integrity/${result.recordId}?done=proposed`)
}

export default function HrIntegrityNew() {
  const { source, years, maxMb } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const [form, fields] = useForm<z.input<typeof FindingFieldsSchema> & { evidence: File }>({
    id: 'finding',
    lastResult: actionData?.result,
  })
  const formError = useErrorText(form.errors)
  return (
    <>
      <p className="small">
        <Link to="/hr/integrity">← {t('integrityHr.title')}</Link>
      </p>
      <h1>{t('integrityHr.new.title')}</h1>
      {!source ? (
        <FormAlert>{t('integrityHr.badSource')}</FormAlert>
      ) : (
        <>
          <p className="lead">{source.kind === 'activity' ? t('integrityHr.new.leadBase') : t('integrityHr.new.lead', { years })}</p>
          <section className="panel" aria-labelledby="source-title">
            <h2 id="source-title">{t('integrityHr.new.sourceTitle')}</h2>
            <dl className="facts">
              <div>
                <dt>{t('integrityHr.record.subject')}</dt>
                <dd>
                  {source.kind === 'activity' ? (
                    <Link to={`/hr/bases/${source.baseId}`}>{t('integrityHr.subject.base', { name: source.baseName })}</Link>
                  ) : (
                    <>
                      <Link to={`/hr/people/${source.personId}`}>{source.name}</Link> <span className="mono">{source.idNumberMasked}</span>
                    </>
                  )}
                  {' · '}
                  {regionName(source.region ?? '', lang) || '—'}
                </dd>
              </div>
              <div>
                <dt>{t('integrityHr.record.source')}</dt>
                <dd>
                  {source.kind === 'claim' ? (
                    <>
                      {t('integrityHr.source.claim', { id: source.sourceId })} · {source.title} · {source.hours} ·{' '}
                      {formatDate(lang, source.occurredOn, 'day')}
                    </>
                  ) : source.kind === 'entry' ? (
                    <>
                      {t('integrityHr.source.entry', { id: source.sourceId })} · {categoryLabel(source.category, t)} · {source.hours} ·{' '}
                      {formatDate(lang, source.occurredAt, 'date')}
                    </>
                  ) : source.kind === 'roster_row' ? (
                    <>
                      <Link to={`/hr/reports/${source.activityId}`}>{source.title}</Link> ·{' '}
                      {t('integrityHr.source.roster_row', { id: source.sourceId })} · {source.hours}
                    </>
                  ) : (
                    <Link to={`/hr/reports/${source.activityId}`}>
                      {t('integrityHr.source.activity', { id: source.activityId })} · {source.title}
                    </Link>
                  )}
                </dd>
              </div>
            </dl>
          </section>
          <section className="panel form-page" aria-labelledby="finding-title">
            <h2 id="finding-title">{t('integrityHr.new.formTitle')}</h2>
            {form.status === 'error' ? <FormAlert>{formError ?? t('err.form')}</FormAlert> : null}
            <Form method="post" encType="multipart/form-data" className="stack" {...getFormProps(form)}>
              <TextAreaField
                meta={fields.finding}
                label={t('integrityHr.field.finding')}
                hint={t('integrityHr.field.finding.hint')}
                rows={5}
                maxLength={2000}
                required
              />
              <TextField
                meta={fields.documentNumber}
                label={t('integrityHr.field.documentNumber')}
                hint={t('integrityHr.field.documentNumber.hint')}
                required
                maxLength={100}
              />
              <FileField
                meta={fields.evidence}
                label={t('integrityHr.field.evidence')}
                hint={t('integrityHr.field.evidence.hint', { mb: maxMb })}
                required
                accept={EVIDENCE_ACCEPT}
              />
              <button type="submit" className="button" disabled={busy}>
                {t('integrityHr.submit')}
              </button>
            </Form>
          </section>
        </>
      )}
    </>
  )
}
