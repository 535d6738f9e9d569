import type { LoaderFunctionArgs } from '@remix-run/node'

import { handleFetch } from '#app/http/api.server.ts'
import { openApi } from '#app/http/credit-checks.server.ts'

/** GET /api/v1/openapi.json: the API described as OpenAPI 3.1 (public). */
export const loader = ({ request }: LoaderFunctionArgs) => handleFetch(openApi, request)
