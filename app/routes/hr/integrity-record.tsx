import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireHr } from '#app/auth/hr.server.ts'
import { ANSWERED_ELSEWHERE, FormAlert, Notice, TextField, useErrorText } from '#app/components/form.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { chinaToday } from '#app/domain/claims/external-claims.ts'
import { cancelFinding, confirmFinding, decideAppeal, recordFor } from '#app/domain/integrity/records.server.ts'
import { integrityPolicyOn } from '#app/domain/policy/integrity-policy.server.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { isProvinceScope } from '#app/domain/shared/scope.ts'
import { formatDate, type MessageKey, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

import { RecordActionSchema } from './integrity-forms.ts'
import { maskedIdsOf, officerNamesOf } from './integrity-helpers.server.ts'

export const meta = pageTitle('integrityHr.record.title')

function recordIdOf(params: { recordId?: string }): number {
  const id = params.recordId ?? ''
  if (!/^[1-9]\d{0,17}$/.test(id)) throw new Response('Not Found', { status: 404 })
  return Number(id)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const db = getDb()
  const r = await recordFor(db, hr, recordIdOf(params))
  if (!r) throw new Response('Not Found', { status: 404 })
  const personId = r.person_id === null ? null : Number(r.person_id)
  const [ids, officers] = await Promise.all([
    maskedIdsOf(db, personId === null ? [] : [personId]),
    officerNamesOf(db, [r.found_by, r.confirmed_by]),
  ])
  const foundBy = Number(r.found_by)
  const done = new URL(request.url).searchParams.get('done') === 'proposed'
  return {
    done,
    province: isProvinceScope(hr.scopeRegion),
    mine: foundBy === hr.accountId,
    recordYears: integrityPolicyOn(r.starts_on ?? chinaToday(new Date())).recordYears,
    record: {
      id: r.id,
      subject: r.subject,
      personId,
      personName: r.person_name,
      idNumberMasked: personId === null ? null : (ids.get(personId) ?? null),
      baseId: r.base_id === null ? null : Number(r.base_id),
      baseName: r.base_name,
      region: r.region_code,
      sourceKind: r.source_kind,
      sourceId: Number(r.source_id),
      activityId: r.activity_id === null ? null : Number(r.activity_id),
      finding: r.finding,
      documentNumber: r.document_number,
      evidenceFilename: r.evidence_filename,
      status: r.status,
      foundBy: officers.get(foundBy) ?? '—',
      foundAt: new Date(r.found_at).toISOString(),
      confirmedBy: r.confirmed_by === null ? null : (officers.get(Number(r.confirmed_by)) ?? '—'),
      confirmedAt: r.confirmed_at ? new Date(r.confirmed_at).toISOString() : null,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      policyVersion: r.policy_version,
      cancelReason: r.cancel_reason,
      appealText: r.appeal_text,
      appealedAt: r.appealed_at ? new Date(r.appealed_at).toISOString() : null,
      appealDecision: r.appeal_decision,
      appealDecidedAt: r.appeal_decided_at ? new Date(r.appeal_decided_at).toISOString() : null,
      appealReason: r.appeal_reason,
    },
  }
}

type Intent = z.infer<typeof RecordActionSchema>['intent']
type ActionData = { ok: true; intent: Intent; endsOn: string | null } | { ok: false; intent: Intent | null; result: SubmissionResult }

/** A refusal's HTTP status: someone else's turn → 403, the record moved on → 409, missing input → 400. */
const REFUSAL_STATUS: Record<string, number> = {
  own_finding: 403,
  out_of_scope: 403,
  not_province: 403,
  not_proposed: 409,
  no_appeal: 409,
  already_decided: 409,
  reason_required: 400,
}

export async function action({ request, params }: ActionFunctionArgs) {
  const hr = await requireHr(request)
  const recordId = recordIdOf(params)
  const formData = await request.formData()
  const rawIntent = formData.get('intent')
  const asked =
    typeof rawIntent === 'string' && ['confirm', 'cancel', 'uphold', 'withdraw'].includes(rawIntent) ? (rawIntent as Intent) : null
  const submission = parseWithZod(formData, { schema: RecordActionSchema, disableAutoCoercion: true })
  // A record out of scope does not exist for this officer, whatever was asked.
  const db = getDb()
  if (!(await recordFor(db, hr, recordId))) throw new Response('Not Found', { status: 404 })
  if (submission.status !== 'success') return data<ActionData>({ ok: false, intent: asked, result: submission.reply() }, { status: 400 })
  // Every action here takes effect at once and cannot be undone: without the confirmation step nothing changes.
  if (!isConfirmed(formData))
    return data<ActionData>({ ok: false, intent: asked, result: submission.reply({ formErrors: ['err.confirm'] }) }, { status: 400 })
  const input = submission.value
  const now = new Date()
  const result = await db.transaction().execute(async (trx) => {
    if (input.intent === 'confirm') return confirmFinding(trx, hr, recordId, now)
    if (input.intent === 'cancel') return cancelFinding(trx, hr, recordId, input.reason, now)
    return decideAppeal(trx, hr, recordId, input.intent, input.reason, now)
  })
  if (!result.ok) {
    if (result.code === 'not_found') throw new Response('Not Found', { status: 404 })
    const key = `integrityHr.err.${result.code}` as const
    const reply =
      result.code === 'reason_required' ? submission.reply({ fieldErrors: { reason: [key] } }) : submission.reply({ formErrors: [key] })
    return data<ActionData>({ ok: false, intent: input.intent, result: reply }, { status: REFUSAL_STATUS[result.code] ?? 400 })
  }
  const endsOn = 'endsOn' in result && typeof result.endsOn === 'string' ? result.endsOn : null
  return { ok: true, intent: input.intent, endsOn } satisfies ActionData
}

const DONE: Record<Intent, MessageKey> = {
  confirm: 'integrityHr.confirmed',
  cancel: 'integrityHr.cancelled',
  uphold: 'integrityHr.upheld',
  withdraw: 'integrityHr.withdrawn',
}

export default function HrIntegrityRecord() {
  const { record: r, done, province, mine, recordYears } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const failed = actionData && !actionData.ok ? actionData : undefined
  const formError = useErrorText(failed?.result.error?.[''] ?? undefined)
  const lastFor = (intent: Intent) => (actionData ? (failed?.intent === intent ? failed.result : ANSWERED_ELSEWHERE) : undefined)
  const day = (d: string) => formatDate(lang, d, 'day')
  const sourceLink =
    r.subject === 'base' ? (
      <Link to={`/hr/reports/${r.sourceId}`}>{t('integrityHr.source.activity', { id: r.sourceId })}</Link>
    ) : r.sourceKind === 'claim' ? (
      <>
        {t('integrityHr.source.claim', { id: r.sourceId })} ·{' '}
        <a href={`/hr/claims/${r.sourceId}/evidence`} target="_blank" rel="noopener noreferrer">
          {t('integrityHr.record.viewSource')}
        </a>
      </>
    ) : r.sourceKind === 'roster_row' && r.activityId ? (
      <>
        {t('integrityHr.source.roster_row', { id: r.sourceId })} ·{' '}
        <Link to={`/hr/reports/${r.activityId}`}>{t('integrityHr.record.viewSource')}</Link>
      </>
    ) : (
      <>
        {t('integrityHr.source.entry', { id: r.sourceId })} ·{' '}
        <Link to={`/hr/people/${r.personId}`}>{t('integrityHr.record.viewSource')}</Link>
      </>
    )
  const awaitingAppeal = r.status === 'in_force' && r.appealedAt !== null && r.appealDecision === null
  return (
    <>
      <p className="small">
        <Link to="/hr/integrity">← {t('integrityHr.title')}</Link>
      </p>
      <h1>{t('integrityHr.record.heading', { id: r.id })}</h1>
      <p className="lead">{t(`integrityHr.status.${r.status}`)}</p>
      {done && !actionData ? <Notice>{t('integrityHr.proposed')}</Notice> : null}
      {actionData?.ok ? <Notice>{t(DONE[actionData.intent], { endsOn: actionData.endsOn ? day(actionData.endsOn) : '' })}</Notice> : null}
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <section className="panel" aria-labelledby="facts-title">
        <h2 id="facts-title">{t('integrityHr.record.facts')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('integrityHr.record.subject')}</dt>
            <dd>
              {r.subject === 'base' ? (
                <Link to={`/hr/bases/${r.baseId}`}>{t('integrityHr.subject.base', { name: r.baseName ?? '—' })}</Link>
              ) : (
                <>
                  <Link to={`/hr/people/${r.personId}`}>{r.personName ?? '—'}</Link> <span className="mono">{r.idNumberMasked ?? '—'}</span>
                </>
              )}
            </dd>
          </div>
          <div>
            <dt>{t('integrityHr.record.region')}</dt>
            <dd>{regionName(r.region, lang) || '—'}</dd>
          </div>
          <div>
            <dt>{t('integrityHr.record.source')}</dt>
            <dd>{sourceLink}</dd>
          </div>
          <div>
            <dt>{t('integrityHr.record.finding')}</dt>
            <dd className="prewrap">{r.finding}</dd>
          </div>
          <div>
            <dt>{t('integrityHr.record.document')}</dt>
            <dd>{r.documentNumber}</dd>
          </div>
          <div>
            <dt>{t('integrityHr.record.evidence')}</dt>
            <dd>
              <a href={`/hr/integrity/${r.id}/evidence`} target="_blank" rel="noopener noreferrer">
                {t('integrityHr.record.evidenceView')}
              </a>{' '}
              <span className="small muted">{r.evidenceFilename}</span>
            </dd>
          </div>
          <div>
            <dt>{t('integrityHr.record.foundBy')}</dt>
            <dd>
              {r.foundBy} · {formatDate(lang, r.foundAt, 'date')}
            </dd>
          </div>
          {r.confirmedAt ? (
            <div>
              <dt>{t('integrityHr.record.confirmedBy')}</dt>
              <dd>
                {r.confirmedBy ?? '—'} · {formatDate(lang, r.confirmedAt, 'date')}
              </dd>
            </div>
          ) : null}
          {r.startsOn && r.endsOn ? (
            <div>
              <dt>{t('integrityHr.record.term')}</dt>
              <dd>
                {t('integrityHr.term', { start: day(r.startsOn), end: day(r.endsOn) })}
                {r.policyVersion ? <span className="small muted"> · {r.policyVersion}</span> : null}
              </dd>
            </div>
          ) : null}
          {r.cancelReason ? (
            <div>
              <dt>{t('integrityHr.record.cancelReason')}</dt>
              <dd>{r.cancelReason}</dd>
            </div>
          ) : null}
        </dl>
      </section>

      {r.confirmedAt ? (
        <section className="panel" aria-labelledby="appeal-title">
          <h2 id="appeal-title">{t('integrityHr.record.appeal')}</h2>
          {r.appealedAt ? (
            <dl className="facts">
              <div>
                <dt>{t('integrityHr.record.appealedAt')}</dt>
                <dd>{formatDate(lang, r.appealedAt, 'date')}</dd>
              </div>
              <div>
                <dt>{t('integrityHr.record.appealText')}</dt>
                <dd className="prewrap">{r.appealText}</dd>
              </div>
              {r.appealDecision ? (
                <>
                  <div>
                    <dt>{t('integrityHr.record.decision')}</dt>
                    <dd>
                      {t(`integrityHr.record.decision.${r.appealDecision}`)}
                      {r.appealDecidedAt ? ` · ${formatDate(lang, r.appealDecidedAt, 'date')}` : ''}
                    </dd>
                  </div>
                  <div>
                    <dt>{t('integrityHr.record.decisionReason')}</dt>
                    <dd>{r.appealReason ?? '—'}</dd>
                  </div>
                </>
              ) : null}
            </dl>
          ) : (
            <p className="muted">{t('integrityHr.record.noAppeal')}</p>
          )}
        </section>
      ) : null}

      {r.status === 'proposed' || (awaitingAppeal && province) ? (
        <section className="panel" aria-labelledby="actions-title">
          <h2 id="actions-title">{t('integrityHr.record.actions')}</h2>
          {r.status === 'proposed' && mine ? <p className="muted">{t('integrityHr.record.ownFinding')}</p> : null}
          <div className="row-actions">
            {r.status === 'proposed' && !mine ? (
              <Confirm
                variant="button"
                tone="primary"
                label={t('integrityHr.confirm')}
                title={t('integrityHr.confirm.title')}
                body={<p>{t('integrityHr.confirm.body', { years: recordYears })}</p>}
                confirmLabel={t('integrityHr.confirm.submit')}
                intent="confirm"
                busy={busy}
              />
            ) : null}
            {r.status === 'proposed' ? (
              <ReasonAction intent="cancel" lastResult={lastFor('cancel')} busy={busy} />
            ) : (
              <>
                <ReasonAction intent="uphold" lastResult={lastFor('uphold')} busy={busy} />
                <ReasonAction intent="withdraw" lastResult={lastFor('withdraw')} busy={busy} />
              </>
            )}
          </div>
        </section>
      ) : null}
    </>
  )
}

/** An action with a reason (cancel a finding, uphold or withdraw on appeal): asks first; open again when the reason was refused. */
function ReasonAction({
  intent,
  lastResult,
  busy,
}: {
  intent: 'cancel' | 'uphold' | 'withdraw'
  lastResult: SubmissionResult | undefined
  busy: boolean
}) {
  const t = useT()
  const [form, fields] = useForm<{ intent: string; reason: string }>({ id: `record-${intent}`, lastResult })
  return (
    <Confirm
      variant="button-secondary"
      tone={intent === 'uphold' ? 'primary' : 'danger'}
      label={t(`integrityHr.${intent}`)}
      title={t(`integrityHr.${intent}.title`)}
      body={<p>{t(`integrityHr.${intent}.body`)}</p>}
      confirmLabel={t(`integrityHr.${intent}.submit`)}
      intent={intent}
      formProps={getFormProps(form)}
      defaultOpen={Boolean(fields.reason.errors)}
      busy={busy}
    >
      <TextField meta={fields.reason} label={t('integrityHr.reason')} required maxLength={1000} />
    </Confirm>
  )
}
