import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireHr } from '#app/auth/hr.server.ts'
import { categoryLabel } from '#app/components/category.ts'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { reportsForHr } from '#app/domain/reports/review.server.ts'
import { ACTIVITY_STATES, type ReportFilter } from '#app/domain/reports/review.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('reviews.title')

const FILTERS: readonly ReportFilter[] = [...ACTIVITY_STATES, 'all']

export async function loader({ request }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const asked = new URL(request.url).searchParams.get('state')
  const filter = FILTERS.find((s) => s === asked) ?? 'reported'
  const rows = await reportsForHr(getDb(), hr.scopeRegion, filter)
  return {
    scope: hr.scopeRegion,
    filter,
    reports: rows.map((r) => ({
      id: r.id,
      title: r.title,
      category: r.category,
      startDate: r.start_date,
      endDate: r.end_date,
      reportDue: r.report_due,
      state: r.state,
      reportedOn: r.first_reported_on,
      late: r.late === true,
      baseId: r.base_id,
      baseName: r.base_name,
      region: r.region_code,
      credited: r.credited,
    })),
  }
}

export default function HrReports() {
  const { scope, filter, reports } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  type Row = (typeof reports)[number]
  const columns: Column<Row>[] = [
    {
      key: 'activity',
      header: t('reviews.col.activity'),
      rowHeader: true,
      width: '30%',
      cell: (r) => (
        <>
          <Link to={`/hr/reports/${r.id}`}>{r.title}</Link>
          <div className="small muted">{categoryLabel(r.category, t)}</div>
        </>
      ),
    },
    {
      key: 'base',
      header: t('reviews.col.base'),
      cell: (r) => (
        <>
          {r.baseName}
          <div className="small muted">{regionName(r.region, lang)}</div>
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
          <div className="small muted">{t('reviews.due', { date: formatDate(lang, r.reportDue, 'day') })}</div>
        </>
      ),
    },
    { key: 'credited', header: t('reviews.col.credited'), numeric: true, cell: (r) => r.credited },
    {
      key: 'state',
      header: t('reviews.col.state'),
      main: true,
      cell: (r) => (
        <>
          {t(`reviews.state.${r.state}`)}
          {r.late ? (
            <>
              {' '}
              <span className="badge badge-rectification">{t('reviews.late')}</span>
            </>
          ) : null}
          {r.reportedOn ? (
            <div className="small muted">{t('reviews.reportedOn', { date: formatDate(lang, r.reportedOn, 'day') })}</div>
          ) : null}
        </>
      ),
    },
  ]
  return (
    <>
      <p className="small">
        <Link to="/hr">← {t('hr.title')}</Link>
      </p>
      <h1>{t('reviews.title')}</h1>
      <p className="lead">{t('reviews.lead', { region: regionName(scope, lang) })}</p>
      <nav aria-label={t('reviews.filter')} className="year-picker">
        {FILTERS.map((s) =>
          s === filter ? (
            <strong key={s} aria-current="page">
              {t(`reviews.filter.${s}`)}
            </strong>
          ) : (
            <Link key={s} to={`?state=${s}`}>
              {t(`reviews.filter.${s}`)}
            </Link>
          ),
        )}
      </nav>
      {reports.length === 0 ? (
        <p className="muted">{t('reviews.none')}</p>
      ) : (
        <DataTable caption={t('reviews.title')} columns={columns} rows={reports} rowKey={(r) => r.id} />
      )}
    </>
  )
}
