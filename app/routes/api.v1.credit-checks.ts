import type { ActionFunctionArgs } from '@remix-run/node'
import { CheckBodySchema } from '#app/domain/credit-checks.schema.ts'
import { runChecks } from '#app/domain/credit-checks.server.ts'
import { apiError, apiJson, methodNotAllowed, readJson, requireApiClient } from '#app/lib/api.server.ts'
import { itemErrorResponse, zodDetails } from '#app/lib/api-checks.server.ts'
import { getDb } from '#app/lib/db.server.ts'

/** POST /api/v1/credit-checks: one applicant's credit-hours check (学时核验). */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return methodNotAllowed('POST')
  const client = await requireApiClient(request)
  const json = await readJson(request)
  if (!json.ok) return json.response
  const parsed = CheckBodySchema.safeParse(json.body)
  if (!parsed.success) return apiError(400, 'invalid_body', '请求参数不正确 / Invalid request body', zodDetails(parsed.error.issues))
  const [result] = await runChecks(getDb(), { apiClientId: client.id, scopeRegion: client.scopeRegion }, [parsed.data])
  if (!result) throw new Error('no check result')
  return result.ok ? apiJson(result.answer) : itemErrorResponse(result.error)
}

export async function loader() {
  return methodNotAllowed('POST')
}
