import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'

import { requireHr } from '#app/auth/hr.server.ts'
import { FormAlert } from '#app/components/form.tsx'
import { ReminderNotice } from '#app/components/reminder-notice.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { CampaignActionSchema } from '#app/domain/compliance/campaigns.schema.ts'
import { campaignStats, employerNames, getCampaign, previewCampaign, sendCampaign } from '#app/domain/compliance/campaigns.server.ts'
import { filterToParams } from '#app/domain/compliance/filter.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { formatDate, type MessageKey, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

import { filterSummary } from './compliance-campaign-helpers.ts'

export const meta = pageTitle('complianceCampaigns.campaign.title')

function campaignIdOf(params: { campaignId?: string }): number {
  const id = params.campaignId ?? ''
  if (!/^[1-9]\d{0,17}$/.test(id)) throw new Response('Not Found', { status: 404 })
  return Number(id)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const db = getDb()
  const id = campaignIdOf(params)
  // Another scope's campaign does not exist for this officer.
  const c = await getCampaign(db, hr.scopeRegion, id)
  if (!c) throw new Response('Not Found', { status: 404 })
  const [preview, stats, names] = await Promise.all([
    c.status === 'draft' ? previewCampaign(db, hr.scopeRegion, id) : null,
    c.status === 'draft' ? null : campaignStats(db, hr.scopeRegion, id),
    employerNames(db, c.filter.employer ? [c.filter.employer] : []),
  ])
  return {
    campaign: {
      id: c.id,
      title: c.title,
      message: c.message,
      year: c.filter.year,
      filter: Object.fromEntries(filterToParams(c.filter)),
      employerName: c.filter.employer ? (names.get(c.filter.employer) ?? null) : null,
      status: c.status,
      recipientsTotal: c.recipients_total,
      createdAt: c.created_at.toISOString(),
      sentAt: c.sent_at?.toISOString() ?? null,
      finishedAt: c.finished_at?.toISOString() ?? null,
    },
    preview: preview?.ok ? { count: preview.count, matching: preview.matching, sample: preview.sample } : null,
    stats,
  }
}

type ActionData = { error: MessageKey }

const REFUSAL_STATUS: Record<string, number> = { already_sent: 409, no_recipients: 409, year_not_covered: 409, region_out_of_scope: 403 }

export async function action({ request, params }: ActionFunctionArgs) {
  const hr = await requireHr(request)
  const id = campaignIdOf(params)
  const db = getDb()
  if (!(await getCampaign(db, hr.scopeRegion, id))) throw new Response('Not Found', { status: 404 })
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: CampaignActionSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data<ActionData>({ error: 'complianceCampaigns.err.bad_intent' }, { status: 400 })
  // Sending cannot be undone: without the confirmation step nothing changes.
  if (!isConfirmed(formData)) return data<ActionData>({ error: 'complianceCampaigns.err.confirm' }, { status: 400 })
  const sent = await sendCampaign(db, hr, id)
  if (!sent.ok) {
    if (sent.code === 'not_found') throw new Response('Not Found', { status: 404 })
    return data<ActionData>({ error: `complianceCampaigns.err.${sent.code}` }, { status: REFUSAL_STATUS[sent.code] ?? 400 })
  }
  return redirect(`/hr/compliance/campaigns/${id}`)
}

/** While the worker delivers, the figures are looked at again every few seconds. */
function useRefreshWhile(active: boolean) {
  const { revalidate, state } = useRevalidator()
  useEffect(() => {
    if (!active) return
    const timer = setInterval(() => {
      if (state === 'idle') revalidate()
    }, 3000)
    return () => clearInterval(timer)
  }, [active, revalidate, state])
}

