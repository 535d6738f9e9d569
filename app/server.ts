/**
 * The web process: Express serving the Remix build (or Vite in dev), with security headers,
 * request logging that never records bodies, query strings or cookies, and graceful shutdown.
 * Run by `npm start` (app/cli/start.ts), or alone with `npm run web` after `npm run build`.
 */
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import helmet from 'helmet'

import { cookieFromHeader } from '#app/auth/auth.server.ts'
import { maxImportBytes } from '#app/domain/imports/imports.server.ts'
import { isApiPath, serveApi } from '#app/http/dispatch.server.ts'

import { translate } from './i18n/catalog.server.ts'
import { LANG_COOKIE } from './i18n/lang.server.ts'
import { htmlLang, isLang } from './i18n/messages.ts'
import { closeDb } from './lib/db.server.ts'
import { getEnv } from './lib/env.server.ts'
import { getLogger } from './lib/log.server.ts'
import { crossSiteRefusal } from './lib/origin.server.ts'
import { closeRedis } from './lib/redis.server.ts'

const env = getEnv()
const log = getLogger()
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const production = env.NODE_ENV === 'production'

const app = express()
app.disable('x-powered-by')
app.set('trust proxy', env.TRUST_PROXY)

// Body caps for pages (the API fast path and file uploads enforce their own): a form post is a
// few kilobytes, so anything declaring more than 1 MB (16 MB for a multipart upload; for a roster
// or legacy file the reports policy's file limit; readUpload limits the parts again) is refused
// before it is read; a body without a declared length that is not multipart is refused too, since
// nothing would bound it.
const PAGE_BODY_LIMIT = 1024 * 1024
const UPLOAD_BODY_LIMIT = 16 * 1024 * 1024
// Rosters and legacy-hours files: the reports policy's file limit, plus room for the form's other parts.
const IMPORT_PATHS = /^\/(base\/activities\/[^/]+|hr\/legacy)\/?$/
const importBodyLimit = () => maxImportBytes() + 1024 * 1024
app.use((req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next()
  const multipart = /^multipart\/form-data/i.test(req.headers['content-type'] ?? '')
  const limit = multipart ? (IMPORT_PATHS.test(req.path) ? importBodyLimit() : UPLOAD_BODY_LIMIT) : PAGE_BODY_LIMIT
  const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length'])
  if (declared === null && req.headers['transfer-encoding'] && !multipart) return refuseBody(res, 411)
  if (declared !== null && declared > limit) return refuseBody(res, 413, limit)
  next()
})
function refuseBody(res: express.Response, status: 411 | 413, limit = 0) {
  const mb = Math.round(limit / 1024 / 1024)
  const text =
    status === 413
      ? `提交的内容过大（上限 ${mb} MB），未作任何更改。 / The request is too large (limit ${mb} MB); nothing was changed.`
      : '请求缺少内容长度，未作任何更改。 / The request did not say how long it is; nothing was changed.'
  res.status(status).set({ 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).send(text)
}

app.use((req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString('base64')
  // The client address Remix sees; never taken from the client itself.
  req.headers['x-xueshi-client-ip'] = req.ip ?? 'unknown'
  next()
})

// JSON API: no pages, so no CSP nonce, and no per-request compression wrapper on the hot path
// (the big batch answer is compressed when asked for, below).
const apiHeaders = helmet({
  contentSecurityPolicy: false,
  crossOriginEmbedderPolicy: false,
  strictTransportSecurity: production ? { maxAge: 15552000 } : false,
})
const pageHeaders = helmet({
  contentSecurityPolicy: production
    ? {
        useDefaults: true,
        directives: {
          'script-src': ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          'img-src': ["'self'", 'data:', 'blob:'],
          'upgrade-insecure-requests': null,
        },
      }
    : false,
  crossOriginEmbedderPolicy: false,
  // Not no-referrer: with it Chromium sends `Origin: null` on form posts, which Remix's own
  // CSRF check (origin must match host) rightly refuses.
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  strictTransportSecurity: production ? { maxAge: 15552000 } : false,
})
app.use((req, res, next) => (req.path.startsWith('/api/') ? apiHeaders(req, res, next) : pageHeaders(req, res, next)))

// One line per request: method, path (never the query string: it may carry personal data),
// status and time. Bodies, cookies and headers are never logged.
app.use((req, res, next) => {
  if (req.path === '/healthz' || req.path.startsWith('/assets/')) return next()
  const started = process.hrtime.bigint()
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    log.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request')
  })
  next()
})

