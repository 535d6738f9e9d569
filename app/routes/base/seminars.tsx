import { type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireBaseStaff } from '#app/auth/auth.server.ts'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { hostSeminars } from '#app/domain/seminars/checkin.server.ts'
import { formatDate, formatHours, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /base/seminars: the advanced seminars (高级研修班) this base hosts, with their rosters' size.
export const meta = pageTitle('seminarHost.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireBaseStaff(request)
  // Always the signed-in staff member's own base.
  const rows = await hostSeminars(getDb(), user.baseId)
  return {
    seminars: rows.map((s) => ({
      id: s.id,
      title: s.title,
      level: s.level,
      startDate: s.start_date,
      endDate: s.end_date,
      venue: s.venue,
      status: s.status,
      capacity: s.capacity,
      hours: s.declared_hours,
      confirmed: s.confirmed,
      waitlisted: s.waitlisted,
      finalised: s.finalised_at !== null,
    })),
  }
}

export default function BaseSeminars() {
  const { seminars } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  const day = (d: string) => formatDate(lang, d, 'day')
  type Row = (typeof seminars)[number]
  const columns: Column<Row>[] = [
    {
      key: 'title',
      header: t('seminars.col.title'),
      rowHeader: true,
      cell: (s) => (
        <>
          <Link to={`/base/seminars/${s.id}`}>{s.title}</Link> <span className="small muted">{t(`seminars.level.${s.level}`)}</span>
          <div className="small muted">{s.venue}</div>
        </>
      ),
    },
    { key: 'dates', header: t('seminars.col.dates'), cell: (s) => `${day(s.startDate)} – ${day(s.endDate)}` },
    { key: 'hours', header: t('seminars.col.hours'), numeric: true, width: '5rem', cell: (s) => formatHours(s.hours) },
    {
      key: 'people',
      header: t('seminarHost.col.people'),
      cell: (s) => t('seminarHost.people', { confirmed: s.confirmed, capacity: s.capacity, waitlisted: s.waitlisted }),
    },
    {
      key: 'status',
      header: t('seminars.col.status'),
      cell: (s) => (
        <>
          {t(`seminars.status.${s.status}`)}
          {s.finalised ? (
            <>
              {' '}
              <span className="badge badge-designated">{t('seminarHost.finalised')}</span>
            </>
          ) : null}
        </>
      ),
    },
    {
      key: 'open',
      header: t('seminarHost.col.open'),
      main: true,
      cell: (s) => (
        <Link to={`/base/seminars/${s.id}`} aria-label={t('seminarHost.open.label', { title: s.title })}>
          {t('seminarHost.open')}
        </Link>
      ),
    },
  ]
  return (
    <>
      <p className="small">
        <Link to="/base">← {t('base.title')}</Link>
      </p>
      <h1>{t('seminarHost.title')}</h1>
      <p className="lead">{t('seminarHost.lead')}</p>
      <section className="panel" aria-labelledby="host-seminars">
        <h2 id="host-seminars">{t('seminarHost.list')}</h2>
        {seminars.length === 0 ? (
          <p className="muted">{t('seminarHost.none')}</p>
        ) : (
          <DataTable columns={columns} rows={seminars} rowKey={(s) => s.id} caption={t('seminarHost.list')} />
        )}
      </section>
    </>
  )
}
