import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'

import { handleFetch } from '#app/http/api.server.ts'
import { checkOne } from '#app/http/credit-checks.server.ts'

/** POST /api/v1/credit-checks: one applicant's credit-hours check (学时核验). */
export const action = ({ request }: ActionFunctionArgs) => handleFetch(checkOne, request)
export const loader = ({ request }: LoaderFunctionArgs) => handleFetch(checkOne, request)
