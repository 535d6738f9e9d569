/**
 * The server Playwright tests run against (playwright.config.ts `webServer`):
 * `node --import tsx test/e2e/server.ts`. Finds or starts PostgreSQL and Redis like the other
 * test suites, gives the run a fresh `xueshi_e2e` database and its own Redis key prefix, then runs
 * the real `npm start` entry point (app/cli/start.ts: build if needed, migrate, seed the demo
 * data, web + worker) on E2E_PORT (3100). Everything the platform prints is copied to
 * test-results/e2e-server.log so tests can check what was (not) logged. SIGTERM/SIGINT stop it all.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { prepareDatabase } from '#app/cli/prepare.ts'
import { PROJECT_ROOT } from '#app/cli/services.ts'
import { loadCourseFiles, syncCourses } from '#app/domain/courses/content-sync.server.ts'
import { policiesInForce } from '#app/domain/policy/policy.server.ts'
import { ceYearOf } from '#app/domain/shared/ce-year.ts'
import { createDb } from '#app/lib/db.server.ts'
import { recreateDatabase, startTestServices, TEST_DATA_KEY } from '#test/setup/services.ts'

const E2E_DATABASE = 'xueshi_e2e'
const SERVER_LOG = path.join(PROJECT_ROOT, 'test-results', 'e2e-server.log')

const port = Number(process.env.E2E_PORT ?? 3100)
const say = (s: string) => console.log(`[e2e] ${s}`)

mkdirSync(path.dirname(SERVER_LOG), { recursive: true })
writeFileSync(SERVER_LOG, '')

let stopping = false
/** Set once the platform has been spawned. */
const running: { child?: ChildProcess } = {}
function stop(signal: NodeJS.Signals) {
  if (stopping) return
  stopping = true
  say(`${signal}: stopping the platform…`)
  const child = running.child
  if (!child) return // still starting the services: finish once they are up
  if (child.exitCode === null && child.signalCode === null) child.kill(signal)
}
process.on('SIGTERM', () => stop('SIGTERM'))
process.on('SIGINT', () => stop('SIGINT'))

const services = await startTestServices(say)
async function finish(code: number) {
  await services.stop().catch((e: unknown) => say(`stopping services failed: ${String(e)}`))
  process.exit(code)
}

const databaseUrl = await recreateDatabase(services.adminUrl, E2E_DATABASE)
if (stopping) await finish(0)
await addTestCourses(databaseUrl)
// For tests that must set up a state no page can reach quickly (e.g. a due attention check).
writeFileSync(path.join(PROJECT_ROOT, 'test-results', 'e2e-database-url.txt'), databaseUrl)
say(`database ${E2E_DATABASE} re-created; Redis ${services.redisUrl}; starting the platform on port ${port}`)

const child = spawn(process.execPath, ['--import', 'tsx', 'app/cli/start.ts'], {
  cwd: PROJECT_ROOT,
  env: {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: services.redisUrl,
    PORT: String(port),
    XUESHI_SEED_DEMO: '1',
    XUESHI_SMS_LOCAL: '1', // reset codes through the local channel (no SMS provider in tests)
    XUESHI_DATA_KEY: TEST_DATA_KEY,
    XUESHI_REDIS_PREFIX: `e2e${Date.now()}`,
    LOG_LEVEL: 'info',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
})

/**
 * The test-only course of test/fixtures/e2e-content (a 12 s video, a 24 s text lesson), so the
 * browser journey can finish a course in seconds. Its video is not in public/: the journey serves
 * it to the browser itself (page.route), so nothing test-only ships with the platform.
 */
async function addTestCourses(url: string) {
  const db = createDb(url, 2)
  try {
    await prepareDatabase(db)
    const policy = (await policiesInForce(db)).get(ceYearOf(new Date()))
    if (!policy) throw new Error('no policy for this year')
    const dir = path.join(PROJECT_ROOT, 'test/fixtures/e2e-content')
    const courses = loadCourseFiles(path.join(dir, 'courses'), {
      videoDir: path.join(dir, 'course-videos'),
      minutesPerHour: policy.conversion.onlineMinutesPerHour,
    })
    await syncCourses(db, courses)
    say(`test-only courses added: ${courses.map((c) => c.id).join(', ')}`)
  } finally {
    await db.destroy()
  }
}

const copy = (chunk: Buffer) => {
  process.stdout.write(chunk)
  appendFileSync(SERVER_LOG, chunk)
}
running.child = child
child.stdout.on('data', copy)
child.stderr.on('data', copy)

child.on('exit', (code, signal) => {
  if (!stopping) say(`the platform stopped unexpectedly (${signal ?? `exit ${code}`})`)
  void finish(stopping ? 0 : (code ?? 1))
})
