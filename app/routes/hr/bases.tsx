import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireHr } from '#app/auth/hr.server.ts'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { applicationsAwaiting } from '#app/domain/bases/applications.server.ts'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { basesForHr } from '#app/domain/bases/registry.server.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { isProvinceScope } from '#app/domain/shared/scope.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

import { hrActor } from './bases-helpers.server.ts'

export const meta = pageTitle('hrBases.title')

const STATUS_ORDER = ['approved', 'designated', 'rectification', 'revoked', 'rejected', 'applied'] as const

export async function loader({ request }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const today = chinaDay()
  const [bases, awaiting] = await Promise.all([
    basesForHr(getDb(), hr.scopeRegion, { on: today }),
    applicationsAwaiting(getDb(), hrActor(hr)),
  ])
  const rows = bases.map((b) => ({
    id: b.id,
    name: b.name,
    region: b.region_code,
    status: b.status,
    termEnd: b.term_end,
    revokedOn: b.revoked_on,
    caseDeadline: b.case_deadline,
    caseAnswered: b.case_answered_at !== null,
    overdue: b.case_id !== null && Boolean(b.case_overdue),
    nameChangePending: Boolean(b.name_change_pending),
  }))
  const apps = awaiting.map((a) => ({
    id: a.id,
    name: a.institution_name,
    creditCode: a.credit_code,
    region: a.region_code,
    state: a.state,
    submittedAt: a.submitted_at ? new Date(a.submitted_at).toISOString() : null,
    updatedAt: new Date(a.updated_at).toISOString(),
  }))
  return {
    scope: hr.scopeRegion,
    today,
    province: isProvinceScope(hr.scopeRegion),
    awaiting: apps.filter((a) => a.state === 'submitted'),
    // Forwarded applications await the province's decision (only province-scope HR is given them).
    toDecide: apps.filter((a) => a.state === 'forwarded'),
    overdue: rows.filter((r) => r.overdue),
    nameChanges: rows.filter((r) => r.nameChangePending),
    groups: STATUS_ORDER.map((status) => ({ status, bases: rows.filter((r) => r.status === status) })).filter((g) => g.bases.length > 0),
  }
}

export default function HrBases() {
  const { scope, province, awaiting, toDecide, overdue, groups, nameChanges } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  type App = (typeof awaiting)[number]
  type Base = (typeof groups)[number]['bases'][number]
  const appColumns: Column<App>[] = [
    {
      key: 'name',
      header: t('hrBases.col.institution'),
      rowHeader: true,
      cell: (a) => (
        <>
          <Link to={`/hr/bases/applications/${a.id}`}>{a.name}</Link>
          <div className="small mono">{a.creditCode}</div>
        </>
      ),
    },
    { key: 'region', header: t('base.region'), cell: (a) => regionName(a.region, lang) },
    { key: 'state', header: t('base.status'), cell: (a) => t.issue(`baseFlow.state.${a.state}`) },
    { key: 'submitted', header: t('hrBases.col.submitted'), cell: (a) => (a.submittedAt ? formatDate(lang, a.submittedAt, 'date') : '—') },
  ]
  const decideColumns: Column<App>[] = [
    ...appColumns.filter((c) => c.key !== 'state' && c.key !== 'submitted'),
    { key: 'forwarded', header: t('adminBases.col.forwarded'), cell: (a) => formatDate(lang, a.updatedAt, 'date') },
  ]
  const baseColumns: Column<Base>[] = [
    {
      key: 'name',
      header: t('base.name'),
      rowHeader: true,
      cell: (b) => (
        <>
          <Link to={`/hr/bases/${b.id}`}>{b.name}</Link>
          {b.nameChangePending ? <div className="small">{t('baseProfile.hr.awaiting.item')}</div> : null}
        </>
      ),
    },
    { key: 'region', header: t('base.region'), cell: (b) => regionName(b.region, lang) },
    { key: 'term', header: t('baseFlow.termEnd'), cell: (b) => (b.termEnd ? formatDate(lang, b.termEnd, 'day') : '—') },
    {
      key: 'case',
      header: t('hrBases.col.case'),
      cell: (b) =>
        b.caseDeadline ? (
          <>
            {t('baseFlow.deadline', { date: formatDate(lang, b.caseDeadline, 'day') })}
            <div className="small muted">{t(b.caseAnswered ? 'hrBases.case.answered' : 'hrBases.case.waiting')}</div>
          </>
        ) : b.revokedOn ? (
          t('baseFlow.revokedFrom', { date: formatDate(lang, b.revokedOn, 'day') })
        ) : (
          '—'
        ),
    },
  ]
  return (
    <>
      <p className="small">
        <Link to="/hr">← {t('hr.title')}</Link>
      </p>
      <h1>{t('hrBases.title')}</h1>
      <p className="lead">{t('hrBases.lead', { region: regionName(scope, lang) })}</p>

      <section className="panel" aria-labelledby="awaiting">
        <h2 id="awaiting">{t('hrBases.awaiting')}</h2>
        {awaiting.length === 0 ? (
          <p className="muted">{t('hrBases.awaiting.none')}</p>
        ) : (
          <DataTable caption={t('hrBases.awaiting')} columns={appColumns} rows={awaiting} rowKey={(a) => a.id} />
        )}
        {nameChanges.length > 0 ? (
          <>
            <h3>{t('baseProfile.hr.awaiting')}</h3>
            <ul>
              {nameChanges.map((b) => (
                <li key={b.id}>
                  <Link to={`/hr/bases/${b.id}`}>{b.name}</Link> · {t('baseProfile.hr.awaiting.item')}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      {province ? (
        <section className="panel" aria-labelledby="to-decide">
          <h2 id="to-decide">{t('hrBases.toDecide')}</h2>
          {toDecide.length === 0 ? (
            <p className="muted">{t('hrBases.toDecide.none')}</p>
          ) : (
            <DataTable caption={t('hrBases.toDecide')} columns={decideColumns} rows={toDecide} rowKey={(a) => a.id} />
          )}
        </section>
      ) : null}

      <section className="panel" aria-labelledby="overdue">
        <h2 id="overdue">{t('hrBases.overdue')}</h2>
        {overdue.length === 0 ? (
          <p className="muted">{t('hrBases.overdue.none')}</p>
        ) : (
          <ul>
            {overdue.map((b) => (
              <li key={b.id}>
                <Link to={`/hr/bases/${b.id}`}>{b.name}</Link> ·{' '}
                {t('baseFlow.deadline', { date: b.caseDeadline ? formatDate(lang, b.caseDeadline, 'day') : '—' })} ·{' '}
                {t(b.caseAnswered ? 'hrBases.case.answered' : 'hrBases.case.waiting')}
              </li>
            ))}
          </ul>
        )}
      </section>

      {groups.length === 0 ? <p className="muted">{t('hrBases.none')}</p> : null}
      {groups.map((g) => (
        <section key={g.status} aria-labelledby={`status-${g.status}`}>
          <h2 id={`status-${g.status}`}>
            {t(`base.status.${g.status}`)} ({g.bases.length})
          </h2>
          <DataTable caption={t(`base.status.${g.status}`)} columns={baseColumns} rows={g.bases} rowKey={(b) => b.id} />
        </section>
      ))}
    </>
  )
}
