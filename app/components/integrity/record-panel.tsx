import { Link } from '@remix-run/react'

import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { formatDate, useLang, useT } from '#app/i18n/index.ts'

/**
 * Integrity records (诚信档案) as the person and a base see them. The loaders turn the domain's
 * rows into these plain views (dates as strings), so the components stay free of server code.
 */

/** What the person sees: `state` is the record's standing today (a record past its end date has ended). */
export type PersonRecordView = {
  id: number
  state: 'in_force' | 'ended' | 'withdrawn'
  finding: string
  documentNumber: string
  startsOn: string
  endsOn: string
  /** The last China day an appeal is accepted. */
  appealUntil: string
  canAppeal: boolean
  appealText: string | null
  appealedAt: string | null
  appealDecision: 'upheld' | 'withdrawn' | null
  appealDecidedAt: string | null
  appealReason: string | null
}

/** A base's record, as its staff and HR see it. */
export type BaseRecordView = {
  id: number
  status: 'proposed' | 'in_force' | 'ended' | 'withdrawn' | 'cancelled'
  finding: string
  documentNumber: string
  startsOn: string | null
  endsOn: string | null
}

/** The dates, the reason and the document of one record. */
export function RecordFacts({ record }: { record: PersonRecordView }) {
  const t = useT()
  const lang = useLang()
  return (
    <dl className="facts">
      <div>
        <dt>{t('integrityMine.field.status')}</dt>
        <dd>
          <span className={`badge badge-integrity-${record.state}`}>{t(`integrityMine.status.${record.state}`)}</span>
        </dd>
      </div>
      <div>
        <dt>{t('integrityMine.field.finding')}</dt>
        <dd>{record.finding}</dd>
      </div>
      <div>
        <dt>{t('integrityMine.field.documentNumber')}</dt>
        <dd className="mono">{record.documentNumber}</dd>
      </div>
      <div>
        <dt>{t('integrityMine.field.startsOn')}</dt>
        <dd>{formatDate(lang, record.startsOn, 'day')}</dd>
      </div>
      <div>
        <dt>{t('integrityMine.field.endsOn')}</dt>
        <dd>
          {formatDate(lang, record.endsOn, 'day')} <span className="small muted">{t('integrityMine.field.endsOn.hint')}</span>
        </dd>
      </div>
    </dl>
  )
}

/** What the record means for a title application, by its standing. */
export function RecordEffect({ record }: { record: PersonRecordView }) {
  const t = useT()
  const lang = useLang()
  const endsOn = formatDate(lang, record.endsOn, 'day')
  if (record.state === 'in_force') return <p className="short-text">{t('integrityMine.panel.inForce', { endsOn })}</p>
  if (record.state === 'ended') return <p>{t('integrityMine.panel.ended', { endsOn })}</p>
  return <p>{t('integrityMine.panel.withdrawn')}</p>
}

/** Where the appeal stands: how to appeal, sent and waiting, decided, or too late. */
export function AppealState({ record }: { record: PersonRecordView }) {
  const t = useT()
  const lang = useLang()
  const day = (d: string) => formatDate(lang, d, 'day')
  if (record.appealDecision && record.appealDecidedAt) {
    return (
      <>
        <p>{t(`integrityMine.appeal.${record.appealDecision}`, { date: day(record.appealDecidedAt) })}</p>
        {record.appealReason ? <p className="small">{t('integrityMine.appeal.reason', { reason: record.appealReason })}</p> : null}
      </>
    )
  }
  if (record.appealedAt) return <p>{t('integrityMine.appeal.pending', { date: day(record.appealedAt) })}</p>
  if (record.canAppeal) return <p>{t('integrityMine.appeal.how', { date: day(record.appealUntil) })}</p>
  if (record.state === 'in_force')
    return <p className="muted small">{t('integrityMine.appeal.closed', { date: day(record.appealUntil) })}</p>
  return null
}

/** The panel on 我的学时: each record, what it means, and the way to its page and appeal. */
export function RecordPanel({ records }: { records: readonly PersonRecordView[] }) {
  const t = useT()
  if (records.length === 0) return null
  return (
    <section className="panel" aria-labelledby="integrity-records-title">
      <h2 id="integrity-records-title">{t('integrityMine.panel.title')}</h2>
      {records.map((r) => (
        <article key={r.id} className="stack">
          {r.state === 'in_force' ? <p>{t('integrityMine.panel.lead')}</p> : null}
          <RecordFacts record={r} />
          <RecordEffect record={r} />
          <AppealState record={r} />
          <p>
            <Link to={`/hours/integrity/${r.id}`} aria-label={t('integrityMine.panel.viewLabel', { documentNumber: r.documentNumber })}>
              {t('integrityMine.panel.view')}
            </Link>
          </p>
        </article>
      ))}
    </section>
  )
}

/** A base's records (on its home page and on HR's page of the base). */
export function BaseRecords({ records, lead }: { records: readonly BaseRecordView[]; lead: 'base' | 'hr' }) {
  const t = useT()
  const lang = useLang()
  const day = (d: string | null) => (d ? formatDate(lang, d, 'day') : '—')
  const columns: Column<BaseRecordView>[] = [
    { key: 'document', header: t('integrityMine.field.documentNumber'), rowHeader: true, nowrap: true, cell: (r) => r.documentNumber },
    { key: 'finding', header: t('integrityMine.field.finding'), width: '45%', cell: (r) => r.finding },
    {
      key: 'period',
      header: `${t('integrityMine.field.startsOn')} – ${t('integrityMine.field.endsOn')}`,
      label: t('integrityMine.field.endsOn'),
      nowrap: true,
      cell: (r) => (r.startsOn ? t('integrityMine.base.period', { start: day(r.startsOn), end: day(r.endsOn) }) : '—'),
    },
    { key: 'status', header: t('integrityMine.field.status'), cell: (r) => t(`integrityMine.status.${r.status}`) },
  ]
  return (
    <section className="panel" aria-labelledby="base-integrity-title">
      <h2 id="base-integrity-title">{t('integrityMine.base.title')}</h2>
      <p className="small muted">{t(lead === 'base' ? 'integrityMine.base.lead' : 'integrityMine.base.leadHr')}</p>
      {records.length === 0 ? (
        <p className="muted">{t('integrityMine.base.none')}</p>
      ) : (
        <DataTable caption={t('integrityMine.base.title')} columns={columns} rows={records} rowKey={(r) => r.id} />
      )}
    </section>
  )
}

/** A base's record row as BaseRecords shows it; an in-force record past its end date has ended. */
export function toBaseRecordView(
  r: {
    id: number
    status: 'proposed' | 'in_force' | 'withdrawn' | 'cancelled'
    finding: string
    document_number: string
    starts_on: string | null
    ends_on: string | null
  },
  today: string,
): BaseRecordView {
  const ended = r.status === 'in_force' && r.ends_on !== null && r.ends_on <= today
  return {
    id: r.id,
    status: ended ? 'ended' : r.status,
    finding: r.finding,
    documentNumber: r.document_number,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
  }
}
