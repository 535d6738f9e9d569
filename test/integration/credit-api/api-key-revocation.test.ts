import { describe, expect, test, vi } from 'vitest'

import * as apiClients from '#app/domain/credit-api/api-clients.server.ts'
import * as policyCache from '#app/domain/policy/cache.server.ts'
import { type ApiReply, handle } from '#app/http/api.server.ts'
import { checkOne } from '#app/http/credit-checks.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { getRedis } from '#app/lib/redis.server.ts'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'

/**
 * The web process holds two copies of the app's modules: the Remix build (build/server/index.js
 * bundles its own) serves the admin pages, and app/server.ts imports app/http directly for the
 * fast path. Module-level state would exist twice: an API key revoked in the admin UI would clear
 * the build's key cache while the fast path's copy went on accepting the key. Here the statically
 * imported modules play the fast path, and a second module graph (vi.resetModules, then import)
 * plays the Remix build.
 */

/** POST /api/v1/credit-checks as the fast path (app/http/dispatch.server.ts) serves it. */
function fastPathCheck(key: string, body: unknown): Promise<ApiReply> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
  return handle(checkOne, {
    method: 'POST',
    header: (name) => headers[name],
    text: async () => JSON.stringify(body),
    origin: 'http://localhost',
    params: {},
  })
}

/** A fresh copy of every app module, as a separate bundle would hold. */
async function remixBuildCopy() {
  vi.resetModules()
  return {
    adminApiClients: await import('#app/routes/admin/api-clients.tsx'),
    apiClients: await import('#app/domain/credit-api/api-clients.server.ts'),
    db: await import('#app/lib/db.server.ts'),
    redis: await import('#app/lib/redis.server.ts'),
    policyCache: await import('#app/domain/policy/cache.server.ts'),
  }
}

describe('process-wide singletons are shared by the Remix build and the fast path', () => {
  test('a key revoked in the admin UI is refused by the fast path at once (no wait for the key cache)', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const cookie = await cookieFor(getDb(), admin.accountId)
    const created = await apiClients.createApiClient(getDb(), { name: '职称申报系统', scopeRegion: '220000', actorAccountId: null })
    if (!created.ok) throw new Error(created.code)
    const learner = await createLearner(getDb())
    const body = { idNumber: learner.idNumber, applicationYear: 2026 }

    // The fast path accepts the key, and now has it in its key cache (KEY_CACHE_MS).
    expect((await fastPathCheck(created.key, body)).status).toBe(200)

    const remix = await remixBuildCopy()
    // Really a second copy of the module that holds the key cache, not the same one again.
    expect(remix.apiClients.clearApiKeyCache).not.toBe(apiClients.clearApiKeyCache)

    const revoked = await call(
      remix.adminApiClients.action,
      makeRequest('/admin/api-clients', { form: { intent: 'revoke', confirm: 'yes', clientId: String(created.id) }, cookie }),
    )
    expect(revoked.data).toEqual({ intent: 'revoke', ok: true })

    const after = await fastPathCheck(created.key, body)
    expect(after.status).toBe(401)
    expect(after.body).toMatchObject({ error: { code: 'unauthorized' } })
  })

  test('one pool, one Redis client and one policy cache per process, whichever copy asks', async () => {
    const remix = await remixBuildCopy()
    expect(remix.db.getDb()).toBe(getDb())
    expect(await remix.redis.getRedis()).toBe(await getRedis())
    const policies = await policyCache.cachedPolicies(getDb())
    expect(await remix.policyCache.cachedPolicies(remix.db.getDb())).toBe(policies)
    remix.policyCache.clearPolicyCache()
    expect(await policyCache.cachedPolicies(getDb())).not.toBe(policies)
  })
})