// Cross-site posts to pages are refused here, before Remix: its own check covers only page
// actions (not resource routes such as /logout and /lang) and answers a mismatch with a 500 and a
// stack trace. One warning line, no stack; the answer is in the language the person chose.
app.use((req, res, next) => {
  const refusal = crossSiteRefusal({
    method: req.method,
    path: req.path,
    origin: req.get('origin'),
    referer: req.get('referer'),
    host: req.get('host'),
    forwardedHost: req.get('x-forwarded-host'),
  })
  if (!refusal) return next()
  log.warn({ method: req.method, path: req.path, from: refusal.from, host: refusal.host }, 'cross-site request refused')
  const chosen = cookieFromHeader(req.headers.cookie, LANG_COOKIE)
  const lang = isLang(chosen) ? chosen : 'zh'
  res
    .status(403)
    .set({ 'Content-Type': 'text/plain; charset=utf-8', 'Content-Language': htmlLang(lang), 'Cache-Control': 'no-store' })
    .send(translate(lang, 'err.crossSite'))
})

const compress = compression()
app.use((req, res, next) => (req.path.startsWith('/api/') && !req.path.endsWith('/batch') ? next() : compress(req, res, next)))
app.use((req, res, next) => {
  if (!serveApi(req, res, `${req.protocol}://${req.get('host') ?? 'localhost'}`, next)) next()
})

let build: ServerBuild | (() => Promise<ServerBuild>)
if (production) {
  app.use('/assets', express.static(path.join(root, 'build/client/assets'), { immutable: true, maxAge: '1y' }))
  app.use(express.static(path.join(root, 'build/client'), { maxAge: '1h' }))
  build = (await import(path.join(root, 'build/server/index.js'))) as ServerBuild
} else {
  const vite = await import('vite').then((v) => v.createServer({ root, server: { middlewareMode: true } }))
  app.use(vite.middlewares)
  app.use(express.static(path.join(root, 'public'), { maxAge: '1h' }))
  build = () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
}

const remix = createRequestHandler({
  build,
  mode: production ? 'production' : 'development',
  getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }),
})
app.all('*', (req, res, next) => {
  remix(req, res, next).catch(next)
})

// The check API is answered before Express (no page middleware, no CSP nonce): the same security
// headers as Express would set for /api/, and the same one-line request log (ADR 0007). A batch
// answer the client can take compressed goes through Express for compression.
const API_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'SAMEORIGIN',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  ...(production ? { 'Strict-Transport-Security': 'max-age=15552000; includeSubDomains' } : {}),
}
function apiFastPath(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (!isApiPath(req.url)) return false
  if (req.url?.startsWith('/api/v1/credit-checks/batch') && /\b(gzip|br|deflate)\b/.test(req.headers['accept-encoding'] ?? '')) return false
  const started = process.hrtime.bigint()
  const path = (req.url ?? '/').split('?')[0]
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    log.info({ method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request')
  })
  for (const [k, v] of Object.entries(API_HEADERS)) res.setHeader(k, v)
  const forwarded = env.TRUST_PROXY > 0 ? req.headers['x-forwarded-proto'] : undefined
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() || 'http'
  return serveApi(req, res, `${proto}://${req.headers.host ?? 'localhost'}`, (e) => {
    log.error({ err: e instanceof Error ? e.message : String(e), path }, 'api request failed')
    if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' })
    res.end(JSON.stringify({ error: { code: 'internal', message: '服务器内部错误 / Internal error' } }))
  })
}

// Graceful shutdown (SIGTERM), as a load balancer expects it:
// 1. drain (1 s): /healthz answers 503 so no new traffic is routed here, and every response
//    carries `Connection: close`, so clients move off their keep-alive connections cleanly
//    (closing an idle keep-alive connection outright races with a request the client is sending);
// 2. stop accepting, and let the requests in flight finish;
// 3. only then close the pool and Redis. A request still running at the deadline is cut off.
const SHUTDOWN_DRAIN_MS = 1_000
const SHUTDOWN_DEADLINE_MS = 15_000
let inFlight = 0
let stopping = false

const server = http.createServer((req, res) => {
  inFlight++
  res.once('close', () => {
    inFlight--
  })
  if (stopping) {
    res.setHeader('Connection', 'close')
    if (req.url === '/healthz') {
      res.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
      return void res.end(JSON.stringify({ status: 'stopping' }))
    }
  }
  if (!apiFastPath(req, res)) app(req, res)
})
server.listen(env.PORT, () => {
  log.info({ port: env.PORT, mode: env.NODE_ENV }, `web listening on http://localhost:${env.PORT}`)
})
server.keepAliveTimeout = 65_000

async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  log.info({ signal, inFlight }, 'web shutting down: draining, then finishing requests in flight')
  const deadline = Date.now() + SHUTDOWN_DEADLINE_MS
  await new Promise((r) => setTimeout(r, SHUTDOWN_DRAIN_MS))
  server.close()
  server.closeIdleConnections()
  while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
  if (inFlight > 0) log.warn({ inFlight }, 'requests still running at the shutdown deadline: closing their connections')
  server.closeAllConnections()
  await Promise.allSettled([closeDb(), closeRedis()])
  log.info('web stopped')
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
// Started by `npm start`: stop if the supervisor goes away, so no process is left behind.
if (process.send) process.on('disconnect', () => void shutdown('supervisor-exit'))
