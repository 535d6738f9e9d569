import type { LoaderFunctionArgs } from '@remix-run/node'

import { requireUser } from '#app/auth/auth.server.ts'
import { actorOf } from '#app/domain/bases/events.server.ts'
import { fileForViewer } from '#app/domain/bases/files.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'

/**
 * GET /bases/files/:fileId — a material of a base application or the evidence of a rectification
 * answer, for HR whose scope covers it, admins, the applicant, the base's staff (anyone else: 404,
 * as if it did not exist). The type is the one sniffed at upload; the browser must not guess another.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const id = params.fileId ?? ''
  if (!/^[1-9]\d{0,17}$/.test(id)) notFound()
  const db = getDb()
  const viewer = actorOf({ id: user.accountId, role: user.role, base_id: user.baseId, scope_region: user.scopeRegion })
  const file = await fileForViewer(db, viewer, Number(id))
  if (!file) notFound()
  // HR and admins opening someone's files is recorded, like opening claim evidence.
  if (viewer.role === 'hr' || viewer.role === 'admin') {
    await audit(db, {
      actorAccountId: user.accountId,
      action: 'base.file.view',
      targetType: 'base_file',
      targetId: id,
      detail: { applicationId: file.applicationId, caseId: file.caseId, sha256: file.sha256 },
    })
  }
  const ascii = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return new Response(new Uint8Array(file.bytes), {
    status: 200,
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(file.bytes.length),
      'Content-Disposition': `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    },
  })
}
