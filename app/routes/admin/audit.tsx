import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'

import { requireRole } from '#app/auth/auth.server.ts'
import { listAudit } from '#app/domain/identity/audit.server.ts'
import { formatDate, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('admin.audit.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['admin'])
  const rows = await listAudit(getDb(), { limit: 200 })
  return { rows: rows.map((r) => ({ ...r, created_at: r.created_at.toISOString(), detail: JSON.stringify(r.detail) })) }
}

export default function AdminAudit() {
  const { rows } = useLoaderData<typeof loader>()
  const t = useT()
  const lang = useLang()
  return (
    <>
      <h1>{t('admin.audit.title')}</h1>
      {rows.length === 0 ? (
        <p className="muted">{t('admin.audit.none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.audit.time')}</th>
                <th scope="col">{t('admin.audit.actor')}</th>
                <th scope="col">{t('admin.audit.action')}</th>
                <th scope="col">{t('admin.audit.target')}</th>
                <th scope="col">{t('admin.audit.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{formatDate(lang, r.created_at, 'dateTimeSeconds')}</td>
                  <td>{r.actor_name ?? 'CLI'}</td>
                  <td className="mono">{r.action}</td>
                  <td className="mono">
                    {r.target_type} {r.target_id}
                  </td>
                  <td className="mono small wrap">{r.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
