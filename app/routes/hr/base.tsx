import { getFormProps, getTextareaProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireHr } from '#app/auth/hr.server.ts'
import { BaseHistory } from '#app/components/bases/history.tsx'
import { TermFacts } from '#app/components/bases/term-facts.tsx'
import { FormAlert, Notice, TextField, useErrorText } from '#app/components/form.tsx'
import { BaseRecords, toBaseRecordView } from '#app/components/integrity/record-panel.tsx'
import { BasePackagesTable } from '#app/components/seminars/package-stats.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { getBaseRecord } from '#app/domain/bases/bases.server.ts'
import { BaseActionSchema, FINDING_AREAS } from '#app/domain/bases/decisions.schema.ts'
import { designateBase } from '#app/domain/bases/decisions.server.ts'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { caseFilesOf } from '#app/domain/bases/files.server.ts'
import { baseFileUrl } from '#app/domain/bases/files.ts'
import { statusOn } from '#app/domain/bases/lifecycle.ts'
import { openRectification, passRectification, type RectificationCode, revokeBase } from '#app/domain/bases/rectification.server.ts'
import { casesOf } from '#app/domain/bases/rectification.server.ts'
import { baseFacts, baseHistory } from '#app/domain/bases/registry.server.ts'
import { recordsOfBase } from '#app/domain/integrity/records.server.ts'
import { seminarPackages } from '#app/domain/seminars/package.server.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import type { Result } from '#app/domain/shared/result.ts'
import { inScope, isProvinceScope } from '#app/domain/shared/scope.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

import { nameChangeAction, type NameChangeActionData, pendingNameChange } from './base-name-change.server.ts'
import { NameChangePanel } from './base-name-change.tsx'
import { historyRows, hrActor, idParam } from './bases-helpers.server.ts'

export const meta = pageTitle('hrBases.base.title')

export async function loader({ request, params }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const id = idParam(params.baseId)
  const db = getDb()
  const base = await getBaseRecord(db, id)
  // Outside the officer's region a base does not exist for them.
  if (!base || !inScope(hr.scopeRegion, base.region_code)) throw new Response('Not Found', { status: 404 })
  const today = chinaDay()
  const [facts, history, cases, files] = await Promise.all([baseFacts(db, id), baseHistory(db, id), casesOf(db, id), caseFilesOf(db, id)])
  return {
    today,
    base,
    // The province records the designation once the public notice is over (the lifecycle refuses anyone else).
    canDesignate: isProvinceScope(hr.scopeRegion) && base.status === 'approved' && base.notice_end !== null && base.notice_end < today,
    statusToday: facts ? statusOn(facts, today) : 'not_designated',
    history: historyRows(history),
    nameChange: await pendingNameChange(db, id),
    // Post-event packages of the seminars it hosted (late ones are recorded against the base).
    packages: (await seminarPackages(db, { baseId: id }, today)).filter((s) => s.status !== 'running'),
    // Integrity records (诚信档案) against the base: findings when its rectification or evaluation is decided.
    integrity: (await recordsOfBase(db, id)).map((r) => toBaseRecordView(r, today)),
    cases: cases.map((c) => ({
      id: c.id,
      findings: (c.findings as Record<string, string> | null) ?? {},
      deadline: c.deadline,
      answer: c.answer,
      answeredAt: c.answered_at ? new Date(c.answered_at).toISOString() : null,
      outcome: c.outcome,
      overdue: c.outcome === null && c.deadline < today,
      files: files.filter((f) => f.case_id === c.id).map((f) => ({ id: f.id, name: f.filename, size: f.size })),
    })),
  }
}

type Done = 'open' | 'pass' | 'revoke' | 'designate'
type ActionData = { ok: true; done: Done } | { ok: false; intent: Done | null; result: SubmissionResult } | NameChangeActionData

const FIELD_OF: Record<string, string> = {
  reason_required: 'reason',
  document_number_required: 'documentNumber',
  findings_required: '',
}

