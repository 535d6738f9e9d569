import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { type Kysely, Migrator } from 'kysely'

import { migrations } from './migrations/index.ts'
import type { Database } from './schema.ts'

/** Applies every pending migration in db/migrations; throws (naming the migration) on failure. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`)
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

// `npm run db:migrate`: DATABASE_URL, or the embedded database `npm start` uses.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { createDb } = await import('#app/lib/db.server.ts')
  const { provideDatabase } = await import('#app/cli/local-config.ts')
  const { prepareDatabase } = await import('#app/cli/prepare.ts')
  const database = await provideDatabase(console.log)
  const db = createDb(database.url, 1)
  try {
    const { migrations, policies } = await prepareDatabase(db)
    console.log(migrations.length ? `Applied: ${migrations.join(', ')}` : 'Database schema is up to date.')
    if (policies.length) console.log(`Policies loaded: ${policies.join(', ')}`)
  } finally {
    await db.destroy()
    await database.stop()
  }
}
