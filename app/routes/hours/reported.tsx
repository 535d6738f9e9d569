import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { requireUser } from '#app/auth/auth.server.ts'
import { categoryLabel } from '#app/components/category.ts'
import { ANSWERED_ELSEWHERE, FormAlert, Notice, SelectField, TextField, useErrorText } from '#app/components/form.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { openDispute, reportedForPerson } from '#app/domain/reports/disputes.server.ts'
import { DisputeSchema } from '#app/domain/reports/review.schema.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('reported.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const { rows, disputes } = await reportedForPerson(getDb(), user.personId)
  return {
    rows: rows.map((r) => ({
      entryId: r.entry_id,
      activityId: r.activity_id,
      title: r.title,
      category: r.category,
      baseName: r.base_name,
      startDate: r.start_date,
      endDate: r.end_date,
      hours: r.hours,
      ceYear: r.ce_year,
      reportState: r.state,
      disputeState: r.dispute_state,
      disputeKind: r.dispute_kind,
      decisionReason: r.decision_reason,
      disputeUntil: r.disputeUntil,
      canDispute: r.canDispute,
    })),
    disputes: disputes.map((d) => ({
      id: d.id,
      kind: d.kind,
      state: d.state,
      title: d.title,
      baseName: d.base_name,
      hours: d.hours,
      claimedHours: d.claimed_hours,
      note: d.note,
      reason: d.decision_reason,
      createdAt: d.created_at.toISOString(),
      decidedAt: d.decided_at ? new Date(d.decided_at).toISOString() : null,
    })),
  }
}

type ActionData = { ok: true } | { ok: false; entryId: number | null; result: SubmissionResult }

