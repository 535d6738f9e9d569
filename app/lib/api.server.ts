import { authenticateApiKey, type ApiClient } from '#app/domain/api-clients.server.ts'
import { touchApiClient } from '#app/domain/credit-checks.server.ts'
import { getDb } from './db.server.ts'
import { getLogger } from './log.server.ts'
import { getRedis, redisKey } from './redis.server.ts'

/**
 * Plumbing for /api/v1: one error shape, bearer-key authentication, a per-key rate limit in
 * Redis shared by every web process. Errors: { error: { code, message, details? } }.
 */
export type ApiErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid_body'
  | 'invalid_id_number'
  | 'application_year_out_of_range'
  | 'rate_limited'
  | 'batch_too_large'
  | 'method_not_allowed'

export function apiError(status: number, code: ApiErrorCode, message: string, details?: Record<string, unknown>, headers?: HeadersInit): Response {
  return Response.json({ error: { code, message, ...(details ? { details } : {}) } }, { status, headers: { 'Cache-Control': 'no-store', ...headers } })
}

export function methodNotAllowed(allow: string): Response {
  return apiError(405, 'method_not_allowed', `请使用 ${allow} / Use ${allow}`, undefined, { Allow: allow })
}

export function apiJson(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } })
}

export async function requireApiClient(request: Request): Promise<ApiClient> {
  const header = request.headers.get('Authorization') ?? ''
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  const client = match ? await authenticateApiKey(getDb(), match[1]!) : null
  if (!client) {
    throw apiError(401, 'unauthorized', '缺少有效的 API 密钥（Authorization: Bearer <key>）/ A valid API key is required', undefined, { 'WWW-Authenticate': 'Bearer realm="xueshi"' })
  }
  await enforceRateLimit(client)
  return client
}

/** Fixed one-minute windows per key. If Redis is down the check is skipped (logged): availability first. */
async function enforceRateLimit(client: ApiClient): Promise<void> {
  const now = Date.now()
  const window = Math.floor(now / 60_000)
  const key = redisKey('api', String(client.id), String(window))
  let count: number
  try {
    const redis = await getRedis()
    // One round trip in the common case; the window's key expires after it closes.
    count = await redis.incr(key)
    if (count === 1) await redis.expire(key, 61)
  } catch (e) {
    getLogger().warn({ err: (e as Error).message }, 'api rate limiter unavailable; request allowed')
    return
  }
  // First request of the window: note the key as used (at most one write per key per minute).
  if (count === 1) await touchApiClient(getDb(), client.id)
  if (count > client.rateLimitPerMinute) {
    const retryAfter = Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000))
    throw apiError(429, 'rate_limited', `请求过于频繁，请 ${retryAfter} 秒后重试 / Too many requests`, { limitPerMinute: client.rateLimitPerMinute, retryAfterSeconds: retryAfter }, { 'Retry-After': String(retryAfter) })
  }
}

export async function readJson(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  const type = request.headers.get('Content-Type') ?? ''
  if (!type.toLowerCase().includes('application/json')) {
    return { ok: false, response: apiError(400, 'invalid_body', '请求体必须是 JSON（Content-Type: application/json）/ Body must be JSON') }
  }
  try {
    return { ok: true, body: await request.json() }
  } catch {
    return { ok: false, response: apiError(400, 'invalid_body', '请求体不是有效的 JSON / Body is not valid JSON') }
  }
}
