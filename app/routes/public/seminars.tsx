import type { HeadersFunction, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'

import { SeatList } from '#app/components/seminars/seats.tsx'
import { listSeminars } from '#app/domain/seminars/plan.server.ts'
import { publicSeats } from '#app/domain/seminars/quotas.ts'
import { formatDate, formatHours, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /seminars: the published advanced seminars (高级研修班), searchable by title. Public data,
// shared caches may keep it a minute (seats left change: the seminar's own page is the truth).
export const meta = pageTitle('seminars.title')
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'public, max-age=60' })

export async function loader({ request }: LoaderFunctionArgs) {
  const q = (new URL(request.url).searchParams.get('q') ?? '').trim().slice(0, 100)
  const now = new Date()
  const rows = await listSeminars(getDb(), { q: q || undefined, publicOnly: true })
  return {
    q,
    seminars: rows.map((s) => {
      const seats = publicSeats(s.quotas, now)
      return {
        id: s.id,
        title: s.title,
        level: s.level,
        host: s.host_name,
        startDate: s.start_date,
        endDate: s.end_date,
        venue: s.venue,
        hours: s.declared_hours,
        seats: { ...seats, scoped: seats.scoped.map((x) => ({ ...x, releaseAt: x.releaseAt?.toISOString() ?? null })) },
      }
    }),
  }
}

export default function Seminars() {
  const { q, seminars } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  const day = (d: string) => formatDate(lang, d, 'day')
  return (
    <>
      <h1>{t('seminars.title')}</h1>
      <p className="lead">{t('seminars.lead')}</p>
      <Form method="get" className="filters" role="search" aria-label={t('seminars.search')}>
        <div className="field">
          <label htmlFor="seminars-q">{t('seminars.search')}</label>
          <input id="seminars-q" type="search" name="q" defaultValue={q} placeholder={t('seminars.q')} maxLength={100} />
        </div>
        <button type="submit" className="button">
          {t('seminars.filter')}
        </button>
      </Form>
      {seminars.length === 0 ? (
        <p className="muted">{t('seminars.none')}</p>
      ) : (
        <div className="cards">
          {seminars.map((s) => (
            <article key={s.id} className="card" aria-labelledby={`seminar-${s.id}`}>
              <h2 id={`seminar-${s.id}`}>
                <Link to={`/seminars/${s.id}`}>{s.title}</Link>
              </h2>
              <p className="small">
                <span className="badge">{t(`seminars.level.${s.level}`)}</span> {s.host}
              </p>
              <dl className="facts">
                <div>
                  <dt>{t('seminars.col.dates')}</dt>
                  <dd>
                    {day(s.startDate)} – {day(s.endDate)}
                  </dd>
                </div>
                <div>
                  <dt>{t('seminars.col.venue')}</dt>
                  <dd>{s.venue}</dd>
                </div>
                <div>
                  <dt>{t('seminars.col.hours')}</dt>
                  <dd>{formatHours(s.hours)}</dd>
                </div>
                <div>
                  <dt>{t('seminars.col.seats')}</dt>
                  <dd>
                    <SeatList seats={s.seats} t={t} lang={lang} />
                  </dd>
                </div>
              </dl>
            </article>
          ))}
        </div>
      )}
    </>
  )
}
