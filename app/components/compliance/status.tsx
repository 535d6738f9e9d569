import { BACKLOG_CAP } from '#app/domain/compliance/filter.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { formatDate, formatList, useLang, useT } from '#app/i18n/index.ts'

/** When the figures were computed, and how many people are still being recomputed (ADR 0025). */
export function Freshness({ computedAt, backlog }: { computedAt: string | null; backlog: number }) {
  const t = useT()
  const lang = useLang()
  return (
    <p className="small muted" data-testid="computed-at">
      {computedAt ? t('compliance.computedAt', { at: formatDate(lang, computedAt, 'dateTimeSeconds') }) : t('compliance.never')}{' '}
      {backlog > BACKLOG_CAP ? t('compliance.backlogMany') : backlog > 0 ? t('compliance.backlog', { n: backlog }) : null}
    </p>
  )
}

/** A refused compliance filter: every problem in the officer's language. */
export function FilterProblems({ problems, scope, years }: { problems: string[]; scope: string; years: number[] }) {
  const t = useT()
  const lang = useLang()
  return (
    <p role="alert" className="alert alert-error">
      {t('compliance.bad', {
        problems: formatList(
          lang,
          problems.map((p) =>
            t(`compliance.problem.${p}` as 'compliance.problem.bad_year', { region: regionName(scope, lang), years: years.join('、') }),
          ),
        ),
      })}
    </p>
  )
}
