import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireHr } from '#app/auth/hr.server.ts'
import { categoryLabel } from '#app/components/category.ts'
import { ANSWERED_ELSEWHERE, FormAlert, Notice, TextField, useErrorText } from '#app/components/form.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { ClaimDecisionSchema } from '#app/domain/claims/external-claims.schema.ts'
import { decideClaim, listClaimsForHr } from '#app/domain/claims/external-claims.server.ts'
import type { ClaimStatus } from '#app/domain/claims/external-claims.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, plural, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

import { findingHref } from './integrity-forms.ts'

export const meta = pageTitle('hrClaims.title')

const STATUSES: readonly ClaimStatus[] = ['pending', 'approved', 'rejected']

export async function loader({ request }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const asked = new URL(request.url).searchParams.get('status')
  const status = STATUSES.find((s) => s === asked) ?? 'pending'
  const claims = await listClaimsForHr(getDb(), hr.scopeRegion, status)
  return {
    scope: hr.scopeRegion,
    status,
    claims: claims.map((c) => ({
      id: c.id,
      personId: c.person_id,
      name: c.name,
      idNumberMasked: c.idNumberMasked,
      employer: c.employer,
      region: c.region_code,
      ceYear: c.ce_year,
      activity: c.activityInfo,
      title: c.title,
      category: c.category,
      units: c.units,
      claimedHours: c.claimed_hours,
      policyVersion: c.policy_version,
      occurredOn: c.occurred_on,
      reason: c.decision_reason,
      decidedAt: c.decided_at ? new Date(c.decided_at).toISOString() : null,
      file: c.filename ? { name: c.filename, type: c.content_type, size: c.size ?? 0, sha256: c.sha256 ?? '' } : null,
      createdAt: c.created_at.toISOString(),
    })),
  }
}

type ActionData =
  | { ok: true; claimId: number; status: 'approved' | 'rejected'; already: boolean }
  | { ok: false; claimId: number | null; result: SubmissionResult }

