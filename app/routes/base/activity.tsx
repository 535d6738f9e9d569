import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { requireBaseStaff } from '#app/auth/auth.server.ts'
import { FileField, FormAlert, useErrorText } from '#app/components/form.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { canBaseDeliver } from '#app/domain/bases/gate.server.ts'
import { createImport, IMPORT_ACCEPT, importsOfActivity, maxImportBytes, type UploadCode } from '#app/domain/imports/imports.server.ts'
import { reportsPolicyOn } from '#app/domain/policy/reports-policy.server.ts'
import { activityOfBase, overdue, reportDueFor } from '#app/domain/reports/activities.server.ts'
import { TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { translate } from '#app/i18n/catalog.server.ts'
import { formatDate, formatHours, formatList, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { readUpload } from '#app/lib/upload.server.ts'

// URL /base/activities/:activityId: one activity of the signed-in staff member's base, its roster versions and the upload.
export const meta = pageTitle('reportBase.activity.facts')

const notFound = () => new Response('Not Found', { status: 404 })

/** The activity of the caller's base named by the URL, or a 404 (another base's activity does not exist for them). */
async function ownActivity(baseId: number, raw: string | undefined) {
  const id = /^\d{1,9}$/.test(raw ?? '') ? Number(raw) : 0
  const activity = id > 0 ? await activityOfBase(getDb(), baseId, id) : undefined
  if (!activity) throw notFound()
  return activity
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireBaseStaff(request)
  const a = await ownActivity(user.baseId, params.activityId)
  const db = getDb()
  const today = chinaDay()
  const owner = { kind: 'roster', baseId: user.baseId, accountId: user.accountId } as const
  const [imports, gate] = await Promise.all([importsOfActivity(db, owner, a.id), canBaseDeliver(db, user.baseId, today)])
  const policy = reportsPolicyOn(today)
  return {
    activity: {
      id: a.id,
      title: a.title,
      category: a.category,
      mode: a.mode,
      titleSeries: a.title_series,
      startDate: a.start_date,
      endDate: a.end_date,
      fullDays: a.full_days,
      halfDays: a.half_days,
      declaredHours: a.declared_hours,
      venue: a.venue,
      reportDue: a.report_due,
      dueWithoutCalendar: a.due_without_calendar,
      workingDays: reportDueFor(a.end_date).workingDays,
      state: a.state,
      late: a.late === true,
      overdue: overdue(a, today),
      firstReportedOn: a.first_reported_on,
      policyVersion: a.policy_version,
    },
    imports: imports.map((f) => ({
      id: f.id,
      version: f.version,
      filename: f.filename,
      status: f.status,
      ok: f.rows_ok,
      warning: f.rows_warning,
      error: f.rows_error,
      createdAt: new Date(f.created_at).toISOString(),
    })),
    revoked: !gate.ok && gate.code === 'revoked',
    accept: IMPORT_ACCEPT,
    maxRows: policy.roster.maxRows,
    maxMb: Math.floor(policy.roster.maxFileBytes / 1024 / 1024),
  }
}

type ActionData = { result: SubmissionResult }

/** Refusals about the file itself go beside the file field; the base's standing is the form's. */
const FILE_CODES = new Set<UploadCode>(['file_required', 'file_too_large', 'empty', 'xls_old_format', 'not_table'])

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireBaseStaff(request)
  // Checked before the upload is read: another base's activity is not found, whatever is sent.
  const a = await ownActivity(user.baseId, params.activityId)
  const lang = getLang(request)
  const maxBytes = maxImportBytes()
  const tooLarge = translate(lang, 'importError.file_too_large', { mb: Math.floor(maxBytes / 1024 / 1024) })
  const upload = await readUpload(request, { fileField: 'roster', maxFileBytes: maxBytes })
  if (!upload.ok) {
    const error: Record<string, string[]> = upload.problem === 'too_large' ? { roster: [tooLarge] } : { '': ['err.upload'] }
    return data<ActionData>({ result: { status: 'error', error } }, { status: upload.problem === 'too_large' ? 413 : 400 })
  }
  const owner = { kind: 'roster', baseId: user.baseId, accountId: user.accountId } as const
  const r = await getDb()
    .transaction()
    .execute((trx) => createImport(trx, owner, { activityId: a.id, file: upload.file }))
  if (!r.ok) {
    if (r.code === 'not_found') throw notFound()
    const message = r.code === 'file_too_large' ? tooLarge : `importError.${r.code}`
    const error: Record<string, string[]> = FILE_CODES.has(r.code) ? { roster: [message] } : { '': [message] }
    return data<ActionData>({ result: { status: 'error', error } }, { status: 400 })
  }
  return redirect(`/base/imports/${r.importId}`)
}

export default function BaseActivity() {
  const { activity: a, imports, revoked, accept, maxRows, maxMb } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const [form, fields] = useForm<{ roster: File }>({ id: 'upload', lastResult: actionData?.result })
  const formError = useErrorText(form.errors)
  const day = (d: string) => formatDate(lang, d, 'day')
  const series = TITLE_SERIES.filter((s) => a.titleSeries.includes(s.code)).map((s) => s[lang])
  type Upload = (typeof imports)[number]
  const columns: Column<Upload>[] = [
    {
      key: 'file',
      header: t('reportBase.col.file'),
      rowHeader: true,
      cell: (f) => <Link to={`/base/imports/${f.id}`}>{f.filename}</Link>,
    },
    {
      key: 'version',
      header: t('reportBase.col.version'),
      nowrap: true,
      cell: (f) => (f.version === null ? '—' : t('reportBase.version.n', { n: f.version })),
    },
    { key: 'at', header: t('reportBase.col.uploadedAt'), nowrap: true, cell: (f) => formatDate(lang, f.createdAt, 'dateTime') },
    { key: 'rows', header: t('reportBase.col.rows'), nowrap: true, cell: (f) => `${f.ok} / ${f.warning} / ${f.error}` },
    { key: 'status', header: t('reportBase.col.status'), cell: (f) => t(`importStatus.${f.status}`) },
  ]
  return (
    <>
      <p className="small">
        <Link to="/base/activities">{t('reportBase.activity.back')}</Link>
      </p>
      <h1>{a.title}</h1>

      <section className="panel" aria-labelledby="facts">
        <h2 id="facts">{t('reportBase.activity.facts')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('reportBase.field.category')}</dt>
            <dd>{t(`reportBase.category.${a.category}`)}</dd>
          </div>
          <div>
            <dt>{t('reportBase.field.mode')}</dt>
            <dd>{t(`reportBase.mode.${a.mode}`)}</dd>
          </div>
          <div>
            <dt>{t('reportBase.field.titleSeries')}</dt>
            <dd>{formatList(lang, series)}</dd>
          </div>
          <div>
            <dt>{t('reportBase.col.dates')}</dt>
            <dd>
              {day(a.startDate)} – {day(a.endDate)}
            </dd>
          </div>
          <div>
            <dt>{t('reportBase.activity.daysLabel')}</dt>
            <dd>{t('reportBase.activity.days', { full: a.fullDays, half: a.halfDays })}</dd>
          </div>
          <div>
            <dt>{t('reportBase.field.declaredHours')}</dt>
            <dd>{formatHours(a.declaredHours)}</dd>
          </div>
          <div>
            <dt>{t('reportBase.field.venue')}</dt>
            <dd>{a.venue}</dd>
          </div>
          <div>
            <dt>{t('reportBase.col.state')}</dt>
            <dd>
              {t(`reportBase.state.${a.state}`)}
              {a.late ? (
                <>
                  {' '}
                  <span className="badge badge-rectification">{t('reportBase.late')}</span>
                </>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>{t('reportBase.activity.due')}</dt>
            <dd>
              <strong>{day(a.reportDue)}</strong> ({t('reportBase.activity.dueRule', { days: a.workingDays })})
              {a.overdue ? (
                <>
                  {' '}
                  <span className="badge badge-revoked">{t('reportBase.overdue')}</span>
                </>
              ) : null}
            </dd>
          </div>
          {a.firstReportedOn ? (
            <div>
              <dt>{t('reportBase.activity.firstReported')}</dt>
              <dd>{day(a.firstReportedOn)}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('reportBase.activity.policy')}</dt>
            <dd className="mono">{a.policyVersion}</dd>
          </div>
        </dl>
        {a.dueWithoutCalendar.length > 0 ? (
          <p className="small muted">{t('reportBase.activity.noCalendar', { years: a.dueWithoutCalendar.join('、') })}</p>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="versions">
        <h2 id="versions">{t('reportBase.versions')}</h2>
        {imports.length === 0 ? (
          <p className="muted">{t('reportBase.versions.none')}</p>
        ) : (
          <DataTable columns={columns} rows={imports} rowKey={(f) => f.id} caption={t('reportBase.versions')} />
        )}
      </section>

      <section className="panel" aria-labelledby="upload-title">
        <h2 id="upload-title">{t('reportBase.upload')}</h2>
        <p>
          {/* A file download: a plain link, not a client-side navigation. */}
          <a href="/base/roster-template.xlsx" download>
            {t('reportBase.template')}
          </a>
        </p>
        {imports.length > 0 ? <p className="small muted">{t('reportBase.upload.again')}</p> : null}
        {revoked ? (
          <p className="muted">{t('reportBase.upload.closed')}</p>
        ) : (
          <Form method="post" encType="multipart/form-data" className="stack" {...getFormProps(form)}>
            {formError ? <FormAlert>{formError}</FormAlert> : null}
            <FileField
              meta={fields.roster}
              label={t('reportBase.upload.file')}
              hint={t('reportBase.upload.hint', { rows: maxRows.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en'), mb: maxMb })}
              accept={accept}
              required
            />
            <button type="submit" className="button" disabled={busy}>
              {t('reportBase.upload.submit')}
            </button>
          </Form>
        )}
      </section>
    </>
  )
}
