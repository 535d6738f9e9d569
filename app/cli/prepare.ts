import path from 'node:path'

import type { Kysely } from 'kysely'

import { loadCourseFiles, syncCourses } from '#app/domain/courses/content-sync.server.ts'
import { loadPolicyFiles, syncPolicies } from '#app/domain/policy/policy.server.ts'
import { ceYearOf } from '#app/domain/shared/ce-year.ts'
import { migrateToLatest } from '#db/migrate.ts'
import type { Database } from '#db/schema.ts'

import { PROJECT_ROOT } from './services.ts'

export const COURSES_DIR = path.join(PROJECT_ROOT, 'content/courses')
export const COURSE_VIDEO_DIR = path.join(PROJECT_ROOT, 'public/course-videos')

/**
 * Brings a database up to date: migrations, the yearly policies from content/policies, then the
 * courses from content/courses (validated against this year's online conversion rate).
 */
export async function prepareDatabase(db: Kysely<Database>): Promise<{ migrations: string[]; policies: string[]; courses: string[] }> {
  const migrations = await migrateToLatest(db)
  const policyFiles = loadPolicyFiles(path.join(PROJECT_ROOT, 'content/policies'))
  const policies = await syncPolicies(db, policyFiles)
  const year = ceYearOf(new Date())
  const policy = policyFiles.find((p) => p.year === year) ?? policyFiles.at(-1)
  if (!policy) throw new Error('No policy in content/policies: cannot validate courses')
  const synced = await syncCourses(
    db,
    loadCourseFiles(COURSES_DIR, { videoDir: COURSE_VIDEO_DIR, minutesPerHour: policy.conversion.onlineMinutesPerHour }),
  )
  return { migrations, policies, courses: [...synced.added, ...synced.updated] }
}
