import { inScope } from '#app/domain/shared/scope.ts'
import type { DB } from '#db/schema.ts'

import type { Actor } from './lifecycle.ts'

/**
 * Materials of an application and evidence of a rectification answer (base_files), for those who
 * may see them: HR whose scope covers the application's or the base's region (the province sees
 * all), admins, the applicant of the application, the staff of the base a case is about. Anyone
 * else gets null, exactly as for a file that does not exist.
 */
export async function fileForViewer(db: DB, viewer: Actor, fileId: number) {
  if (viewer.role === 'system' || !Number.isSafeInteger(fileId) || fileId <= 0) return null
  const file = await db
    .selectFrom('base_files as f')
    .leftJoin('base_applications as a', 'a.id', 'f.application_id')
    .leftJoin('rectification_cases as c', 'c.id', 'f.case_id')
    .leftJoin('bases as b', 'b.id', 'c.base_id')
    .select([
      'f.id',
      'f.application_id',
      'f.case_id',
      'f.filename',
      'f.content_type',
      'f.size',
      'f.sha256',
      'f.bytes',
      'a.applicant_account_id',
      'a.region_code as application_region',
      'c.base_id as case_base_id',
      'b.region_code as base_region',
    ])
    .where('f.id', '=', fileId)
    .executeTakeFirst()
  if (!file) return null
  const region = file.application_id !== null ? file.application_region : file.base_region
  let allowed: boolean
  switch (viewer.role) {
    case 'admin':
      allowed = true
      break
    case 'hr':
      allowed = region !== null && inScope(viewer.scopeRegion, region)
      break
    case 'base_staff':
      allowed = file.case_id !== null && file.case_base_id === viewer.baseId
      break
    case 'applicant':
      allowed = false
      break
  }
  // Whatever the role, an applicant sees the materials of their own application.
  if (!allowed && file.application_id !== null && file.applicant_account_id === viewer.accountId) allowed = true
  if (!allowed) return null
  return {
    id: file.id,
    applicationId: file.application_id,
    caseId: file.case_id,
    filename: file.filename,
    contentType: file.content_type,
    size: file.size,
    sha256: file.sha256,
    bytes: file.bytes,
  }
}

/** The evidence files of a base's rectification answers (names and sizes only), oldest first. */
export async function caseFilesOf(db: DB, baseId: number) {
  return db
    .selectFrom('base_files')
    .innerJoin('rectification_cases as c', 'c.id', 'base_files.case_id')
    .select(['base_files.id', 'base_files.case_id', 'base_files.filename', 'base_files.size'])
    .where('c.base_id', '=', baseId)
    .orderBy('base_files.id')
    .execute()
}
