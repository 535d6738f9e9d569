import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'

import { handleFetch } from '#app/http/api.server.ts'
import { checkBatch } from '#app/http/credit-checks.server.ts'

/** POST /api/v1/credit-checks/batch: up to 1,000 applicants; each gets an answer or its own error. */
export const action = ({ request }: ActionFunctionArgs) => handleFetch(checkBatch, request)
export const loader = ({ request }: LoaderFunctionArgs) => handleFetch(checkBatch, request)
