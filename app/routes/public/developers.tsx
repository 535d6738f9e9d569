import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'

import { MAX_BATCH } from '#app/domain/credit-api/credit-checks.constants.ts'
import { pageTitle, useT } from '#app/i18n/index.ts'

export const meta = pageTitle('dev.title')

export async function loader({ request }: LoaderFunctionArgs) {
  return { origin: new URL(request.url).origin }
}

const answerExample = {
  checkId: 'chk_Q0l4c3hWbE1pV2hC',
  found: true,
  idNumberMasked: '220381********5677',
  applicationYear: 2026,
  currentTitleYear: 2023,
  titleLevel: 'associate_senior',
  eligible: false,
  years: [
    { year: 2024, policyVersion: '2024.1', required: { total: '90', professional: '60', public: '30' }, earned: { total: '96', professional: '64', public: '32' }, met: true, shortfall: { total: '0', professional: '0', public: '0' } },
    { year: 2025, policyVersion: '2025.1', required: { total: '90', professional: '60', public: '30' }, earned: { total: '84', professional: '54', public: '30' }, met: false, shortfall: { total: '6', professional: '6', public: '0' } },
  ],
  reasons: [{ code: 'year_not_met', year: 2025, message: '2025年学时未达标：共84/90学时，专业科目54/60，公需科目30/30' }],
  policyVersion: '2026.1',
  checkedAt: '2026-03-02T01:23:45.000Z',
}

const ERRORS: [number, string, string][] = [
  [400, 'invalid_body / invalid_id_number', '请求体或身份证号码无效（details.problem: format | date | checksum）/ bad body or ID number'],
  [400, 'batch_too_large', `批量超过 ${MAX_BATCH} 人 / more than ${MAX_BATCH} applicants`],
  [401, 'unauthorized', '缺少或无效的密钥 / missing or invalid key'],
  [403, 'forbidden', '人员不在密钥的核验范围内 / person outside the key’s scope'],
  [404, 'not_found', '没有该核验记录 / no such check for this key'],
  [422, 'application_year_out_of_range', '申报年度超出范围 / applicationYear out of range'],
  [429, 'rate_limited', '超过每分钟请求上限，见 Retry-After / over the per-minute limit, see Retry-After'],
]

export default function Developers() {
  const { origin } = useLoaderData<typeof loader>()
  const t = useT()
  const single = `curl -s ${origin}/api/v1/credit-checks \\
  -H "Authorization: Bearer $XUESHI_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"idNumber":"220381198802145677","applicationYear":2026,"currentTitleYear":2023,"titleLevel":"associate_senior"}'`
  const batch = `curl -s ${origin}/api/v1/credit-checks/batch \\
  -H "Authorization: Bearer $XUESHI_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"applicants":[{"idNumber":"220381198802145677","applicationYear":2026},{"idNumber":"220104199207256787","applicationYear":2026}]}'`
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
      <pre>
        <code>{single}</code>
      </pre>
      <pre>
        <code>{JSON.stringify(answerExample, null, 2)}</code>
      </pre>
      <h2>{t('dev.batch.title')}</h2>
      <pre>
        <code>{batch}</code>
      </pre>
      <pre>
        <code>{`{ "results": [ { "index": 0, "ok": true, "checkId": "chk_…", "eligible": true, … },\n               { "index": 1, "ok": false, "status": 400, "error": { "code": "invalid_id_number", … } } ] }`}</code>
      </pre>
      <h2>{t('dev.get.title')}</h2>
      <pre>
        <code>{get}</code>
      </pre>
      <h2>{t('dev.rules.title')}</h2>
      <p>{t('dev.rules.body')}</p>
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
