import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'

import { handleFetch } from '#app/http/api.server.ts'
import { heartbeat } from '#app/http/heartbeat.server.ts'

/** POST /study/heartbeat: a lesson page's heartbeat (app/lib/study-api.server.ts). */
export const action = ({ request }: ActionFunctionArgs) => handleFetch(heartbeat, request)
export const loader = ({ request }: LoaderFunctionArgs) => handleFetch(heartbeat, request)
