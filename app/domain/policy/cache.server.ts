import { singleton } from '#app/lib/singleton.server.ts'
import type { DB } from '#db/schema.ts'

import { policiesInForce, type Policy } from './policy.server.ts'

/**
 * The policies in force, cached per process: they change once a year, so checks, certificates,
 * claims and HR tools read them from memory, refreshed every 30 s. One cache per process (on
 * globalThis), shared by the Remix build and the fast path.
 */
const CACHE_MS = 30_000
const cache = singleton('policy-cache', () => ({ current: undefined as { at: number; policies: Map<number, Policy> } | undefined }))

export async function cachedPolicies(db: DB): Promise<Map<number, Policy>> {
  if (!cache.current || Date.now() - cache.current.at > CACHE_MS) cache.current = { at: Date.now(), policies: await policiesInForce(db) }
  return cache.current.policies
}

/** After loading a new policy version (and between tests). */
export function clearPolicyCache() {
  cache.current = undefined
}
