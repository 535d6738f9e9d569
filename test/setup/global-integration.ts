import pg from 'pg'
import type { TestProject } from 'vitest/node'

import { buildIfNeeded } from '#app/cli/build.ts'
import { prepareDatabase } from '#app/cli/prepare.ts'
import { createDb } from '#app/lib/db.server.ts'

import { recreateDatabase, startTestServices } from './services.ts'

// Per run, so two runs on one machine (a developer and CI, say) never share databases.
const RUN_ID = `${process.pid}`
const TEMPLATE_DB = `xueshi_test_${RUN_ID}_template`

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string
    redisUrl: string
    templateDb: string
    runId: string
  }
}

/** Once per run: a migrated template database that each vitest worker clones. */
export default async function setup(project: TestProject) {
  // The platform tests (test/integration/ops/faults, security/edge) run the production build: made
  // here, once, before any worker starts, so two files never build at the same time.
  buildIfNeeded((s) => console.log(s))
  const services = await startTestServices((s) => console.log(s))
  const url = await recreateDatabase(services.adminUrl, TEMPLATE_DB)
  const db = createDb(url, 1)
  try {
    await prepareDatabase(db)
  } finally {
    await db.destroy()
  }
  project.provide('adminUrl', services.adminUrl)
  project.provide('redisUrl', services.redisUrl)
  project.provide('templateDb', TEMPLATE_DB)
  project.provide('runId', RUN_ID)
  return async () => {
    const client = new pg.Client({ connectionString: services.adminUrl })
    await client.connect()
    try {
      const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [
        `xueshi_test_${RUN_ID}_%`,
      ])
      for (const r of rows) await client.query(`drop database if exists "${r.datname}" with (force)`)
    } finally {
      await client.end()
    }
    await services.stop()
  }
}
