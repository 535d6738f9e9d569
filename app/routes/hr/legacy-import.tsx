import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'

import { categoryLabel } from '#app/components/category.ts'
import { FormAlert } from '#app/components/form.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { discardImport, getImport, issueRows, PREVIEW_PAGE, requestCommit } from '#app/domain/imports/imports.server.ts'
import { LegacyImportActionSchema } from '#app/domain/reports/review.schema.ts'
import { normalizeHours } from '#app/domain/shared/decimal.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

import { requireProvinceHr } from './legacy-helpers.server.ts'

export const meta = pageTitle('legacy.import.title')

const WORKING = new Set(['queued', 'parsing', 'committing'])

function importIdOf(params: { importId?: string }): number {
  const id = params.importId ?? ''
  if (!/^[1-9]\d{0,17}$/.test(id)) throw new Response('Not Found', { status: 404 })
  return Number(id)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const hr = await requireProvinceHr(request)
  const importId = importIdOf(params)
  const db = getDb()
  const f = await getImport(db, hr.owner, importId)
  if (!f) throw new Response('Not Found', { status: 404 })
  const asked = Number(new URL(request.url).searchParams.get('page') ?? 1)
  const page = Number.isInteger(asked) && asked >= 1 ? asked : 1
  const issues = f.status === 'staged' || f.status === 'committed' ? await issueRows(db, importId, { page }) : []
  const withIssues = f.rows_warning + f.rows_error
  return {
    file: {
      id: f.id,
      filename: f.filename,
      status: f.status,
      stuck: f.stuck,
      format: f.format,
      encoding: f.encoding,
      errorCode: f.error_code,
      errorDetail: f.error_detail,
      rowsRead: f.rows_read,
      rowsOk: f.rows_ok,
      rowsWarning: f.rows_warning,
      rowsError: f.rows_error,
      commitMode: f.commit_mode,
      outcome: f.outcome,
      createdAt: f.created_at.toISOString(),
      committedAt: f.committed_at ? new Date(f.committed_at).toISOString() : null,
    },
    issues: issues.map((r) => ({
      rowNumber: r.row_number,
      name: r.name,
      idMasked: r.idMasked,
      ceYear: r.ce_year,
      category: r.category,
      hours: r.hours === null ? null : normalizeHours(r.hours),
      status: r.status,
      issues: r.issues,
    })),
    page,
    pages: Math.max(1, Math.ceil(withIssues / PREVIEW_PAGE)),
  }
}

type ActionData = { error: string }

export async function action({ request, params }: ActionFunctionArgs) {
  const hr = await requireProvinceHr(request)
  const importId = importIdOf(params)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: LegacyImportActionSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data<ActionData>({ error: 'err.choice' }, { status: 400 })
  const input = submission.value
  if (input.intent === 'commit' && !isConfirmed(formData)) return data<ActionData>({ error: 'err.confirm' }, { status: 400 })
  const r = await getDb()
    .transaction()
    .execute((trx) =>
      input.intent === 'commit' ? requestCommit(trx, hr.owner, importId, input.mode) : discardImport(trx, hr.owner, importId),
    )
  if (!r.ok) {
    if (r.code === 'not_found') throw new Response('Not Found', { status: 404 })
    return data<ActionData>({ error: `importError.${r.code}` }, { status: 409 })
  }
  return redirect(input.intent === 'discard' ? '/hr/legacy' : `/hr/legacy/${importId}`)
}

/** While the worker stages or commits, the page asks again every 1.5 s. */
function useAutoRevalidate(working: boolean) {
  const { revalidate, state } = useRevalidator()
  useEffect(() => {
    if (!working) return
    const timer = setInterval(() => {
      if (state === 'idle') revalidate()
    }, 1500)
    return () => clearInterval(timer)
  }, [working, revalidate, state])
}

