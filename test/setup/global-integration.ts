import type { TestProject } from 'vitest/node'
import { createDb } from '#app/lib/db.server.ts'
import { prepareDatabase } from '#app/cli/prepare.ts'
import { recreateDatabase, startTestServices } from './services.ts'

export const TEMPLATE_DB = 'xueshi_test_template'

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string
    redisUrl: string
    templateDb: string
  }
}

/** Once per run: a migrated template database that each vitest worker clones. */
export default async function setup(project: TestProject) {
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
  return async () => {
    await services.stop()
  }
}
