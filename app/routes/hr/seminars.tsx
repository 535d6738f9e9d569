import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireHr } from '#app/auth/hr.server.ts'
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
  return (
    <>
      <h1>{t('seminarPackage.hr.title')}</h1>
      <p className="lead">{t('seminarPackage.hr.lead', { region: regionName(scope, lang) })}</p>
      {seminars.length === 0 ? (
        <p className="muted">{t('seminarPackage.hr.empty')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('seminarPackage.col.seminar')}</th>
              <th scope="col">{t('seminarPackage.col.base')}</th>
              <th scope="col">{t('seminarPackage.col.dates')}</th>
              <th scope="col">{t('seminarPackage.col.due')}</th>
              <th scope="col">{t('seminarPackage.col.submitted')}</th>
              <th scope="col">{t('seminarPackage.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {seminars.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <Link to={`/hr/seminars/${s.id}`}>{s.title}</Link>
                </th>
                <td>
                  <Link to={`/hr/bases/${s.baseId}`}>{s.baseName}</Link>
                  <div className="small muted">{regionName(s.regionCode, lang)}</div>
                </td>
                <td>
                  {day(s.startDate)} – {day(s.endDate)}
                </td>
                <td>{day(s.dueOn)}</td>
                <td>{s.submittedAt ? formatDate(lang, s.submittedAt, 'dateTime') : '—'}</td>
                <td>
                  {s.status === 'overdue' || s.status === 'submitted_late' ? (
                    <strong>{t(`seminarPackage.status.${s.status}`)}</strong>
                  ) : (
                    t(`seminarPackage.status.${s.status}`)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
