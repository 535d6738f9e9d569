import type { PackageStats, PackageStatus, SurveyResults } from '#app/domain/seminars/package.ts'
import { formatDate, formatHours, type Lang, type MessageKey, type T } from '#app/i18n/index.ts'

/** Survey results as host staff and HR see them: below the threshold, only the count. */
export function SurveyResultsView({ survey, t, lang }: { survey: SurveyResults; t: T; lang: Lang }) {
  if (!survey.shown) return <p>{t('seminarSurvey.results.hidden', { count: survey.count, min: survey.min })}</p>
  return (
    <>
      <p>{t('seminarSurvey.results.count', { count: survey.count })}</p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('seminarSurvey.results.question')}</th>
            <th scope="col">{t('seminarSurvey.results.average')}</th>
            <th scope="col">{t('seminarSurvey.results.distribution')}</th>
          </tr>
        </thead>
        <tbody>
          {survey.ratings.map((r) => (
            <tr key={r.id}>
              <th scope="row">{lang === 'en' ? r.en : r.zh}</th>
              <td>{r.average}</td>
              <td>{r.distribution.join(' / ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('seminarSurvey.results.comments')}</h3>
      {survey.comments.length === 0 ? (
        <p className="muted">{t('seminarSurvey.results.noComments')}</p>
      ) : (
        <ul>
          {survey.comments.map((c, i) => (
            // Comments carry no identity; their position is random, so the index is a fine key.
            <li key={i}>{c}</li>
          ))}
        </ul>
      )}
    </>
  )
}

/** The statistics the platform assembles for a post-event package (or its stored snapshot). */
export function PackageStatsView({ stats, t, lang }: { stats: PackageStats; t: T; lang: Lang }) {
  const regs = Object.entries(stats.registrations)
  return (
    <>
      <dl className="facts">
        <div>
          <dt>{t('seminarPackage.stats.registrations')}</dt>
          <dd>
            {regs.length === 0
              ? t('seminarPackage.stats.none')
              : regs.map(([status, n]) => `${t(`seminarPackage.reg.${status}` as MessageKey)} ${n}`).join('，')}
          </dd>
        </div>
        <div>
          <dt>{t('seminarPackage.stats.participants')}</dt>
          <dd>{stats.participants}</dd>
        </div>
        <div>
          <dt>{t('seminarPackage.stats.completed')}</dt>
          <dd>{stats.completed}</dd>
        </div>
        <div>
          <dt>{t('seminarPackage.stats.hours')}</dt>
          <dd>{formatHours(stats.hoursCredited)}</dd>
        </div>
      </dl>
      <h3>{t('seminarPackage.stats.blocks')}</h3>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('seminarPackage.stats.block')}</th>
            <th scope="col">{t('seminarPackage.stats.signedIn')}</th>
            <th scope="col">{t('seminarPackage.stats.attended')}</th>
          </tr>
        </thead>
        <tbody>
          {stats.blocks.map((b) => (
            <tr key={b.id}>
              <th scope="row">
                {formatDate(lang, b.startsAt, 'dateTime')} – {formatDate(lang, b.endsAt, 'time')}
              </th>
              <td>{b.signedIn}</td>
              <td>{b.attended}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

type PackageRow = { id: number; title: string; dueOn: string; submittedAt: string | null; status: PackageStatus }

/** A base's seminars with their package's due day, submission and status (late is recorded against the base). */
export function BasePackagesTable({ rows, t, lang, href }: { rows: PackageRow[]; t: T; lang: Lang; href: (id: number) => string }) {
  if (rows.length === 0) return <p className="muted">{t('seminarPackage.base.empty')}</p>
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">{t('seminarPackage.col.seminar')}</th>
          <th scope="col">{t('seminarPackage.col.due')}</th>
          <th scope="col">{t('seminarPackage.col.submitted')}</th>
          <th scope="col">{t('seminarPackage.col.status')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <th scope="row">
              <a href={href(r.id)}>{r.title}</a>
            </th>
            <td>{formatDate(lang, r.dueOn, 'day')}</td>
            <td>{r.submittedAt ? formatDate(lang, r.submittedAt, 'dateTime') : '—'}</td>
            <td>
              {r.status === 'overdue' || r.status === 'submitted_late' ? (
                <strong>{t(`seminarPackage.status.${r.status}`)}</strong>
              ) : (
                t(`seminarPackage.status.${r.status}`)
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
