import { Redis } from 'ioredis'

import { getEnv } from './env.server.ts'
import { singleton } from './singleton.server.ts'

// One web client per process, also when the Remix build and the fast path each load this module.
// `firstTried`: the first connection attempt is over, so from now on Redis is either up or known down.
const shared = singleton('redis', () => ({
  client: undefined as Redis | undefined,
  url: undefined as string | undefined,
  firstTried: false,
}))

/** How long a first connection may take (process start). */
const FIRST_CONNECT_MS = 1000
/**
 * How long a request waits for a reconnect in progress: Redis was up and is not now, so it is
 * known down, and a request must not pay seconds for that (ADR 0017). Each caller decides what a
 * missing Redis means for it (the API rate limit falls back to a per-process window).
 */
export const REDIS_DOWN_WAIT_MS = 150

/**
 * Redis for web requests (rate limits, enqueueing): fails fast instead of queueing commands
 * while disconnected, so a Redis outage turns into a clear error, never a hung request.
 */
function getClient(): Redis {
  let client = shared.client
  if (!client) {
    client = shared.client = new Redis(shared.url ?? getEnv().REDIS_URL, {
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      maxRetriesPerRequest: 1,
      connectTimeout: FIRST_CONNECT_MS,
      // A Redis that accepts the connection but does not answer (overloaded, paused) fails too.
      commandTimeout: 1000,
      lazyConnect: true,
    })
    client.on('error', () => {
      // Reported through /healthz and the failing call; ioredis reconnects by itself.
    })
  }
  return client
}

/**
 * The shared client, connected if it can be soon: the first call waits for the first connection
 * (at most 1 s); later calls wait at most `REDIS_DOWN_WAIT_MS` for a reconnect in progress, or
 * less if the attempt fails sooner. Commands on a client that is not ready fail at once.
 */
export async function getRedis(): Promise<Redis> {
  const c = getClient()
  if (c.status === 'ready') return c
  if (c.status === 'wait') {
    await c.connect().catch(() => undefined)
    shared.firstTried = true
    return c
  }
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      c.off('ready', done)
      c.off('error', done)
      resolve()
    }
    const timer = setTimeout(done, shared.firstTried ? REDIS_DOWN_WAIT_MS : FIRST_CONNECT_MS)
    c.once('ready', done)
    c.once('error', done)
  })
  return c
}

/**
 * Points this process's web client at another Redis (closing the current one); `undefined` goes
 * back to REDIS_URL. For tests that need a Redis that is down, and nothing else.
 */
export async function useRedisUrl(url: string | undefined): Promise<void> {
  await closeRedis()
  shared.url = url
  shared.firstTried = false
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
