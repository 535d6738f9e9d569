import { audit } from '#app/domain/identity/audit.server.ts'
import { HR_SCOPE_CODES } from '#app/domain/shared/reference.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { randomToken, sha256 } from '#app/lib/crypto.server.ts'
import { singleton } from '#app/lib/singleton.server.ts'
import type { DB } from '#db/schema.ts'

/**
 * API clients (the title-application system and the like): bearer keys stored as SHA-256,
 * shown once at creation, scoped to a region or the whole province, revocable.
 */

export type ApiClient = { id: number; name: string; scopeRegion: string; rateLimitPerMinute: number }

export async function createApiClient(
  db: DB,
  input: { name: string; scopeRegion: string; rateLimitPerMinute?: number; actorAccountId: number | null },
): Promise<Result<{ id: number; key: string }, 'invalid_name' | 'invalid_scope'>> {
  const name = input.name.trim()
  if (!name || name.length > 100) return err('invalid_name')
  if (!HR_SCOPE_CODES.includes(input.scopeRegion)) return err('invalid_scope')
  const key = `xs_${randomToken(30)}`
  const row = await db
    .insertInto('api_clients')
    .values({
      name,
      key_prefix: key.slice(0, 10),
      key_hash: sha256(key),
      scope_region: input.scopeRegion,
      rate_limit_per_minute: input.rateLimitPerMinute ?? 600,
      created_by: input.actorAccountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await audit(db, {
    actorAccountId: input.actorAccountId,
    action: 'api_client.create',
    targetType: 'api_client',
    targetId: row.id,
    detail: { name, scopeRegion: input.scopeRegion },
  })
  return ok({ id: row.id, key })
}

/**
 * Revokes a key and clears this process's key cache. Inside a caller's transaction, the caller
 * clears the cache again after the commit (a check in between may have re-cached the key).
 */
export async function revokeApiClient(db: DB, id: number, actorAccountId: number | null): Promise<boolean> {
  const res = await db
    .updateTable('api_clients')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  const done = Number(res.numUpdatedRows) > 0
  clearApiKeyCache()
  if (done) await audit(db, { actorAccountId, action: 'api_client.revoke', targetType: 'api_client', targetId: id })
  return done
}

export async function listApiClients(db: DB) {
  return db
    .selectFrom('api_clients')
    .select(['id', 'name', 'key_prefix', 'scope_region', 'rate_limit_per_minute', 'created_at', 'revoked_at', 'last_used_at'])
    .orderBy('id', 'desc')
    .execute()
}

/**
 * Accepted keys are remembered per process for a few seconds, so a burst of checks does not
 * look the key up every time. A revocation clears this process's cache, so it takes effect here
 * at once and on other web processes within KEY_CACHE_MS. One cache per process (globalThis):
 * the admin page runs in the Remix build, the API in the fast path, and both must see the same.
 */
export const KEY_CACHE_MS = 5_000
const keyCache = singleton('api-key-cache', () => new Map<string, { client: ApiClient; until: number }>())

/** The client a bearer key belongs to, if the key is known and not revoked. */
export async function authenticateApiKey(db: DB, key: string): Promise<ApiClient | null> {
  if (!/^xs_[A-Za-z0-9_-]{20,80}$/.test(key)) return null
  const digest = sha256(key)
  const cacheKey = digest.toString('base64')
  const cached = keyCache.get(cacheKey)
  if (cached && cached.until > Date.now()) return cached.client
  const client = await lookupKey(db, digest)
  if (client) {
    if (keyCache.size > 1000) keyCache.clear()
    keyCache.set(cacheKey, { client, until: Date.now() + KEY_CACHE_MS })
  } else keyCache.delete(cacheKey)
  return client
}

export function clearApiKeyCache() {
  keyCache.clear()
}

async function lookupKey(db: DB, digest: Buffer): Promise<ApiClient | null> {
  const row = await db
    .selectFrom('api_clients')
    .select(['id', 'name', 'scope_region', 'rate_limit_per_minute'])
    .where('key_hash', '=', digest)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return row ? { id: row.id, name: row.name, scopeRegion: row.scope_region, rateLimitPerMinute: row.rate_limit_per_minute } : null
}
