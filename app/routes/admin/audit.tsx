import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'

import { requireRole } from '#app/auth/auth.server.ts'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { AUDIT_PAGE_SIZE, auditActions, auditActors, listAudit } from '#app/domain/identity/audit.server.ts'
import { formatDate, pageTitle, plural, useLang, useT } from '#app/i18n/index.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'

import { actionLabel, auditQuery, type AuditRowView, auditSearch, presentAuditRow } from './audit-view.server.ts'

export const meta = pageTitle('admin.audit.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['admin'])
  const { filter, page } = auditQuery(new URL(request.url))
  const db = getDb()
  const language = getLang(request)
  const [{ rows, total }, actors, actions] = await Promise.all([listAudit(db, filter, { page }), auditActors(db), auditActions(db)])
  return {
    filter,
    page,
    pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
    total,
    rows: rows.map((r) => presentAuditRow(language, r)),
    actors: actors.map((a) => ({ id: a.id, name: a.name, role: a.role })),
    actions: actions.map((a) => ({ code: a, label: actionLabel(language, a) })),
    search: auditSearch(filter),
    pageLinks: { prev: page > 1 ? auditSearch(filter, page - 1) || '?' : null, next: auditSearch(filter, page + 1) },
  }
}

export default function AdminAudit() {
  const d = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  const columns: Column<AuditRowView>[] = [
    { key: 'time', header: t('admin.audit.time'), nowrap: true, cell: (r) => formatDate(lang, r.at, 'dateTimeSeconds') },
    {
      key: 'actor',
      header: t('admin.audit.actor'),
      cell: (r) => (
        <>
          {r.actor}
          {r.actorRole ? <div className="small muted">{r.actorRole}</div> : null}
        </>
      ),
    },
    {
      key: 'action',
      header: t('admin.audit.action'),
      cell: (r) => (
        <>
          {r.actionLabel}
          <div className="small muted mono">{r.action}</div>
        </>
      ),
    },
    {
      key: 'target',
      header: t('admin.audit.target'),
      cell: (r) => (
        <>
          {r.targetName ?? r.target}
          {r.targetName ? <div className="small muted">{r.target}</div> : null}
        </>
      ),
    },
    {
      key: 'detail',
      header: t('admin.audit.detail'),
      width: '30%',
      cell: (r) =>
        r.detail.length ? (
          <dl className="audit-detail small">
            {r.detail.map((x) => (
              <div key={x.key}>
                <dt className="mono">{x.key}</dt>
                <dd className="mono">{x.value}</dd>
              </div>
            ))}
          </dl>
        ) : (
          '—'
        ),
    },
  ]
  const f = d.filter
  return (
    <>
      <h1>{t('admin.audit.title')}</h1>
      <p className="lead">{t('admin.audit.lead')}</p>
      <Form method="get" className="panel filters" aria-labelledby="audit-filter">
        <h2 id="audit-filter" className="sr-only">
          {t('admin.audit.filter')}
        </h2>
        <div className="field">
          <label htmlFor="audit-actor">{t('admin.audit.actor')}</label>
          <select id="audit-actor" name="actor" defaultValue={f.actor === 0 ? 'system' : f.actor ? String(f.actor) : ''}>
            <option value="">{t('admin.audit.any')}</option>
            <option value="system">{t('audit.actor.system')}</option>
            {d.actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} · {t(`role.${a.role}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-action">{t('admin.audit.action')}</label>
          <select id="audit-action" name="action" defaultValue={f.action ?? ''}>
            <option value="">{t('admin.audit.any')}</option>
            {d.actions.map((a) => (
              <option key={a.code} value={a.code}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">{t('admin.audit.from')}</label>
          <input id="audit-from" type="date" name="from" defaultValue={f.from ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">{t('admin.audit.to')}</label>
          <input id="audit-to" type="date" name="to" defaultValue={f.to ?? ''} />
        </div>
        <div className="filters-actions">
          <button type="submit" className="button">
            {t('admin.audit.apply')}
          </button>
          {d.search ? <Link to="/admin/audit">{t('admin.audit.clear')}</Link> : null}
        </div>
      </Form>
      <p className="audit-summary">
        <span>{t(`admin.audit.count.${plural(lang, d.total)}`, { count: d.total })}</span>{' '}
        <a href={`/admin/audit.csv${d.search}`} download>
          {t('admin.audit.csv')}
        </a>
      </p>
      {d.rows.length === 0 ? (
        <p className="muted">{t('admin.audit.none')}</p>
      ) : (
        <DataTable caption={t('admin.audit.title')} columns={columns} rows={d.rows} rowKey={(r) => r.id} />
      )}
      {d.pages > 1 ? (
        <nav className="pager" aria-label={t('admin.audit.pages')}>
          {d.pageLinks.prev ? (
            <Link to={d.pageLinks.prev} rel="prev">
              ← {t('admin.audit.prev')}
            </Link>
          ) : (
            <span />
          )}
          <span aria-current="page">{t('admin.audit.page', { page: d.page, pages: d.pages })}</span>
          {d.page < d.pages ? (
            <Link to={d.pageLinks.next} rel="next">
              {t('admin.audit.next')} →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </>
  )
}
