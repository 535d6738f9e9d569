import type { ActionFunctionArgs } from '@remix-run/node'
import { BatchBodySchema } from '#app/domain/credit-checks.schema.ts'
import { MAX_BATCH, runChecks } from '#app/domain/credit-checks.server.ts'
import { apiError, apiJson, methodNotAllowed, readJson, requireApiClient } from '#app/lib/api.server.ts'
import { itemErrorBody, zodDetails } from '#app/lib/api-checks.server.ts'
import { getDb } from '#app/lib/db.server.ts'

/** POST /api/v1/credit-checks/batch: up to 1,000 applicants; each gets an answer or its own error. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return methodNotAllowed('POST')
  const client = await requireApiClient(request)
  const json = await readJson(request)
  if (!json.ok) return json.response
  const applicants = (json.body as { applicants?: unknown } | null)?.applicants
  const count = Array.isArray(applicants) ? applicants.length : 0
  if (count > MAX_BATCH) return apiError(400, 'batch_too_large', `一次最多核验 ${MAX_BATCH} 人 / At most ${MAX_BATCH} applicants per call`, { max: MAX_BATCH, given: count })
  const parsed = BatchBodySchema.safeParse(json.body)
  if (!parsed.success) return apiError(400, 'invalid_body', '请求参数不正确 / Invalid request body', zodDetails(parsed.error.issues))
  const results = await runChecks(getDb(), { apiClientId: client.id, scopeRegion: client.scopeRegion }, parsed.data.applicants)
  return apiJson({
    results: results.map((r, index) => {
      if (r.ok) return { index, ok: true, ...r.answer }
      const { status, ...error } = itemErrorBody(r.error)
      return { index, ok: false, status, error }
    }),
  })
}

export async function loader() {
  return methodNotAllowed('POST')
}
