import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireHr } from '#app/auth/hr.server.ts'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { seminarPackages } from '#app/domain/seminars/package.server.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /hr/seminars: seminars hosted by bases in the officer's region (the province: all) with
// their post-event package's status (due, overdue, submitted on time or late).
export const meta = pageTitle('seminarPackage.hr.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const today = chinaDay()
  return { scope: hr.scopeRegion, seminars: await seminarPackages(getDb(), { scopeRegion: hr.scopeRegion }, today) }
}

export default function HrSeminars() {
  const { scope, seminars } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  const day = (d: string) => formatDate(lang, d, 'day')
  type Row = (typeof seminars)[number]
  const columns: Column<Row>[] = [
    {
      key: 'seminar',
      header: t('seminarPackage.col.seminar'),
      rowHeader: true,
      cell: (s) => <Link to={`/hr/seminars/${s.id}`}>{s.title}</Link>,
    },
    {
      key: 'base',
      header: t('seminarPackage.col.base'),
      cell: (s) => (
        <>
          <Link to={`/hr/bases/${s.baseId}`}>{s.baseName}</Link>
          <div className="small muted">{regionName(s.regionCode, lang)}</div>
        </>
      ),
    },
    { key: 'dates', header: t('seminarPackage.col.dates'), cell: (s) => `${day(s.startDate)} – ${day(s.endDate)}` },
    { key: 'due', header: t('seminarPackage.col.due'), nowrap: true, cell: (s) => day(s.dueOn) },
    {
      key: 'submitted',
      header: t('seminarPackage.col.submitted'),
      cell: (s) => (s.submittedAt ? formatDate(lang, s.submittedAt, 'dateTime') : '—'),
    },
    {
      key: 'status',
      header: t('seminarPackage.col.status'),
      cell: (s) =>
        s.status === 'overdue' || s.status === 'submitted_late' ? (
          <strong>{t(`seminarPackage.status.${s.status}`)}</strong>
        ) : (
          t(`seminarPackage.status.${s.status}`)
        ),
    },
  ]
  return (
    <>
      <p className="small">
        <Link to="/hr">← {t('hr.title')}</Link>
      </p>
      <h1>{t('seminarPackage.hr.title')}</h1>
      <p className="lead">{t('seminarPackage.hr.lead', { region: regionName(scope, lang) })}</p>
      {seminars.length === 0 ? (
        <p className="muted">{t('seminarPackage.hr.empty')}</p>
      ) : (
        <DataTable columns={columns} rows={seminars} rowKey={(s) => s.id} caption={t('seminarPackage.hr.title')} />
      )}
    </>
  )
}
