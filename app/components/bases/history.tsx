import { formatDate, useLang, useT } from '#app/i18n/index.ts'

export type HistoryRow = {
  id: number
  event: string
  from: string | null
  to: string
  reason: string | null
  documentNumber: string | null
  at: string
}

/** A base's or an application's lifecycle history (append-only status events), oldest first. */
export function BaseHistory({ rows, headingId }: { rows: HistoryRow[]; headingId: string }) {
  const t = useT()
  const lang = useLang()
  if (rows.length === 0) return <p className="muted">{t('baseFlow.history.none')}</p>
  return (
    <ol className="stack" aria-labelledby={headingId}>
      {rows.map((h) => (
        <li key={h.id}>
          <span className="nowrap">{formatDate(lang, h.at, 'dateTime')}</span> · <strong>{t.issue(`baseFlow.event.${h.event}`)}</strong>
          {h.from !== h.to ? (
            <span className="muted">
              {' '}
              ({h.from ? t.issue(`baseFlow.state.${h.from}`) : '—'} → {t.issue(`baseFlow.state.${h.to}`)})
            </span>
          ) : null}
          {h.documentNumber ? <div className="small">{t('baseFlow.documentNumber', { number: h.documentNumber })}</div> : null}
          {h.reason ? <div className="small">{t('baseFlow.reason', { reason: h.reason })}</div> : null}
        </li>
      ))}
    </ol>
  )
}
