import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'

import { evaluateCheck, governingPolicy, yearsToCheck } from '#app/domain/credit-api/credit-check.ts'
import { MAX_BATCH } from '#app/domain/credit-api/credit-checks.constants.ts'
import { ceYearOf } from '#app/domain/hours/ledger.server.ts'
import { cachedPolicies } from '#app/domain/policy/cache.server.ts'
import { idNumberCheckChar, maskIdNumber } from '#app/domain/shared/id-number.ts'
import { presentAnswer } from '#app/http/credit-check-answer.ts'
import { pageTitle, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('dev.title')

// An invented person (no one on the platform): the example answer below is computed from it.
const EXAMPLE_ID = (() => {
  const first17 = '22010219900307001'
  return `${first17}${idNumberCheckChar(first17)}`
})()

/**
 * The example answer, computed now by the same rules the API uses (the policies in force, the
 * API's wording), for an invented person who met the first year checked and fell short in the
 * last: it can't go stale as the policy changes, and quotes no real or demo person.
 */
async function exampleAnswer(now: Date) {
  const policies = await cachedPolicies(getDb())
  const applicationYear = ceYearOf(now)
  const currentTitleYear = applicationYear - 3
  const rules = governingPolicy(policies, applicationYear)?.titleCheck
  const years = rules ? yearsToCheck(applicationYear, currentTitleYear, rules) : []
  const totals = new Map(
    years.map((y, i) => {
      const req = (policies.get(y) ?? governingPolicy(policies, y))?.requirement
      const prof = Number(req?.professional ?? 0)
      const pub = Number(req?.public ?? 0)
      // Every year met except the last, 6 professional hours short.
      return [y, { professional: String(i === years.length - 1 ? Math.max(0, prof - 6) : prof + 4), public: String(pub) }]
    }),
  )
  const evaluation = evaluateCheck({ applicationYear, currentTitleYear, totals, policies })
  return presentAnswer({
    checkId: 'chk_Q0l4c3hWbE1pV2hC',
    found: true,
    idNumberMasked: maskIdNumber(EXAMPLE_ID),
    applicationYear,
    currentTitleYear,
    titleLevel: 'associate_senior',
    ...evaluation,
    checkedAt: now.toISOString(),
  })
}

export async function loader({ request }: LoaderFunctionArgs) {
  const now = new Date()
  return { origin: new URL(request.url).origin, example: await exampleAnswer(now), exampleId: EXAMPLE_ID }
}

const ERRORS: [number, string, string][] = [
  [400, 'invalid_body / invalid_id_number', '请求体或身份证号码无效（details.problem: format | area | date | checksum）/ bad body or ID number'],
  [400, 'batch_too_large', `批量超过 ${MAX_BATCH} 人 / more than ${MAX_BATCH} applicants`],
  [401, 'unauthorized', '缺少或无效的密钥 / missing or invalid key'],
  [403, 'forbidden', '人员不在密钥的核验范围内 / person outside the key’s scope'],
  [404, 'not_found', '没有该核验记录 / no such check for this key'],
  [422, 'application_year_out_of_range', '申报年度超出范围 / applicationYear out of range'],
  [429, 'rate_limited', '超过每分钟请求上限，见 Retry-After / over the per-minute limit, see Retry-After'],
]

export default function Developers() {
  const { origin, example, exampleId } = useLoaderData<typeof loader>()
  const year = example.applicationYear
  const t = useT()
  const single = `curl -s ${origin}/api/v1/credit-checks \\
  -H "Authorization: Bearer $XUESHI_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"idNumber":"${exampleId}","applicationYear":${year},"currentTitleYear":${example.currentTitleYear},"titleLevel":"associate_senior"}'`
  const batch = `curl -s ${origin}/api/v1/credit-checks/batch \\
  -H "Authorization: Bearer $XUESHI_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"applicants":[{"idNumber":"${exampleId}","applicationYear":${year}},{"idNumber":"22010219900307002X","applicationYear":${year}}]}'`
  const get = `curl -s ${origin}/api/v1/credit-checks/chk_Q0l4c3hWbE1pV2hC -H "Authorization: Bearer $XUESHI_API_KEY"`
  return (
    <article className="doc">
      <h1>{t('dev.title')}</h1>
      <p className="lead">{t('dev.lead')}</p>
      <p>
        <a href="/api/v1/openapi.json">{t('dev.openapi')}</a> · <code>/api/v1</code>
      </p>
      <h2>{t('dev.auth.title')}</h2>
      <p>{t('dev.auth.body')}</p>
      <h2>{t('dev.single.title')}</h2>
      <CodeBlock label={t('dev.codeLabel')}>
        <code>{single}</code>
      </CodeBlock>
      <CodeBlock label={t('dev.codeLabel')}>
        <code>{JSON.stringify(example, null, 2)}</code>
      </CodeBlock>
      <h2>{t('dev.batch.title')}</h2>
      <CodeBlock label={t('dev.codeLabel')}>
        <code>{batch}</code>
      </CodeBlock>
      <CodeBlock label={t('dev.codeLabel')}>
        <code>{`{ "results": [ { "index": 0, "ok": true, "checkId": "chk_…", "eligible": true, … },\n               { "index": 1, "ok": false, "status": 400, "error": { "code": "invalid_id_number", … } } ] }`}</code>
      </CodeBlock>
      <h2>{t('dev.get.title')}</h2>
      <CodeBlock label={t('dev.codeLabel')}>
        <code>{get}</code>
      </CodeBlock>
      <h2>{t('dev.rules.title')}</h2>
      <p>{t('dev.rules.body')}</p>
      <p>{t('integrity.developers.reason')}</p>
      <h2>{t('dev.errors.title')}</h2>
      <p>
        <code>{t('dev.errors.body')}</code>
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('dev.status')}</th>
              <th scope="col">code</th>
              <th scope="col">{t('dev.meaning')}</th>
            </tr>
          </thead>
          <tbody>
            {ERRORS.map(([status, code, meaning]) => (
              <tr key={code}>
                <td>{status}</td>
                <td className="mono">{code}</td>
                <td className="wrap">{meaning}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  )
}

/**
 * A code example that may scroll sideways: keyboard users must be able to reach it to scroll it
 * (axe scrollable-region-focusable), so it is a named, focusable region.
 */
function CodeBlock({ label, children }: { label: string; children: ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be focusable to be scrolled by keyboard
    <pre tabIndex={0} role="region" aria-label={label}>
      {children}
    </pre>
  )
}
