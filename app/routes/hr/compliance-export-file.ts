import { createReadStream } from 'node:fs'

import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'

import { requireHr } from '#app/auth/hr.server.ts'
import { exportFile } from '#app/domain/compliance/exports.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'

/**
 * GET /hr/compliance/exports/:exportId/file — an export's file, streamed, for the officer who
 * asked for it (anyone else, or an unknown id: 404, as if it did not exist; past its expiry: 410).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const hr = await requireHr(request)
  const id = params.exportId ?? ''
  if (!/^[1-9]\d{0,15}$/.test(id)) notFound()
  const r = await exportFile(getDb(), hr.accountId, Number(id))
  if (!r.ok && r.code === 'expired') throw new Response('Gone', { status: 410 })
  if (!r.ok && r.code === 'not_ready') throw new Response('Conflict: the export is not ready yet', { status: 409 })
  if (!r.ok) notFound()
  return new Response(createReadableStreamFromReadable(createReadStream(r.path)), {
    status: 200,
    headers: {
      'Content-Type': r.contentType,
      'Content-Length': String(r.bytes),
      'Content-Disposition': `attachment; filename="${r.asciiFilename}"; filename*=UTF-8''${encodeURIComponent(r.filename)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    },
  })
}
