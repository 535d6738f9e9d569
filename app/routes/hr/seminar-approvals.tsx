import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { requireHr } from '#app/auth/hr.server.ts'
import { FormAlert, Notice, TextField } from '#app/components/form.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { ApprovalDecisionSchema, REASON_MAX } from '#app/domain/seminars/approval.schema.ts'
import { decideRegistration, pendingApprovals } from '#app/domain/seminars/approval.server.ts'
import { nameOf, regionName, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /hr/seminar-approvals: registrations of the officer's region waiting for approval (报名审核),
// the overdue first; approve, or reject with a reason (confirmed first).
export const meta = pageTitle('seminarApproval.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const rows = await pendingApprovals(getDb(), hr, new Date())
  return {
    rows: rows.map((r) => ({
      registrationId: r.registrationId,
      seminarId: r.seminarId,
      seminarTitle: r.seminarTitle,
      startDate: r.startDate,
      endDate: r.endDate,
      personName: r.personName,
      idMasked: r.idMasked,
      regionCode: r.regionCode,
      titleLevel: r.titleLevel,
      titleSeries: r.titleSeries,
      dueAt: r.dueAt.toISOString(),
      overdue: r.overdue,
    })),
  }
}

type ActionData = { registrationId: number | null; result: SubmissionResult; done?: 'confirmed' | 'rejected' }

export async function action({ request }: ActionFunctionArgs) {
  const hr = await requireHr(request)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: ApprovalDecisionSchema, disableAutoCoercion: true })
  const asked = Number(formData.get('registrationId'))
  const registrationId = Number.isSafeInteger(asked) && asked > 0 ? asked : null
  if (submission.status !== 'success') return data<ActionData>({ registrationId, result: submission.reply() }, { status: 400 })
  const input = submission.value
  if (input.intent === 'reject' && !isConfirmed(formData)) {
    return data<ActionData>({ registrationId, result: submission.reply({ formErrors: ['err.confirm'] }) }, { status: 400 })
  }
  const r = await getDb()
    .transaction()
    .execute((trx) =>
      decideRegistration(trx, hr, input.registrationId, input.intent, input.intent === 'reject' ? input.reason : '', new Date()),
    )
  if (!r.ok) {
    if (r.code === 'not_found') throw new Response('Not Found', { status: 404 })
    const status = r.code === 'out_of_scope' ? 403 : r.code === 'reason_required' ? 400 : 409
    const reply =
      r.code === 'reason_required'
        ? submission.reply({ fieldErrors: { reason: [`seminarApproval.code.${r.code}`] } })
        : submission.reply({ formErrors: [`seminarApproval.code.${r.code}`] })
    return data<ActionData>({ registrationId, result: reply }, { status })
  }
  return data<ActionData>({ registrationId, result: submission.reply({ resetForm: true }), done: r.status })
}

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]

function RejectForm({ row, lastResult, busy }: { row: Row; lastResult: SubmissionResult | undefined; busy: boolean }) {
  const t = useT()
  const [form, fields] = useForm<{ reason: string }>({
    id: `reject-${row.registrationId}`,
    lastResult,
  })
  return (
    <Confirm
      variant="button-secondary"
      label={t('seminarApproval.reject')}
      triggerLabel={`${t('seminarApproval.reject')} ${row.personName}`}
      title={t('seminarApproval.reject.title')}
      body={<p>{t('seminarApproval.reject.body', { person: row.personName, seminar: row.seminarTitle })}</p>}
      confirmLabel={t('seminarApproval.reject.submit')}
      intent="reject"
      fields={{ registrationId: row.registrationId }}
      formProps={getFormProps(form)}
      defaultOpen={Boolean(lastResult?.error?.reason)}
      busy={busy}
    >
      <TextField
        meta={fields.reason}
        label={t('seminarApproval.reason')}
        hint={t('seminarApproval.reason.hint')}
        required
        maxLength={REASON_MAX}
      />
    </Confirm>
  )
}

export default function HrSeminarApprovals() {
  const { rows } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const formError = actionData?.result.error?.['']?.[0]
  const lastFor = (id: number) => (actionData?.registrationId === id && !actionData.done ? actionData.result : undefined)
  const titleOf = (r: Row) =>
    [r.titleSeries ? nameOf(TITLE_SERIES, r.titleSeries, lang) : null, r.titleLevel ? nameOf(TITLE_LEVELS, r.titleLevel, lang) : null]
      .filter((x): x is string => Boolean(x))
      .join(' · ') || '—'
  const columns: Column<Row>[] = [
    {
      key: 'person',
      header: t('seminarApproval.col.person'),
      rowHeader: true,
      cell: (r) => (
        <>
          {r.personName}
          <div className="small mono">{r.idMasked}</div>
          <div className="small muted">{r.regionCode ? regionName(r.regionCode, lang) : t('seminarApproval.outsideJilin')}</div>
        </>
      ),
    },
    { key: 'title', header: t('seminarApproval.col.title'), cell: titleOf },
    {
      key: 'seminar',
      header: t('seminarApproval.col.seminar'),
      main: true,
      cell: (r) => (
        <>
          <Link to={`/seminars/${r.seminarId}`}>{r.seminarTitle}</Link>
          <div className="small muted">
            {formatDate(lang, r.startDate, 'date')} – {formatDate(lang, r.endDate, 'date')}
          </div>
        </>
      ),
    },
    {
      key: 'due',
      header: t('seminarApproval.col.due'),
      nowrap: true,
      cell: (r) => (
        <>
          {formatDate(lang, r.dueAt, 'dateTime')}
          {r.overdue ? <div className="small text-error">{t('seminarApproval.overdue')}</div> : null}
        </>
      ),
    },
    {
      key: 'decision',
      header: t('seminarApproval.col.decision'),
      cell: (r) => (
        <div className="row-actions">
          <Form method="post" className="inline">
            <input type="hidden" name="registrationId" value={r.registrationId} />
            <button
              type="submit"
              name="intent"
              value="approve"
              className="button"
              disabled={busy}
              aria-label={`${t('seminarApproval.approve')} ${r.personName}`}
            >
              {t('seminarApproval.approve')}
            </button>
          </Form>
          <RejectForm row={r} lastResult={lastFor(r.registrationId)} busy={busy} />
        </div>
      ),
    },
  ]
  return (
    <>
      <p className="small">
        <Link to="/hr">← {t('hr.title')}</Link>
      </p>
      <h1>{t('seminarApproval.title')}</h1>
      <p className="lead">{t('seminarApproval.lead')}</p>
      {actionData?.done ? (
        <Notice>{t(actionData.done === 'confirmed' ? 'seminarApproval.done.confirmed' : 'seminarApproval.done.rejected')}</Notice>
      ) : null}
      {formError ? <FormAlert>{t.issue(formError)}</FormAlert> : null}
      <section className="panel" aria-labelledby="approvals-title">
        <h2 id="approvals-title">{t('seminarApproval.listTitle')}</h2>
        {rows.length === 0 ? (
          <p className="muted">{t('seminarApproval.none')}</p>
        ) : (
          <DataTable caption={t('seminarApproval.listTitle')} columns={columns} rows={rows} rowKey={(r) => r.registrationId} />
        )}
      </section>
    </>
  )
}
