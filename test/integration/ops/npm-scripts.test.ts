/**
 * Issue 9, item 2: `npm run web` / `npm run worker` pass SIGTERM to the process they start (the
 * scripts `exec` node, so no shell sits in between and orphans it): the server stops gracefully
 * instead of serving on after npm is gone.
 */
import { type ChildProcess, spawn } from 'node:child_process'

import { describe, expect, it } from 'vitest'

import { PROJECT_ROOT } from '#app/cli/services.ts'
import { freePort } from '#test/setup/platform.ts'
import { TEST_DATA_KEY } from '#test/setup/services.ts'

function npmRun(script: string, env: Record<string, string>) {
  const child = spawn('npm', ['run', script], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL!,
      REDIS_URL: process.env.REDIS_URL!,
      XUESHI_DATA_KEY: TEST_DATA_KEY,
      XUESHI_SMS_LOCAL: '1',
      XUESHI_REDIS_PREFIX: `npm${process.pid}`,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()))
  return { child, output: () => out }
}

async function until(ok: () => boolean | Promise<boolean>, ms: number, what: string) {
  const end = Date.now() + ms
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null ? r() : c.once('exit', () => r())))
const pidOf = (out: string) => Number(/"pid":(\d+)/.exec(out)?.[1])
const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('npm run web / worker and SIGTERM', { timeout: 60_000 }, () => {
  it('npm run web: SIGTERM to npm stops the server gracefully; nothing keeps serving', async () => {
    const port = await freePort()
    const { child, output } = npmRun('web', { PORT: String(port), XUESHI_PUBLIC_URL: `http://localhost:${port}` })
    const healthy = async () => (await fetch(`http://localhost:${port}/healthz`).catch(() => null))?.status === 200
    await until(healthy, 30_000, 'the web process')
    const server = pidOf(output())
    expect(server).toBeGreaterThan(0)
    child.kill('SIGTERM')
    await exited(child)
    await until(() => !alive(server), 10_000, 'the server to exit')
    expect(output()).toContain('web stopped')
    expect(await healthy()).toBe(false)
  })

  it('npm run worker: SIGTERM to npm stops the worker gracefully', async () => {
    const { child, output } = npmRun('worker', {})
    await until(() => output().includes('worker started'), 30_000, 'the worker')
    const worker = pidOf(output())
    child.kill('SIGTERM')
    await exited(child)
    await until(() => !alive(worker), 10_000, 'the worker to exit')
    expect(output()).toContain('worker stopped')
  })
})
