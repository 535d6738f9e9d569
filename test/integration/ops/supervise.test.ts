import { describe, expect, it } from 'vitest'

import { Supervised } from '#app/cli/supervise.ts'

/** `npm start`'s supervisor: a crashed process comes back (with backoff); stop is bounded. */
const node = (code: string) => ({ command: process.execPath, args: ['-e', code], options: { stdio: 'ignore' as const } })
const until = async (ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('Supervised', () => {
  it('restarts a process that exits unexpectedly, waiting longer each time', async () => {
    const lines: string[] = []
    const s = new Supervised({ name: 'crashy', ...node('process.exit(3)'), log: (l) => lines.push(l), backoffMs: [50, 100, 200] }).start()
    await until(() => s.restarts >= 3)
    await s.stop(1000)
    const restarts = lines.filter((l) => l.includes('restarting in')).slice(0, 3)
    expect(restarts.every((l) => l.startsWith('crashy exited (exit 3)'))).toBe(true)
    expect(restarts.map((l) => l.replace(/.*restarting/, 'restarting'))).toEqual([
      'restarting in 0.05 s (restart 1)',
      'restarting in 0.1 s (restart 2)',
      'restarting in 0.2 s (restart 3)',
    ])
  })

  it('a process killed from outside comes back with a new pid', async () => {
    const s = new Supervised({ name: 'web', ...node('setInterval(() => {}, 1000)'), log: () => undefined, backoffMs: [50] }).start()
    const first = s.pid!
    process.kill(first, 'SIGKILL')
    await until(() => s.pid !== undefined && s.pid !== first)
    expect(s.restarts).toBe(1)
    await s.stop(1000)
  })

  it('stops with SIGTERM, and SIGKILL after the deadline when SIGTERM is ignored', async () => {
    const lines: string[] = []
    const s = new Supervised({
      name: 'stubborn',
      ...node("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"),
      log: (l) => lines.push(l),
    }).start()
    await new Promise((r) => setTimeout(r, 300))
    const started = Date.now()
    await s.stop(400)
    expect(Date.now() - started).toBeLessThan(3000)
    expect(lines).toContainEqual(expect.stringContaining('did not stop within 0.4 s'))
    expect(s.restarts).toBe(0)
  })
})
