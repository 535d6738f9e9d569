import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireRole } from '#app/auth/auth.server.ts'
import { ANSWERED_ELSEWHERE, FormAlert, Notice, TextField, useErrorText } from '#app/components/form.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { applicationsAwaiting } from '#app/domain/bases/applications.server.ts'
import { ProvinceSchema } from '#app/domain/bases/decisions.schema.ts'
import { approveApplication, designateBase, designateDue, rejectApplication } from '#app/domain/bases/decisions.server.ts'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import type { Actor } from '#app/domain/bases/lifecycle.ts'
import { listRegistry } from '#app/domain/bases/registry.server.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('adminBases.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['admin'])
  const today = chinaDay()
  const db = getDb()
  const [awaiting, registry] = await Promise.all([
    applicationsAwaiting(db, { role: 'admin', accountId: user.accountId }),
    listRegistry(db, { on: today }),
  ])
  return {
    today,
    awaiting: awaiting.map((a) => ({
      id: a.id,
      name: a.institution_name,
      creditCode: a.credit_code,
      region: a.region_code,
      updatedAt: new Date(a.updated_at).toISOString(),
    })),
    // Approved bases whose designation is not yet recorded: in their notice, or due.
    inNotice: registry
      .filter((b) => b.status === 'approved')
      .map((b) => ({
        id: b.id,
        name: b.name,
        region: b.region_code,
        decisionNumber: b.decision_number,
        noticeStart: b.notice_start,
        noticeEnd: b.notice_end,
        due: b.notice_end !== null && b.notice_end < today,
      })),
  }
}

type Intent = 'approve' | 'reject' | 'designate' | 'designate-due'
type ActionData =
  { ok: true; done: Intent; count?: number } | { ok: false; intent: Intent | null; target: number | null; result: SubmissionResult }

const FIELD_OF: Record<string, string> = {
  document_number_required: 'decisionNumber',
  bad_date: 'noticeStart',
  reason_required: 'reason',
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ['admin'])
  const formData = await request.formData()
  const rawIntent = formData.get('intent')
  const intent = (['approve', 'reject', 'designate', 'designate-due'] as const).find((i) => i === rawIntent) ?? null
  const rawTarget = formData.get('applicationId') ?? formData.get('baseId')
  const target = typeof rawTarget === 'string' && /^\d{1,9}$/.test(rawTarget) ? Number(rawTarget) : null
  const submission = parseWithZod(formData, { schema: ProvinceSchema, disableAutoCoercion: true })
  const fail = (result: SubmissionResult, status: number) => data<ActionData>({ ok: false, intent, target, result }, { status })
  if (submission.status !== 'success') return fail(submission.reply(), 400)
  // Every decision here is final: without the confirmation step's field nothing is decided.
  if (!isConfirmed(formData)) return fail(submission.reply({ formErrors: ['err.confirm'] }), 400)
  const input = submission.value
  const actor: Actor = { role: 'admin', accountId: user.accountId }
  const db = getDb()
  if (input.intent === 'designate-due') {
    const count = await designateDue(db)
    return { ok: true, done: input.intent, count } satisfies ActionData
  }
  const r = await db.transaction().execute((trx) => {
    switch (input.intent) {
      case 'approve':
        return approveApplication(trx, actor, input.applicationId, { decisionNumber: input.decisionNumber, noticeStart: input.noticeStart })
      case 'reject':
        return rejectApplication(trx, actor, input.applicationId, input.reason)
      case 'designate':
        return designateBase(trx, actor, input.baseId)
    }
  })
  if (!r.ok) {
    if (r.code === 'not_found') throw new Response('Not Found', { status: 404 })
    const key = `baseCode.${r.code}`
    const field = FIELD_OF[r.code]
    return fail(
      field ? submission.reply({ fieldErrors: { [field]: [key] } }) : submission.reply({ formErrors: [key] }),
      r.code === 'invalid_transition' ? 409 : 400,
    )
  }
  return { ok: true, done: input.intent } satisfies ActionData
}

