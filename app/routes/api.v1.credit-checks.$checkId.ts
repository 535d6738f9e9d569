import type { LoaderFunctionArgs } from '@remix-run/node'
import { getCheck } from '#app/domain/credit-checks.server.ts'
import { apiError, apiJson, requireApiClient } from '#app/lib/api.server.ts'
import { getDb } from '#app/lib/db.server.ts'

/** GET /api/v1/credit-checks/{checkId}: the stored answer, for the client that asked. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const client = await requireApiClient(request)
  const checkId = params.checkId ?? ''
  const answer = /^chk_[A-Za-z0-9_-]{10,40}$/.test(checkId) ? await getCheck(getDb(), checkId, { apiClientId: client.id }) : null
  if (!answer) return apiError(404, 'not_found', '没有该核验记录 / No such check for this key')
  return apiJson(answer)
}
