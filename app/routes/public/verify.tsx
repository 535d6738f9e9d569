import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'

import { categoryLabel } from '#app/components/category.ts'
import { formatCode, METHODS, type SeminarCompletionFacts } from '#app/domain/hours/certificates/certificate.ts'
import { verifyCertificate } from '#app/domain/hours/certificates/certificates.server.ts'
import { fromCents, toCents } from '#app/domain/shared/decimal.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

/**
 * Public: anyone holding a certificate's code sees what it states, without logging in, and
 * whether the learner's records for that year changed after it was issued. Not indexed.
 */
const title = pageTitle('verify.title')
export const meta: MetaFunction = (args) => [...title(args), { name: 'robots', content: 'noindex, nofollow' }]

// A page's response takes its headers from this export, not from the loader's: without it the
// verdict (which changes when the learner's records change) could be kept by a cache.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export async function loader({ params }: LoaderFunctionArgs) {
  const input = (params.code ?? '').slice(0, 40)
  const v = await verifyCertificate(getDb(), input)
  if (!v) return data({ found: false as const, code: input }, { status: 404, headers: { 'Cache-Control': 'no-store' } })
  const headers = { 'Cache-Control': 'no-store' }
  if (v.kind === 'seminar_completion')
    return data({ found: true as const, kind: v.kind, code: formatCode(v.code), facts: v.facts, superseded: v.superseded }, { headers })
  return data({ found: true as const, kind: v.kind, code: formatCode(v.code), facts: v.facts, superseded: v.superseded }, { headers })
}

/** A seminar's completion certificate (结业证书): what it states, and whether a later finalisation changed it. */
function CompletionVerify({ code, facts: f, superseded }: { code: string; facts: SeminarCompletionFacts; superseded: boolean }) {
  const t = useT()
  const lang = useLang()
  const day = (d: string) => formatDate(lang, d, 'dayLong')
  const rows: [string, string][] = [
    [t('verify.name'), f.name],
    [t('verify.idNumber'), f.idNumberMasked],
    [t('seminarResults.verify.seminar'), f.seminarTitle],
    [t('seminarResults.verify.level'), t(`seminars.level.${f.level}`)],
    [t('seminarResults.verify.host'), f.hostBaseName],
    [t('seminarResults.verify.dates'), f.startDate === f.endDate ? day(f.startDate) : `${day(f.startDate)} – ${day(f.endDate)}`],
    [t('seminarResults.verify.hours'), t('seminarResults.verify.hoursValue', { category: categoryLabel(f.category, t), hours: f.hours })],
    [t('seminarResults.verify.attendance'), t('seminarResults.verify.attendanceValue', { attended: f.blocksAttended, total: f.blocksTotal })],
    [t('verify.policy'), f.policyVersion],
    [t('verify.issuer'), f.issuer],
    [t('verify.issuedOn'), day(f.issuedOn)],
    [t('verify.code'), code],
  ]
  return (
    <article className="form-page" aria-labelledby="verify-title">
      <h1 id="verify-title">{t('seminarResults.verify.title')}</h1>
      <p className="lead">{t('seminarResults.verify.lead')}</p>
      {superseded ? (
        <div className="alert alert-error" role="alert">
          <strong>{t('seminarResults.verify.superseded')}</strong>
        </div>
      ) : (
        <div className="alert alert-success" role="status">
          {t('seminarResults.verify.valid')} {t('seminarResults.verify.current')}
        </div>
      )}
      <section className="panel" aria-label={t('seminarResults.cert.kind')}>
        <dl className="facts">
          {rows.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </section>
    </article>
  )
}

export default function VerifyPage() {
  const d = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  if (!d.found) {
    return (
      <section className="error-page" aria-labelledby="nf-title">
        <p className="error-code">404</p>
        <h1 id="nf-title">{t('verify.notFound.title')}</h1>
        <p>{t('verify.notFound.body', { code: d.code })}</p>
      </section>
    )
  }
  if (d.kind === 'seminar_completion') return <CompletionVerify code={d.code} facts={d.facts} superseded={d.superseded} />
  const f = d.facts
  const issued = formatDate(lang, f.issuedOn, 'dayLong')
  const rows: [string, string][] = [
    [t('verify.name'), f.name],
    [t('verify.idNumber'), f.idNumberMasked],
    [t('verify.year'), t('hours.yearLabel', { year: f.year })],
    [t('verify.hours'), t('cert.hoursSummary', f.hours)],
    [t('verify.met'), f.met ? t('hours.met') : t('hours.notMet')],
    [t('verify.requirement'), t('verify.requirementValue', f.requirement)],
    [t('verify.policy'), f.policyVersion],
    [t('verify.issuer'), f.issuer],
    [t('verify.issuedOn'), issued],
    [t('verify.code'), d.code],
  ]
  return (
    <article className="form-page" aria-labelledby="verify-title">
      <h1 id="verify-title">{t('verify.title')}</h1>
      <p className="lead">{t('verify.lead')}</p>
      {d.superseded ? (
        <div className="alert alert-error" role="alert">
          <strong>{t('verify.superseded')}</strong>
        </div>
      ) : (
        <div className="alert alert-success" role="status">
          {t('verify.valid')} {t('verify.current')}
        </div>
      )}
      <section className="panel" aria-label={t('cert.title')}>
        <dl className="facts">
          {rows.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="panel" aria-labelledby="breakdown-title">
        <h2 id="breakdown-title">{t('verify.breakdown')}</h2>
        <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('cert.method')}</th>
              <th scope="col">{t('hours.professional')}</th>
              <th scope="col">{t('hours.public')}</th>
              <th scope="col">{t('hours.total')}</th>
            </tr>
          </thead>
          <tbody>
            {METHODS.map((m) => (
              <tr key={m}>
                <th scope="row">{t(`cert.method.${m}`)}</th>
                <td className="num">{f.byMethod[m].professional}</td>
                <td className="num">{f.byMethod[m].public}</td>
                <td className="num">{f.byMethod[m].total}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('cert.countedTotal')}</th>
              <td className="num">{f.ledgerCounted.professional}</td>
              <td className="num">{f.ledgerCounted.public}</td>
              <td className="num">{fromCents(toCents(f.ledgerCounted.professional) + toCents(f.ledgerCounted.public))}</td>
            </tr>
          </tbody>
        </table>
        </div>
      </section>
    </article>
  )
}
