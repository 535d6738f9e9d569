/** Pieces the benchmarks share: processes, readiness, peak memory, and the production build. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const root = path.resolve(import.meta.dirname, '../..')

/** Builds the production bundle if there is none yet. */
export function buildIfNeeded() {
  if (!existsSync(path.join(root, 'build/server/index.js'))) {
    spawnSync(process.execPath, [path.join(root, 'node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'], { cwd: root, stdio: 'inherit' })
  }
}

export function startProcess(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
}

export async function stopProcesses(children: ChildProcess[]) {
  for (const c of children) c.kill('SIGTERM')
  await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))))
}

export async function waitFor(url: string, init?: RequestInit) {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(url, init)
      if (r.status < 500) return
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${url} did not come up`)
}

/** The process's peak resident memory (VmHWM), MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 1024)
}

export type LoadResult = { rps: number; p50: number; p99: number; errors: number }

/** True when `wrk` is installed: a C load generator that leaves more of a small machine to the servers. */
export function haveWrk(): boolean {
  return process.env.BENCH_LOADGEN !== 'autocannon' && spawnSync('wrk', ['--version']).error === undefined
}

/**
 * Loads `url` with POSTs of the given bodies (used in turn) for `seconds` with `connections`
 * connections, using wrk (2 threads). Headers apply to every request.
 */
export function wrkPost(
  url: string,
  bodies: string[],
  opts: { connections: number; seconds: number; headers?: Record<string, string> },
): LoadResult {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xs-wrk-'))
  const file = path.join(dir, 'bodies.txt')
  writeFileSync(file, bodies.join('\n'))
  const headers = Object.entries(opts.headers ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('|')
  const r = spawnSync(
    'wrk',
    ['-t2', `-c${opts.connections}`, `-d${opts.seconds}s`, '--timeout', '5s', '-s', path.join(root, 'test/bench/wrk-post.lua'), url],
    {
      env: { ...process.env, WRK_BODIES: file, WRK_HEADERS: headers },
      encoding: 'utf8',
    },
  )
  rmSync(dir, { recursive: true, force: true })
  const m = /WRK_RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stdout)
  if (!m) throw new Error(`wrk failed: ${r.stderr || r.stdout}`)
  const [requests, micros, p50, p99, errors] = m.slice(1).map(Number) as [number, number, number, number, number]
  return { rps: Math.round(requests / (micros / 1e6)), p50: Math.round(p50 * 10) / 10, p99: Math.round(p99 * 10) / 10, errors }
}
