import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireUser } from '#app/auth/auth.server.ts'
import { HoursChart } from '#app/components/hours-chart.tsx'
import { RecordPanel } from '#app/components/integrity/record-panel.tsx'
import { LedgerTable } from '#app/components/ledger-table.tsx'
import { MetBadge } from '#app/components/met-badge.tsx'
import { DataTable } from '#app/components/ui/data-table.tsx'
import { YearPicker } from '#app/components/year-picker.tsx'
import { listOwnClaims } from '#app/domain/claims/external-claims.server.ts'
import { ceYearOf } from '#app/domain/hours/ledger.server.ts'
import { hoursOverview, toLedgerRows } from '#app/domain/hours/overview.server.ts'
import { formatDate, formatList, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

import { personRecordViews } from './integrity-view.server.ts'

export const meta = pageTitle('hours.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const current = ceYearOf(new Date())
  const asked = Number(new URL(request.url).searchParams.get('year') ?? current)
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= current ? asked : current
  const db = getDb()
  const [o, claims, integrity] = await Promise.all([
    hoursOverview(db, user.personId, year),
    listOwnClaims(db, user.personId),
    personRecordViews(db, user.personId),
  ])
  return {
    ...o,
    // Integrity records (诚信档案) that took effect: in force, ended or withdrawn on appeal.
    integrity,
    entries: toLedgerRows(o.entries),
    // Reported outside hours still waiting for HR: they count only once approved.
    pending: claims
      .filter((c) => c.status === 'pending')
      .map((c) => ({ id: c.id, title: c.title, hours: c.claimed_hours, year: c.ce_year, submittedAt: c.created_at.toISOString() })),
  }
}

function Meter({ label, earned, required, met }: { label: string; earned: string; required: string; met: boolean }) {
  const t = useT()
  const pct = Math.min(100, (Number(earned) / Math.max(Number(required), 0.01)) * 100)
  return (
    <div className="meter">
      <div className="meter-head">
        <span>{label}</span>
        <strong>{t('hours.of', { earned, required })}</strong>
      </div>
      <div
        className="meter-bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={Number(required)}
        aria-valuenow={Number(earned)}
      >
        <span className={met ? 'ok' : 'short'} style={{ width: `${pct}%` }} />
      </div>
    </div>
  )
}

export default function HoursPage() {
  const d = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  const s = d.selected
  const next = d.nextApplication
  return (
    <>
      <h1>{t('hours.title')}</h1>
      <p>
        <Link to={`/hours/certificates?year=${d.year}`} className="button button-secondary">
          {t('cert.link')}
        </Link>
      </p>
      <RecordPanel records={d.integrity} />
      {d.pending.length ? (
        <section className="panel" aria-labelledby="pending-title">
          <h2 id="pending-title">{t('hours.pending.title')}</h2>
          <p className="muted small">{t('hours.pending.lead')}</p>
          <ul>
            {d.pending.map((c) => (
              <li key={c.id}>
                {t('hours.pending.item', { title: c.title, hours: c.hours, year: c.year, date: formatDate(lang, c.submittedAt, 'date') })}{' '}
                <span className="badge">{t('external.status.pending')}</span>
              </li>
            ))}
          </ul>
          <p className="small">
            <Link to="/hours/external">{t('hours.pending.link')}</Link>
          </p>
        </section>
      ) : null}
      <YearPicker id="year" years={d.years.map((y) => y.year)} value={d.year} />
      <div className="grid-2">
        <section className="panel" aria-labelledby="year-title">
          <h2 id="year-title">
            {t('hours.yearLabel', { year: d.year })} {s ? <MetBadge met={s.met} /> : null}
          </h2>
          {s ? (
            <>
              <Meter label={t('hours.total')} earned={s.earned.total} required={s.required.total} met={s.shortfall.total === '0'} />
              <Meter
                label={t('hours.professional')}
                earned={s.earned.professional}
                required={s.required.professional}
                met={s.shortfall.professional === '0'}
              />
              <Meter label={t('hours.public')} earned={s.earned.public} required={s.required.public} met={s.shortfall.public === '0'} />
              <p>{s.met ? t('hours.allMet') : t('hours.missing', s.shortfall)}</p>
              {s.notCounted !== '0' ? <p className="muted">{t('hours.recordedNotCounted', { hours: s.notCounted })}</p> : null}
              <p className="muted small">{t('hours.policy', { version: d.policyVersion ?? '' })}</p>
            </>
          ) : (
            <p className="muted">{t('hours.noPolicy')}</p>
          )}
        </section>
        <section className="panel" aria-labelledby="next-title">
          <h2 id="next-title">{t('hours.next.title')}</h2>
          {next.eligible ? (
            <p className="ok-text">{next.years.length ? t('hours.next.eligible', { year: d.currentYear + 1 }) : t('hours.next.noYears')}</p>
          ) : (
            <>
              <p className="short-text">{t('hours.next.notEligible', { year: d.currentYear + 1 })}</p>
              <ul>
                {next.reasons.map((r) =>
                  r.code === 'integrity_record' ? (
                    <li key="integrity">{t('hours.next.integrity', { endsOn: formatDate(lang, r.endsOn, 'day') })}</li>
                  ) : null,
                )}
                {next.years
                  .filter((y) => !y.met)
                  .map((y) => (
                    <li key={y.year}>{t('hours.next.yearShort', { year: y.year, ...y.shortfall })}</li>
                  ))}
              </ul>
            </>
          )}
          {next.years.length ? (
            <p className="muted small">
              {t('hours.next.checked', {
                years: formatList(
                  lang,
                  next.years.map((y) => y.year),
                ),
              })}
            </p>
          ) : null}
        </section>
      </div>
      <section className="panel" aria-labelledby="years-title">
        <h2 id="years-title">{t('hours.years')}</h2>
        <HoursChart
          years={d.years.map((y) => ({ year: y.year, total: y.earned.total, required: y.required.total, met: y.met }))}
          label={t('hours.chart')}
        />
        <DataTable
          caption={t('hours.years')}
          rows={d.years}
          rowKey={(y) => y.year}
          columns={[
            { key: 'year', header: t('hours.year'), rowHeader: true, cell: (y) => y.year },
            { key: 'total', header: t('hours.total'), cell: (y) => t('hours.of', { earned: y.earned.total, required: y.required.total }) },
            { key: 'professional', header: t('hours.professional'), numeric: true, cell: (y) => y.earned.professional },
            { key: 'public', header: t('hours.public'), numeric: true, cell: (y) => y.earned.public },
            { key: 'met', header: t('hours.col.met'), cell: (y) => <MetBadge met={y.met} /> },
          ]}
        />
      </section>
      <section className="panel" aria-labelledby="records-title">
        <h2 id="records-title">
          {t('hours.records')} · {t('hours.yearLabel', { year: d.year })}
        </h2>
        <LedgerTable entries={d.entries} />
        <p>
          <Link to="/hours/external">{t('hours.external.link')}</Link>
        </p>
        <p>
          <Link to="/hours/reported">{t('reported.link')}</Link>
        </p>
      </section>
    </>
  )
}
