import { formatDate, useLang, useT } from '#app/i18n/index.ts'

type Dates = {
  decision_number: string | null
  notice_start: string | null
  notice_end: string | null
  term_start: string | null
  term_end: string | null
}

/** A base's decision number, public-notice period and term, as rows of a `<dl className="facts">`. */
export function TermFacts({ base }: { base: Dates }) {
  const t = useT()
  const lang = useLang()
  const day = (d: string | null) => (d ? formatDate(lang, d, 'day') : '—')
  const span = (from: string | null, to: string | null) => (from ? `${day(from)} – ${day(to)}` : '—')
  return (
    <>
      <div>
        <dt>{t('baseFlow.decision')}</dt>
        <dd>{base.decision_number ?? '—'}</dd>
      </div>
      <div>
        <dt>{t('baseFlow.notice')}</dt>
        <dd>{span(base.notice_start, base.notice_end)}</dd>
      </div>
      <div>
        <dt>{t('baseFlow.term')}</dt>
        <dd>{span(base.term_start, base.term_end)}</dd>
      </div>
    </>
  )
}
