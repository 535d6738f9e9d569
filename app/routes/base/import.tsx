import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { z } from 'zod'

import { requireBaseStaff } from '#app/auth/auth.server.ts'
import { FormAlert, useErrorText } from '#app/components/form.tsx'
import { Confirm, isConfirmed } from '#app/components/ui/confirm.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import {
  discardImport,
  getImport,
  type ImportOwner,
  issueRows,
  PREVIEW_PAGE,
  requestCommit,
  rosterDiff,
} from '#app/domain/imports/imports.server.ts'
import { isErrorIssue } from '#app/domain/imports/rows.ts'
import { activityOfBase } from '#app/domain/reports/activities.server.ts'
import { formatDate, formatHours, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /base/imports/:importId: a roster upload of the signed-in staff member's base: progress, preview, commit or discard.
export const meta = pageTitle('reportBase.import.title')

const notFound = () => new Response('Not Found', { status: 404 })
const WORKING = new Set(['queued', 'parsing', 'committing'])

function ownerOf(user: { baseId: number; accountId: number }): ImportOwner & { kind: 'roster' } {
  return { kind: 'roster', baseId: user.baseId, accountId: user.accountId }
}

/** The import of the caller's base named by the URL, or a 404 (another base's upload does not exist for them). */
async function ownImport(owner: ImportOwner, raw: string | undefined) {
  const id = /^\d{1,9}$/.test(raw ?? '') ? Number(raw) : 0
  const f = id > 0 ? await getImport(getDb(), owner, id) : undefined
  if (!f || f.activity_id === null) throw notFound()
  return { ...f, activity_id: f.activity_id }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireBaseStaff(request)
  const owner = ownerOf(user)
  const f = await ownImport(owner, params.importId)
  const db = getDb()
  const activity = await activityOfBase(db, user.baseId, f.activity_id)
  if (!activity) throw notFound()
  const url = new URL(request.url)
  const show = url.searchParams.get('show')
  const only = show === 'error' || show === 'warning' ? show : undefined
  const total = only === 'error' ? f.rows_error : only === 'warning' ? f.rows_warning : f.rows_error + f.rows_warning
  const pages = Math.max(1, Math.ceil(total / PREVIEW_PAGE))
  const asked = Number(url.searchParams.get('page') ?? '1')
  const page = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, pages) : 1
  const staged = f.status === 'staged'
  const [diff, issues] = staged ? await Promise.all([rosterDiff(db, f.id, f.activity_id), issueRows(db, f.id, { page, only })]) : [null, []]
  const outcome = (f.outcome ?? null) as Record<string, number> | null
  return {
    file: {
      id: f.id,
      filename: f.filename,
      kb: Math.max(1, Math.round(f.size / 1024)),
      status: f.status,
      stuck: f.stuck,
      version: f.version,
      errorCode: f.error_code,
      errorDetail: f.error_detail,
      read: f.rows_read,
      ok: f.rows_ok,
      warning: f.rows_warning,
      error: f.rows_error,
      createdAt: new Date(f.created_at).toISOString(),
      committedAt: f.committed_at ? new Date(f.committed_at).toISOString() : null,
    },
    activity: { id: activity.id, title: activity.title, declaredHours: activity.declared_hours },
    diff,
    outcome: outcome
      ? { added: outcome.added ?? 0, removed: outcome.removed ?? 0, changed: outcome.changed ?? 0, unchanged: outcome.unchanged ?? 0 }
      : null,
    issues: issues.map((r) => ({ row: r.row_number, name: r.name, id: r.idMasked, hours: r.hours, status: r.status, issues: r.issues })),
    only: only ?? null,
    page,
    pages,
  }
}

const DecisionSchema = z.object({
  intent: z.enum(['commit_all', 'commit_valid', 'discard'], { errorMap: () => ({ message: 'err.choice' }) }),
})

type ActionData = { result: SubmissionResult }

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireBaseStaff(request)
  const owner = ownerOf(user)
  const f = await ownImport(owner, params.importId)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: DecisionSchema, disableAutoCoercion: true })
  if (submission.status !== 'success') return data<ActionData>({ result: submission.reply() }, { status: 400 })
  const { intent } = submission.value
  if (intent === 'commit_valid' && !isConfirmed(formData))
    return data<ActionData>({ result: submission.reply({ formErrors: ['err.confirm'] }) }, { status: 400 })
  const r = await getDb()
    .transaction()
    .execute((trx) =>
      intent === 'discard'
        ? discardImport(trx, owner, f.id)
        : requestCommit(trx, owner, f.id, intent === 'commit_all' ? 'all' : 'valid_only'),
    )
  if (!r.ok) {
    if (r.code === 'not_found') throw notFound()
    return data<ActionData>(
      { result: submission.reply({ formErrors: [`importError.${r.code}`] }) },
      { status: r.code === 'not_staged' ? 409 : 400 },
    )
  }
  return redirect(`/base/imports/${f.id}`)
}

