import { type ApiClient, authenticateApiKey } from '#app/domain/credit-api/api-clients.server.ts'
import { touchApiClient } from '#app/domain/credit-api/credit-checks.server.ts'
import { getDb, isDatabaseUnavailable } from '#app/lib/db.server.ts'
import { getLogger } from '#app/lib/log.server.ts'
import { getRedis, redisKey } from '#app/lib/redis.server.ts'
import { singleton } from '#app/lib/singleton.server.ts'

/**
 * Plumbing for /api/v1: one error shape, bearer-key authentication, a per-key rate limit in
 * checks per minute, in Redis shared by every web process. Errors: { error: { code, message, details? } }.
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

/** The caller's API client from its bearer key, or 401. Charges nothing: see `enforceRateLimit`. */
export async function authenticateApiClient(req: ApiRequest): Promise<ApiClient> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')
  const client = match ? await authenticateApiKey(getDb(), match[1]!) : null
  if (!client) {
    throw new ApiStop(
      replyError(401, 'unauthorized', '缺少有效的 API 密钥（Authorization: Bearer <key>）/ A valid API key is required', undefined, {
        'WWW-Authenticate': 'Bearer realm="xueshi"',
      }),
    )
  }
  return client
}

/** Authenticates and charges one check (single check, look-up). A batch charges per applicant itself. */
export async function requireApiClient(req: ApiRequest): Promise<ApiClient> {
  const client = await authenticateApiClient(req)
  await enforceRateLimit(client, 1)
  return client
}

// Takes `cost` from the window's budget only if all of it fits: a refused batch costs nothing.
// KEYS[1] the window's counter; ARGV cost, limit. Returns { used after, taken 0|1 }.
const TAKE = `local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return {used, 0} end
used = redis.call('INCRBY', KEYS[1], ARGV[1])
if used == tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], 61) end
return {used, 1}`

/**
 * While Redis is unreachable: the same windows counted in this process's memory (ADR 0017). The
 * title-application system keeps working; abuse stays bounded (by the limit × web processes).
 */
const fallback = singleton('api-rate-fallback', () => ({ window: 0, used: new Map<number, number>() }))

function takeLocally(clientId: number, window: number, cost: number, limit: number): { used: number; taken: boolean; first: boolean } {
  if (fallback.window !== window) {
    fallback.window = window
    fallback.used.clear()
  }
  const used = fallback.used.get(clientId) ?? 0
  if (used + cost > limit) return { used, taken: false, first: false }
  fallback.used.set(clientId, used + cost)
  return { used: used + cost, taken: true, first: used === 0 }
}

/**
 * Fixed one-minute windows per key, counted in checks (a batch of n costs n), in Redis so every
 * web process shares them. A request whose cost does not fit in what is left of the window is
 * refused whole (429, saying how much is left) and costs nothing. If Redis is down the window is
 * counted in this process instead (fail open, bounded; ADR 0017).
 */
export async function enforceRateLimit(client: ApiClient, cost: number): Promise<void> {
  const now = Date.now()
  const window = Math.floor(now / 60_000)
  const limit = client.rateLimitPerMinute
  let outcome: { used: number; taken: boolean; first: boolean }
  try {
    const redis = await getRedis()
    const [used, taken] = (await redis.eval(TAKE, 1, redisKey('api', String(client.id), String(window)), cost, limit)) as [number, number]
    outcome = { used, taken: taken === 1, first: taken === 1 && used === cost }
  } catch (e) {
    getLogger().warn({ err: (e as Error).message }, 'api rate limiter: Redis unavailable; counting in this process')
    outcome = takeLocally(client.id, window, cost, limit)
  }
  // First request of the window: note the key as used (at most one write per key per minute).
  if (outcome.first) await touchApiClient(getDb(), client.id)
  if (outcome.taken) return
  const retryAfter = Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000))
  const remaining = Math.max(0, limit - outcome.used)
  const message =
    cost > limit
      ? `一次核验 ${cost} 人超过该密钥每分钟 ${limit} 人次的限额，请分批提交 / ${cost} applicants exceed this key's limit of ${limit} checks per minute; send smaller batches`
      : cost > 1
        ? `本分钟剩余 ${remaining} 人次，不足以核验 ${cost} 人，请 ${retryAfter} 秒后重试 / Only ${remaining} of ${limit} checks left this minute, ${cost} asked; retry in ${retryAfter} s`
        : `请求过于频繁，请 ${retryAfter} 秒后重试 / Too many requests`
  throw new ApiStop(
    replyError(
      429,
      'rate_limited',
      message,
      { limitPerMinute: limit, requested: cost, remaining, retryAfterSeconds: retryAfter },
      { 'Retry-After': String(retryAfter) },
    ),
  )
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