export default function HrComplianceCampaign() {
  const { campaign: c, preview, stats } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  useRefreshWhile(c.status === 'sending')
  type Person = NonNullable<typeof preview>['sample'][number]
  const columns: Column<Person>[] = [
    { key: 'name', header: t('complianceCampaigns.col.name'), rowHeader: true, cell: (p) => p.name },
    {
      key: 'id',
      header: t('complianceCampaigns.col.idNumber'),
      nowrap: true,
      cell: (p) => <span className="mono">{p.idNumberMasked}</span>,
    },
    { key: 'region', header: t('complianceCampaigns.col.region'), cell: (p) => regionName(p.regionCode, lang) || '—' },
    {
      key: 'short',
      header: t('complianceCampaigns.col.short'),
      numeric: true,
      cell: (p) => (p.met ? t('complianceCampaigns.met') : p.shortTotal),
    },
  ]
  const delivered = stats?.delivered ?? 0
  const total = c.recipientsTotal ?? 0
  return (
    <>
      <p className="small">
        <Link to="/hr/compliance/campaigns">← {t('complianceCampaigns.title')}</Link>
      </p>
      <h1>{c.title}</h1>
      {actionData ? <FormAlert>{t(actionData.error)}</FormAlert> : null}
      <section className="panel" aria-labelledby="facts-title">
        <h2 id="facts-title">{t('complianceCampaigns.campaign.facts')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('complianceCampaigns.col.filter')}</dt>
            <dd>{filterSummary(c.filter, t, lang, c.employerName)}</dd>
          </div>
          <div>
            <dt>{t('complianceCampaigns.col.status')}</dt>
            <dd>{t(`complianceCampaigns.state.${c.status}` as MessageKey)}</dd>
          </div>
          <div>
            <dt>{t('complianceCampaigns.col.created')}</dt>
            <dd>{formatDate(lang, c.createdAt, 'dateTime')}</dd>
          </div>
          {c.sentAt ? (
            <div>
              <dt>{t('complianceCampaigns.campaign.sentAt')}</dt>
              <dd>{formatDate(lang, c.sentAt, 'dateTime')}</dd>
            </div>
          ) : null}
          {c.finishedAt ? (
            <div>
              <dt>{t('complianceCampaigns.campaign.finishedAt')}</dt>
              <dd>{formatDate(lang, c.finishedAt, 'dateTime')}</dd>
            </div>
          ) : null}
        </dl>
      </section>
      {stats ? (
        <section className="panel" aria-labelledby="progress-title">
          <h2 id="progress-title">{t('complianceCampaigns.campaign.progress')}</h2>
          {c.status === 'sending' ? (
            <p>
              <progress max={total || 1} value={Math.min(delivered, total)} aria-label={t('complianceCampaigns.campaign.progress')} />{' '}
              {t('complianceCampaigns.campaign.delivering', { delivered, total })}
            </p>
          ) : null}
          <dl className="facts">
            <div>
              <dt>{t('complianceCampaigns.col.recipients')}</dt>
              <dd>{total}</dd>
            </div>
            <div>
              <dt>{t('complianceCampaigns.col.delivered')}</dt>
              <dd>{delivered}</dd>
            </div>
            <div>
              <dt>{t('complianceCampaigns.col.read')}</dt>
              <dd>{stats.read}</dd>
            </div>
          </dl>
          <p className="muted small">{t('complianceCampaigns.campaign.whoNote')}</p>
        </section>
      ) : null}
      <section className="panel" aria-labelledby="notice-title">
        <h2 id="notice-title">{t('complianceCampaigns.campaign.asShown')}</h2>
        <div className="notices">
          <ReminderNotice title={c.title} message={c.message} year={c.year} />
        </div>
      </section>
      {preview ? (
        <section className="panel" aria-labelledby="preview-title">
          <h2 id="preview-title">{t('complianceCampaigns.campaign.preview')}</h2>
          <p>{t('complianceCampaigns.campaign.count', { count: preview.count, matching: preview.matching })}</p>
          {preview.sample.length ? (
            <>
              <p className="muted small">{t('complianceCampaigns.campaign.sample', { n: preview.sample.length })}</p>
              <DataTable
                columns={columns}
                rows={preview.sample}
                rowKey={(p) => p.personId}
                caption={t('complianceCampaigns.campaign.preview')}
              />
            </>
          ) : null}
          {preview.count > 0 ? (
            <Confirm
              variant="button"
              tone="primary"
              label={t('complianceCampaigns.send')}
              title={t('complianceCampaigns.send.title')}
              body={<p>{t('complianceCampaigns.send.body', { count: preview.count })}</p>}
              confirmLabel={t('complianceCampaigns.send.confirm')}
              intent="send"
              busy={busy}
            />
          ) : (
            <p className="muted">{t('complianceCampaigns.err.no_recipients')}</p>
          )}
        </section>
      ) : null}
    </>
  )
}
