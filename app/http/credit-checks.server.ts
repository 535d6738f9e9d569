import { BatchBodySchema, CheckBodySchema } from '#app/domain/credit-api/credit-checks.schema.ts'
import { getCheck, type ItemError, MAX_BATCH, runChecks } from '#app/domain/credit-api/credit-checks.server.ts'
import { openApiDocument } from '#app/domain/credit-api/openapi.ts'
import type { IdNumberProblem } from '#app/domain/shared/id-number.ts'
import { getDb } from '#app/lib/db.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { publicOrigin } from '#app/lib/origin.server.ts'

import {
  type ApiReply,
  type ApiRequest,
  authenticateApiClient,
  enforceRateLimit,
  methodNotAllowed,
  readJson,
  reply,
  replyError,
  requireApiClient,
} from './api.server.ts'
import { presentAnswer } from './credit-check-answer.ts'

/** The credit-check API's handlers (transport-neutral; see api.server.ts). Messages are worded here, not in the domain. */

/** Every problem the ID validator can report (a new one fails to compile until it is worded here). */
const ID_PROBLEMS: Record<IdNumberProblem, string> = {
  empty: '身份证号码为空 / ID number is empty',
  format: '身份证号码格式不正确：应为18位，前17位为数字，末位为数字或X / Format: 18 characters, 17 digits then a digit or X',
  area: '身份证号码的前两位不是有效的省级行政区划代码 / The first two digits are not a valid province code (GB/T 2260)',
  date: '身份证号码中的出生日期不是有效的过去日期 / The birth date is not a real past date',
  checksum: '身份证号码校验位不正确 / Wrong check character',
}

/** The HTTP form of a per-applicant error: status, code and message. */
export function itemErrorBody(e: ItemError): { status: number; code: string; message: string; details?: Record<string, unknown> } {
  switch (e.code) {
    case 'invalid_id_number':
      return { status: 400, code: e.code, message: ID_PROBLEMS[e.problem], details: { field: 'idNumber', problem: e.problem } }
    case 'application_year_out_of_range':
      return {
        status: 422,
        code: e.code,
        message: `申报年度须在 ${e.min}–${e.max} 之间 / applicationYear must be ${e.min}–${e.max}`,
        details: { field: 'applicationYear', min: e.min, max: e.max },
      }
    case 'forbidden':
      return { status: 403, code: e.code, message: '该人员不在此 API 密钥的管辖范围内 / This person is outside the key’s scope' }
  }
}

function itemErrorReply(e: ItemError): ApiReply {
  const b = itemErrorBody(e)
  return replyError(b.status, b.code as never, b.message, b.details)
}

function zodDetails(issues: { path: (string | number)[]; message: string }[]) {
  return { issues: issues.map((i) => ({ path: i.path.join('.'), message: i.message })) }
}

/** POST /api/v1/credit-checks */
export async function checkOne(req: ApiRequest): Promise<ApiReply> {
  if (req.method !== 'POST') return methodNotAllowed('POST')
  const client = await requireApiClient(req)
  const json = await readJson(req)
  if (!json.ok) return json.reply
  const parsed = CheckBodySchema.safeParse(json.body)
  if (!parsed.success) return replyError(400, 'invalid_body', '请求参数不正确 / Invalid request body', zodDetails(parsed.error.issues))
  const [result] = await runChecks(getDb(), { apiClientId: client.id, scopeRegion: client.scopeRegion }, [parsed.data], presentAnswer)
  if (!result) throw new Error('no check result')
  return result.ok ? reply(result.answer) : itemErrorReply(result)
}

/** POST /api/v1/credit-checks/batch */
export async function checkBatch(req: ApiRequest): Promise<ApiReply> {
  if (req.method !== 'POST') return methodNotAllowed('POST')
  const client = await authenticateApiClient(req)
  const json = await readJson(req)
  if (!json.ok) {
    await enforceRateLimit(client, 1)
    return json.reply
  }
  const applicants = (json.body as { applicants?: unknown } | null)?.applicants
  const count = Array.isArray(applicants) ? applicants.length : 0
  // The limit counts applicants, not calls: a batch of n costs n (a refused call costs one).
  await enforceRateLimit(client, count > 0 && count <= MAX_BATCH ? count : 1)
  if (count > MAX_BATCH)
    return replyError(400, 'batch_too_large', `一次最多核验 ${MAX_BATCH} 人 / At most ${MAX_BATCH} applicants per call`, {
      max: MAX_BATCH,
      given: count,
    })
  const parsed = BatchBodySchema.safeParse(json.body)
  if (!parsed.success) return replyError(400, 'invalid_body', '请求参数不正确 / Invalid request body', zodDetails(parsed.error.issues))
  const results = await runChecks(
    getDb(),
    { apiClientId: client.id, scopeRegion: client.scopeRegion },
    parsed.data.applicants,
    presentAnswer,
  )
  return reply({
    results: results.map((r, index) => {
      if (r.ok) return { index, ok: true, ...r.answer }
      const { status, ...error } = itemErrorBody(r)
      return { index, ok: false, status, error }
    }),
  })
}

/** GET /api/v1/credit-checks/{checkId} */
export async function getOne(req: ApiRequest): Promise<ApiReply> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed('GET')
  const client = await requireApiClient(req)
  const checkId = req.params.checkId ?? ''
  const answer = /^chk_[A-Za-z0-9_-]{10,40}$/.test(checkId) ? await getCheck(getDb(), checkId, { apiClientId: client.id }) : null
  if (!answer) return replyError(404, 'not_found', '没有该核验记录 / No such check for this key')
  return reply(answer)
}

/** GET /api/v1/openapi.json (public) */
export async function openApi(req: ApiRequest): Promise<ApiReply> {
  // The configured public address; without one, this machine's address in development, else a
  // relative `/` (valid OpenAPI: the server the document came from), never a claimed Host.
  const server = publicOrigin(req.origin, getEnv().XUESHI_PUBLIC_URL) ?? '/'
  return reply(openApiDocument(server), 200, { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' })
}
