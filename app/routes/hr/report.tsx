import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireHr } from '#app/auth/hr.server.ts'
import { categoryLabel } from '#app/components/category.ts'
import { FormAlert, Notice, TextField, useErrorText } from '#app/components/form.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { ReportReviewSchema } from '#app/domain/reports/review.schema.ts'
import { acceptReport, CREDITED_PAGE, reportForHr, returnReport } from '#app/domain/reports/review.server.ts'
import { normalizeHours } from '#app/domain/shared/decimal.ts'
import { regionName } from '#app/domain/shared/reference.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

import { findingHref } from './integrity-forms.ts'

export const meta = pageTitle('reviews.report.title')

function activityIdOf(params: { activityId?: string }): number {
  const id = params.activityId ?? ''
  if (!/^[1-9]\d{0,17}$/.test(id)) throw new Response('Not Found', { status: 404 })
  return Number(id)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const activityId = activityIdOf(params)
  const asked = Number(new URL(request.url).searchParams.get('page') ?? 1)
  const page = Number.isInteger(asked) && asked >= 1 ? asked : 1
  const r = await reportForHr(getDb(), hr.scopeRegion, activityId, { page })
  if (!r) throw new Response('Not Found', { status: 404 })
  const a = r.activity
  return {
    activity: {
      id: a.id,
      title: a.title,
      category: a.category,
      mode: a.mode,
      startDate: a.start_date,
      endDate: a.end_date,
      fullDays: a.full_days,
      halfDays: a.half_days,
      declaredHours: normalizeHours(a.declared_hours),
      venue: a.venue,
      reportDue: a.report_due,
      state: a.state,
      reportedOn: a.first_reported_on,
      late: a.late === true,
      reviewReason: a.review_reason,
      reviewedAt: a.reviewed_at ? new Date(a.reviewed_at).toISOString() : null,
      reviewer: a.reviewer,
      baseId: a.base_id,
      baseName: a.base_name,
      region: a.region_code,
    },
    files: r.files.map((f) => ({
      id: f.id,
      version: f.version,
      filename: f.filename,
      status: f.status,
      rowsRead: f.rows_read,
      rowsError: f.rows_error,
      outcome: f.outcome,
      createdAt: f.created_at.toISOString(),
      committedAt: f.committed_at ? new Date(f.committed_at).toISOString() : null,
    })),
    credited: r.credited.map((c) => ({
      personId: c.person_id,
      name: c.name,
      idNumberMasked: c.idNumberMasked,
      employer: c.employer,
      hours: normalizeHours(c.hours),
      version: c.version,
      rowNumber: c.row_number,
    })),
    total: r.creditedTotal,
    page,
    pages: Math.max(1, Math.ceil(r.creditedTotal / CREDITED_PAGE)),
  }
}

type ActionData = { ok: true; done: 'accepted' | 'returned' } | { ok: false; result: SubmissionResult }

export async function action({ request, params }: ActionFunctionArgs) {
  const hr = await requireHr(request)
  const activityId = activityIdOf(params)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: ReportReviewSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data<ActionData>({ ok: false, result: submission.reply() }, { status: 400 })
  if (!isConfirmed(formData))
    return data<ActionData>({ ok: false, result: submission.reply({ formErrors: ['err.confirm'] }) }, { status: 400 })
  const input = submission.value
  const result = await getDb()
    .transaction()
    .execute((trx) => (input.intent === 'accept' ? acceptReport(trx, hr, activityId) : returnReport(trx, hr, activityId, input.reason)))
  if (!result.ok) {
    if (result.code === 'not_found') throw new Response('Not Found', { status: 404 })
    if (result.code === 'reason_required')
      return data<ActionData>({ ok: false, result: submission.reply({ fieldErrors: { reason: ['err.required'] } }) }, { status: 400 })
    return data<ActionData>({ ok: false, result: submission.reply({ formErrors: ['err.review.notReported'] }) }, { status: 409 })
  }
  return { ok: true, done: input.intent === 'accept' ? 'accepted' : 'returned' } satisfies ActionData
}

