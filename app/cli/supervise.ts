/**
 * Keeps a child process running: restarts it when it exits unexpectedly, with exponential backoff
 * (1 s, 2 s, 4 s … up to 30 s; back to 1 s once it has stayed up a minute), and stops it with
 * SIGTERM, then SIGKILL after a deadline. Used by `npm start` for the web and worker processes.
 */
import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process'

export type SuperviseOptions = {
  name: string
  command: string
  args: string[]
  options: SpawnOptions
  log: (s: string) => void
  /** Backoff steps in ms; the last one repeats. */
  backoffMs?: number[]
  /** A child that stayed up this long is healthy again: the next restart waits the first step. */
  healthyAfterMs?: number
}

export class Supervised {
  private child: ChildProcess | null = null
  private stopping = false
  private failures = 0
  private startedAt = 0
  private timer: NodeJS.Timeout | null = null
  restarts = 0

  constructor(private readonly o: SuperviseOptions) {}

  get pid(): number | undefined {
    return this.child?.pid
  }

  start(): this {
    this.startedAt = Date.now()
    const child = spawn(this.o.command, this.o.args, this.o.options)
    this.child = child
    this.o.log(`${this.o.name} started (pid ${child.pid})`)
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null
      if (this.stopping) return
      const upMs = Date.now() - this.startedAt
      if (upMs >= (this.o.healthyAfterMs ?? 60_000)) this.failures = 0
      const steps = this.o.backoffMs ?? [1000, 2000, 4000, 8000, 16_000, 30_000]
      const wait = steps[Math.min(this.failures, steps.length - 1)]!
      this.failures++
      this.restarts++
      this.o.log(
        `${this.o.name} exited (${signal ?? `exit ${code}`}) after ${(upMs / 1000).toFixed(1)} s; restarting in ${wait / 1000} s (restart ${this.restarts})`,
      )
      this.timer = setTimeout(() => {
        this.timer = null
        if (!this.stopping) this.start()
      }, wait)
    })
    return this
  }

  /** SIGTERM, then SIGKILL after `deadlineMs`; resolves when the child is gone. */
  stop(deadlineMs: number): Promise<void> {
    this.stopping = true
    if (this.timer) clearTimeout(this.timer)
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const kill = setTimeout(() => {
        this.o.log(`${this.o.name} did not stop within ${deadlineMs / 1000} s: killing it`)
        child.kill('SIGKILL')
      }, deadlineMs)
      child.once('exit', () => {
        clearTimeout(kill)
        resolve()
      })
      child.kill('SIGTERM')
    })
  }
}

/** Resolves with `fallback` if `p` has not settled within `ms`. */
export function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise<T>((resolve) => {
    const t = setTimeout(() => resolve(fallback), ms)
    p.then(
      (v) => {
        clearTimeout(t)
        resolve(v)
      },
      () => {
        clearTimeout(t)
        resolve(fallback)
      },
    )
  })
}
