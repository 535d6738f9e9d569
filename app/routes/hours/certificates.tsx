import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator, useSearchParams } from '@remix-run/react'
import { useEffect } from 'react'
import { z } from 'zod'

import { requireUser } from '#app/auth/auth.server.ts'
import { FormAlert, Notice, useErrorText } from '#app/components/form.tsx'
import { DataTable } from '#app/components/ui/data-table.tsx'
import { formatCode, verifyPath } from '#app/domain/hours/certificates/certificate.ts'
import { certificateYears, listCertificates, requestCertificate } from '#app/domain/hours/certificates/certificates.server.ts'
import { ceYearOf } from '#app/domain/hours/ledger.server.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { publicOrigin } from '#app/lib/origin.server.ts'

export const meta = pageTitle('cert.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const db = getDb()
  const [years, certificates] = await Promise.all([certificateYears(db), listCertificates(db, user.personId)])
  const asked = Number(new URL(request.url).searchParams.get('year'))
  const lastYear = ceYearOf(new Date()) - 1
  const defaultYear = years.includes(asked) ? asked : years.includes(lastYear) ? lastYear : (years[0] ?? lastYear)
  return {
    years,
    defaultYear,
    certificates: certificates.map((c) => ({
      id: c.id,
      year: c.year,
      code: formatCode(c.code),
      verifyPath: verifyPath(c.code),
      status: c.status,
      issuedOn: c.facts.issuedOn,
      superseded: c.superseded,
      // A seminar's completion certificate (结业证书) states other facts than a year's hours.
      ...(c.kind === 'seminar_completion'
        ? { kind: c.kind, hours: null, met: true, seminar: { title: c.facts.seminarTitle, hours: c.facts.hours } }
        : { kind: c.kind, hours: c.facts.hours, met: c.facts.met, seminar: null }),
    })),
  }
}

// A whole-number year; a refusal is the form's (the select offers only years that exist).
const RequestSchema = z.object({ year: z.string().optional() }).transform(({ year }, ctx) => {
  if (!year || !Number.isInteger(Number(year))) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'err.cert.invalid_year' })
    return z.NEVER
  }
  return { year: Number(year) }
})

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await request.formData(), { schema: RequestSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const { year } = submission.value
  // The worker prints the verification URL: the configured public address (a request's Host is
  // echoed only if it is this machine, in development).
  const baseUrl = publicOrigin(new URL(request.url).origin, getEnv().XUESHI_PUBLIC_URL)
  if (!baseUrl) throw new Response('Unknown host: set XUESHI_PUBLIC_URL', { status: 400 })
  const result = await requestCertificate(getDb(), user.personId, year, { baseUrl })
  if (!result.ok) return data({ result: submission.reply({ formErrors: [`err.cert.${result.code}`] }) }, { status: 400 })
  return redirect(`/hours/certificates?${new URLSearchParams({ done: result.created ? 'created' : 'existing', year: String(year) })}`)
}

const STATUS_BADGE = { pending: 'badge', ready: 'badge badge-designated', failed: 'badge badge-revoked' } as const

export default function CertificatesPage() {
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form] = useForm({ id: 'certificate', lastResult: actionData?.result })
  const formError = useErrorText(form.errors)
  const [params] = useSearchParams()
  const navigation = useNavigation()
  const revalidator = useRevalidator()
  const t = useT()
  const lang = useLang()
  const pending = d.certificates.some((c) => c.status === 'pending')

  // While a certificate is being generated, ask the server again every 2 seconds.
  useEffect(() => {
    if (!pending || revalidator.state !== 'idle') return
    const timer = setTimeout(() => revalidator.revalidate(), 2000)
    return () => clearTimeout(timer)
  }, [pending, revalidator, d])

  const done = params.get('done')
  const submitting = navigation.state === 'submitting'
  return (
    <>
      <p className="small">
        <Link to="/hours">← {t('hours.title')}</Link>
      </p>
      <h1>{t('cert.title')}</h1>
      <p className="lead">{t('cert.lead')}</p>
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      {!actionData && done === 'created' ? <Notice>{t('cert.created')}</Notice> : null}
      {!actionData && done === 'existing' ? <Notice>{t('cert.existing')}</Notice> : null}
      <section className="panel" aria-labelledby="request-title">
        <h2 id="request-title">{t('cert.request')}</h2>
        <Form method="post" className="year-picker" {...getFormProps(form)}>
          <label htmlFor="year">{t('cert.year')}</label>
          <select id="year" name="year" defaultValue={d.defaultYear}>
            {d.years.map((y) => (
              <option key={y} value={y}>
                {t('hours.yearLabel', { year: y })}
              </option>
            ))}
          </select>
          <button type="submit" className="button" disabled={submitting}>
            {submitting ? t('cert.requesting') : t('cert.request')}
          </button>
        </Form>
      </section>
      <section className="panel" aria-labelledby="list-title">
        <h2 id="list-title">{t('cert.list')}</h2>
        <p className="sr-only" aria-live="polite">
          {pending ? t('cert.pendingLive') : ''}
        </p>
        {d.certificates.length === 0 ? (
          <p className="muted">{t('cert.none')}</p>
        ) : (
          <DataTable
            caption={t('cert.list')}
            rows={d.certificates}
            rowKey={(c) => c.id}
            columns={[
              { key: 'year', header: t('cert.col.year'), rowHeader: true, cell: (c) => c.year },
              {
                key: 'hours',
                header: t('cert.col.hours'),
                cell: (c) =>
                  c.seminar ? (
                    <>
                      {t('seminarResults.cert.summary', { title: c.seminar.title, hours: c.seminar.hours })}
                      <div className="small muted">{t('seminarResults.cert.kind')}</div>
                    </>
                  ) : (
                    <>
                      {c.hours ? t('cert.hoursSummary', c.hours) : null}
                      <div className="small muted">{c.met ? t('hours.met') : t('hours.notMet')}</div>
                    </>
                  ),
              },
              { key: 'issuedOn', header: t('cert.col.issuedOn'), nowrap: true, cell: (c) => formatDate(lang, c.issuedOn, 'day') },
              { key: 'code', header: t('cert.col.code'), cell: (c) => <span className="mono">{c.code}</span> },
              {
                key: 'status',
                header: t('cert.col.status'),
                cell: (c) => (
                  <>
                    <span className={STATUS_BADGE[c.status]}>{t(`cert.status.${c.status}`)}</span>
                    {c.status === 'failed' ? <div className="small muted">{t('cert.failedHint')}</div> : null}
                    {c.status !== 'failed' && c.superseded ? (
                      <>
                        {' '}
                        <span className="badge badge-rectification">{t('cert.superseded')}</span>
                        <div className="small muted">{t('cert.supersededHint')}</div>
                      </>
                    ) : null}
                  </>
                ),
              },
              {
                key: 'actions',
                header: t('cert.col.actions'),
                main: true,
                cell: (c) => (
                  <>
                    {c.status === 'ready' ? (
                      <div>
                        <a
                          href={`/certificates/${c.id}.pdf`}
                          aria-label={
                            c.seminar
                              ? t('seminarResults.mine.downloadLabel', { title: c.seminar.title })
                              : t('cert.downloadLabel', { year: c.year })
                          }
                        >
                          {t('cert.download')}
                        </a>
                      </div>
                    ) : null}
                    {c.status !== 'failed' ? (
                      <div>
                        <Link to={c.verifyPath}>{t('cert.verifyLink')}</Link>
                      </div>
                    ) : null}
                  </>
                ),
              },
            ]}
          />
        )}
      </section>
    </>
  )
}
