import { getFormProps, getTextareaProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { requireBaseStaff } from '#app/auth/auth.server.ts'
import { BaseHistory } from '#app/components/bases/history.tsx'
import { TermFacts } from '#app/components/bases/term-facts.tsx'
import { FileField, FormAlert, Notice, useErrorText } from '#app/components/form.tsx'
import { BaseRecords, toBaseRecordView } from '#app/components/integrity/record-panel.tsx'
import { getBaseRecord } from '#app/domain/bases/bases.server.ts'
import { AnswerSchema } from '#app/domain/bases/decisions.schema.ts'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { baseFileUrl } from '#app/domain/bases/files.ts'
import { canBaseDeliver } from '#app/domain/bases/gate.server.ts'
import { statusOn } from '#app/domain/bases/lifecycle.ts'
import { answerRectification, casesOf } from '#app/domain/bases/rectification.server.ts'
import { baseFacts, baseHistory } from '#app/domain/bases/registry.server.ts'
import { EVIDENCE_ACCEPT, MAX_EVIDENCE_BYTES } from '#app/domain/claims/external-claims.ts'
import { recordsOfBase } from '#app/domain/integrity/records.server.ts'
import { seminarPackages } from '#app/domain/seminars/package.server.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'
import { readUpload } from '#app/lib/upload.server.ts'

export const meta = pageTitle('base.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireBaseStaff(request)
  const db = getDb()
  const base = await getBaseRecord(db, user.baseId)
  if (!base) throw new Response('Not Found', { status: 404 })
  const today = chinaDay()
  const [facts, gate, cases, history, files, hosted, integrity] = await Promise.all([
    baseFacts(db, base.id),
    canBaseDeliver(db, base.id, today),
    casesOf(db, base.id),
    baseHistory(db, base.id),
    db
      .selectFrom('base_files')
      .innerJoin('rectification_cases as c', 'c.id', 'base_files.case_id')
      .select(['base_files.id', 'base_files.case_id', 'base_files.filename', 'base_files.size'])
      .where('c.base_id', '=', base.id)
      .orderBy('base_files.id')
      .execute(),
    seminarPackages(db, { baseId: base.id }, today),
    recordsOfBase(db, base.id),
  ])
  return {
    base,
    today,
    statusToday: facts ? statusOn(facts, today) : 'not_designated',
    gate: gate.ok ? { ok: true as const } : { ok: false as const, code: gate.code },
    cases: cases.map((c) => ({
      id: c.id,
      findings: (c.findings as Record<string, string> | null) ?? {},
      deadline: c.deadline,
      answer: c.answer,
      answeredAt: c.answered_at ? new Date(c.answered_at).toISOString() : null,
      outcome: c.outcome,
      files: files.filter((f) => f.case_id === c.id).map((f) => ({ id: f.id, name: f.filename, size: f.size })),
    })),
    history: history.map((h) => ({
      id: h.id,
      event: h.event,
      from: h.from_state,
      to: h.to_state,
      reason: h.reason,
      documentNumber: h.document_number,
      at: new Date(h.at).toISOString(),
    })),
    maxMb: MAX_EVIDENCE_BYTES / 1024 / 1024,
    // Seminar packages (结业材料) still to submit: due, or overdue (recorded against the base).
    packagesOpen: hosted
      .filter((s) => s.status === 'due' || s.status === 'overdue')
      .map((s) => ({ id: s.id, title: s.title, dueOn: s.dueOn, overdue: s.status === 'overdue' })),
    // Integrity records (诚信档案) against the base that took effect (not findings still awaiting confirmation).
    integrity: integrity.filter((r) => r.status === 'in_force' || r.status === 'withdrawn').map((r) => toBaseRecordView(r, today)),
  }
}

type ActionData = { ok: true; result: SubmissionResult } | { ok: false; result: SubmissionResult }

const FILE_FIELD: Record<string, string> = {
  file_required: 'evidence',
  file_too_large: 'evidence',
  file_type: 'evidence',
  answer_required: 'answer',
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireBaseStaff(request)
  const upload = await readUpload(request, { fileField: 'evidence', maxFileBytes: MAX_EVIDENCE_BYTES })
  if (!upload.ok) {
    const error: Record<string, string[]> =
      upload.problem === 'too_large' && upload.field === 'evidence' ? { evidence: ['baseCode.file_too_large'] } : { '': ['err.upload'] }
    return data<ActionData>({ ok: false, result: { status: 'error', error } }, { status: upload.problem === 'too_large' ? 413 : 400 })
  }
  const submission = parseWithZod(new URLSearchParams(upload.fields), { schema: AnswerSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data<ActionData>({ ok: false, result: submission.reply() }, { status: 400 })
  const baseId = user.baseId
  // Always the signed-in staff member's own base: no form field can point at another one.
  const r = await getDb()
    .transaction()
    .execute((trx) =>
      answerRectification(trx, { role: 'base_staff', accountId: user.accountId, baseId }, baseId, {
        answer: submission.value.answer,
        files: upload.file ? [upload.file] : [],
      }),
    )
  if (!r.ok) {
    if (r.code === 'not_found') throw new Response('Not Found', { status: 404 })
    const key = `baseCode.${r.code}`
    const field = FILE_FIELD[r.code]
    return data<ActionData>(
      { ok: false, result: field ? submission.reply({ fieldErrors: { [field]: [key] } }) : submission.reply({ formErrors: [key] }) },
      { status: r.code === 'invalid_transition' ? 409 : 400 },
    )
  }
  return { ok: true, result: submission.reply({ resetForm: true }) } satisfies ActionData
}

export default function BaseHome() {
  const { base, statusToday, gate, cases, history, maxMb, packagesOpen, integrity } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const [form, fields] = useForm<{ answer: string; evidence: File }>({ id: 'answer', lastResult: actionData?.result })
  const formError = useErrorText(actionData && !actionData.ok ? (actionData.result.error?.[''] ?? undefined) : undefined)
  const day = (d: string | null) => (d ? formatDate(lang, d, 'day') : '—')
  const openCase = cases.find((c) => c.outcome === null)
  const closed = cases.filter((c) => c.outcome !== null)
  const gateText = gate.ok
    ? t('baseFlow.gate.ok')
    : gate.code === 'revoked'
      ? t('baseFlow.gate.revoked', { date: day(base.revoked_on) })
      : t.issue(`baseFlow.gate.${gate.code}`)
  return (
    <>
      <h1>{t('base.title')}</h1>
      <p className="small">
        <Link to="/base/profile">{t('baseProfile.link')}</Link> · <Link to="/base/staff">{t('members.link')}</Link> ·{' '}
        <Link to="/base/activities">{t('reportBase.link')}</Link> · <Link to="/base/seminars">{t('seminarHost.link')}</Link>
      </p>
      {packagesOpen.length > 0 ? (
        <Notice>
          {t('seminarPackage.home.line', {
            due: packagesOpen.filter((p) => !p.overdue).length,
            overdue: packagesOpen.filter((p) => p.overdue).length,
          })}{' '}
          {packagesOpen.map((p, i) => (
            <span key={p.id}>
              {i > 0 ? ' · ' : ''}
              <Link to={`/base/seminars/${p.id}/package`}>{p.title}</Link> ({formatDate(lang, p.dueOn, 'day')})
            </span>
          ))}
        </Notice>
      ) : null}
      <section className="panel" aria-labelledby="base-info">
        <h2 id="base-info">{t('base.info')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('base.name')}</dt>
            <dd>{base.name}</dd>
          </div>
          <div>
            <dt>{t('base.creditCode')}</dt>
            <dd className="mono">{base.credit_code}</dd>
          </div>
          <div>
            <dt>{t('base.region')}</dt>
            <dd>{regionName(base.region_code, lang)}</dd>
          </div>
          <div>
            <dt>{t('baseFlow.statusToday')}</dt>
            <dd>
              <span className={`badge badge-${base.status}`}>{t.issue(`baseFlow.derived.${statusToday}`)}</span>
            </dd>
          </div>
          <TermFacts base={base} />
          <div>
            <dt>{t('baseFlow.gate')}</dt>
            <dd>{gateText}</dd>
          </div>
        </dl>
      </section>

      <section className="panel" aria-labelledby="case">
        <h2 id="case">{t('baseWs.case')}</h2>
        {actionData?.ok ? <Notice>{t('baseWs.answered')}</Notice> : null}
        {formError ? <FormAlert>{formError}</FormAlert> : null}
        {openCase ? (
          <>
            <p>
              <strong>{t('baseFlow.deadline', { date: day(openCase.deadline) })}</strong>
            </p>
            <h3>{t('baseWs.findings')}</h3>
            <ul>
              {Object.entries(openCase.findings).map(([area, text]) => (
                <li key={area}>
                  {t.issue(`baseFlow.area.${area}`)}: {text}
                </li>
              ))}
            </ul>
            {openCase.answer ? (
              <div className="stack">
                <h3>{t('baseWs.lastAnswer')}</h3>
                <p>{openCase.answer}</p>
                {openCase.files.length > 0 ? (
                  <ul>
                    {openCase.files.map((f) => (
                      <li key={f.id}>
                        <a href={baseFileUrl(f.id)} target="_blank" rel="noreferrer">
                          {f.name}
                        </a>{' '}
                        · {Math.max(1, Math.round(f.size / 1024))} KB
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
            ) : null}
            <Form method="post" encType="multipart/form-data" className="stack" {...getFormProps(form)}>
              <div className="field">
                <label htmlFor={fields.answer.id}>{t('baseWs.answer')}</label>
                <textarea
                  {...getTextareaProps(fields.answer, { ariaDescribedBy: fields.answer.errors ? fields.answer.errorId : undefined })}
                  rows={6}
                  maxLength={20000}
                  required
                />
                {fields.answer.errors ? (
                  <p className="field-error" id={fields.answer.errorId}>
                    {t.issue(fields.answer.errors[0] ?? '')}
                  </p>
                ) : null}
              </div>
              <FileField
                meta={fields.evidence}
                label={t('baseWs.evidence')}
                hint={t('baseWs.evidence.hint', { mb: maxMb })}
                accept={EVIDENCE_ACCEPT}
              />
              <button type="submit" className="button" disabled={busy}>
                {t(openCase.answer ? 'baseWs.answer.again' : 'baseWs.answer.submit')}
              </button>
            </Form>
          </>
        ) : (
          <p className="muted">{t('baseWs.case.none')}</p>
        )}
        {closed.length > 0 ? (
          <>
            <h3>{t('baseWs.closedCases')}</h3>
            <ul>
              {closed.map((c) => (
                <li key={c.id}>
                  {t('baseFlow.deadline', { date: day(c.deadline) })} · {t.issue(`baseFlow.outcome.${c.outcome}`)}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <BaseRecords records={integrity} lead="base" />

      <section className="panel" aria-labelledby="history">
        <h2 id="history">{t('baseFlow.history')}</h2>
        <BaseHistory rows={history} headingId="history" />
      </section>
    </>
  )
}
