import { getFormProps, getTextareaProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireHr } from '#app/auth/hr.server.ts'
import { BaseHistory } from '#app/components/bases/history.tsx'
import { ANSWERED_ELSEWHERE, FormAlert, Notice, TextField, useErrorText } from '#app/components/form.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { forwardApplication, getApplication, returnApplication } from '#app/domain/bases/applications.server.ts'
import { ReviewSchema } from '#app/domain/bases/decisions.schema.ts'
import { approveApplication, rejectApplication } from '#app/domain/bases/decisions.server.ts'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { baseFileUrl } from '#app/domain/bases/files.ts'
import { APPLICATION_SECTIONS } from '#app/domain/bases/lifecycle.ts'
import { nameOf, regionName, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { isProvinceScope } from '#app/domain/shared/scope.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

import { historyRows, hrActor, idParam } from './bases-helpers.server.ts'

export const meta = pageTitle('hrBases.application.title')

type Person = { name?: string; title?: string; field?: string }
type Course = { title?: string; category?: string; hours?: number }
type Contact = { name?: string; phone?: string; email?: string }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const id = idParam(params.applicationId)
  const app = await getApplication(getDb(), hrActor(hr), id)
  if (!app) throw new Response('Not Found', { status: 404 })
  return {
    // HR of the province decides forwarded applications here too (the lifecycle refuses anyone else).
    canDecide: isProvinceScope(hr.scopeRegion),
    today: chinaDay(),
    app: {
      id: app.id,
      state: app.state,
      name: app.institution_name,
      creditCode: app.credit_code,
      region: app.region_code,
      fields: (app.training_fields as string[] | null) ?? [],
      classrooms: app.classrooms,
      seats: app.seats,
      online: app.online_platform,
      faculty: (app.faculty as Person[] | null) ?? [],
      courses: (app.courses as Course[] | null) ?? [],
      contact: (app.contact as Contact | null) ?? {},
      sectionReasons: (app.section_reasons as Record<string, string> | null) ?? null,
      files: app.files.map((f) => ({ id: f.id, name: f.filename, size: f.size })),
    },
    history: historyRows(app.history),
  }
}

type Intent = z.output<typeof ReviewSchema>['intent']
type ActionData = { ok: true; done: Intent } | { ok: false; intent: Intent | null; result: SubmissionResult }

const INTENTS = ['forward', 'return', 'approve', 'reject'] as const satisfies readonly Intent[]
/** The field a lifecycle refusal belongs to, per intent (otherwise the form's own error). */
const FIELD_OF: Partial<Record<Intent, Partial<Record<string, string>>>> = {
  approve: { document_number_required: 'decisionNumber', bad_date: 'noticeStart' },
  reject: { reason_required: 'reason' },
}