export async function action({ request }: ActionFunctionArgs) {
  const hr = await requireHr(request)
  const formData = await request.formData()
  // Which row's form to show the errors on.
  const rawId = formData.get('claimId')
  const claimId = typeof rawId === 'string' && /^\d+$/.test(rawId) ? Number(rawId) : null
  const submission = parseWithZod(formData, { schema: ClaimDecisionSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data<ActionData>({ ok: false, claimId, result: submission.reply() }, { status: 400 })
  // A decision cannot be undone: without the confirmation step's field nothing is decided.
  if (!isConfirmed(formData))
    return data<ActionData>({ ok: false, claimId, result: submission.reply({ formErrors: ['err.confirm'] }) }, { status: 400 })
  const input = submission.value
  const result = await decideClaim(getDb(), hr, {
    claimId: input.claimId,
    decision: input.intent,
    reason: input.intent === 'reject' ? input.reason : undefined,
  })
  if (!result.ok) {
    if (result.code === 'not_found') throw new Response('Not Found', { status: 404 })
    if (result.code === 'own_claim') throw new Response('Forbidden', { status: 403 })
    if (result.code === 'reason_required')
      return data<ActionData>(
        { ok: false, claimId, result: submission.reply({ fieldErrors: { reason: ['err.required'] } }) },
        { status: 400 },
      )
    return data<ActionData>({ ok: false, claimId, result: submission.reply({ formErrors: ['err.claim.decided'] }) }, { status: 409 })
  }
  return { ok: true, claimId: input.claimId, status: result.status, already: result.already } satisfies ActionData
}

function kb(size: number) {
  return size >= 1024 * 1024 ? `${(size / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(size / 1024))} KB`
}

export default function HrClaims() {
  const { scope, status, claims } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const failed = actionData && !actionData.ok ? actionData : undefined
  const formError = useErrorText(failed?.result.error?.[''] ?? undefined)
  type Row = (typeof claims)[number]
  const columns: Column<Row>[] = [
    {
      key: 'person',
      header: t('hrClaims.col.person'),
      width: '24%',
      cell: (c) => (
        <>
          <Link to={`/hr/people/${c.personId}`}>{c.name}</Link>
          <div className="small mono">{c.idNumberMasked}</div>
          <div className="small muted">
            {c.employer ?? '—'} · {regionName(c.region, lang) || '—'}
          </div>
        </>
      ),
    },
    {
      key: 'activity',
      header: t('external.col.activity'),
      width: '22%',
      cell: (c) => (
        <>
          {c.title}
          <div className="small muted">
            {c.activity ? c.activity[lang] : '—'} · {categoryLabel(c.category, t)}
          </div>
        </>
      ),
    },
    {
      key: 'date',
      header: t('hours.col.date'),
      cell: (c) => (
        <>
          <span className="nowrap">{formatDate(lang, c.occurredOn, 'day')}</span>
          <div className="small muted">{t('hours.yearLabel', { year: c.ceYear })}</div>
        </>
      ),
    },
    {
      key: 'hours',
      header: t('hours.col.hours'),
      cell: (c) => (
        <>
          <strong>{c.claimedHours}</strong>
          <div className="small muted">
            {c.activity ? t(`external.units.${c.activity.unit}.${plural(lang, Number(c.units))}`, { count: c.units }) : c.units} ·{' '}
            {c.policyVersion}
          </div>
        </>
      ),
    },
    {
      key: 'evidence',
      header: t('hrClaims.col.evidence'),
      width: '16%',
      cell: (c) =>
        c.file ? (
          <>
            <a href={`/hr/claims/${c.id}/evidence`} target="_blank" rel="noopener noreferrer">
              {t('hrClaims.view')}
            </a>
            <div className="small muted">
              {c.file.name} · {kb(c.file.size)}
            </div>
            <div className="small muted mono" title={c.file.sha256}>
              SHA-256 {c.file.sha256.slice(0, 12)}…
            </div>
            <div className="small">
              <Link
                to={findingHref({ kind: 'claim', id: c.id })}
                aria-label={t('integrityHr.linkLabel', { what: `${c.name} · ${c.title}` })}
              >
                {t('integrityHr.link')}
              </Link>
            </div>
          </>
        ) : (
          '—'
        ),
    },
    status === 'pending'
      ? {
          key: 'decide',
          header: t('table.actions'),
          main: true,
          cell: (c) => (
            <div className="row-actions">
              <Confirm
                variant="button"
                tone="primary"
                label={t('hrClaims.approve')}
                triggerLabel={t('hrClaims.approveLabel', { name: c.name, title: c.title })}
                title={t('hrClaims.approve.title')}
                body={<p>{t('hrClaims.approve.body', { name: c.name, title: c.title, hours: c.claimedHours, year: c.ceYear })}</p>}
                confirmLabel={t('hrClaims.approveSubmit')}
                intent="approve"
                fields={{ claimId: c.id }}
                busy={busy}
              />
              <RejectForm
                claimId={c.id}
                name={c.name}
                title={c.title}
                lastResult={actionData ? (failed?.claimId === c.id ? failed.result : ANSWERED_ELSEWHERE) : undefined}
                busy={busy}
              />
            </div>
          ),
        }
      : {
          key: 'status',
          header: t('external.col.status'),
          main: true,
          cell: (c) => (
            <>
              {t(`external.status.${status}`)}
              {c.decidedAt ? <div className="small muted">{formatDate(lang, c.decidedAt, 'date')}</div> : null}
              {c.reason ? <div className="small">{c.reason}</div> : null}
            </>
          ),
        },
  ]
  return (
    <>
      <p className="small">
        <Link to="/hr">← {t('hr.title')}</Link>
      </p>
      <h1>{t('hrClaims.title')}</h1>
      <p className="lead">{t('hrClaims.lead', { region: regionName(scope, lang) })}</p>
      <nav aria-label={t('hrClaims.filter')} className="year-picker">
        {STATUSES.map((s) =>
          s === status ? (
            <strong key={s} aria-current="page">
              {t(`external.status.${s}`)}
            </strong>
          ) : (
            <Link key={s} to={`?status=${s}`}>
              {t(`external.status.${s}`)}
            </Link>
          ),
        )}
      </nav>
      {actionData?.ok ? (
        <Notice>
          {t(
            actionData.status === 'approved'
              ? actionData.already
                ? 'hrClaims.alreadyApproved'
                : 'hrClaims.approved'
              : 'hrClaims.rejected',
          )}
        </Notice>
      ) : null}
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      {claims.length === 0 ? (
        <p className="muted">{t('hrClaims.none')}</p>
      ) : (
        <DataTable caption={t('hrClaims.title')} columns={columns} rows={claims} rowKey={(c) => c.id} />
      )}
    </>
  )
}

/** One claim's rejection, with its reason: asks first; open again when the reason was refused. */
function RejectForm({
  claimId,
  name,
  title,
  lastResult,
  busy,
}: {
  claimId: number
  name: string
  title: string
  lastResult: SubmissionResult | undefined
  busy: boolean
}) {
  const t = useT()
  const [form, fields] = useForm<z.input<typeof ClaimDecisionSchema>>({ id: `reject-${claimId}`, lastResult })
  return (
    <Confirm
      variant="button-secondary"
      label={t('hrClaims.reject')}
      triggerLabel={t('hrClaims.rejectLabel', { name, title })}
      title={t('hrClaims.reject.title')}
      body={<p>{t('hrClaims.reject.body', { name, title })}</p>}
      confirmLabel={t('hrClaims.rejectSubmit')}
      intent="reject"
      fields={{ claimId }}
      formProps={getFormProps(form)}
      defaultOpen={Boolean(fields.reason.errors)}
      busy={busy}
    >
      <TextField meta={fields.reason} label={t('hrClaims.reason')} required maxLength={500} />
    </Confirm>
  )
}
