import { checkHealth } from '#app/lib/health.server.ts'

/** For load balancers and `npm start`: 200 when PostgreSQL and Redis both answer, else 503. */
export async function loader() {
  const health = await checkHealth()
  return Response.json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } })
}
