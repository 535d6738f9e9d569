import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireUser } from '#app/auth/auth.server.ts'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { registrationsOfPerson } from '#app/domain/seminars/plan.server.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /account/seminars: the signed-in person's seminar registrations, with status, place in the
// waiting line and an offer's deadline; each links to the seminar's page, where the buttons are.
export const meta = pageTitle('seminarsMine.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const rows = await registrationsOfPerson(getDb(), user.personId)
  return {
    registrations: rows.map((r) => ({
      id: r.id,
      seminarId: r.seminar_id,
      title: r.title,
      level: r.level,
      startDate: r.start_date,
      endDate: r.end_date,
      venue: r.venue,
      status: r.status,
      position: r.position,
      offerExpiresAt: r.offer_expires_at?.toISOString() ?? null,
      registeredAt: r.created_at.toISOString(),
    })),
  }
}

export default function MySeminars() {
  const { registrations } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  type Row = (typeof registrations)[number]
  const columns: Column<Row>[] = [
    {
      key: 'title',
      header: t('seminars.col.title'),
      rowHeader: true,
      cell: (r) => (
        <>
          <Link to={`/seminars/${r.seminarId}`}>{r.title}</Link> <span className="small muted">{t(`seminars.level.${r.level}`)}</span>
          <div className="small muted">{r.venue}</div>
        </>
      ),
    },
    {
      key: 'dates',
      header: t('seminars.col.dates'),
      nowrap: true,
      cell: (r) => `${formatDate(lang, r.startDate, 'day')} – ${formatDate(lang, r.endDate, 'day')}`,
    },
    {
      key: 'status',
      header: t('seminarsMine.col.status'),
      cell: (r) =>
        t(`seminars.reg.${r.status}`, {
          position: r.position ?? '',
          date: r.offerExpiresAt ? formatDate(lang, r.offerExpiresAt, 'dateTime') : '',
        }),
    },
    {
      key: 'registeredAt',
      header: t('seminarsMine.col.registeredAt'),
      nowrap: true,
      cell: (r) => formatDate(lang, r.registeredAt, 'date'),
    },
  ]
  return (
    <>
      <p className="small">
        <Link to="/account">← {t('nav.account')}</Link>
      </p>
      <h1>{t('seminarsMine.title')}</h1>
      <p className="lead">{t('seminarsMine.lead')}</p>
      {registrations.length === 0 ? (
        <p className="muted">{t('seminarsMine.none')}</p>
      ) : (
        <DataTable columns={columns} rows={registrations} rowKey={(r) => r.id} caption={t('seminarsMine.title')} />
      )}
      <p>
        <Link to="/seminars">{t('seminarsMine.browse')} →</Link>
      </p>
    </>
  )
}
