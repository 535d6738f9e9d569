import { Redis } from 'ioredis'

import { getEnv } from './env.server.ts'
import { singleton } from './singleton.server.ts'

// One web client per process, also when the Remix build and the fast path each load this module.
const shared = singleton('redis', () => ({ client: undefined as Redis | undefined }))

/**
 * Redis for web requests (rate limits, enqueueing): fails fast instead of queueing commands
 * while disconnected, so a Redis outage turns into a clear error, never a hung request.
 */
function getClient(): Redis {
  let client = shared.client
  if (!client) {
    client = shared.client = new Redis(getEnv().REDIS_URL, {
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      lazyConnect: true,
    })
    client.on('error', () => {
      // Reported through /healthz and the failing call; ioredis reconnects by itself.
    })
  }
  return client
}

/**
 * The shared client, connected: waits (at most 2 s) for the first connection or a reconnect in
 * progress, then commands fail fast while Redis is unreachable.
 */
export async function getRedis(): Promise<Redis> {
  const c = getClient()
  if (c.status === 'ready') return c
  if (c.status === 'wait') {
    await c.connect().catch(() => undefined)
    return c
  }
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      c.off('ready', done)
      c.off('error', done)
      resolve()
    }
    const timer = setTimeout(done, 2000)
    c.once('ready', done)
    c.once('error', done)
  })
  return c
}

/** A connection for BullMQ workers, which must block and retry forever. */
export function createWorkerRedis(): Redis {
  return new Redis(getEnv().REDIS_URL, { maxRetriesPerRequest: null })
}

export function redisKey(...parts: string[]): string {
  return [getEnv().XUESHI_REDIS_PREFIX, ...parts].join(':')
}

export async function closeRedis(): Promise<void> {
  const c = shared.client
  shared.client = undefined
  if (c) await c.quit().catch(() => c.disconnect())
}
