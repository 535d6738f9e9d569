import { useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useRevalidator, useSearchParams } from '@remix-run/react'
import { useEffect } from 'react'

import { requireHr } from '#app/auth/hr.server.ts'
import { FormAlert, Notice } from '#app/components/form.tsx'
import { DataTable } from '#app/components/ui/data-table.tsx'
import { ExportRequestSchema } from '#app/domain/compliance/exports.schema.ts'
import { listExports, requestExport } from '#app/domain/compliance/exports.server.ts'
import { type ComplianceFilter, parseFilter } from '#app/domain/compliance/filter.ts'
import { coveredYears } from '#app/domain/compliance/people.server.ts'
import { compliancePolicy } from '#app/domain/policy/compliance-policy.server.ts'
import { ceYearOf } from '#app/domain/shared/ce-year.ts'
import { nameOf, regionName, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { formatDate, formatList, type Lang, pageTitle, type T, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('complianceExports.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const db = getDb()
  const rows = await listExports(db, hr.accountId)
  return {
    days: compliancePolicy().exportDays,
    exports: rows.map((r) => ({
      ...r,
      created_at: r.created_at.toISOString(),
      finished_at: r.finished_at ? r.finished_at.toISOString() : null,
      expires_at: r.expires_at.toISOString(),
    })),
  }
}

/**
 * Asks for an export of a filtered list (posted by the list's export buttons: the filter as
 * hidden fields, a format, perhaps full ID numbers). A filter that does not parse, lies outside
 * the officer's scope, or full IDs without the permission: a message, nothing created.
 */
export async function action({ request }: ActionFunctionArgs) {
  const hr = await requireHr(request)
  const submission = parseWithZod(await request.formData(), { schema: ExportRequestSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const { format, fullIds, ...fields } = submission.value
  const db = getDb()
  const years = await coveredYears(db)
  const parsed = parseFilter(fields, years[0] ?? ceYearOf(new Date()))
  if (!parsed.ok)
    return data({ result: submission.reply({ formErrors: parsed.problems.map((p) => `complianceExports.err.${p}`) }) }, { status: 400 })
  const r = await requestExport(db, hr, parsed.filter, format, fullIds)
  if (!r.ok)
    return data(
      { result: submission.reply({ formErrors: [`complianceExports.err.${r.code}`] }) },
      { status: r.code === 'full_ids_not_allowed' ? 403 : 400 },
    )
  return redirect(`/hr/compliance/exports?created=${r.exportId}`)
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['exports'][number]

const STATUS_BADGE = {
  queued: 'badge',
  running: 'badge',
  done: 'badge badge-designated',
  failed: 'badge badge-revoked',
  expired: 'badge badge-revoked',
} as const

function filterSummary(f: ComplianceFilter, employerName: string | null, t: T, lang: Lang): string {
  const parts: string[] = [t('complianceExports.filter.year', { year: f.year }), t(`complianceExports.filter.status.${f.status}`)]
  if (f.region) parts.push(regionName(f.region, lang))
  if (f.employer) parts.push(t('complianceExports.filter.employer', { name: employerName ?? `#${f.employer}` }))
  if (f.series) parts.push(nameOf(TITLE_SERIES, f.series, lang))
  if (f.level) parts.push(nameOf(TITLE_LEVELS, f.level, lang))
  if (f.integrity === 'in_force') parts.push(t('complianceExports.filter.integrity'))
  return formatList(lang, parts)
}

function size(bytes: number, t: T): string {
  if (bytes < 1024 * 1024) return t('complianceExports.size.kb', { n: Math.max(1, Math.round(bytes / 1024)) })
  return t('complianceExports.size.mb', { n: (bytes / (1024 * 1024)).toFixed(1) })
}

export default function ComplianceExports() {
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form] = useForm({ id: 'export', lastResult: actionData?.result })
  const [params] = useSearchParams()
  const revalidator = useRevalidator()
  const t = useT()
  const lang = useLang()
  const working = d.exports.some((e) => e.status === 'queued' || e.status === 'running')

  // While an export is being built, ask the server again every 2 seconds (progress, then the link).
  useEffect(() => {
    if (!working || revalidator.state !== 'idle') return
    const timer = setTimeout(() => revalidator.revalidate(), 2000)
    return () => clearTimeout(timer)
  }, [working, revalidator, d])

  // A refused filter is the form's error; a missing format (a forged post) the field's.
  const errors = [...new Set(Object.values(form.allErrors).flat())]
  const formError = errors.length ? errors.map((e) => t.issue(e)).join(' ') : null
  const statusOf = (e: Row) => (e.expired ? 'expired' : e.status)
  return (
    <>
      <p className="small">
        <Link to="/hr/compliance/people">← {t('complianceExports.backToPeople')}</Link>
      </p>
      <h1>{t('complianceExports.title')}</h1>
      <p className="lead">{t('complianceExports.lead', { days: d.days })}</p>
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      {!actionData && params.get('created') ? <Notice>{t('complianceExports.created')}</Notice> : null}
      <section className="panel" aria-labelledby="exports-title">
        <h2 id="exports-title">{t('complianceExports.list')}</h2>
        <p className="sr-only" aria-live="polite">
          {working ? t('complianceExports.pendingLive') : ''}
        </p>
        {d.exports.length === 0 ? (
          <p className="muted">{t('complianceExports.none')}</p>
        ) : (
          <DataTable<Row>
            caption={t('complianceExports.list')}
            rows={d.exports}
            rowKey={(e) => e.id}
            columns={[
              {
                key: 'created',
                header: t('complianceExports.col.created'),
                rowHeader: true,
                nowrap: true,
                cell: (e) => formatDate(lang, e.created_at, 'dateTime'),
              },
              {
                key: 'format',
                header: t('complianceExports.col.format'),
                cell: (e) => (
                  <>
                    {t(`complianceExports.format.${e.format}`)}
                    {e.full_ids ? <div className="small">{t('complianceExports.fullIdsTag')}</div> : null}
                  </>
                ),
              },
              {
                key: 'filter',
                header: t('complianceExports.col.filter'),
                cell: (e) => (e.filter ? filterSummary(e.filter, e.employerName, t, lang) : '—'),
              },
              {
                key: 'status',
                header: t('complianceExports.col.status'),
                cell: (e) => (
                  <>
                    <span className={STATUS_BADGE[statusOf(e)]}>{t(`complianceExports.status.${statusOf(e)}`)}</span>
                    {e.status === 'failed' && !e.expired ? <div className="small muted">{t('complianceExports.failedHint')}</div> : null}
                  </>
                ),
              },
              {
                key: 'progress',
                header: t('complianceExports.col.progress'),
                numeric: true,
                nowrap: true,
                cell: (e) => (e.rows_total === null ? '—' : t('complianceExports.progress', { done: e.rows_done, total: e.rows_total })),
              },
              {
                key: 'size',
                header: t('complianceExports.col.size'),
                numeric: true,
                nowrap: true,
                cell: (e) => (e.fileBytes !== null && !e.expired ? size(e.fileBytes, t) : '—'),
              },
              {
                key: 'expires',
                header: t('complianceExports.col.expires'),
                nowrap: true,
                cell: (e) => formatDate(lang, e.expires_at, 'dateTime'),
              },
              {
                key: 'download',
                header: t('complianceExports.col.download'),
                main: true,
                cell: (e) =>
                  e.downloadable ? (
                    <a
                      href={`/hr/compliance/exports/${e.id}/file`}
                      download
                      aria-label={t('complianceExports.download.label', { created: formatDate(lang, e.created_at, 'dateTime') })}
                    >
                      {t('complianceExports.download')}
                    </a>
                  ) : (
                    '—'
                  ),
              },
            ]}
          />
        )}
      </section>
    </>
  )
}