export async function action({ request, params }: ActionFunctionArgs) {
  const hr = await requireHr(request)
  const id = idParam(params.baseId)
  const formData = await request.formData()
  if (formData.get('intent') === 'name-change') return nameChangeAction(hr, id, formData)
  const raw = formData.get('intent')
  const intent = raw === 'open' || raw === 'pass' || raw === 'revoke' || raw === 'designate' ? raw : null
  const submission = parseWithZod(formData, { schema: BaseActionSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data<ActionData>({ ok: false, intent, result: submission.reply() }, { status: 400 })
  const input = submission.value
  if (input.intent !== 'open' && !isConfirmed(formData))
    return data<ActionData>({ ok: false, intent, result: submission.reply({ formErrors: ['err.confirm'] }) }, { status: 400 })
  const actor = hrActor(hr)
  const r = await getDb()
    .transaction()
    .execute((trx): Promise<Result<object, RectificationCode>> => {
      switch (input.intent) {
        case 'open': {
          const findings: Record<string, string> = {}
          for (const a of FINDING_AREAS) if (input[a]) findings[a] = input[a]
          return openRectification(trx, actor, id, { findings, deadline: input.deadline })
        }
        case 'pass':
          return passRectification(trx, actor, id, { reason: input.reason || null })
        case 'revoke':
          return revokeBase(trx, actor, id, { reason: input.reason, documentNumber: input.documentNumber, effectiveOn: input.effectiveOn })
        case 'designate':
          return designateBase(trx, actor, id)
      }
    })
  if (!r.ok) {
    if (r.code === 'not_found') throw new Response('Not Found', { status: 404 })
    if (r.code === 'forbidden') throw new Response('Forbidden', { status: 403 })
    const key = `baseCode.${r.code}`
    const field = r.code === 'bad_date' ? (input.intent === 'open' ? 'deadline' : 'effectiveOn') : (FIELD_OF[r.code] ?? '')
    const reply = field ? submission.reply({ fieldErrors: { [field]: [key] } }) : submission.reply({ formErrors: [key] })
    return data<ActionData>({ ok: false, intent, result: reply }, { status: r.code === 'invalid_transition' ? 409 : 400 })
  }
  return { ok: true, done: input.intent } satisfies ActionData
}

type Fields = z.input<typeof BaseActionSchema> & Record<string, string>

export default function HrBase() {
  const { base, statusToday, history, cases, today, nameChange, canDesignate, packages, integrity } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const failed = actionData && !actionData.ok ? actionData : undefined
  const resultFor = (intent: Done) => (failed?.intent === intent ? failed.result : undefined)
  const formError = useErrorText(failed?.result.error?.[''] ?? undefined)
  // Falsified reports on record count as a finding: the case form starts with them under supervision and compliance.
  const integrityFinding = integrity
    .filter((r) => r.status === 'in_force')
    .map((r) => t('hrBases.open.integrityFinding', { documentNumber: r.documentNumber, finding: r.finding }))
    .join('\n')
  const [openForm, openFields] = useForm<Fields>({
    id: 'open',
    lastResult: resultFor('open'),
    defaultValue: integrityFinding ? { supervision_compliance: integrityFinding } : undefined,
  })
  const [passForm] = useForm<Fields>({ id: 'pass', lastResult: resultFor('pass') })
  const [revokeForm, revokeFields] = useForm<Fields>({ id: 'revoke', lastResult: resultFor('revoke') })
  const day = (d: string | null) => (d ? formatDate(lang, d, 'day') : '—')
  const openCase = cases.find((c) => c.outcome === null)
  return (
    <>
      <p className="small">
        <Link to="/hr/bases">← {t('hrBases.title')}</Link>
      </p>
      <h1>{t('hrBases.base.title')}</h1>
      <p className="lead">
        {base.name} · {t.issue(`baseFlow.derived.${statusToday}`)}
      </p>
      {actionData?.ok ? (
        <Notice>{actionData.done === 'name-change' ? t('baseProfile.hr.done') : t(`hrBases.done.${actionData.done}`)}</Notice>
      ) : null}
      {formError ? <FormAlert>{formError}</FormAlert> : null}

      <section className="panel" aria-labelledby="facts">
        <h2 id="facts">{t('base.info')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('base.creditCode')}</dt>
            <dd className="mono">{base.credit_code}</dd>
          </div>
          <div>
            <dt>{t('base.region')}</dt>
            <dd>{regionName(base.region_code, lang)}</dd>
          </div>
          <div>
            <dt>{t('base.status')}</dt>
            <dd>
              <span className={`badge badge-${base.status}`}>{t(`base.status.${base.status}`)}</span>
            </dd>
          </div>
          <TermFacts base={base} />
          {base.revoked_on ? (
            <div>
              <dt>{t('baseFlow.revocation')}</dt>
              <dd>
                {t('baseFlow.revokedFrom', { date: day(base.revoked_on) })} · {base.revocation_document}
              </dd>
            </div>
          ) : null}
        </dl>
      </section>

      <section className="panel" aria-labelledby="seminar-packages">
        <h2 id="seminar-packages">{t('seminarPackage.base.heading')}</h2>
        <BasePackagesTable rows={packages} t={t} lang={lang} href={(sid) => `/hr/seminars/${sid}`} />
      </section>

      {nameChange ? (
        <NameChangePanel
          base={base}
          pending={nameChange}
          lastResult={failed?.intent === 'name-change' ? failed.result : undefined}
          busy={busy}
        />
      ) : null}

      <BaseRecords records={integrity} lead="hr" />

      <section className="panel" aria-labelledby="cases">
        <h2 id="cases">{t('baseFlow.cases')}</h2>
        {cases.length === 0 ? <p className="muted">{t('baseFlow.cases.none')}</p> : null}
        {cases.map((c) => (
          <article key={c.id} className="stack">
            <h3>
              {t('baseFlow.deadline', { date: day(c.deadline) })} ·{' '}
              {c.outcome ? t.issue(`baseFlow.outcome.${c.outcome}`) : c.overdue ? t('hrBases.case.overdue') : t('baseFlow.outcome.open')}
            </h3>
            <ul>
              {Object.entries(c.findings).map(([area, text]) => (
                <li key={area}>
                  {t.issue(`baseFlow.area.${area}`)}: {text}
                </li>
              ))}
            </ul>
            <p>
              <strong>{t('baseFlow.answer')}</strong>{' '}
              {c.answer ? (
                <>
                  {c.answer} <span className="small muted">({c.answeredAt ? formatDate(lang, c.answeredAt, 'date') : ''})</span>
                </>
              ) : (
                <span className="muted">{t('hrBases.case.waiting')}</span>
              )}
            </p>
            {c.files.length > 0 ? (
              <ul>
                {c.files.map((f) => (
                  <li key={f.id}>
                    <a href={baseFileUrl(f.id)} target="_blank" rel="noreferrer">
                      {f.name}
                    </a>{' '}
                    · {Math.max(1, Math.round(f.size / 1024))} KB
                  </li>
                ))}
              </ul>
            ) : null}
          </article>
        ))}
      </section>

      {canDesignate ? (
        <section className="panel" aria-labelledby="designate">
          <h2 id="designate">{t('adminBases.designate')}</h2>
          <p className="small muted">{t('hrBases.designate.hint', { date: day(base.notice_end) })}</p>
          <Confirm
            variant="button"
            tone="primary"
            label={t('adminBases.designate')}
            title={t('adminBases.designate.title')}
            body={<p>{t('adminBases.designate.body', { name: base.name })}</p>}
            confirmLabel={t('adminBases.designate.submit')}
            intent="designate"
            busy={busy}
          />
        </section>
      ) : null}

      {base.status === 'designated' ? (
        <section className="panel" aria-labelledby="open-case">
          <h2 id="open-case">{t('hrBases.open')}</h2>
          <Form method="post" className="stack" {...getFormProps(openForm)}>
            <p className="small muted">{t('hrBases.open.hint')}</p>
            {FINDING_AREAS.map((a) => {
              const meta = openFields[a]!
              return (
                <div className="field" key={a}>
                  <label htmlFor={meta.id}>{t(`baseFlow.area.${a}`)}</label>
                  <textarea {...getTextareaProps(meta)} rows={2} maxLength={2000} />
                </div>
              )
            })}
            <TextField meta={openFields.deadline!} label={t('hrBases.open.deadline')} type="date" required />
            <button type="submit" name="intent" value="open" className="button" disabled={busy}>
              {t('hrBases.open.submit')}
            </button>
          </Form>
        </section>
      ) : null}

      {base.status === 'rectification' && openCase ? (
        <section className="panel" aria-labelledby="reinspect">
          <h2 id="reinspect">{t('hrBases.reinspect')}</h2>
          <div className="row-actions">
            <Confirm
              variant="button"
              tone="primary"
              label={t('hrBases.pass')}
              title={t('hrBases.pass.title')}
              body={<p>{t('hrBases.pass.body', { name: base.name })}</p>}
              confirmLabel={t('hrBases.pass.submit')}
              intent="pass"
              formProps={getFormProps(passForm)}
              busy={busy}
            />
            <Confirm
              variant="button-secondary"
              label={t('hrBases.revoke')}
              title={t('hrBases.revoke.title')}
              body={<p>{t('hrBases.revoke.body', { name: base.name })}</p>}
              confirmLabel={t('hrBases.revoke.submit')}
              intent="revoke"
              formProps={getFormProps(revokeForm)}
              defaultOpen={Boolean(revokeFields.reason!.errors ?? revokeFields.documentNumber!.errors ?? revokeFields.effectiveOn!.errors)}
              busy={busy}
            >
              <TextField meta={revokeFields.reason!} label={t('hrBases.revoke.reason')} required maxLength={1000} />
              <TextField meta={revokeFields.documentNumber!} label={t('hrBases.revoke.document')} required maxLength={100} />
              <TextField
                meta={revokeFields.effectiveOn!}
                label={t('hrBases.revoke.effectiveOn')}
                type="date"
                required
                hint={t('hrBases.revoke.effectiveHint', { today: day(today) })}
              />
            </Confirm>
          </div>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="history">
        <h2 id="history">{t('baseFlow.history')}</h2>
        <BaseHistory rows={history} headingId="history" />
      </section>
    </>
  )
}
