import { data, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireHr } from '#app/auth/hr.server.ts'
import { ExportButtons } from '#app/components/compliance/export-form.tsx'
import { FilterProblems, Freshness } from '#app/components/compliance/status.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { freshness, summary } from '#app/domain/compliance/dashboard.server.ts'
import { canExportFullIds } from '#app/domain/compliance/exports.server.ts'
import { type ComplianceFilter, filterToParams, parseFilter, STATUSES } from '#app/domain/compliance/filter.ts'
import { checkFilter, countPeople, coveredYears, listPeople } from '#app/domain/compliance/people.server.ts'
import { ceYearOf } from '#app/domain/shared/ce-year.ts'
import { toCents } from '#app/domain/shared/decimal.ts'
import { nameOf, regionName, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { isProvinceScope } from '#app/domain/shared/scope.ts'
import { formatDate, formatHours, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('compliance.people.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const db = getDb()
  const url = new URL(request.url)
  const years = await coveredYears(db)
  const parsed = parseFilter(url.searchParams, years[0] ?? ceYearOf(new Date()))
  const afterRaw = url.searchParams.get('after')
  const after = afterRaw && /^\d{1,12}$/.test(afterRaw) ? Number(afterRaw) : undefined
  url.searchParams.delete('after')
  const base = { scope: hr.scopeRegion, years }
  if (!parsed.ok) return data({ ...base, ok: false as const, problems: parsed.problems }, { status: 400 })
  const f = parsed.filter
  const checked = await checkFilter(db, hr.scopeRegion, f)
  if (!checked.ok) return data({ ...base, ok: false as const, problems: [checked.code] }, { status: 400 })
  const fresh = await freshness(db)
  // The count comes from the roll-ups (no scan) unless the list is narrowed by integrity records.
  const count = async () => {
    if (f.integrity !== 'any' || f.status === 'all') return countPeople(db, hr.scopeRegion, f)
    const s = await summary(db, hr.scopeRegion, f, fresh.applicationYear ?? ceYearOf(new Date()) + 1)
    return { short: s.short, met: s.met, not_ready: s.notReady, ready: s.ready }[f.status]
  }
  const [page, total, employer, allowFullIds] = await Promise.all([
    listPeople(db, hr.scopeRegion, f, { after, limit: 50 }),
    count(),
    f.employer
      ? db
          .selectFrom('employers')
          .select('name')
          .where('id', '=', f.employer)
          .$if(!isProvinceScope(hr.scopeRegion), (q) => q.where('region_code', '=', hr.scopeRegion))
          .executeTakeFirst()
      : undefined,
    canExportFullIds(db, hr.accountId),
  ])
  return {
    ...base,
    ok: true as const,
    filter: f,
    page,
    total,
    fresh,
    employerName: employer?.name ?? null,
    paged: after !== undefined,
    allowFullIds,
  }
}

type Loaded = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { ok: true }>

export default function CompliancePeople() {
  const d = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <p className="small">
        <Link to="/hr/compliance">← {t('compliance.people.back')}</Link>
      </p>
      <h1>{t('compliance.people.title')}</h1>
      {d.ok ? <PeopleList d={d} /> : <FilterProblems problems={d.problems} scope={d.scope} years={d.years} />}
    </>
  )
}

function PeopleList({ d }: { d: Loaded }) {
  const t = useT()
  const lang = useLang()
  const f = d.filter as ComplianceFilter
  const params = filterToParams(f)
  const link = (extra: Record<string, string | undefined>, path = '/hr/compliance/people') => {
    const p = new URLSearchParams(params)
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined) p.delete(k)
      else p.set(k, v)
    }
    return `${path}?${p.toString()}`
  }
  type R = Loaded['page']['rows'][number]
  const h = (v: string) => formatHours(v)
  const columns: Column<R>[] = [
    {
      key: 'person',
      header: t('compliance.people.col.person'),
      rowHeader: true,
      cell: (r) => (
        <>
          {r.name}
          <br />
          <span className="small muted nowrap">{r.idNumberMasked}</span>
        </>
      ),
    },
    {
      key: 'unit',
      header: t('compliance.people.col.unit'),
      cell: (r) => (
        <>
          {r.region_code ? regionName(r.region_code, lang) : t('compliance.none')}
          <br />
          <span className="small">{r.employer_name ?? r.employer ?? t('compliance.none')}</span>
        </>
      ),
    },
    {
      key: 'title',
      header: t('compliance.people.col.title'),
      cell: (r) => (
        <>
          {r.title_series ? nameOf(TITLE_SERIES, r.title_series, lang) : t('compliance.none')} ·{' '}
          {r.title_level ? nameOf(TITLE_LEVELS, r.title_level, lang) : t('compliance.none')}
          {r.title_year ? <span className="small muted"> ({t('compliance.titleYear', { year: r.title_year })})</span> : null}
        </>
      ),
    },
    {
      key: 'earned',
      header: t('compliance.people.col.earned'),
      nowrap: true,
      cell: (r) => `${h(r.professional)} / ${h(r.public)}`,
    },
    {
      key: 'why',
      header: t('compliance.people.col.why'),
      cell: (r) => (
        <ul className="plain small">
          {r.met ? <li>{t('compliance.people.metYear')}</li> : null}
          {!r.met && r.short_professional !== '0' ? <li>{t('compliance.people.shortProf', { h: h(r.short_professional) })}</li> : null}
          {!r.met && r.short_public !== '0' ? <li>{t('compliance.people.shortPub', { h: h(r.short_public) })}</li> : null}
          {/* The total's gap only where the categories' gaps do not already cover it (a total above their sum). */}
          {!r.met && toCents(r.short_total) > toCents(r.short_professional) + toCents(r.short_public) ? (
            <li>{t('compliance.people.shortTotal', { h: h(r.short_total) })}</li>
          ) : null}
          {r.not_counted !== '0' ? <li>{t('compliance.people.notCounted', { h: h(r.not_counted) })}</li> : null}
          {r.pending ? (
            <li>
              {t('compliance.people.pending', { h: h(r.pending.total) })}
              {r.pendingClosesGap ? <strong> · {t('compliance.people.pendingCloses')}</strong> : null}
            </li>
          ) : null}
        </ul>
      ),
    },
    {
      key: 'next',
      header: t('compliance.people.col.next'),
      cell: (r) => (
        <ul className="plain small">
          <li>
            {r.ready
              ? t('compliance.people.ready')
              : r.failing_years.length
                ? t('compliance.people.failing', { years: r.failing_years.join('、'), h: h(r.application_short) })
                : null}
          </li>
          {r.integrity_ends_on ? (
            <li>{t('compliance.people.integrity', { date: formatDate(lang, r.integrity_ends_on, 'date') })}</li>
          ) : null}
        </ul>
      ),
    },
    {
      key: 'ledger',
      header: t('compliance.col.actions'),
      main: true,
      cell: (r) => <Link to={`/hr/people/${r.person_id}?year=${f.year}`}>{t('compliance.people.ledger')}</Link>,
    },
  ]
  return (
    <>
      <p className="lead">{t('compliance.people.lead', { year: f.year, status: t(`compliance.status.${f.status}`), n: d.total })}</p>
      {d.employerName ? <p className="small">{t('compliance.f.employerChip', { name: d.employerName })}</p> : null}
      <Freshness computedAt={d.fresh.computedAt} backlog={d.fresh.backlog} />
      <ul className="view-tabs">
        {STATUSES.map((s) => (
          <li key={s}>
            <Link to={link({ status: s })} aria-current={s === f.status ? 'page' : undefined}>
              {t(`compliance.status.${s}`)}
            </Link>
          </li>
        ))}
        <li>
          <Link
            to={link({ integrity: f.integrity === 'in_force' ? undefined : 'in_force' })}
            aria-current={f.integrity === 'in_force' ? 'page' : undefined}
          >
            {t('compliance.f.integrity.in_force')}
          </Link>
        </li>
      </ul>
      <p className="filters-actions">
        <Link to={link({}, '/hr/compliance/campaigns')}>{t('compliance.people.remind')}</Link>
        <Link to="/hr/compliance/exports">{t('compliance.exports')}</Link>
      </p>
      <ExportButtons params={params} allowFullIds={d.allowFullIds} />
      {d.page.rows.length === 0 ? (
        <p className="muted">{t('compliance.people.none')}</p>
      ) : (
        <DataTable columns={columns} rows={d.page.rows} rowKey={(r) => r.person_id} caption={t('compliance.people.title')} />
      )}
      <p className="filters-actions">
        {d.paged ? <Link to={link({})}>{t('compliance.people.first')}</Link> : null}
        {d.page.next ? <Link to={link({ after: String(d.page.next) })}>{t('compliance.people.next')}</Link> : null}
      </p>
    </>
  )
}
