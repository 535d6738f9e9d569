import type { Kysely } from 'kysely'
import { UnrecoverableError } from 'bullmq'
import type { Database } from '#db/schema.ts'
import { isJobName, type JobName } from '../jobs.ts'
import { processCertificateRender } from './certificate.ts'
import { processWelcomeNotice } from './welcome-notice.ts'

const processors: Record<JobName, (db: Kysely<Database>, data: unknown) => Promise<unknown>> = {
  'notice.welcome': processWelcomeNotice,
  'certificate.render': processCertificateRender,
}

/** Routes a job to its processor; an unknown name or invalid payload will never succeed, so no retry. */
export async function processJob(db: Kysely<Database>, name: string, data: unknown): Promise<unknown> {
  if (!isJobName(name)) throw new UnrecoverableError(`Unknown job ${name}`)
  try {
    return await processors[name](db, data)
  } catch (e) {
    if (e instanceof Error && e.name === 'ZodError') throw new UnrecoverableError(`Invalid payload for ${name}: ${e.message}`)
    throw e
  }
}
