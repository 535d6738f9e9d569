import type { ReactNode } from 'react'

import { categoryLabel } from '#app/components/category.ts'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
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
  const columns: Column<LedgerRowView>[] = [
    { key: 'date', header: t('hours.col.date'), nowrap: true, cell: (e) => formatDate(lang, e.occurredAt, 'date') },
    {
      key: 'source',
      header: t('hours.col.source'),
      width: '30%',
      cell: (e) => (
        <>
          {t(`source.${e.sourceKind}`)}
          {e.title ? <div className="small muted">{e.title}</div> : null}
          {e.sourceKind === 'reversal' && e.reason ? <div className="small muted">{t('hours.reversal', { reason: e.reason })}</div> : null}
        </>
      ),
    },
    { key: 'category', header: t('hours.col.category'), cell: (e) => categoryLabel(e.category, t) },
    { key: 'hours', header: t('hours.col.hours'), numeric: true, cell: (e) => formatHours(e.hours) },
    {
      key: 'status',
      header: t('hours.col.status'),
      cell: (e) => (
        <>
          {e.counted
            ? t('hours.counted')
            : t('hours.notCounted', { reason: e.notCountedReason ? t.issue(`reason.${e.notCountedReason}`) : '' })}
          {e.reversedBy ? <div className="small">{t('hours.reversed')}</div> : null}
        </>
      ),
    },
  ]
  if (actions) columns.push({ key: 'actions', header: actions.header, main: true, cell: actions.cell })
  return (
    <DataTable
      caption={t('hours.records')}
      columns={columns}
      rows={entries}
      rowKey={(e) => e.id}
      rowClassName={(e) => (e.reversedBy ? 'struck' : undefined)}
    />
  )
}
