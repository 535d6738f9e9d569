import { Link } from '@remix-run/react'

import { fromCents, toCents } from '#app/domain/shared/decimal.ts'
import { useT } from '#app/i18n/index.ts'

/**
 * A reminder campaign's notice (kind `compliance.reminder`) as the learner reads it on /account,
 * and as the officer previews it: the officer's title and message, the learner's own gap in the
 * campaign's CE year, and what to do next. `gap` undefined: a preview (no particular learner).
 */
export type ReminderGapView = { met: boolean; shortProfessional: string; shortPublic: string; shortTotal: string }

export function ReminderNotice({
  title,
  message,
  year,
  gap,
}: {
  title: string
  message: string
  year: number
  gap?: ReminderGapView | null
}) {
  const t = useT()
  return (
    <div className="stack">
      <strong>{title}</strong>
      <p style={{ whiteSpace: 'pre-line' }}>{message}</p>
      {gap === undefined ? (
        <p className="muted small">{t('complianceCampaigns.notice.gapPreview', { year })}</p>
      ) : gap === null ? null : gap.met ? (
        <p className="small">{t('complianceCampaigns.notice.met', { year })}</p>
      ) : (
        <p className="small">
          {t('complianceCampaigns.notice.gap', {
            year,
            // What it takes: the total's gap or the categories' together, whichever is more.
            total: fromCents(Math.max(toCents(gap.shortTotal), toCents(gap.shortProfessional) + toCents(gap.shortPublic))),
            professional: gap.shortProfessional,
            public: gap.shortPublic,
          })}
        </p>
      )}
      <p className="small">
        {t('complianceCampaigns.notice.next')}
        {t('common.colon')}
        <Link to={`/hours?year=${year}`}>{t('complianceCampaigns.notice.myHours')}</Link> ·{' '}
        <Link to="/courses">{t('complianceCampaigns.notice.courses')}</Link> ·{' '}
        <Link to="/seminars">{t('complianceCampaigns.notice.seminars')}</Link> ·{' '}
        <Link to="/hours/external">{t('complianceCampaigns.notice.claims')}</Link>
      </p>
    </div>
  )
}