export default function HrLegacyImport() {
  const { file: f, issues, page, pages } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const working = WORKING.has(f.status) && !f.stuck
  useAutoRevalidate(working)
  type Row = (typeof issues)[number]
  const columns: Column<Row>[] = [
    { key: 'row', header: t('legacy.col.row'), rowHeader: true, numeric: true, nowrap: true, cell: (r) => r.rowNumber },
    {
      key: 'person',
      header: t('reviews.col.person'),
      cell: (r) => (
        <>
          {r.name || '—'}
          <div className="small mono">{r.idMasked}</div>
        </>
      ),
    },
    {
      key: 'hours',
      header: t('reviews.col.hours'),
      cell: (r) => (
        <>
          {r.hours ?? '—'}
          <div className="small muted">
            {r.ceYear ?? '—'} · {r.category ? categoryLabel(r.category, t) : '—'}
          </div>
        </>
      ),
    },
    {
      key: 'issues',
      header: t('legacy.col.issues'),
      main: true,
      cell: (r) => (
        <ul className={`small ${r.status === 'error' ? 'text-error' : ''}`}>
          {r.issues.map((code) => (
            <li key={code}>{t.issue(`importIssue.${code}`)}</li>
          ))}
        </ul>
      ),
    },
  ]
  const total = Math.max(f.rowsRead, 1)
  return (
    <>
      <p className="small">
        <Link to="/hr/legacy">← {t('legacy.title')}</Link>
      </p>
      <h1>{f.filename}</h1>
      <p className="lead">
        {t.issue(`importStatus.${f.status}`)} · {formatDate(lang, f.createdAt, 'date')}
        {f.encoding ? ` · ${f.format ?? ''} ${f.encoding}` : ''}
      </p>
      {actionData?.error ? <FormAlert>{t.issue(actionData.error)}</FormAlert> : null}
      {working ? (
        <section className="panel" aria-live="polite">
          <progress aria-label={t.issue(`importStatus.${f.status}`)} />
          <p className="small muted">{t('legacy.working', { rows: f.rowsRead })}</p>
        </section>
      ) : null}
      {f.stuck ? <FormAlert>{t.issue('importError.stuck')}</FormAlert> : null}
      {f.status === 'failed' ? (
        <FormAlert>
          {t.issue(`importError.${f.errorCode ?? 'not_table'}`, { columns: f.errorDetail ?? '', limit: f.errorDetail ?? '' })}
        </FormAlert>
      ) : null}
      {f.status === 'staged' || f.status === 'committed' ? (
        <section className="panel" aria-labelledby="counts-title">
          <h2 id="counts-title">{t('legacy.counts')}</h2>
          <progress value={f.rowsOk + f.rowsWarning} max={total} aria-label={t('legacy.validShare')} />
          <p>{t('legacy.countsLine', { rows: f.rowsRead, ok: f.rowsOk, warnings: f.rowsWarning, errors: f.rowsError })}</p>
          {f.status === 'committed' && f.outcome ? (
            <p>
              <strong>{t('legacy.committed', { credited: f.outcome.credited ?? 0, unchanged: f.outcome.unchanged ?? 0 })}</strong>
            </p>
          ) : null}
          {f.status === 'staged' ? (
            <div className="row-actions">
              {f.rowsError === 0 ? (
                <Confirm
                  variant="button"
                  tone="primary"
                  label={t('legacy.commitAll')}
                  title={t('legacy.commit.title')}
                  body={<p>{t('legacy.commit.body', { count: f.rowsOk + f.rowsWarning })}</p>}
                  confirmLabel={t('legacy.commit.submit')}
                  intent="commit"
                  fields={{ mode: 'all' }}
                  busy={busy}
                />
              ) : f.rowsOk + f.rowsWarning > 0 ? (
                <Confirm
                  variant="button"
                  tone="primary"
                  label={t('legacy.commitValid')}
                  title={t('legacy.commit.title')}
                  body={<p>{t('legacy.commitValid.body', { count: f.rowsOk + f.rowsWarning, errors: f.rowsError })}</p>}
                  confirmLabel={t('legacy.commit.submit')}
                  intent="commit"
                  fields={{ mode: 'valid_only' }}
                  busy={busy}
                />
              ) : null}
              <Form method="post">
                <button type="submit" name="intent" value="discard" className="button button-secondary" disabled={busy}>
                  {t('legacy.discard')}
                </button>
              </Form>
            </div>
          ) : null}
        </section>
      ) : null}
      {f.status === 'failed' ? (
        <Form method="post">
          <button type="submit" name="intent" value="discard" className="button button-secondary" disabled={busy}>
            {t('legacy.discard')}
          </button>
        </Form>
      ) : null}
      {issues.length ? (
        <section className="panel" aria-labelledby="issues-title">
          <h2 id="issues-title">{t('legacy.issues')}</h2>
          <DataTable caption={t('legacy.issues')} columns={columns} rows={issues} rowKey={(r) => r.rowNumber} />
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
      ) : null}
    </>
  )
}
