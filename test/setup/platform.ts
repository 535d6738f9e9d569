/**
 * The whole platform for fault tests: the real `npm start` entry point (app/cli/start.ts:
 * launcher → supervisor → web + worker) on a spare port, against this test file's database and
 * a Redis of the caller's choice, on the production build (made here if sources are newer). Keep
 * every test that starts the platform in one file, so two builds never race.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'

import { buildIfNeeded } from '#app/cli/build.ts'
import { PROJECT_ROOT } from '#app/cli/services.ts'

import { TEST_DATA_KEY } from './services.ts'

export type Platform = {
  url: string
  lines: string[]
  /** The current pid of `web` or `worker` (they change when the supervisor restarts them). */
  pid(name: 'web' | 'worker'): number | undefined
  waitForLine(re: RegExp, timeoutMs?: number, from?: number): Promise<string>
  waitHealthy(timeoutMs?: number): Promise<void>
  stop(): Promise<{ code: number | null; ms: number }>
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

export async function startPlatform(opts: { databaseUrl: string; redisUrl: string; env?: Record<string, string> }): Promise<Platform> {
  buildIfNeeded(() => undefined)
  const port = await freePort()
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'app/cli/start.ts')], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: opts.databaseUrl,
      REDIS_URL: opts.redisUrl,
      PORT: String(port),
      XUESHI_DATA_KEY: TEST_DATA_KEY,
      XUESHI_REDIS_PREFIX: `fault${process.pid}_${port}`,
      XUESHI_PUBLIC_URL: `http://localhost:${port}`,
      LOG_LEVEL: 'info',
      // The local SMS channel (codes in the log), as `npm start` sets when it provides the services.
      XUESHI_SMS_LOCAL: '1',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const pids: Record<string, number> = {}
  let buffered = ''
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    const parts = buffered.split('\n')
    buffered = parts.pop() ?? ''
    for (const line of parts) {
      lines.push(line)
      const m = /\b(web|worker) started \(pid (\d+)\)/.exec(line)
      if (m) pids[m[1]!] = Number(m[2])
      if (process.env.FAULT_LOG) console.log(line)
    }
  }
  child.stdout!.on('data', onData)
  child.stderr!.on('data', onData)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

  const url = `http://localhost:${port}`
  const platform: Platform = {
    url,
    lines,
    pid: (name) => pids[name],
    async waitForLine(re, timeoutMs = 30_000, from = 0) {
      const until = Date.now() + timeoutMs
      for (;;) {
        const hit = lines.slice(from).find((l) => re.test(l))
        if (hit) return hit
        if (Date.now() > until) throw new Error(`no line matching ${re} within ${timeoutMs} ms:\n${lines.slice(-30).join('\n')}`)
        if (child.exitCode !== null) throw new Error(`the platform exited (${child.exitCode}):\n${lines.slice(-30).join('\n')}`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    async waitHealthy(timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs
      for (;;) {
        try {
          const res = await fetch(`${url}/healthz`)
          if (res.status === 200) return
        } catch {
          // not listening (yet, or again)
        }
        if (Date.now() > until) throw new Error(`not healthy within ${timeoutMs} ms:\n${lines.slice(-30).join('\n')}`)
        if (child.exitCode !== null) throw new Error(`the platform exited (${child.exitCode}):\n${lines.slice(-30).join('\n')}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    },
    async stop() {
      const started = Date.now()
      if (child.exitCode === null) child.kill('SIGTERM')
      const code = await exited
      return { code, ms: Date.now() - started }
    },
  }
  await platform.waitHealthy()
  return platform
}
