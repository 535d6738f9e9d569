import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireHr } from '#app/auth/hr.server.ts'
import { PackageStatsView, SurveyResultsView } from '#app/components/seminars/package-stats.tsx'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { packageDraft, packageDueOn, packageOf, packageStatus, seminarForHr } from '#app/domain/seminars/package.server.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /hr/seminars/:seminarId: one seminar of a base in the officer's region, its post-event
// package read-only (or, before it is submitted, what the platform assembles now), with the
// survey results under the same threshold as everyone else.
export const meta = pageTitle('seminarPackage.title')

export async function loader({ request, params }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const raw = params.seminarId ?? ''
  if (!/^\d{1,12}$/.test(raw)) throw new Response('Not Found', { status: 404 })
  const db = getDb()
  // Outside the officer's region a seminar does not exist for them.
  const s = await seminarForHr(db, hr, Number(raw))
  if (!s) throw new Response('Not Found', { status: 404 })
  const today = chinaDay()
  const pkg = await packageOf(db, s.id)
  const dueOn = pkg?.due_on ?? packageDueOn(s)
  return {
    seminar: { id: s.id, title: s.title, startDate: s.start_date, endDate: s.end_date, baseId: s.base_id, baseName: s.base_name },
    dueOn,
    status: packageStatus({ end_date: s.end_date, due_on: dueOn }, pkg, today),
    submitted: pkg && { summary: pkg.summary, submittedAt: new Date(pkg.submitted_at).toISOString(), late: pkg.late },
    stats: pkg?.stats ?? (await packageDraft(db, s.id)),
  }
}

export default function HrSeminar() {
  const { seminar, dueOn, status, submitted, stats } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  const day = (d: string) => formatDate(lang, d, 'day')
  return (
    <>
      <p className="small">
        <Link to="/hr/seminars">← {t('seminarPackage.hr.back')}</Link>
      </p>
      <h1>{seminar.title}</h1>
      <p className="lead">
        <Link to={`/hr/bases/${seminar.baseId}`}>{seminar.baseName}</Link> · {day(seminar.startDate)} – {day(seminar.endDate)}
      </p>

      <section className="panel" aria-labelledby="hr-package">
        <h2 id="hr-package">{t('seminarPackage.title')}</h2>
        <p>
          {t('seminarPackage.col.due')}：{day(dueOn)} · <strong>{t(`seminarPackage.status.${status}`)}</strong>
        </p>
        {submitted ? (
          <>
            <p>{t('seminarPackage.submittedOn', { date: formatDate(lang, submitted.submittedAt, 'dateTime') })}</p>
            <h3>{t('seminarPackage.summary')}</h3>
            <p className="prewrap">{submitted.summary}</p>
          </>
        ) : (
          <p className="muted">{t('seminarPackage.hr.notSubmitted')}</p>
        )}
      </section>

      {stats ? (
        <>
          <section className="panel" aria-labelledby="hr-package-stats">
            <h2 id="hr-package-stats">{t('seminarPackage.stats.heading')}</h2>
            <p className="small muted">{submitted ? t('seminarPackage.snapshot') : t('seminarPackage.hr.draft')}</p>
            <PackageStatsView stats={stats} t={t} lang={lang} />
          </section>
          <section className="panel" aria-labelledby="hr-package-survey">
            <h2 id="hr-package-survey">{t('seminarSurvey.results.heading')}</h2>
            <SurveyResultsView survey={stats.survey} t={t} lang={lang} />
          </section>
        </>
      ) : null}
    </>
  )
}
