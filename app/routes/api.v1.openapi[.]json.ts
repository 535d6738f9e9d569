import type { LoaderFunctionArgs } from '@remix-run/node'
import { openApiDocument } from '#app/domain/openapi.ts'

/** GET /api/v1/openapi.json: the API described as OpenAPI 3.1 (public). */
export async function loader({ request }: LoaderFunctionArgs) {
  return Response.json(openApiDocument(new URL(request.url).origin), { headers: { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' } })
}
