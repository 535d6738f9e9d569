/**
 * The export half of `npm run bench:compliance`, run in a child process with the worker's node
 * flags (WORKER_NODE_ARGS) so its peak memory is the worker's: builds one compliance_exports row
 * (argv[2]) with `runExport` against DATABASE_URL and prints
 * `EXPORT_RESULT {"rows","bytes","ms","maxRssMb"}` (maxRssMb: the process's peak resident memory).
 */
import type { DB } from '#db/schema.ts'

type RunExport = (db: DB, exportId: number) => Promise<{ rows: number; bytes: number }>

async function main() {
  const exportId = Number(process.argv[2])
  if (!Number.isInteger(exportId) || exportId <= 0) throw new Error('usage: compliance-export-child.ts <exportId>')
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('DATABASE_URL is not set')
  const { createDb } = await import('#app/lib/db.server.ts')
  const mod = (await import('#app/domain/compliance/exports.server.ts' as string)) as { runExport: RunExport }
  const db = createDb(url, 2)
  try {
    const t = performance.now()
    const r = await mod.runExport(db, exportId)
    const ms = performance.now() - t
    const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
    console.log(`EXPORT_RESULT ${JSON.stringify({ rows: r.rows, bytes: r.bytes, ms, maxRssMb })}`)
  } finally {
    await db.destroy()
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e)
    process.exit(1)
  },
)
