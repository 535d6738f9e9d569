import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { requireRole } from '#app/auth/auth.server.ts'
import { adminOverview } from '#app/domain/identity/stats.server.ts'
import { pageTitle, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

export const meta = pageTitle('admin.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['admin'])
  return adminOverview(getDb())
}

export default function AdminHome() {
  const stats = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <h1>{t('admin.title')}</h1>
      <p className="lead">{t('admin.lead')}</p>
      <div className="stats">
        <div className="stat">
          <span className="stat-value">{stats.people}</span>
          <span className="stat-label">{t('admin.stat.people')}</span>
        </div>
        <div className="stat">
          <span className="stat-value">{stats.staff}</span>
          <span className="stat-label">{t('admin.stat.staff')}</span>
        </div>
        <div className="stat">
          <span className="stat-value">{stats.bases}</span>
          <span className="stat-label">{t('admin.stat.bases')}</span>
        </div>
      </div>
      <p className="hero-actions">
        <Link className="button" to="/admin/staff">
          {t('nav.admin.staff')}
        </Link>
        <Link className="button button-secondary" to="/admin/employers">
          {t('employers.title')}
        </Link>
        <Link className="button button-secondary" to="/admin/audit">
          {t('nav.admin.audit')}
        </Link>
      </p>
    </>
  )
}
