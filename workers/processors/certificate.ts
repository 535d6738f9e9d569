import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { renderCertificate } from '#app/domain/hours/certificates/certificates.server.ts'
import { JOBS, type JobPayload } from '../jobs.ts'

/** certificate.render: idempotent (a ready certificate is left as it is), so retries are harmless. */
export async function processCertificateRender(db: Kysely<Database>, data: unknown) {
  const payload: JobPayload<'certificate.render'> = JOBS['certificate.render'].schema.parse(data)
  return renderCertificate(db, payload.certificateId, { baseUrl: payload.baseUrl })
}
