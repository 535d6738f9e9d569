import type { LoaderFunctionArgs } from '@remix-run/node'

import { requireHr } from '#app/auth/hr.server.ts'
import { getEvidenceForHr } from '#app/domain/claims/external-claims.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'

/**
 * GET /hr/claims/:id/evidence — the evidence file of a claim, for HR whose scope covers the
 * claimant (anyone else: 404, as if it did not exist). The type is the one sniffed from the
 * file's magic bytes at upload, and the browser is told not to guess another.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const id = params.id ?? ''
  if (!/^[1-9]\d{0,17}$/.test(id)) notFound()
  const db = getDb()
  const file = await getEvidenceForHr(db, Number(id), hr.scopeRegion)
  if (!file) notFound()
  // Opening someone's evidence is recorded, like opening their ledger.
  await audit(db, {
    actorAccountId: hr.accountId,
    action: 'hr.evidence.view',
    targetType: 'external_claim',
    targetId: id,
    detail: { personId: file.person_id, sha256: file.sha256 },
  })
  const ascii = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return new Response(new Uint8Array(file.bytes), {
    status: 200,
    headers: {
      'Content-Type': file.content_type,
      'Content-Length': String(file.bytes.length),
      'Content-Disposition': `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    },
  })
}
