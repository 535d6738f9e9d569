import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { requireHr } from '#app/auth/hr.server.ts'
import { ANSWERED_ELSEWHERE, FormAlert, Notice, TextField, useErrorText } from '#app/components/form.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { disputesForHr, resolveDispute } from '#app/domain/reports/disputes.server.ts'
import { DisputeDecisionSchema } from '#app/domain/reports/review.schema.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('disputes.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const rows = await disputesForHr(getDb(), hr.scopeRegion)
  return {
    scope: hr.scopeRegion,
    disputes: rows.map((d) => ({
      id: d.id,
      kind: d.kind,
      claimedHours: d.claimed_hours,
      note: d.note,
      createdAt: d.created_at.toISOString(),
      personId: d.person_id,
      name: d.name,
      idNumberMasked: d.idNumberMasked,
      region: d.region_code,
      activityId: d.activity_id,
      title: d.title,
      startDate: d.start_date,
      endDate: d.end_date,
      declaredHours: d.declared_hours,
      baseName: d.base_name,
      hours: d.hours,
    })),
  }
}

type ActionData =
  { ok: true; state: 'upheld' | 'dismissed' } | { ok: false; disputeId: number | null; intent: string | null; result: SubmissionResult }

const CODE_FIELD = {
  reason_required: ['reason', 'err.required'],
  corrected_hours_invalid: ['correctedHours', 'err.review.correctedHours'],
} as const

