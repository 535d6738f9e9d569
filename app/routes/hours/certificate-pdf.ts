import type { LoaderFunctionArgs } from '@remix-run/node'

import { requireUser } from '#app/auth/auth.server.ts'
import { formatCode } from '#app/domain/hours/certificates/certificate.ts'
import { getPdf } from '#app/domain/hours/certificates/certificates.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'

/** GET /certificates/<id>.pdf: the owner's ready certificate (hours or seminar completion); anyone else gets 404, as if it did not exist. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const id = Number(params.id)
  if (!/^\d{1,15}$/.test(params.id ?? '') || !Number.isSafeInteger(id)) notFound()
  const cert = await getPdf(getDb(), user.personId, id)
  if (!cert) notFound()
  const code = formatCode(cert.code)
  const completion = cert.kind === 'seminar_completion'
  const ascii = completion ? `xueshi-completion-${code}.pdf` : `xueshi-certificate-${cert.year}-${code}.pdf`
  const utf8 = encodeURIComponent(completion ? `结业证书-${code}.pdf` : `学时证明-${cert.year}-${code}.pdf`)
  return new Response(new Uint8Array(cert.pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Length': String(cert.pdf.length),
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
