import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { fieldErrors, type FieldErrors } from '#app/domain/identity/accounts.schema.ts'
import type { ClaimStatus } from '#app/domain/claims/external-claims.ts'
import { ClaimDecisionSchema } from '#app/domain/claims/external-claims.schema.ts'
import { decideClaim, listClaimsForHr } from '#app/domain/claims/external-claims.server.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { getDb } from '#app/lib/db.server.ts'
import { requireHr } from '#app/auth/hr.server.ts'
import { formFields } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { FormAlert, Notice } from '#app/components/form.tsx'
import { useLang, useT } from '#app/i18n/use-t.ts'
import { categoryLabel } from '#app/components/category.ts'

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

type ActionData = { ok: true; claimId: number; status: 'approved' | 'rejected'; already: boolean } | { ok: false; claimId: number | null; errors: FieldErrors }

export async function action({ request }: ActionFunctionArgs) {
  const hr = await requireHr(request)
  const fields = await formFields(request)
  const claimId = /^\d+$/.test(fields.claimId ?? '') ? Number(fields.claimId) : null
  const parsed = ClaimDecisionSchema.safeParse(fields)
  if (!parsed.success) return data<ActionData>({ ok: false, claimId, errors: fieldErrors(parsed.error) }, { status: 400 })
  const input = parsed.data
  const result = await decideClaim(getDb(), hr, { claimId: input.claimId, decision: input.intent, reason: input.intent === 'reject' ? input.reason : undefined })
  if (!result.ok) {
    if (result.code === 'not_found') throw new Response('Not Found', { status: 404 })
    if (result.code === 'own_claim') throw new Response('Forbidden', { status: 403 })
    if (result.code === 'reason_required') return data<ActionData>({ ok: false, claimId, errors: { reason: 'err.required' } }, { status: 400 })
    return data<ActionData>({ ok: false, claimId, errors: { _form: 'err.claim.decided' } }, { status: 409 })
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
      {actionData?.ok ? <Notice>{t(actionData.status === 'approved' ? (actionData.already ? 'hrClaims.alreadyApproved' : 'hrClaims.approved') : 'hrClaims.rejected')}</Notice> : null}
      {failed && failed.errors._form ? <FormAlert>{t(failed.errors._form)}</FormAlert> : null}
      {claims.length === 0 ? (
        <p className="muted">{t('hrClaims.none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('hrClaims.col.person')}</th>
                <th scope="col">{t('external.col.activity')}</th>
                <th scope="col">{t('hours.col.date')}</th>
                <th scope="col">{t('hours.col.hours')}</th>
                <th scope="col">{t('hrClaims.col.evidence')}</th>
                <th scope="col">{status === 'pending' ? t('table.actions') : t('external.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {claims.map((c) => {
                const rowErrors = failed && failed.claimId === c.id ? failed.errors : {}
                return (
                  <tr key={c.id}>
                    <td className="wrap">
                      <Link to={`/hr/people/${c.personId}`}>{c.name}</Link>
                      <div className="small mono">{c.idNumberMasked}</div>
                      <div className="small muted">
                        {c.employer ?? '—'} · {regionName(c.region, lang) || '—'}
                      </div>
                    </td>
                    <td className="wrap">
                      {c.title}
                      <div className="small muted">
                        {c.activity ? c.activity[lang] : '—'} · {categoryLabel(c.category, t)}
                      </div>
                    </td>
                    <td>
                      {c.occurredOn}
                      <div className="small muted">{t('hours.yearLabel', { year: c.ceYear })}</div>
                    </td>
                    <td className="wrap">
                      <strong>{c.claimedHours}</strong>
                      <div className="small muted">
                        {c.units} {c.activity ? t(`external.unit.${c.activity.unit}`) : ''} · {c.policyVersion}
                      </div>
                    </td>
                    <td className="wrap">
                      {c.file ? (
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
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td className="wrap">
                      {status === 'pending' ? (
                        <div className="stack">
                          <Form method="post">
                            <input type="hidden" name="claimId" value={c.id} />
                            <button type="submit" name="intent" value="approve" className="button" disabled={busy}>
                              {t('hrClaims.approve')}
                            </button>
                          </Form>
                          <details open={Boolean(rowErrors.reason)}>
                            <summary>{t('hrClaims.reject')}</summary>
                            <Form method="post" className="stack" noValidate>
                              <input type="hidden" name="claimId" value={c.id} />
                              <div className={`field${rowErrors.reason ? ' field-invalid' : ''}`}>
                                <label htmlFor={`reason-${c.id}`}>{t('hrClaims.reason')}</label>
                                <input
                                  id={`reason-${c.id}`}
                                  name="reason"
                                  required
                                  maxLength={500}
                                  aria-invalid={rowErrors.reason ? true : undefined}
                                  aria-describedby={rowErrors.reason ? `reason-${c.id}-error` : undefined}
                                />
                                {rowErrors.reason ? (
                                  <p className="field-error" id={`reason-${c.id}-error`} role="alert">
                                    {t(rowErrors.reason)}
                                  </p>
                                ) : null}
                              </div>
                              <button type="submit" name="intent" value="reject" className="button button-secondary" disabled={busy}>
                                {t('hrClaims.rejectSubmit')}
                              </button>
                            </Form>
                          </details>
                        </div>
                      ) : (
                        <>
                          {t(`external.status.${status}`)}
                          {c.reason ? <div className="small">{c.reason}</div> : null}
                        </>
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
