import type { LoaderFunctionArgs } from '@remix-run/node'

import { requireRole } from '#app/auth/auth.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { getLang } from '#app/i18n/lang.server.ts'
import { getDb } from '#app/lib/db.server.ts'

import { auditCsv, auditQuery } from './audit-view.server.ts'

/**
 * GET /admin/audit.csv — the audit log as filtered on /admin/audit, for Excel (UTF-8 with a BOM),
 * in the admin's language, ID numbers masked. The export itself is recorded.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireRole(request, ['admin'])
  const { filter } = auditQuery(new URL(request.url))
  const db = getDb()
  const csv = await auditCsv(db, getLang(request), filter)
  await audit(db, { actorAccountId: admin.accountId, action: 'audit.export', targetType: 'audit_log', detail: { ...filter } })
  const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)
  return new Response(csv, {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="xueshi-audit-${day}.csv"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
