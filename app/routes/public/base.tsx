import { data, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { asBaseEvent, StatusBadge } from '#app/components/bases/status-badge.tsx'
import { isHttpUrl } from '#app/domain/bases/profile.schema.ts'
import { registryEntry } from '#app/domain/bases/registry.server.ts'
import { nameOf, regionName, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /bases/:baseId: one base of the public registry, with its history.
export const meta = pageTitle('base.registry.title')
export const headers: HeadersFunction = ({ loaderHeaders }) => ({ 'Cache-Control': loaderHeaders.get('Cache-Control') ?? 'public, max-age=60' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = Number(params.baseId)
  const entry = Number.isSafeInteger(id) && id > 0 ? await registryEntry(getDb(), id) : null
  if (!entry) throw new Response('Not Found', { status: 404, headers: { 'Cache-Control': 'no-store' } })
  const lang = getLang(request)
  return data(
    {
      id: entry.id,
      name: entry.name,
      region: regionName(entry.region_code, lang),
      fields: entry.trainingFields.map((f) => nameOf(TITLE_SERIES, f, lang)),
      decisionNumber: entry.decision_number,
      noticeStart: entry.notice_start,
      noticeEnd: entry.notice_end,
      termStart: entry.term_start,
      termEnd: entry.term_end,
      revokedOn: entry.revoked_on,
      revocationDocument: entry.revocation_document,
      online: entry.online_platform,
      seats: entry.seats,
      intro: entry.intro,
      address: entry.address,
      // Linked only when it is http(s) (the column's check says so too): never javascript: or data:.
      website: entry.website && isHttpUrl(entry.website) ? entry.website : null,
      phone: entry.public_phone,
      status: entry.statusOn,
      history: entry.history.map((h) => ({ id: h.id, event: asBaseEvent(h.event), document: h.document_number, reason: h.reason, at: h.at.toISOString() })),
    },
    { headers: { 'Cache-Control': 'public, max-age=60' } },
  )
}

export default function BasePage() {
  const b = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  const day = (d: string | null) => (d ? formatDate(lang, d, 'day') : '—')
  const row = (label: string, value: React.ReactNode) => (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  )
  return (
    <>
      <p className="small">
        <Link to="/bases">← {t('base.page.back')}</Link>
      </p>
      <h1>{b.name}</h1>
      <p>
        <StatusBadge status={b.status} />
        {b.status === 'revoked' && b.revokedOn ? <span className="small"> {t('base.registry.revokedOn', { date: day(b.revokedOn) })}</span> : null}
      </p>
      {b.intro ? (
        <section className="panel" aria-labelledby="intro-title">
          <h2 id="intro-title">{t('baseProfile.intro')}</h2>
          {b.intro
            .split(/\n+/)
            .filter((line) => line.trim() !== '')
            .map((line, i) => (
              <p key={i}>{line}</p>
            ))}
        </section>
      ) : null}
      <section className="panel" aria-labelledby="facts-title">
        <h2 id="facts-title">{t('base.page.facts')}</h2>
        <dl className="facts">
          {row(t('base.registry.col.region'), b.region)}
          {row(t('base.page.fields'), b.fields.join('、') || '—')}
          {row(t('base.page.decision'), b.decisionNumber ?? '—')}
          {row(t('base.page.notice'), b.noticeStart && b.noticeEnd ? t('base.registry.term', { start: day(b.noticeStart), end: day(b.noticeEnd) }) : '—')}
          {row(t('base.page.term'), b.termStart && b.termEnd ? t('base.registry.term', { start: day(b.termStart), end: day(b.termEnd) }) : '—')}
          {row(t('base.page.online'), b.online === null ? '—' : b.online ? t('base.page.yes') : t('base.page.no'))}
          {row(t('base.page.seats'), b.seats ?? '—')}
          {row(t('baseProfile.address'), b.address ?? '—')}
          {row(
            t('baseProfile.website'),
            b.website ? (
              <a href={b.website} rel="noopener nofollow" target="_blank">
                {b.website}
              </a>
            ) : (
              '—'
            ),
          )}
          {row(t('baseProfile.publicPhone'), b.phone ? <a href={`tel:${b.phone.replace(/[^\d+]/g, '')}`}>{b.phone}</a> : '—')}
        </dl>
      </section>
      <section className="panel" aria-labelledby="hosts-title">
        <h2 id="hosts-title">{t('base.page.hosts')}</h2>
        <p className="muted">{t('base.page.hosts.placeholder')}</p>
      </section>
      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">{t('base.page.history')}</h2>
        {b.history.length === 0 ? (
          <p className="muted">{t('base.page.history.none')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('base.page.col.date')}</th>
                  <th scope="col">{t('base.page.col.event')}</th>
                  <th scope="col">{t('base.page.col.document')}</th>
                  <th scope="col">{t('base.page.col.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {b.history.map((h) => (
                  <tr key={h.id}>
                    <td className="nowrap">{formatDate(lang, h.at, 'date')}</td>
                    <td>{h.event ? t(`base.event.${h.event}`) : '—'}</td>
                    <td>{h.document ?? '—'}</td>
                    <td>{h.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  )
}