export async function action({ request }: ActionFunctionArgs) {
  const hr = await requireHr(request)
  const formData = await request.formData()
  const rawId = formData.get('disputeId')
  const disputeId = typeof rawId === 'string' && /^\d+$/.test(rawId) ? Number(rawId) : null
  const rawIntent = formData.get('intent')
  const intent = typeof rawIntent === 'string' ? rawIntent : null
  const fail = (result: SubmissionResult, status: number) => data<ActionData>({ ok: false, disputeId, intent, result }, { status })
  const submission = parseWithZod(formData, { schema: DisputeDecisionSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return fail(submission.reply(), 400)
  if (!isConfirmed(formData)) return fail(submission.reply({ formErrors: ['err.confirm'] }), 400)
  const input = submission.value
  const result = await getDb()
    .transaction()
    .execute((trx) =>
      resolveDispute(trx, hr, input.disputeId, {
        uphold: input.intent === 'uphold',
        reason: input.reason,
        correctedHours: input.intent === 'uphold' ? input.correctedHours : null,
      }),
    )
  if (!result.ok) {
    if (result.code === 'not_found') throw new Response('Not Found', { status: 404 })
    if (result.code === 'own_dispute') throw new Response('Forbidden', { status: 403 })
    if (result.code === 'reason_required' || result.code === 'corrected_hours_invalid') {
      const [field, key] = CODE_FIELD[result.code]
      return fail(submission.reply({ fieldErrors: { [field]: [key] } }), 400)
    }
    return fail(submission.reply({ formErrors: [`err.review.${result.code}`] }), 409)
  }
  return { ok: true, state: result.state } satisfies ActionData
}

export default function HrDisputes() {
  const { scope, disputes } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const failed = actionData && !actionData.ok ? actionData : undefined
  const formError = useErrorText(failed?.result.error?.[''] ?? undefined)
  type Row = (typeof disputes)[number]
  const resultFor = (d: Row, intent: 'uphold' | 'dismiss') =>
    actionData ? (failed?.disputeId === d.id && failed.intent === intent ? failed.result : ANSWERED_ELSEWHERE) : undefined
  const columns: Column<Row>[] = [
    {
      key: 'person',
      header: t('disputes.col.person'),
      rowHeader: true,
      width: '20%',
      cell: (d) => (
        <>
          <Link to={`/hr/people/${d.personId}`}>{d.name}</Link>
          <div className="small mono">{d.idNumberMasked}</div>
          <div className="small muted">{regionName(d.region, lang) || '—'}</div>
        </>
      ),
    },
    {
      key: 'activity',
      header: t('reviews.col.activity'),
      width: '26%',
      cell: (d) => (
        <>
          <Link to={`/hr/reports/${d.activityId}`}>{d.title}</Link>
          <div className="small muted">
            {d.baseName} · {formatDate(lang, d.startDate, 'day')} – {formatDate(lang, d.endDate, 'day')}
          </div>
        </>
      ),
    },
    {
      key: 'claim',
      header: t('disputes.col.claim'),
      width: '26%',
      cell: (d) => (
        <>
          <strong>{t(`disputes.kind.${d.kind}`)}</strong>
          <div className="small">
            {d.kind === 'wrong_hours'
              ? t('disputes.hoursClaim', { credited: d.hours, claimed: d.claimedHours ?? '—' })
              : t('disputes.hoursCredited', { credited: d.hours })}
          </div>
          {d.note ? <div className="small">{d.note}</div> : null}
          <div className="small muted">{formatDate(lang, d.createdAt, 'date')}</div>
        </>
      ),
    },
    {
      key: 'decide',
      header: t('table.actions'),
      main: true,
      cell: (d) => (
        <div className="row-actions">
          <DecisionForm dispute={d} intent="uphold" lastResult={resultFor(d, 'uphold')} busy={busy} />
          <DecisionForm dispute={d} intent="dismiss" lastResult={resultFor(d, 'dismiss')} busy={busy} />
        </div>
      ),
    },
  ]
  return (
    <>
      <p className="small">
        <Link to="/hr">← {t('hr.title')}</Link>
      </p>
      <h1>{t('disputes.title')}</h1>
      <p className="lead">{t('disputes.lead', { region: regionName(scope, lang) })}</p>
      {actionData?.ok ? <Notice>{t(actionData.state === 'upheld' ? 'disputes.upheld' : 'disputes.dismissed')}</Notice> : null}
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      {disputes.length === 0 ? (
        <p className="muted">{t('disputes.none')}</p>
      ) : (
        <DataTable caption={t('disputes.title')} columns={columns} rows={disputes} rowKey={(d) => d.id} />
      )}
    </>
  )
}

/** Upholding or dismissing one dispute, with its reason (and, for wrong hours upheld, the corrected hours). */
function DecisionForm({
  dispute,
  intent,
  lastResult,
  busy,
}: {
  dispute: { id: number; name: string; title: string; kind: 'not_me' | 'wrong_hours'; claimedHours: string | null; declaredHours: string }
  intent: 'uphold' | 'dismiss'
  lastResult: SubmissionResult | undefined
  busy: boolean
}) {
  const t = useT()
  const [form, fields] = useForm<{ reason: string; correctedHours: string }>({ id: `${intent}-${dispute.id}`, lastResult })
  const upholdBody = dispute.kind === 'not_me' ? 'disputes.uphold.notMe' : 'disputes.uphold.wrongHours'
  return (
    <Confirm
      variant={intent === 'uphold' ? 'button' : 'button-secondary'}
      tone={intent === 'uphold' ? 'danger' : 'primary'}
      label={t(`disputes.${intent}`)}
      triggerLabel={t(`disputes.${intent}Label`, { name: dispute.name, title: dispute.title })}
      title={t(`disputes.${intent}.title`)}
      body={<p>{intent === 'uphold' ? t(upholdBody, { name: dispute.name, title: dispute.title }) : t('disputes.dismiss.body')}</p>}
      confirmLabel={t(`disputes.${intent}.submit`)}
      intent={intent}
      fields={{ disputeId: dispute.id }}
      formProps={getFormProps(form)}
      defaultOpen={Boolean(fields.reason.errors ?? fields.correctedHours.errors)}
      busy={busy}
    >
      <TextField meta={fields.reason} label={t('disputes.reason')} required maxLength={500} />
      {intent === 'uphold' && dispute.kind === 'wrong_hours' ? (
        <TextField
          meta={fields.correctedHours}
          label={t('disputes.correctedHours')}
          hint={t('disputes.correctedHours.hint', { claimed: dispute.claimedHours ?? '—', declared: dispute.declaredHours })}
          inputMode="text"
          maxLength={8}
        />
      ) : null}
    </Confirm>
  )
}
