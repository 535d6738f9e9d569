import { type ApiClient, authenticateApiKey } from '#app/domain/credit-api/api-clients.server.ts'
import { touchApiClient } from '#app/domain/credit-api/credit-checks.server.ts'
import { getDb, isDatabaseUnavailable } from '#app/lib/db.server.ts'
import { getLogger } from '#app/lib/log.server.ts'
import { getRedis, redisKey } from '#app/lib/redis.server.ts'

/**
 * Plumbing for /api/v1: one error shape, bearer-key authentication, a per-key rate limit in
 * Redis shared by every web process. Errors: { error: { code, message, details? } }.
 *
 * Handlers are transport-neutral (ApiRequest in, ApiReply out): the Remix resource routes wrap
 * them in Fetch Request/Response, and the fast path (app/api-dispatch.server.ts) reads and writes
 * Node's request and response directly, which is much cheaper per call (ADR 0007).
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
  | 'payload_too_large'
  | 'service_unavailable'

export type ApiRequest = {
  method: string
  /** Lower-case header name → value. */
  header(name: string): string | undefined
  text(): Promise<string>
  origin: string
  params: Record<string, string>
}

export type ApiReply = { status: number; body: unknown; headers: Record<string, string> }
export type ApiHandler = (req: ApiRequest) => Promise<ApiReply>

/** Thrown inside a handler to answer at once (401, 429). */
export class ApiStop extends Error {
  constructor(readonly reply: ApiReply) {
    super(`api stop ${reply.status}`)
  }
}

export function reply(body: unknown, status = 200, headers: Record<string, string> = {}): ApiReply {
  return { status, body, headers: { 'Cache-Control': 'no-store', ...headers } }
}

export function replyError(
  status: number,
  code: ApiErrorCode,
  message: string,
  details?: Record<string, unknown>,
  headers: Record<string, string> = {},
): ApiReply {
  return reply({ error: { code, message, ...(details ? { details } : {}) } }, status, headers)
}

export function methodNotAllowed(allow: string): ApiReply {
  return replyError(405, 'method_not_allowed', `请使用 ${allow} / Use ${allow}`, undefined, { Allow: allow })
}

/**
 * Runs a handler, turning a thrown ApiStop into its reply, and an unreachable database into 503
 * with Retry-After (the caller should retry; nothing was recorded).
 */
export async function handle(handler: ApiHandler, req: ApiRequest): Promise<ApiReply> {
  try {
    return await handler(req)
  } catch (e) {
    if (e instanceof ApiStop) return e.reply
    if (isDatabaseUnavailable(e)) {
      getLogger().warn({ err: (e as { message?: string }).message }, 'api request failed: database unavailable')
      return replyError(
        503,
        'service_unavailable',
        '服务暂时不可用，请稍后重试 / Service temporarily unavailable, please retry',
        undefined,
        { 'Retry-After': '5' },
      )
    }
    throw e
  }
}

/** For Remix resource routes: Fetch Request in, Fetch Response out. */
export async function handleFetch(handler: ApiHandler, request: Request, params: Record<string, string> = {}): Promise<Response> {
  const r = await handle(handler, {
    method: request.method,
    header: (name) => request.headers.get(name) ?? undefined,
    text: () => request.text(),
    origin: new URL(request.url).origin,
    params,
  })
  return Response.json(r.body, { status: r.status, headers: r.headers })
}

export async function requireApiClient(req: ApiRequest): Promise<ApiClient> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')
  const client = match ? await authenticateApiKey(getDb(), match[1]!) : null
  if (!client) {
    throw new ApiStop(
      replyError(401, 'unauthorized', '缺少有效的 API 密钥（Authorization: Bearer <key>）/ A valid API key is required', undefined, {
        'WWW-Authenticate': 'Bearer realm="xueshi"',
      }),
    )
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
    throw new ApiStop(
      replyError(
        429,
        'rate_limited',
        `请求过于频繁，请 ${retryAfter} 秒后重试 / Too many requests`,
        { limitPerMinute: client.rateLimitPerMinute, retryAfterSeconds: retryAfter },
        { 'Retry-After': String(retryAfter) },
      ),
    )
  }
}

export async function readJson(req: ApiRequest): Promise<{ ok: true; body: unknown } | { ok: false; reply: ApiReply }> {
  if (!(req.header('content-type') ?? '').toLowerCase().includes('application/json')) {
    return { ok: false, reply: replyError(400, 'invalid_body', '请求体必须是 JSON（Content-Type: application/json）/ Body must be JSON') }
  }
  const text = await req.text() // a body over the limit throws ApiStop(413) here
  try {
    return { ok: true, body: JSON.parse(text) as unknown }
  } catch {
    return { ok: false, reply: replyError(400, 'invalid_body', '请求体不是有效的 JSON / Body is not valid JSON') }
  }
}
