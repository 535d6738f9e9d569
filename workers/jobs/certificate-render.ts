import { renderCertificate } from '#app/domain/hours/certificates/certificates.server.ts'
import type { DB } from '#db/schema.ts'

import { type JobPayload, JOBS } from './contract.ts'

/** certificate.render on the `pdf` queue; its schema, options and key are in contract.ts. */
export const job = JOBS['certificate.render']

/** Idempotent (a ready certificate is left as it is), so retries and replays are harmless. */
export async function process(db: DB, payload: JobPayload<'certificate.render'>) {
  return renderCertificate(db, payload.certificateId, { baseUrl: payload.baseUrl })
}
