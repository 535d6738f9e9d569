/**
 * Where a request comes from, and the address the platform states for itself. Pure functions
 * over header values, so the Express middleware (app/server.ts) and the tests share them.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export type RequestSource = {
  method: string
  path: string
  origin?: string | undefined
  referer?: string | undefined
  host?: string | undefined
  forwardedHost?: string | undefined
}

export type CrossSiteRefusal = { from: string; host: string | null }

/**
 * A page request that changes something (any method but GET/HEAD/OPTIONS) sent by another site:
 * its `Origin` (or, without one, its `Referer`) names another host than the one it was sent to
 * (`X-Forwarded-Host`, else `Host`: the comparison Remix makes for actions, done here before
 * Remix so that resource routes such as /logout and /lang are covered too, and the answer is a
 * 403 rather than Remix's 500). `Origin: null` (sandboxed frames, some redirects) and a value that
 * is not a URL are refused; a request with neither header (curl, old clients) passes, since the
 * session cookie (SameSite=Lax) is not sent on a cross-site post anyway.
 * /api/ is not a page: it is authorised by bearer keys, never by cookies.
 */
export function crossSiteRefusal(req: RequestSource): CrossSiteRefusal | null {
  if (SAFE_METHODS.has(req.method.toUpperCase()) || req.path.startsWith('/api/')) return null
  const from = req.origin ?? req.referer
  if (from === undefined || from === '') return null
  const host = (req.forwardedHost?.split(',')[0]?.trim() || req.host || '').toLowerCase() || null
  let fromHost: string
  try {
    fromHost = new URL(from).host.toLowerCase()
  } catch {
    return { from: from.slice(0, 200), host }
  }
  return host !== null && fromHost === host ? null : { from: fromHost || from.slice(0, 200), host }
}

/** Hosts a development or test server answers to when no public address is configured. */
const LOCAL_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * The origin to print where an address must be trusted by others (a certificate's verify link
 * and QR code, the OpenAPI `servers` URL): `XUESHI_PUBLIC_URL` when set (required in
 * production, see env.server.ts); else the request's origin only if its host is this machine
 * (development and tests). Anything else is null: a forged `Host` is never echoed.
 */
export function publicOrigin(requestOrigin: string, configured: string | undefined): string | null {
  if (configured) return new URL(configured).origin
  let url: URL
  try {
    url = new URL(requestOrigin)
  } catch {
    return null
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOCAL_HOSTNAMES.has(url.hostname) ? url.origin : null
}