export default function HrReport() {
  const { activity: a, files, credited, total, page, pages } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const failed = actionData && !actionData.ok ? actionData : undefined
  const formError = useErrorText(failed?.result.error?.[''] ?? undefined)
  const [form, fields] = useForm<z.input<typeof ReportReviewSchema>>({ id: 'return-report', lastResult: failed?.result })
  type FileRow = (typeof files)[number]
  type Person = (typeof credited)[number]
  const fileColumns: Column<FileRow>[] = [
    {
      key: 'version',
      header: t('reviews.col.version'),
      rowHeader: true,
      cell: (f) => (f.version ? t('reviews.version', { version: f.version }) : '—'),
    },
    { key: 'file', header: t('reviews.col.file'), cell: (f) => f.filename },
    {
      key: 'status',
      header: t('reviews.col.state'),
      cell: (f) => (
        <>
          {t.issue(`importStatus.${f.status}`)}
          <div className="small muted">{formatDate(lang, f.committedAt ?? f.createdAt, 'date')}</div>
        </>
      ),
    },
    {
      key: 'outcome',
      header: t('reviews.col.outcome'),
      cell: (f) =>
        f.outcome
          ? t('reviews.outcome', {
              added: f.outcome.added ?? 0,
              removed: f.outcome.removed ?? 0,
              changed: f.outcome.changed ?? 0,
              unchanged: f.outcome.unchanged ?? 0,
            })
          : t('reviews.rowsRead', { rows: f.rowsRead, errors: f.rowsError }),
    },
  ]
  const personColumns: Column<Person>[] = [
    {
      key: 'name',
      header: t('reviews.col.person'),
      rowHeader: true,
      cell: (p) => (
        <>
          <Link to={`/hr/people/${p.personId}`}>{p.name}</Link>
          <div className="small mono">{p.idNumberMasked}</div>
        </>
      ),
    },
    { key: 'employer', header: t('reviews.col.employer'), cell: (p) => p.employer ?? '—' },
    { key: 'hours', header: t('reviews.col.hours'), numeric: true, cell: (p) => p.hours },
    {
      key: 'row',
      header: t('reviews.col.row'),
      cell: (p) => t('reviews.rowOf', { version: p.version ?? '—', row: p.rowNumber }),
    },
    {
      key: 'integrity',
      header: t('table.actions'),
      cell: (p) => (
        <Link
          to={findingHref({ kind: 'roster_row', activityId: a.id, personId: p.personId })}
          aria-label={t('integrityHr.linkLabel', { what: p.name })}
        >
          {t('integrityHr.link')}
        </Link>
      ),
    },
  ]
  return (
    <>
      <p className="small">
        <Link to="/hr/reports">← {t('reviews.title')}</Link>
      </p>
      <h1>{a.title}</h1>
      <p className="lead">
        {a.baseName} · {regionName(a.region, lang)}
      </p>
      {actionData?.ok ? <Notice>{t(actionData.done === 'accepted' ? 'reviews.accepted' : 'reviews.returned')}</Notice> : null}
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <section className="panel" aria-labelledby="facts-title">
        <h2 id="facts-title">{t('reviews.facts')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('reviews.col.state')}</dt>
            <dd>
              {t(`reviews.state.${a.state}`)}
              {a.late ? (
                <>
                  {' '}
                  <span className="badge badge-rectification">{t('reviews.late')}</span>
                </>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>{t('reviews.col.dates')}</dt>
            <dd>
              {formatDate(lang, a.startDate, 'day')} – {formatDate(lang, a.endDate, 'day')} ·{' '}
              {t('reviews.days', { full: a.fullDays, half: a.halfDays })}
            </dd>
          </div>
          <div>
            <dt>{t('reviews.declared')}</dt>
            <dd>
              {a.declaredHours} · {categoryLabel(a.category, t)} · {t(`reviews.mode.${a.mode}`)}
            </dd>
          </div>
          <div>
            <dt>{t('reviews.venue')}</dt>
            <dd>{a.venue}</dd>
          </div>
          <div>
            <dt>{t('reviews.dueLabel')}</dt>
            <dd>
              {formatDate(lang, a.reportDue, 'day')}
              {a.reportedOn ? ` · ${t('reviews.reportedOn', { date: formatDate(lang, a.reportedOn, 'day') })}` : ''}
            </dd>
          </div>
          {a.reviewedAt ? (
            <div>
              <dt>{t('reviews.lastReview')}</dt>
              <dd>
                {a.reviewer ?? '—'} · {formatDate(lang, a.reviewedAt, 'date')}
                {a.reviewReason ? <div>{a.reviewReason}</div> : null}
              </dd>
            </div>
          ) : null}
        </dl>
        {a.state === 'reported' ? (
          <div className="row-actions">
            <Confirm
              variant="button"
              tone="primary"
              label={t('reviews.accept')}
              title={t('reviews.accept.title')}
              body={<p>{t('reviews.accept.body', { title: a.title, count: total })}</p>}
              confirmLabel={t('reviews.accept.submit')}
              intent="accept"
              busy={busy}
            />
            <Confirm
              variant="button-secondary"
              label={t('reviews.return')}
              title={t('reviews.return.title')}
              body={<p>{t('reviews.return.body')}</p>}
              confirmLabel={t('reviews.return.submit')}
              intent="return"
              formProps={getFormProps(form)}
              defaultOpen={Boolean(fields.reason.errors)}
              busy={busy}
            >
              <TextField meta={fields.reason} label={t('reviews.reason')} required maxLength={500} />
            </Confirm>
          </div>
        ) : null}
      </section>
      <p className="small">
        <Link to={findingHref({ kind: 'activity', id: a.id })}>{t('integrityHr.link.report')}</Link>
      </p>
      <section className="panel" aria-labelledby="versions-title">
        <h2 id="versions-title">{t('reviews.versions')}</h2>
        {files.length === 0 ? (
          <p className="muted">{t('reviews.noFiles')}</p>
        ) : (
          <DataTable caption={t('reviews.versions')} columns={fileColumns} rows={files} rowKey={(f) => f.id} />
        )}
      </section>
      <section className="panel" aria-labelledby="people-title">
        <h2 id="people-title">{t('reviews.creditedTitle', { count: total })}</h2>
        {credited.length === 0 ? (
          <p className="muted">{t('reviews.noneCredited')}</p>
        ) : (
          <DataTable
            caption={t('reviews.creditedTitle', { count: total })}
            columns={personColumns}
            rows={credited}
            rowKey={(p) => p.personId}
          />
        )}
        {pages > 1 ? (
          <nav className="pager" aria-label={t('reviews.pages')}>
            {page > 1 ? (
              <Link to={`?page=${page - 1}`} rel="prev">
                ← {t('reviews.prev')}
              </Link>
            ) : (
              <span />
            )}
            <span aria-current="page">{t('reviews.page', { page, pages })}</span>
            {page < pages ? (
              <Link to={`?page=${page + 1}`} rel="next">
                {t('reviews.next')} →
              </Link>
            ) : (
              <span />
            )}
          </nav>
        ) : null}
      </section>
    </>
  )
}