export async function action({ request, params }: ActionFunctionArgs) {
  const hr = await requireHr(request)
  const id = idParam(params.applicationId)
  const formData = await request.formData()
  const intent = INTENTS.find((i) => i === formData.get('intent')) ?? null
  const fail = (result: SubmissionResult, status: number) => data<ActionData>({ ok: false, intent, result }, { status })
  const submission = parseWithZod(formData, { schema: ReviewSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return fail(submission.reply(), 400)
  const input = submission.value
  // Forwarding and the province's decisions are final: without the confirmation step's field nothing happens.
  if (input.intent !== 'return' && !isConfirmed(formData)) return fail(submission.reply({ formErrors: ['err.confirm'] }), 400)
  const actor = hrActor(hr)
  const r = await getDb()
    .transaction()
    .execute((trx) => {
      switch (input.intent) {
        case 'forward':
          return forwardApplication(trx, actor, id)
        case 'approve':
          return approveApplication(trx, actor, id, { decisionNumber: input.decisionNumber, noticeStart: input.noticeStart })
        case 'reject':
          return rejectApplication(trx, actor, id, input.reason)
        case 'return': {
          const { intent: _, ...reasons } = input
          return returnApplication(trx, actor, id, reasons)
        }
      }
    })
  if (!r.ok) {
    if (r.code === 'not_found') throw new Response('Not Found', { status: 404 })
    if (r.code === 'forbidden') throw new Response('Forbidden', { status: 403 })
    const key = `baseCode.${r.code}`
    const field = FIELD_OF[input.intent]?.[r.code]
    return fail(
      field ? submission.reply({ fieldErrors: { [field]: [key] } }) : submission.reply({ formErrors: [key] }),
      r.code === 'invalid_transition' ? 409 : 400,
    )
  }
  return { ok: true, done: input.intent } satisfies ActionData
}

export default function HrBaseApplication() {
  const { app, history, canDecide, today } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const failed = actionData && !actionData.ok ? actionData : undefined
  const formError = useErrorText(failed?.result.error?.[''] ?? undefined)
  const lastFor = (intent: Intent) => (actionData ? (failed?.intent === intent ? failed.result : ANSWERED_ELSEWHERE) : undefined)
  const [form, fields] = useForm<Fields>({ id: 'return', lastResult: lastFor('return') })
  return (
    <>
      <p className="small">
        <Link to="/hr/bases">← {t('hrBases.title')}</Link>
      </p>
      <h1>{t('hrBases.application.title')}</h1>
      <p className="lead">
        {app.name} · {t.issue(`baseFlow.state.${app.state}`)}
      </p>
      {actionData?.ok ? <Notice>{t(DONE[actionData.done])}</Notice> : null}
      {formError ? <FormAlert>{formError}</FormAlert> : null}

      <section className="panel" aria-labelledby="facts">
        <h2 id="facts">{t('baseFlow.section.institution')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('base.name')}</dt>
            <dd>{app.name}</dd>
          </div>
          <div>
            <dt>{t('base.creditCode')}</dt>
            <dd className="mono">{app.creditCode}</dd>
          </div>
          <div>
            <dt>{t('base.region')}</dt>
            <dd>{regionName(app.region, lang)}</dd>
          </div>
          <div>
            <dt>{t('baseFlow.section.fields')}</dt>
            <dd>{app.fields.map((f) => nameOf(TITLE_SERIES, f, lang) || f).join('、') || '—'}</dd>
          </div>
          <div>
            <dt>{t('baseFlow.section.capacity')}</dt>
            <dd>
              {t('baseFlow.capacity', { classrooms: app.classrooms ?? 0, seats: app.seats ?? 0 })} ·{' '}
              {t(app.online ? 'baseFlow.online.yes' : 'baseFlow.online.no')}
            </dd>
          </div>
          <div>
            <dt>{t('baseFlow.section.contact')}</dt>
            <dd>{[app.contact.name, app.contact.phone, app.contact.email].filter(Boolean).join(' · ') || '—'}</dd>
          </div>
        </dl>
        <h3>{t('baseFlow.section.faculty')}</h3>
        <ul>
          {app.faculty.map((p, i) => (
            <li key={i}>{[p.name, p.title, p.field].filter(Boolean).join(' · ')}</li>
          ))}
        </ul>
        <h3>{t('baseFlow.section.courses')}</h3>
        <ul>
          {app.courses.map((c, i) => (
            <li key={i}>
              {c.title} · {t('baseFlow.hours', { hours: c.hours ?? 0 })}
            </li>
          ))}
        </ul>
        <h3>{t('baseFlow.section.materials')}</h3>
        {app.files.length === 0 ? (
          <p className="muted">—</p>
        ) : (
          <ul>
            {app.files.map((f) => (
              <li key={f.id}>
                <a href={baseFileUrl(f.id)} target="_blank" rel="noreferrer">
                  {f.name}
                </a>{' '}
                · {Math.max(1, Math.round(f.size / 1024))} KB
              </li>
            ))}
          </ul>
        )}
        {app.sectionReasons ? (
          <>
            <h3>{t('hrBases.lastReasons')}</h3>
            <ul>
              {Object.entries(app.sectionReasons).map(([s, r]) => (
                <li key={s}>
                  {t.issue(`baseFlow.section.${s}`)}: {r}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      {app.state === 'submitted' ? (
        <section className="panel" aria-labelledby="review">
          <h2 id="review">{t('hrBases.review')}</h2>
          <Confirm
            variant="button"
            tone="primary"
            label={t('hrBases.forward')}
            title={t('hrBases.forward.title')}
            body={<p>{t('hrBases.forward.body', { name: app.name })}</p>}
            confirmLabel={t('hrBases.forward.submit')}
            intent="forward"
            busy={busy}
          />
          <Form method="post" className="stack" {...getFormProps(form)}>
            <h3>{t('hrBases.return')}</h3>
            <p className="small muted">{t('hrBases.return.hint')}</p>
            {APPLICATION_SECTIONS.map((s) => {
              const meta = fields[s]!
              return (
                <div className="field" key={s}>
                  <label htmlFor={meta.id}>{t(`baseFlow.section.${s}`)}</label>
                  <textarea {...getTextareaProps(meta)} rows={2} maxLength={1000} />
                </div>
              )
            })}
            <button type="submit" name="intent" value="return" className="button button-secondary" disabled={busy}>
              {t('hrBases.return.submit')}
            </button>
          </Form>
        </section>
      ) : null}

      {app.state === 'forwarded' && canDecide ? (
        <section className="panel" aria-labelledby="decide">
          <h2 id="decide">{t('hrBases.decide')}</h2>
          <p className="small muted">{t('hrBases.decide.hint')}</p>
          <div className="row-actions">
            <ApproveForm name={app.name} today={today} lastResult={lastFor('approve')} busy={busy} />
            <RejectForm name={app.name} lastResult={lastFor('reject')} busy={busy} />
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

type Fields = z.input<typeof ReviewSchema> & Record<string, string>

const DONE = {
  forward: 'hrBases.forwarded',
  return: 'hrBases.returned',
  approve: 'adminBases.done.approve',
  reject: 'adminBases.done.reject',
} as const satisfies Record<Intent, string>

function ApproveForm(props: { name: string; today: string; lastResult: SubmissionResult | undefined; busy: boolean }) {
  const t = useT()
  const lang = useLang()
  const [form, fields] = useForm<Fields>({ id: 'approve', lastResult: props.lastResult })
  return (
    <Confirm
      variant="button"
      tone="primary"
      label={t('adminBases.approve')}
      title={t('adminBases.approve.title')}
      body={<p>{t('adminBases.approve.body', { name: props.name })}</p>}
      confirmLabel={t('adminBases.approve.submit')}
      intent="approve"
      formProps={getFormProps(form)}
      defaultOpen={Boolean(fields.decisionNumber!.errors ?? fields.noticeStart!.errors)}
      busy={props.busy}
    >
      <TextField meta={fields.decisionNumber!} label={t('adminBases.decisionNumber')} required maxLength={100} />
      <TextField
        meta={fields.noticeStart!}
        label={t('adminBases.noticeStart')}
        type="date"
        required
        hint={t('hrBases.decide.noticeStartHint', { today: formatDate(lang, props.today, 'day') })}
      />
    </Confirm>
  )
}

function RejectForm(props: { name: string; lastResult: SubmissionResult | undefined; busy: boolean }) {
  const t = useT()
  const [form, fields] = useForm<Fields>({ id: 'reject', lastResult: props.lastResult })
  return (
    <Confirm
      variant="button-secondary"
      label={t('adminBases.reject')}
      title={t('adminBases.reject.title')}
      body={<p>{t('adminBases.reject.body', { name: props.name })}</p>}
      confirmLabel={t('adminBases.reject.submit')}
      intent="reject"
      formProps={getFormProps(form)}
      defaultOpen={Boolean(fields.reason!.errors)}
      busy={props.busy}
    >
      <TextField meta={fields.reason!} label={t('adminBases.reject.reason')} required maxLength={1000} />
    </Confirm>
  )
}