export default function AdminBases() {
  const { awaiting, inNotice, today } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const failed = actionData && !actionData.ok ? actionData : undefined
  const formError = useErrorText(failed?.result.error?.[''] ?? undefined)
  const lastFor = (intent: Intent, id: number) =>
    actionData ? (failed?.intent === intent && failed.target === id ? failed.result : ANSWERED_ELSEWHERE) : undefined
  const day = (d: string | null) => (d ? formatDate(lang, d, 'day') : '—')
  type App = (typeof awaiting)[number]
  type Noticed = (typeof inNotice)[number]
  const appColumns: Column<App>[] = [
    {
      key: 'name',
      header: t('adminBases.col.institution'),
      rowHeader: true,
      cell: (a) => (
        <>
          {a.name}
          <div className="small mono">{a.creditCode}</div>
        </>
      ),
    },
    { key: 'region', header: t('base.region'), cell: (a) => regionName(a.region, lang) },
    { key: 'forwarded', header: t('adminBases.col.forwarded'), cell: (a) => formatDate(lang, a.updatedAt, 'date') },
    {
      key: 'decide',
      header: t('table.actions'),
      main: true,
      cell: (a) => (
        <div className="row-actions">
          <ApproveForm id={a.id} name={a.name} today={today} lastResult={lastFor('approve', a.id)} busy={busy} />
          <RejectForm id={a.id} name={a.name} lastResult={lastFor('reject', a.id)} busy={busy} />
        </div>
      ),
    },
  ]
  const noticeColumns: Column<Noticed>[] = [
    { key: 'name', header: t('base.name'), rowHeader: true, cell: (b) => b.name },
    { key: 'region', header: t('base.region'), cell: (b) => regionName(b.region, lang) },
    { key: 'decision', header: t('baseFlow.decision'), cell: (b) => b.decisionNumber ?? '—' },
    { key: 'notice', header: t('baseFlow.notice'), cell: (b) => `${day(b.noticeStart)} – ${day(b.noticeEnd)}` },
    {
      key: 'designate',
      header: t('table.actions'),
      main: true,
      cell: (b) =>
        b.due ? (
          <Confirm
            variant="button"
            tone="primary"
            label={t('adminBases.designate')}
            triggerLabel={t('adminBases.designateLabel', { name: b.name })}
            title={t('adminBases.designate.title')}
            body={<p>{t('adminBases.designate.body', { name: b.name })}</p>}
            confirmLabel={t('adminBases.designate.submit')}
            intent="designate"
            fields={{ baseId: b.id }}
            busy={busy}
          />
        ) : (
          <span className="muted">{t('adminBases.inNotice.until', { date: day(b.noticeEnd) })}</span>
        ),
    },
  ]
  const anyDue = inNotice.some((b) => b.due)
  return (
    <>
      <p className="small">
        <Link to="/admin">← {t('admin.title')}</Link>
      </p>
      <h1>{t('adminBases.title')}</h1>
      <p className="lead">{t('adminBases.lead')}</p>
      {actionData?.ok ? <Notice>{t(`adminBases.done.${actionData.done}`, { count: actionData.count ?? 0 })}</Notice> : null}
      {formError ? <FormAlert>{formError}</FormAlert> : null}

      <section aria-labelledby="forwarded">
        <h2 id="forwarded">{t('adminBases.forwarded')}</h2>
        {awaiting.length === 0 ? (
          <p className="muted">{t('adminBases.forwarded.none')}</p>
        ) : (
          <DataTable caption={t('adminBases.forwarded')} columns={appColumns} rows={awaiting} rowKey={(a) => a.id} />
        )}
      </section>

      <section aria-labelledby="in-notice">
        <h2 id="in-notice">{t('adminBases.inNotice')}</h2>
        {inNotice.length === 0 ? (
          <p className="muted">{t('adminBases.inNotice.none')}</p>
        ) : (
          <DataTable caption={t('adminBases.inNotice')} columns={noticeColumns} rows={inNotice} rowKey={(b) => b.id} />
        )}
        {anyDue ? (
          <Confirm
            variant="button-secondary"
            tone="primary"
            label={t('adminBases.designateDue')}
            title={t('adminBases.designateDue.title')}
            body={<p>{t('adminBases.designateDue.body')}</p>}
            confirmLabel={t('adminBases.designateDue.submit')}
            intent="designate-due"
            busy={busy}
          />
        ) : null}
      </section>
    </>
  )
}

type Fields = z.input<typeof ProvinceSchema> & Record<string, string>

function ApproveForm(props: { id: number; name: string; today: string; lastResult: SubmissionResult | undefined; busy: boolean }) {
  const t = useT()
  const [form, fields] = useForm<Fields>({ id: `approve-${props.id}`, lastResult: props.lastResult })
  return (
    <Confirm
      variant="button"
      tone="primary"
      label={t('adminBases.approve')}
      triggerLabel={t('adminBases.approveLabel', { name: props.name })}
      title={t('adminBases.approve.title')}
      body={<p>{t('adminBases.approve.body', { name: props.name })}</p>}
      confirmLabel={t('adminBases.approve.submit')}
      intent="approve"
      fields={{ applicationId: props.id }}
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
        hint={t('adminBases.noticeStart.hint')}
      />
    </Confirm>
  )
}

function RejectForm(props: { id: number; name: string; lastResult: SubmissionResult | undefined; busy: boolean }) {
  const t = useT()
  const [form, fields] = useForm<Fields>({ id: `reject-${props.id}`, lastResult: props.lastResult })
  return (
    <Confirm
      variant="button-secondary"
      label={t('adminBases.reject')}
      triggerLabel={t('adminBases.rejectLabel', { name: props.name })}
      title={t('adminBases.reject.title')}
      body={<p>{t('adminBases.reject.body', { name: props.name })}</p>}
      confirmLabel={t('adminBases.reject.submit')}
      intent="reject"
      fields={{ applicationId: props.id }}
      formProps={getFormProps(form)}
      defaultOpen={Boolean(fields.reason!.errors)}
      busy={props.busy}
    >
      <TextField meta={fields.reason!} label={t('adminBases.reject.reason')} required maxLength={1000} />
    </Confirm>
  )
}
