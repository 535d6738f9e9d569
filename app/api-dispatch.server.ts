import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from 'express'
import * as batch from '#app/routes/api.v1.credit-checks.batch.ts'
import * as getOne from '#app/routes/api.v1.credit-checks.$checkId.ts'
import * as openapi from '#app/routes/api.v1.openapi[.]json.ts'
import * as single from '#app/routes/api.v1.credit-checks.ts'

/**
 * /api/v1 without the page pipeline: requests go straight to the same resource-route modules
 * Remix would call (one implementation; the tests call them too), skipping document rendering,
 * route-tree matching and single-fetch handling, which a JSON API never needs. Anything not
 * listed here falls through to Remix.
 */
type Fn = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>

const ROUTES: { path: RegExp; loader?: Fn; action?: Fn }[] = [
  { path: /^\/api\/v1\/credit-checks$/, loader: single.loader, action: single.action },
  { path: /^\/api\/v1\/credit-checks\/batch$/, loader: batch.loader, action: batch.action },
  { path: /^\/api\/v1\/credit-checks\/(?<checkId>[^/]+)$/, loader: getOne.loader as Fn },
  { path: /^\/api\/v1\/openapi\.json$/, loader: openapi.loader as Fn },
]

export function apiDispatcher(origin: (req: ExpressRequest) => string) {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const route = ROUTES.find((r) => r.path.test(req.path))
    if (!route) return next()
    const fn = req.method === 'GET' || req.method === 'HEAD' ? route.loader : route.action
    if (!fn) return next()
    const params = (route.path.exec(req.path)?.groups ?? {}) as Record<string, string>
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const headers = new Headers()
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
      const request = new Request(origin(req) + req.originalUrl, { method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined })
      fn({ request, params, context: {} })
        .catch((e: unknown) => {
          if (e instanceof Response) return e
          throw e
        })
        .then(async (response) => {
          res.status(response.status)
          response.headers.forEach((value, key) => res.setHeader(key, value))
          res.end(Buffer.from(await response.arrayBuffer()))
        })
        .catch(next)
    })
  }
}
