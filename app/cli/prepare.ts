import path from 'node:path'
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { loadPolicyFiles, syncPolicies } from '#app/domain/policy.server.ts'
import { PROJECT_ROOT } from './services.ts'

/** Brings a database up to date: migrations, then the yearly policies from content/policies. */
export async function prepareDatabase(db: Kysely<Database>): Promise<{ migrations: string[]; policies: string[] }> {
  const migrations = await migrateToLatest(db)
  const policies = await syncPolicies(db, loadPolicyFiles(path.join(PROJECT_ROOT, 'content/policies')))
  return { migrations, policies }
}
