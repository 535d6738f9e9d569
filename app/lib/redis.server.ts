import { Redis } from 'ioredis'
import { getEnv } from './env.server.ts'

let client: Redis | undefined

/**
 * Redis for web requests (rate limits, enqueueing): fails fast instead of queueing commands
 * while disconnected, so a Redis outage turns into a clear error, never a hung request.
 */
export function getRedis(): Redis {
  if (!client) {
    client = new Redis(getEnv().REDIS_URL, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      lazyConnect: false,
    })
    client.on('error', () => {
      // Reported through /healthz and the failing call; ioredis reconnects by itself.
    })
  }
  return client
}

/** A connection for BullMQ workers, which must block and retry forever. */
export function createWorkerRedis(): Redis {
  return new Redis(getEnv().REDIS_URL, { maxRetriesPerRequest: null })
}

export function redisKey(...parts: string[]): string {
  return [getEnv().XUESHI_REDIS_PREFIX, ...parts].join(':')
}

export async function closeRedis(): Promise<void> {
  const c = client
  client = undefined
  if (c) await c.quit().catch(() => c.disconnect())
}