const CODE_FIELD = {
  claimed_hours_required: ['claimedHours', 'err.review.claimedRequired'],
  claimed_hours_same: ['claimedHours', 'err.review.claimedSame'],
} as const

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await request.formData()
  const rawId = formData.get('entryId')
  const entryId = typeof rawId === 'string' && /^\d+$/.test(rawId) ? Number(rawId) : null
  const fail = (result: SubmissionResult, status: number) => data<ActionData>({ ok: false, entryId, result }, { status })
  const submission = parseWithZod(formData, { schema: DisputeSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return fail(submission.reply(), 400)
  const input = submission.value
  const result = await getDb()
    .transaction()
    .execute((trx) => openDispute(trx, { personId: user.personId, accountId: user.accountId }, input))
  if (!result.ok) {
    // Someone else's entry, a reversed one or none at all: nothing to dispute here.
    if (result.code === 'not_found') throw new Response('Not Found', { status: 404 })
    if (result.code === 'claimed_hours_required' || result.code === 'claimed_hours_same') {
      const [field, key] = CODE_FIELD[result.code]
      return fail(submission.reply({ fieldErrors: { [field]: [key] } }), 400)
    }
    return fail(submission.reply({ formErrors: [`err.review.${result.code}`] }), 409)
  }
  return { ok: true } satisfies ActionData
}

export default function ReportedHours() {
  const { rows, disputes } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const failed = actionData && !actionData.ok ? actionData : undefined
  type Row = (typeof rows)[number]
  type Dispute = (typeof disputes)[number]
  const columns: Column<Row>[] = [
    {
      key: 'activity',
      header: t('reviews.col.activity'),
      rowHeader: true,
      width: '30%',
      cell: (r) => (
        <>
          {r.title}
          <div className="small muted">
            {r.baseName} · {categoryLabel(r.category, t)}
          </div>
        </>
      ),
    },
    {
      key: 'dates',
      header: t('reviews.col.dates'),
      nowrap: true,
      cell: (r) => (
        <>
          {formatDate(lang, r.startDate, 'day')} – {formatDate(lang, r.endDate, 'day')}
          <div className="small muted">{t('hours.yearLabel', { year: r.ceYear })}</div>
        </>
      ),
    },
    { key: 'hours', header: t('reviews.col.hours'), numeric: true, cell: (r) => r.hours },
    { key: 'state', header: t('reported.col.report'), cell: (r) => t(`reviews.state.${r.reportState}`) },
    {
      key: 'dispute',
      header: t('reported.col.dispute'),
      main: true,
      width: '28%',
      cell: (r) =>
        r.disputeState === 'open' ? (
          <>{t('reported.disputeOpen', { kind: t(`disputes.kind.${r.disputeKind ?? 'not_me'}`) })}</>
        ) : (
          <>
            {r.disputeState ? (
              <div className="small">
                {t(`reported.dispute.${r.disputeState}`)}
                {r.decisionReason ? `：${r.decisionReason}` : ''}
              </div>
            ) : null}
            {r.canDispute ? (
              <DisputeForm
                row={r}
                lastResult={actionData ? (failed?.entryId === r.entryId ? failed.result : ANSWERED_ELSEWHERE) : undefined}
                busy={busy}
              />
            ) : (
              <span className="small muted">{t('reported.windowClosed', { date: formatDate(lang, r.disputeUntil, 'day') })}</span>
            )}
          </>
        ),
    },
  ]
  const disputeColumns: Column<Dispute>[] = [
    {
      key: 'activity',
      header: t('reviews.col.activity'),
      rowHeader: true,
      cell: (d) => (
        <>
          {d.title}
          <div className="small muted">{d.baseName}</div>
        </>
      ),
    },
    {
      key: 'claim',
      header: t('disputes.col.claim'),
      cell: (d) => (
        <>
          {t(`disputes.kind.${d.kind}`)}
          {d.kind === 'wrong_hours' ? (
            <div className="small">{t('disputes.hoursClaim', { credited: d.hours, claimed: d.claimedHours ?? '—' })}</div>
          ) : null}
          <div className="small muted">{formatDate(lang, d.createdAt, 'date')}</div>
        </>
      ),
    },
    {
      key: 'state',
      header: t('reviews.col.state'),
      main: true,
      cell: (d) => (
        <>
          {t(`reported.dispute.${d.state}`)}
          {d.decidedAt ? <div className="small muted">{formatDate(lang, d.decidedAt, 'date')}</div> : null}
          {d.reason ? <div className="small">{d.reason}</div> : null}
        </>
      ),
    },
  ]
  return (
    <>
      <p className="small">
        <Link to="/hours">← {t('hours.title')}</Link>
      </p>
      <h1>{t('reported.title')}</h1>
      <p className="lead">{t('reported.lead')}</p>
      {actionData?.ok ? <Notice>{t('reported.sent')}</Notice> : null}
      {rows.length === 0 ? (
        <p className="muted">{t('reported.none')}</p>
      ) : (
        <DataTable caption={t('reported.title')} columns={columns} rows={rows} rowKey={(r) => r.entryId} />
      )}
      {disputes.length ? (
        <section className="panel" aria-labelledby="disputes-title">
          <h2 id="disputes-title">{t('reported.disputes')}</h2>
          <DataTable caption={t('reported.disputes')} columns={disputeColumns} rows={disputes} rowKey={(d) => d.id} />
        </section>
      ) : null}
    </>
  )
}

/** A dispute of one row: not me, or wrong hours with the hours claimed; a note for HR. */
function DisputeForm({
  row,
  lastResult,
  busy,
}: {
  row: { entryId: number; title: string; hours: string }
  lastResult: SubmissionResult | undefined
  busy: boolean
}) {
  const t = useT()
  const [form, fields] = useForm<{ entryId: string; kind: string; claimedHours: string; note: string }>({
    id: `dispute-${row.entryId}`,
    lastResult,
  })
  const formError = useErrorText(form.errors)
  const open = Boolean(form.errors ?? fields.kind.errors ?? fields.claimedHours.errors ?? fields.note.errors)
  return (
    <details open={open || undefined}>
      <summary>{t('reported.dispute')}</summary>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="entryId" value={row.entryId} />
        {formError ? <FormAlert>{formError}</FormAlert> : null}
        <SelectField
          meta={fields.kind}
          label={t('reported.kind')}
          placeholder={t('reported.kind.placeholder')}
          options={[
            { value: 'not_me', label: t('disputes.kind.not_me') },
            { value: 'wrong_hours', label: t('disputes.kind.wrong_hours') },
          ]}
          required
        />
        <TextField
          meta={fields.claimedHours}
          label={t('reported.claimedHours')}
          hint={t('reported.claimedHours.hint', { hours: row.hours })}
          maxLength={8}
        />
        <TextField meta={fields.note} label={t('reported.note')} maxLength={500} />
        <button type="submit" className="button button-secondary" disabled={busy}>
          {t('reported.submit')}
        </button>
      </Form>
    </details>
  )
}
