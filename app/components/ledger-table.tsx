import type { ReactNode } from 'react'

import { categoryLabel } from '#app/components/category.ts'
import { formatDate, formatHours, useLang, useT } from '#app/i18n/index.ts'
import type { Category, SourceKind } from '#db/schema.ts'

export type LedgerRowView = {
  id: number
  category: Category
  hours: string
  sourceKind: SourceKind
  title: string | null
  counted: boolean
  notCountedReason: string | null
  reversedBy: number | null
  reason: string | null
  occurredAt: string
}

/**
 * A year's ledger records: date, source (with the evidence title and a reversal's reason),
 * category, hours, counted or not and why. Reversed entries are struck through. Pages that act
 * on entries (HR) add a last column through `actions`.
 */
export function LedgerTable({
  entries,
  actions,
}: {
  entries: LedgerRowView[]
  actions?: { header: string; cell: (e: LedgerRowView) => ReactNode }
}) {
  const t = useT()
  const lang = useLang()
  if (entries.length === 0) return <p className="muted">{t('hours.records.none')}</p>
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('hours.col.date')}</th>
            <th scope="col">{t('hours.col.source')}</th>
            <th scope="col">{t('hours.col.category')}</th>
            <th scope="col">{t('hours.col.hours')}</th>
            <th scope="col">{t('hours.col.status')}</th>
            {actions ? <th scope="col">{actions.header}</th> : null}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} className={e.reversedBy ? 'struck' : undefined}>
              <td>{formatDate(lang, e.occurredAt, 'date')}</td>
              <td className="wrap">
                {t(`source.${e.sourceKind}`)}
                {e.title ? <div className="small muted">{e.title}</div> : null}
                {e.sourceKind === 'reversal' && e.reason ? (
                  <div className="small muted">{t('hours.reversal', { reason: e.reason })}</div>
                ) : null}
              </td>
              <td>{categoryLabel(e.category, t)}</td>
              <td className="num">{formatHours(e.hours)}</td>
              <td className="wrap">
                {e.counted
                  ? t('hours.counted')
                  : t('hours.notCounted', { reason: e.notCountedReason ? t.issue(`reason.${e.notCountedReason}`) : '' })}
                {e.reversedBy ? <div className="small">{t('hours.reversed')}</div> : null}
              </td>
              {actions ? <td className="wrap">{actions.cell(e)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
