import type { IncomingMessage, ServerResponse } from 'node:http'

import { type ApiHandler, ApiStop, handle, replyError } from './api.server.ts'
import { checkBatch, checkOne, getOne, openApi } from './credit-checks.server.ts'
import { heartbeat } from './heartbeat.server.ts'

/**
 * /api/v1 and the lesson heartbeat (/study/heartbeat) without the page pipeline: Node's request goes straight to the same handlers the Remix
 * resource routes wrap (one implementation; the tests call the routes), without Fetch
 * Request/Response objects, route-tree matching or single-fetch handling, which a JSON API never
 * needs. Returns false for anything it does not serve, which then falls through to Remix.
 */
const ROUTES: { path: RegExp; handler: ApiHandler }[] = [
  { path: /^\/api\/v1\/credit-checks$/, handler: checkOne },
  { path: /^\/api\/v1\/credit-checks\/batch$/, handler: checkBatch },
  { path: /^\/api\/v1\/credit-checks\/(?<checkId>[^/]+)$/, handler: getOne },
  { path: /^\/api\/v1\/openapi\.json$/, handler: openApi },
  { path: /^\/study\/heartbeat$/, handler: heartbeat },
]

const MAX_BODY = 2 * 1024 * 1024

export function isApiPath(url: string | undefined): boolean {
  const path = (url ?? '/').split('?')[0]!
  return ROUTES.some((r) => r.path.test(path))
}

export function serveApi(req: IncomingMessage, res: ServerResponse, origin: string, onError: (e: unknown) => void): boolean {
  const path = (req.url ?? '/').split('?')[0]!
  const route = ROUTES.find((r) => r.path.test(path))
  if (!route) return false
  const params = (route.path.exec(path)?.groups ?? {}) as Record<string, string>
  let body: Promise<string> | undefined
  const text = () =>
    (body ??= new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = []
      let size = 0
      const tooLarge = () =>
        new ApiStop(
          replyError(
            413,
            'payload_too_large',
            `请求体过大（上限 ${MAX_BODY / 1024 / 1024} MB）/ Body too large (limit ${MAX_BODY / 1024 / 1024} MB)`,
            undefined,
            { Connection: 'close' },
          ),
        )
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) return reject(tooLarge())
      let over = false
      req.on('data', (c: Buffer) => {
        if (over) return // answered 413 with Connection: close; the rest is read and dropped
        size += c.length
        if (size <= MAX_BODY) return void chunks.push(c)
        over = true
        chunks.length = 0
        reject(tooLarge())
      })
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      req.on('error', reject)
    }))
  handle(route.handler, {
    method: req.method ?? 'GET',
    header: (name) => {
      const v = req.headers[name]
      return Array.isArray(v) ? v[0] : v
    },
    text,
    origin,
    params,
  })
    .then((r) => {
      const payload = JSON.stringify(r.body)
      res.writeHead(r.status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(payload),
        ...r.headers,
      })
      res.end(payload)
    })
    .catch(onError)
  return true
}
