import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'

import { handleFetch } from '#app/http/api.server.ts'
import { getOne } from '#app/http/credit-checks.server.ts'

/** GET /api/v1/credit-checks/{checkId}: the stored answer, for the client that asked. */
export const loader = ({ request, params }: LoaderFunctionArgs) => handleFetch(getOne, request, { checkId: params.checkId ?? '' })
export const action = ({ request, params }: ActionFunctionArgs) => handleFetch(getOne, request, { checkId: params.checkId ?? '' })
