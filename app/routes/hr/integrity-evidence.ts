import type { LoaderFunctionArgs } from '@remix-run/node'

import { requireHr } from '#app/auth/hr.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { evidenceOf } from '#app/domain/integrity/records.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'

/**
 * GET /hr/integrity/:recordId/evidence — the evidence behind an integrity finding, for HR whose
 * scope covers the record (anyone else: 404, as if it did not exist). The type is the one sniffed
 * from the file's bytes at upload, and the browser is told not to guess another.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const id = params.recordId ?? ''
  if (!/^[1-9]\d{0,17}$/.test(id)) notFound()
  const db = getDb()
  const file = await evidenceOf(db, hr, Number(id))
  if (!file) notFound()
  // Opening the evidence of a finding is recorded, like opening a claim's evidence.
  await audit(db, { actorAccountId: hr.accountId, action: 'hr.integrity.evidence.view', targetType: 'integrity_record', targetId: id })
  const ascii = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return new Response(new Uint8Array(file.bytes), {
    status: 200,
    headers: {
      'Content-Type': file.mime,
      'Content-Length': String(file.bytes.length),
      'Content-Disposition': `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    },
  })
}