/** While the worker stages or commits, the page asks again every 1.5 s (nothing to do without JavaScript but reload). */
function useRefreshWhile(working: boolean) {
  const { revalidate, state } = useRevalidator()
  useEffect(() => {
    if (!working || state !== 'idle') return
    const timer = setTimeout(revalidate, 1500)
    return () => clearTimeout(timer)
  }, [working, state, revalidate])
}

export default function BaseImport() {
  const { file: f, activity, diff, outcome, issues, only, page, pages } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const lang = useLang()
  const formError = useErrorText(actionData?.result.error?.[''] ?? undefined)
  const working = WORKING.has(f.status)
  useRefreshWhile(working)
  const failedText = f.errorCode
    ? t.issue(`importError.${f.errorCode}`, { columns: f.errorDetail ?? '', limit: f.errorDetail ?? '' })
    : t('reportBase.import.failed')
  const valid = f.ok + f.warning
  const link = (next: { show?: string | null; page?: number }) => {
    const q = new URLSearchParams()
    const show = next.show === undefined ? only : next.show
    if (show) q.set('show', show)
    if ((next.page ?? 1) > 1) q.set('page', String(next.page))
    const s = q.toString()
    return `/base/imports/${f.id}${s ? `?${s}` : ''}`
  }
  type Row = (typeof issues)[number]
  const columns: Column<Row>[] = [
    { key: 'row', header: t('reportBase.col.row'), rowHeader: true, numeric: true, nowrap: true, cell: (r) => r.row },
    { key: 'name', header: t('reportBase.col.name'), nowrap: true, cell: (r) => r.name || '—' },
    { key: 'id', header: t('reportBase.col.id'), nowrap: true, cell: (r) => <span className="mono">{r.id || '—'}</span> },
    {
      key: 'hours',
      header: t('reportBase.col.rowHours'),
      numeric: true,
      nowrap: true,
      cell: (r) => (r.hours ? formatHours(r.hours) : '—'),
    },
    {
      key: 'issues',
      header: t('reportBase.col.issues'),
      cell: (r) => (
        <div className="stack">
          {r.issues.map((code) => (
            <p key={code}>
              <span className={`badge ${isErrorIssue(code) ? 'badge-revoked' : 'badge-rectification'}`}>
                {t(isErrorIssue(code) ? 'reportBase.level.error' : 'reportBase.level.warning')}
              </span>{' '}
              {t.issue(`importIssue.${code}`)}
            </p>
          ))}
        </div>
      ),
    },
  ]
  return (
    <>
      <p className="small">
        <Link to={`/base/activities/${activity.id}`}>← {activity.title}</Link>
      </p>
      <h1>{t('reportBase.import.title')}</h1>
      <p className="lead">
        {t('reportBase.import.file', { filename: f.filename, kb: f.kb })} · {formatDate(lang, f.createdAt, 'dateTime')} ·{' '}
        <strong>{t(`importStatus.${f.status}`)}</strong>
      </p>
      {formError ? <FormAlert>{formError}</FormAlert> : null}

      {working ? (
        <section className="panel" aria-labelledby="progress" aria-live="polite">
          <h2 id="progress">{t('reportBase.import.progress')}</h2>
          <progress aria-labelledby="progress" />
          <p>
            {t(`importStatus.${f.status}`)} · {t('reportBase.import.read', { rows: f.read })}
          </p>
          {f.stuck ? <FormAlert>{t('importError.stuck')}</FormAlert> : <p className="small muted">{t('reportBase.import.working')}</p>}
        </section>
      ) : null}

      {f.status === 'failed' ? (
        <section className="panel" aria-labelledby="failed">
          <h2 id="failed">{t('importStatus.failed')}</h2>
          <FormAlert>{failedText}</FormAlert>
          <p>{t('reportBase.import.failed')}</p>
          <p>
            <Link to={`/base/activities/${activity.id}`}>{t('reportBase.import.reupload')}</Link>
          </p>
        </section>
      ) : null}

      {f.status === 'discarded' ? <p className="muted">{t('reportBase.discarded')}</p> : null}

      {f.status === 'committed' && outcome ? (
        <section className="panel" aria-labelledby="outcome">
          <h2 id="outcome">{t('reportBase.committed', { version: f.version ?? '—' })}</h2>
          <h3>{t('reportBase.outcome')}</h3>
          <Counts
            items={[
              ['reportBase.diff.added', outcome.added],
              ['reportBase.diff.removed', outcome.removed],
              ['reportBase.diff.changed', outcome.changed],
              ['reportBase.diff.unchanged', outcome.unchanged],
            ]}
          />
        </section>
      ) : null}

      {f.status === 'staged' ? (
        <>
          <section className="panel" aria-labelledby="counts">
            <h2 id="counts">{t('importStatus.staged')}</h2>
            <Counts
              items={[
                ['reportBase.count.read', f.read],
                ['reportBase.count.ok', f.ok],
                ['reportBase.count.warning', f.warning],
                ['reportBase.count.error', f.error],
              ]}
            />
            {diff ? (
              <>
                <h3>{t('reportBase.diff')}</h3>
                <Counts
                  items={[
                    ['reportBase.diff.added', diff.added],
                    ['reportBase.diff.removed', diff.removed],
                    ['reportBase.diff.changed', diff.changed],
                    ['reportBase.diff.unchanged', diff.unchanged],
                    ...(diff.excluded > 0 ? [['reportBase.diff.excluded', diff.excluded] as const] : []),
                  ]}
                />
              </>
            ) : null}
          </section>

          <section className="panel" aria-labelledby="issues">
            <h2 id="issues">{t('reportBase.issues')}</h2>
            {f.error + f.warning > 0 ? (
              <>
                <nav className="inline-actions" aria-label={t('reportBase.issues.filter')}>
                  <span>{t('reportBase.issues.filter')}:</span>
                  {(
                    [
                      [null, 'reportBase.issues.all'],
                      ['error', 'reportBase.issues.errors'],
                      ['warning', 'reportBase.issues.warnings'],
                    ] as const
                  ).map(([show, key]) => (
                    <Link key={key} to={link({ show })} aria-current={only === show ? 'page' : undefined}>
                      {t(key)}
                    </Link>
                  ))}
                </nav>
                <p>
                  <a href={`/base/imports/${f.id}/issues.xlsx`} download>
                    {t('reportBase.issues.download')}
                  </a>
                </p>
                <DataTable columns={columns} rows={issues} rowKey={(r) => r.row} caption={t('reportBase.issues')} />
                {pages > 1 ? (
                  <nav className="pager" aria-label={t('reportBase.pages')}>
                    {page > 1 ? (
                      <Link to={link({ page: page - 1 })} rel="prev">
                        ← {t('reportBase.prev')}
                      </Link>
                    ) : (
                      <span />
                    )}
                    <span aria-current="page">{t('reportBase.page', { page, pages })}</span>
                    {page < pages ? (
                      <Link to={link({ page: page + 1 })} rel="next">
                        {t('reportBase.next')} →
                      </Link>
                    ) : (
                      <span />
                    )}
                  </nav>
                ) : null}
              </>
            ) : (
              <p className="muted">{t('reportBase.issues.none')}</p>
            )}
          </section>

          <section className="panel stack" aria-labelledby="decide">
            <h2 id="decide">{t('reportBase.decide')}</h2>
            <Form method="post">
              <button
                type="submit"
                name="intent"
                value="commit_all"
                className="button"
                disabled={busy || f.error > 0 || valid === 0}
                aria-describedby={f.error > 0 ? 'commit-all-blocked' : undefined}
              >
                {t('reportBase.commit.all')}
              </button>
              {f.error > 0 ? (
                <p className="small muted" id="commit-all-blocked">
                  {t('reportBase.commit.all.blocked', { n: f.error })}
                </p>
              ) : null}
            </Form>
            {f.error > 0 && valid > 0 ? (
              <Confirm
                label={t('reportBase.commit.valid')}
                title={t('reportBase.commit.valid.title', { n: valid })}
                body={t('reportBase.commit.valid.body', { errors: f.error })}
                confirmLabel={t('reportBase.commit.valid.confirm')}
                intent="commit_valid"
                variant="button-secondary"
                tone="primary"
                busy={busy}
              />
            ) : null}
            <Form method="post">
              <button type="submit" name="intent" value="discard" className="button button-secondary" disabled={busy}>
                {t('reportBase.discard')}
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </>
  )
}

function Counts({ items }: { items: readonly (readonly [Parameters<ReturnType<typeof useT>>[0], number])[] }) {
  const t = useT()
  return (
    <dl className="facts">
      {items.map(([key, n]) => (
        <div key={key}>
          <dt>{t(key)}</dt>
          <dd>{n}</dd>
        </div>
      ))}
    </dl>
  )
}
