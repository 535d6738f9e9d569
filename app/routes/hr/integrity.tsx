import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireHr } from '#app/auth/hr.server.ts'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { type HrRecordView, listForHr } from '#app/domain/integrity/records.server.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'
import type { IntegrityStatus } from '#db/schema.ts'

import { maskedIdsOf } from './integrity-helpers.server.ts'

export const meta = pageTitle('integrityHr.title')

const STATUSES: readonly IntegrityStatus[] = ['proposed', 'in_force', 'withdrawn', 'cancelled']

export async function loader({ request }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const asked = new URL(request.url).searchParams.get('status')
  const status = STATUSES.find((s) => s === asked) ?? null
  const db = getDb()
  const records = await listForHr(db, hr, status ? { status } : {})
  const ids = await maskedIdsOf(
    db,
    records.flatMap((r) => (r.person_id === null ? [] : [Number(r.person_id)])),
  )
  const row = (r: HrRecordView) => ({
    id: r.id,
    subject: r.subject,
    personId: r.person_id === null ? null : Number(r.person_id),
    personName: r.person_name,
    idNumberMasked: r.person_id === null ? null : (ids.get(Number(r.person_id)) ?? null),
    baseId: r.base_id === null ? null : Number(r.base_id),
    baseName: r.base_name,
    region: r.region_code,
    sourceKind: r.source_kind,
    sourceId: Number(r.source_id),
    documentNumber: r.document_number,
    status: r.status,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    foundAt: new Date(r.found_at).toISOString(),
    awaits: r.awaits,
  })
  const rows = records.map(row)
  // What awaits this officer comes first, then the rest, newest first as listed.
  return { scope: hr.scopeRegion, status, awaiting: rows.filter((r) => r.awaits), others: rows.filter((r) => !r.awaits) }
}

export default function HrIntegrity() {
  const { scope, status, awaiting, others } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  type Row = (typeof others)[number]
  const columns: Column<Row>[] = [
    {
      key: 'subject',
      header: t('integrityHr.col.subject'),
      rowHeader: true,
      width: '24%',
      cell: (r) =>
        r.subject === 'base' ? (
          <>
            <Link to={`/hr/bases/${r.baseId}`}>{t('integrityHr.subject.base', { name: r.baseName ?? '—' })}</Link>
            <div className="small muted">{regionName(r.region, lang)}</div>
          </>
        ) : (
          <>
            <Link to={`/hr/people/${r.personId}`}>{r.personName ?? '—'}</Link>
            <div className="small mono">{r.idNumberMasked ?? '—'}</div>
            <div className="small muted">{regionName(r.region, lang)}</div>
          </>
        ),
    },
    {
      key: 'source',
      header: t('integrityHr.col.source'),
      cell: (r) => (
        <>
          {r.subject === 'base'
            ? t('integrityHr.source.activity', { id: r.sourceId })
            : t(`integrityHr.source.${r.sourceKind}`, { id: r.sourceId })}
          <div className="small muted">
            {t('integrityHr.col.document')}: {r.documentNumber}
          </div>
        </>
      ),
    },
    {
      key: 'status',
      header: t('integrityHr.col.status'),
      cell: (r) => (
        <>
          {t(`integrityHr.status.${r.status}`)}
          {r.awaits ? (
            <div>
              <span className="badge badge-rectification">{t(`integrityHr.awaiting.${r.awaits}`)}</span>
            </div>
          ) : null}
        </>
      ),
    },
    {
      key: 'term',
      header: t('integrityHr.col.term'),
      cell: (r) =>
        r.startsOn && r.endsOn
          ? t('integrityHr.term', { start: formatDate(lang, r.startsOn, 'day'), end: formatDate(lang, r.endsOn, 'day') })
          : '—',
    },
    {
      key: 'found',
      header: t('integrityHr.col.found'),
      cell: (r) => <span className="nowrap">{formatDate(lang, r.foundAt, 'date')}</span>,
    },
    {
      key: 'open',
      header: t('table.actions'),
      main: true,
      cell: (r) => (
        <Link to={`/hr/integrity/${r.id}`} aria-label={t('integrityHr.openLabel', { id: r.id })}>
          {t('integrityHr.open')}
        </Link>
      ),
    },
  ]
  return (
    <>
      <p className="small">
        <Link to="/hr">← {t('hr.title')}</Link>
      </p>
      <h1>{t('integrityHr.title')}</h1>
      <p className="lead">{t('integrityHr.lead', { region: regionName(scope, lang) })}</p>
      <section className="panel" aria-labelledby="awaiting-title">
        <h2 id="awaiting-title">{t('integrityHr.awaiting')}</h2>
        {awaiting.length === 0 ? (
          <p className="muted">{t('integrityHr.awaiting.none')}</p>
        ) : (
          <DataTable caption={t('integrityHr.awaiting')} columns={columns} rows={awaiting} rowKey={(r) => r.id} />
        )}
      </section>
      <section className="panel" aria-labelledby="records-title">
        <h2 id="records-title">{awaiting.length > 0 ? t('integrityHr.others') : t('integrityHr.title')}</h2>
        <nav aria-label={t('integrityHr.filter')} className="year-picker">
          {status === null ? (
            <strong aria-current="page">{t('integrityHr.filter.all')}</strong>
          ) : (
            <Link to="?">{t('integrityHr.filter.all')}</Link>
          )}
          {STATUSES.map((s) =>
            s === status ? (
              <strong key={s} aria-current="page">
                {t(`integrityHr.status.${s}`)}
              </strong>
            ) : (
              <Link key={s} to={`?status=${s}`}>
                {t(`integrityHr.status.${s}`)}
              </Link>
            ),
          )}
        </nav>
        {others.length === 0 ? (
          <p className="muted">{t('integrityHr.none')}</p>
        ) : (
          <DataTable caption={t('integrityHr.title')} columns={columns} rows={others} rowKey={(r) => r.id} />
        )}
      </section>
    </>
  )
}
