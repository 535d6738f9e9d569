import type { HeadersFunction, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'

import { REGISTRY_STATUSES, StatusBadge } from '#app/components/bases/status-badge.tsx'
import { listRegistry, type RegistryFilter } from '#app/domain/bases/registry.server.ts'
import { nameOf, regionName, REGIONS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /bases: the public registry (基地名录). Public data, shared caches may keep it a minute
// (a signed-in request is still made private by entry.server).
export const meta = pageTitle('base.registry.title')
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'public, max-age=60' })

export async function loader({ request }: LoaderFunctionArgs) {
  const sp = new URL(request.url).searchParams
  const q = (sp.get('q') ?? '').trim().slice(0, 100)
  const region = REGIONS.some((r) => r.code === sp.get('region')) ? sp.get('region')! : ''
  const status = REGISTRY_STATUSES.find((s) => s === sp.get('status')) ?? ''
  const filter: RegistryFilter = { q: q || undefined, region: region || undefined, status: status || undefined }
  const lang = getLang(request)
  const entries = await listRegistry(getDb(), filter)
  return {
    query: { q, region, status },
    regions: REGIONS.map((r) => ({ value: r.code, label: r[lang] })),
    statuses: REGISTRY_STATUSES,
    bases: entries.map((e) => ({
      id: e.id,
      name: e.name,
      region: regionName(e.region_code, lang),
      fields: e.trainingFields.map((f) => nameOf(TITLE_SERIES, f, lang)),
      termStart: e.term_start,
      termEnd: e.term_end,
      noticeEnd: e.notice_end,
      revokedOn: e.revoked_on,
      status: e.statusOn,
    })),
  }
}

export default function Registry() {
  const { query, regions, statuses, bases } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  const day = (d: string | null) => (d ? formatDate(lang, d, 'day') : '')
  return (
    <>
      <h1>{t('base.registry.title')}</h1>
      <p className="lead">{t('base.registry.lead')}</p>
      <p>
        <Link to="/bases/apply">{t('base.registry.apply')}</Link>
      </p>
      <Form method="get" className="filters" role="search" aria-label={t('base.registry.search')}>
        <div className="field">
          <label htmlFor="registry-q">{t('base.registry.search')}</label>
          <input id="registry-q" type="search" name="q" defaultValue={query.q} placeholder={t('base.registry.q')} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="registry-region">{t('base.registry.col.region')}</label>
          <select id="registry-region" name="region" defaultValue={query.region}>
            <option value="">{t('base.registry.regionAll')}</option>
            {regions.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="registry-status">{t('base.registry.col.status')}</label>
          <select id="registry-status" name="status" defaultValue={query.status}>
            <option value="">{t('base.registry.statusAll')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`base.registry.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t('base.registry.filter')}
        </button>
        {query.q || query.region || query.status ? <Link to="/bases">{t('base.registry.clear')}</Link> : null}
      </Form>
      <p className="muted small" aria-live="polite">
        {t('base.registry.count', { count: bases.length })}
      </p>
      {bases.length === 0 ? (
        <p className="muted">{t('base.registry.none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">{t('base.registry.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('base.registry.col.name')}</th>
                <th scope="col">{t('base.registry.col.region')}</th>
                <th scope="col">{t('base.registry.col.fields')}</th>
                <th scope="col">{t('base.registry.col.term')}</th>
                <th scope="col">{t('base.registry.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {bases.map((b) => (
                <tr key={b.id}>
                  <td>
                    <Link to={`/bases/${b.id}`}>{b.name}</Link>
                  </td>
                  <td>{b.region}</td>
                  <td>{b.fields.join('、') || '—'}</td>
                  <td className="nowrap">
                    {b.termStart && b.termEnd ? t('base.registry.term', { start: day(b.termStart), end: day(b.termEnd) }) : t('base.registry.noTerm')}
                  </td>
                  <td>
                    <StatusBadge status={b.status} />
                    {b.status === 'revoked' && b.revokedOn ? (
                      <div className="small">{t('base.registry.revokedOn', { date: day(b.revokedOn) })}</div>
                    ) : null}
                    {b.status === 'in_notice' && b.noticeEnd ? (
                      <div className="small">{t('base.registry.noticeUntil', { date: day(b.noticeEnd) })}</div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
