import { DataTable } from '#app/components/ui/data-table.tsx'
import type { PackageStats, PackageStatus, SurveyResults } from '#app/domain/seminars/package.ts'
import { formatDate, formatHours, type Lang, type MessageKey, type T } from '#app/i18n/index.ts'

/** Survey results as host staff and HR see them: below the threshold, only the count. */
export function SurveyResultsView({ survey, t, lang }: { survey: SurveyResults; t: T; lang: Lang }) {
  if (!survey.shown) return <p>{t('seminarSurvey.results.hidden', { count: survey.count, min: survey.min })}</p>
  return (
    <>
      <p>{t('seminarSurvey.results.count', { count: survey.count })}</p>
      <DataTable
        columns={[
          { key: 'question', header: t('seminarSurvey.results.question'), rowHeader: true, cell: (r) => (lang === 'en' ? r.en : r.zh) },
          { key: 'average', header: t('seminarSurvey.results.average'), numeric: true, cell: (r) => r.average },
          { key: 'distribution', header: t('seminarSurvey.results.distribution'), nowrap: true, cell: (r) => r.distribution.join(' / ') },
        ]}
        rows={survey.ratings}
        rowKey={(r) => r.id}
      />
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
      <DataTable
        columns={[
          {
            key: 'block',
            header: t('seminarPackage.stats.block'),
            rowHeader: true,
            cell: (b) => `${formatDate(lang, b.startsAt, 'dateTime')} – ${formatDate(lang, b.endsAt, 'time')}`,
          },
          { key: 'signedIn', header: t('seminarPackage.stats.signedIn'), numeric: true, cell: (b) => b.signedIn },
          { key: 'attended', header: t('seminarPackage.stats.attended'), numeric: true, cell: (b) => b.attended },
        ]}
        rows={stats.blocks}
        rowKey={(b) => b.id}
      />
    </>
  )
}

type PackageRow = { id: number; title: string; dueOn: string; submittedAt: string | null; status: PackageStatus }

/** A base's seminars with their package's due day, submission and status (late is recorded against the base). */
export function BasePackagesTable({ rows, t, lang, href }: { rows: PackageRow[]; t: T; lang: Lang; href: (id: number) => string }) {
  if (rows.length === 0) return <p className="muted">{t('seminarPackage.base.empty')}</p>
  return (
    <DataTable
      columns={[
        { key: 'seminar', header: t('seminarPackage.col.seminar'), rowHeader: true, cell: (r) => <a href={href(r.id)}>{r.title}</a> },
        { key: 'due', header: t('seminarPackage.col.due'), nowrap: true, cell: (r) => formatDate(lang, r.dueOn, 'day') },
        {
          key: 'submitted',
          header: t('seminarPackage.col.submitted'),
          cell: (r) => (r.submittedAt ? formatDate(lang, r.submittedAt, 'dateTime') : '—'),
        },
        {
          key: 'status',
          header: t('seminarPackage.col.status'),
          cell: (r) =>
            r.status === 'overdue' || r.status === 'submitted_late' ? (
              <strong>{t(`seminarPackage.status.${r.status}`)}</strong>
            ) : (
              t(`seminarPackage.status.${r.status}`)
            ),
        },
      ]}
      rows={rows}
      rowKey={(r) => r.id}
    />
  )
}
