import { data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'

import { requireHr } from '#app/auth/hr.server.ts'
import { MetShortBars, RateTrend } from '#app/components/compliance/charts.tsx'
import { FilterProblems, Freshness } from '#app/components/compliance/status.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { breakdown, freshness, summary, trend, withIntegrityRecord } from '#app/domain/compliance/dashboard.server.ts'
import { type ComplianceFilter, type Dimension, DIMENSIONS, filterToParams, parseFilter } from '#app/domain/compliance/filter.ts'
import { checkFilter, coveredYears } from '#app/domain/compliance/people.server.ts'
import { ceYearOf } from '#app/domain/shared/ce-year.ts'
import { nameOf, regionName, REGIONS, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { isProvinceScope } from '#app/domain/shared/scope.ts'
import { pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('compliance.title')

const EMPLOYER_ROWS = 30

export async function loader({ request }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const db = getDb()
  const url = new URL(request.url)
  const years = await coveredYears(db)
  const parsed = parseFilter(url.searchParams, years[0] ?? ceYearOf(new Date()))
  const by = (DIMENSIONS as readonly string[]).includes(url.searchParams.get('by') ?? '')
    ? (url.searchParams.get('by') as Dimension)
    : isProvinceScope(hr.scopeRegion)
      ? 'region'
      : 'employer'
  const base = { scope: hr.scopeRegion, years, by }
  if (!parsed.ok) return data({ ...base, ok: false as const, problems: parsed.problems }, { status: 400 })
  const f = parsed.filter
  const checked = await checkFilter(db, hr.scopeRegion, f)
  if (!checked.ok) return data({ ...base, ok: false as const, problems: [checked.code] }, { status: 400 })
  const fresh = await freshness(db)
  const applicationYear = fresh.applicationYear ?? ceYearOf(new Date()) + 1
  const [totals, groups, points, employer, integrity] = await Promise.all([
    summary(db, hr.scopeRegion, f, applicationYear),
    breakdown(db, hr.scopeRegion, f, applicationYear, by, by === 'employer' ? EMPLOYER_ROWS : 100),
    trend(db, hr.scopeRegion, f, [...years].reverse()),
    f.employer
      ? db
          .selectFrom('employers')
          .select(['id', 'name'])
          .where('id', '=', f.employer)
          .$if(!isProvinceScope(hr.scopeRegion), (q) => q.where('region_code', '=', hr.scopeRegion))
          .executeTakeFirst()
      : undefined,
    withIntegrityRecord(db, hr.scopeRegion, f),
  ])
  return {
    ...base,
    ok: true as const,
    filter: f,
    fresh,
    applicationYear,
    totals,
    groups,
    points,
    integrity,
    employerName: employer?.name ?? null,
  }
}

type Loaded = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { ok: true }>

function rate(met: number, people: number) {
  return people === 0 ? 0 : Math.round((met / people) * 1000) / 10
}

export default function ComplianceDashboard() {
  const d = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  return (
    <>
      <p className="small">
        <Link to="/hr">← {t('hr.title')}</Link>
      </p>
      <h1>{t('compliance.title')}</h1>
      <p className="lead">{t('compliance.scope', { region: regionName(d.scope, lang) })}</p>
      {d.ok ? (
        <Dashboard d={d} />
      ) : (
        <>
          <FilterProblems problems={d.problems} scope={d.scope} years={d.years} />
          <p>
            <Link to="/hr/compliance">{t('compliance.f.clear')}</Link>
          </p>
        </>
      )}
    </>
  )
}

function Dashboard({ d }: { d: Loaded }) {
  const t = useT()
  const lang = useLang()
  const f = d.filter as ComplianceFilter
  const params = (extra: Record<string, string | undefined>, path = '/hr/compliance') => {
    const p = filterToParams(f)
    p.delete('status')
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined) p.delete(k)
      else p.set(k, v)
    }
    return `${path}?${p.toString()}`
  }
  const listLink = (status: string, extra: Record<string, string | undefined> = {}) =>
    params({ ...extra, status, by: undefined }, '/hr/compliance/people')
  const groupName = (key: string) => {
    if (d.by === 'region') return key === '' ? t('compliance.none') : regionName(key, lang)
    if (d.by === 'series') return key === '' ? t('compliance.none') : nameOf(TITLE_SERIES, key, lang)
    if (d.by === 'level') return key === '' ? t('compliance.none') : nameOf(TITLE_LEVELS, key, lang)
    return key === '0' ? t('compliance.noEmployer') : (d.groups.find((g) => g.key === key)?.label ?? key)
  }
  const filterKey: Record<Dimension, string> = { region: 'region', employer: 'employer', series: 'series', level: 'level' }
  type G = Loaded['groups'][number]
  const columns: Column<G>[] = [
    { key: 'group', header: t('compliance.col.group'), rowHeader: true, cell: (g) => groupName(g.key) },
    { key: 'people', header: t('compliance.col.people'), numeric: true, cell: (g) => g.people },
    { key: 'met', header: t('compliance.col.met'), numeric: true, cell: (g) => g.met },
    { key: 'short', header: t('compliance.col.short'), numeric: true, cell: (g) => g.short },
    { key: 'rate', header: t('compliance.col.rate'), numeric: true, cell: (g) => `${rate(g.met, g.people)}%` },
    { key: 'notReady', header: t('compliance.col.notReady'), numeric: true, cell: (g) => g.notReady },
    {
      key: 'actions',
      header: t('compliance.col.actions'),
      main: true,
      cell: (g) => {
        // A group without a code ('' / employer 0) cannot be a filter: only the list of the whole scope.
        const usable = !(g.key === '' || (d.by === 'employer' && g.key === '0'))
        const extra = usable ? { [filterKey[d.by]]: g.key } : {}
        return (
          <span className="filters-actions">
            <Link to={listLink('short', extra)}>{t('compliance.viewList')}</Link>
            {usable && d.by !== 'employer' ? <Link to={params({ ...extra, by: 'employer' })}>{t('compliance.drill')}</Link> : null}
          </span>
        )
      },
    },
  ]
  const fresh = d.fresh
  return (
    <>
      <Freshness computedAt={fresh.computedAt} backlog={fresh.backlog} />
      <Form method="get" className="filters" role="search" aria-label={t('compliance.filters')}>
        <div className="field">
          <label htmlFor="c-year">{t('compliance.f.year')}</label>
          <select id="c-year" name="year" defaultValue={String(f.year)}>
            {d.years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        {isProvinceScope(d.scope) ? (
          <div className="field">
            <label htmlFor="c-region">{t('compliance.f.region')}</label>
            <select id="c-region" name="region" defaultValue={f.region ?? ''}>
              <option value="">{t('compliance.f.all')}</option>
              {REGIONS.map((r) => (
                <option key={r.code} value={r.code}>
                  {r[lang]}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="c-series">{t('compliance.f.series')}</label>
          <select id="c-series" name="series" defaultValue={f.series ?? ''}>
            <option value="">{t('compliance.f.all')}</option>
            {TITLE_SERIES.map((s) => (
              <option key={s.code} value={s.code}>
                {s[lang]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="c-level">{t('compliance.f.level')}</label>
          <select id="c-level" name="level" defaultValue={f.level ?? ''}>
            <option value="">{t('compliance.f.all')}</option>
            {TITLE_LEVELS.map((s) => (
              <option key={s.code} value={s.code}>
                {s[lang]}
              </option>
            ))}
          </select>
        </div>
        {f.employer ? <input type="hidden" name="employer" value={f.employer} /> : null}
        <input type="hidden" name="by" value={d.by} />
        <div className="filters-actions">
          <button type="submit" className="button">
            {t('compliance.f.apply')}
          </button>
          <Link to="/hr/compliance">{t('compliance.f.clear')}</Link>
        </div>
      </Form>
      {f.employer ? (
        <p>
          <span className="badge">{t('compliance.f.employerChip', { name: d.employerName ?? String(f.employer) })}</span>{' '}
          <Link to={params({ employer: undefined })}>{t('compliance.f.removeEmployer')}</Link>
        </p>
      ) : null}

      <div className="stats">
        <div className="stat">
          <span className="stat-value">{d.totals.people}</span>
          <span className="stat-label">{t('compliance.card.people')}</span>
        </div>
        <div className="stat">
          <span className="stat-value">{d.totals.met}</span>
          <span className="stat-label">{t('compliance.card.met', { year: f.year })}</span>
        </div>
        <div className="stat">
          <span className="stat-value">
            <Link to={listLink('short')}>{d.totals.short}</Link>
          </span>
          <span className="stat-label">{t('compliance.card.short', { year: f.year })}</span>
        </div>
        <div className="stat">
          <span className="stat-value">{rate(d.totals.met, d.totals.people)}%</span>
          <span className="stat-label">{t('compliance.card.rate')}</span>
        </div>
        <div className="stat">
          <span className="stat-value">
            <Link to={listLink('not_ready')}>{d.totals.notReady}</Link>
          </span>
          <span className="stat-label">{t('compliance.card.notReady', { year: d.applicationYear })}</span>
        </div>
        <div className="stat">
          <span className="stat-value">
            <Link to={listLink('all', { integrity: 'in_force' })}>{d.integrity}</Link>
          </span>
          <span className="stat-label">{t('compliance.card.integrity')}</span>
        </div>
      </div>
      <p className="small muted">{t('compliance.card.notReadyHint', { year: d.applicationYear })}</p>
      <p className="filters-actions">
        <Link className="button" to={listLink('short')}>
          {t('compliance.viewList')}
        </Link>
        <Link to={params({ status: 'short', by: undefined }, '/hr/compliance/campaigns')}>{t('compliance.remind')}</Link>
        <Link to="/hr/compliance/campaigns">{t('compliance.campaigns')}</Link>
        <Link to="/hr/compliance/exports">{t('compliance.exports')}</Link>
      </p>

      <h2>{t('compliance.by')}</h2>
      <ul className="view-tabs">
        {DIMENSIONS.map((dim) => (
          <li key={dim}>
            <Link to={params({ by: dim })} aria-current={dim === d.by ? 'page' : undefined}>
              {t(`compliance.by.${dim}`)}
            </Link>
          </li>
        ))}
      </ul>
      {d.groups.length === 0 ? (
        <p className="muted">{t('compliance.empty')}</p>
      ) : (
        <>
          <MetShortBars
            title={t('compliance.chart.byTitle', { year: f.year, by: t(`compliance.by.${d.by}`) })}
            labels={{ met: t('compliance.col.met'), short: t('compliance.col.short') }}
            rows={d.groups.slice(0, 15).map((g) => ({ name: groupName(g.key), met: g.met, short: g.short }))}
          />
          {d.by === 'employer' && d.groups.length >= EMPLOYER_ROWS ? (
            <p className="small muted">{t('compliance.topEmployers', { n: EMPLOYER_ROWS })}</p>
          ) : null}
          <DataTable columns={columns} rows={d.groups} rowKey={(g) => g.key} caption={t(`compliance.by.${d.by}`)} />
        </>
      )}

      <h2>{t('compliance.chart.trendTitle')}</h2>
      {d.totals.people === 0 ? (
        <p className="muted">{t('compliance.trend.none')}</p>
      ) : (
        <>
          <RateTrend
            title={t('compliance.chart.trendTitle')}
            label={t('compliance.chart.rate')}
            points={d.points.map((p) => ({ year: p.year, rate: rate(p.met, p.people) }))}
          />
          <DataTable
            columns={[
              { key: 'year', header: t('compliance.f.year'), rowHeader: true, cell: (p) => p.year },
              { key: 'met', header: t('compliance.col.met'), numeric: true, cell: (p) => p.met },
              { key: 'short', header: t('compliance.col.short'), numeric: true, cell: (p) => p.people - p.met },
              { key: 'rate', header: t('compliance.col.rate'), numeric: true, cell: (p) => `${rate(p.met, p.people)}%` },
            ]}
            rows={d.points}
            rowKey={(p) => p.year}
            caption={t('compliance.chart.trendTitle')}
          />
        </>
      )}
    </>
  )
}
