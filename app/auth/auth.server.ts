import { redirect } from '@remix-run/node'

import { findSessionUser, SESSION_TTL_MS, type SessionUser } from '#app/domain/identity/sessions.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import type { Role } from '#db/schema.ts'

const COOKIE = 'xs_session'

export function readCookie(request: Request, name: string): string | null {
  return cookieFromHeader(request.headers.get('Cookie'), name)
}

/**
 * A cookie's value, or null. Anyone can send any Cookie header, so a value that is not valid
 * percent-encoding (`%E0%A4%A`) counts as absent rather than failing the request.
 */
export function cookieFromHeader(header: string | null | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k !== name) continue
    try {
      return decodeURIComponent(v.join('='))
    } catch {
      return null
    }
  }
  return null
}

function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === 'https:'
}

export function sessionCookie(request: Request, token: string): string {
  return [
    `${COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${SESSION_TTL_MS / 1000}`,
    ...(isHttps(request) ? ['Secure'] : []),
  ].join('; ')
}

export function clearSessionCookie(request: Request): string {
  return [`${COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(isHttps(request) ? ['Secure'] : [])].join('; ')
}

/**
 * A signed-in person's page is theirs alone: a request carrying a session cookie (valid or not)
 * gets an answer no browser cache or proxy may keep. Called centrally for every page and data
 * response (app/entry.server.tsx); file downloads set the same themselves.
 */
export function keepPrivate(request: Request, headers: Headers): void {
  if (readCookie(request, COOKIE) !== null) headers.set('Cache-Control', 'private, no-store')
}

export function sessionToken(request: Request): string | null {
  return sessionTokenFromCookies(request.headers.get('Cookie'))
}

/** The session token from a Cookie header, if well-formed (for handlers without a Fetch Request). */
export function sessionTokenFromCookies(header: string | null | undefined): string | null {
  const t = cookieFromHeader(header, COOKIE)
  return t && /^[A-Za-z0-9_-]{20,100}$/.test(t) ? t : null
}

export async function getUser(request: Request): Promise<SessionUser | null> {
  const token = sessionToken(request)
  return token ? findSessionUser(getDb(), token) : null
}

/** Signed out → the login page, coming back here afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request)
  if (!user) {
    const url = new URL(request.url)
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname)}`)
  }
  // A password an admin set must be changed before anything else (the change page itself excepted).
  if (user.mustChangePassword && new URL(request.url).pathname !== CHANGE_PASSWORD_PATH) throw redirect(CHANGE_PASSWORD_PATH)
  return user
}

export const CHANGE_PASSWORD_PATH = '/account/password'

/** Signed in with another role → 403, rendered by the error boundary. */
export async function requireRole<R extends Role>(request: Request, roles: readonly R[]): Promise<SessionUser & { role: R }> {
  const user = await requireUser(request)
  if (!(roles as readonly Role[]).includes(user.role)) {
    throw new Response('Forbidden', { status: 403 })
  }
  return user as SessionUser & { role: R }
}

/**
 * Someone who works for a training base (a live membership, ADR 0020) — a base-only account or a
 * learner who also works there. Anyone else → 403.
 */
export async function requireBaseStaff(request: Request): Promise<SessionUser & { baseId: number }> {
  const user = await requireUser(request)
  if (user.baseId === null || (user.role !== 'base_staff' && user.role !== 'learner')) throw new Response('Forbidden', { status: 403 })
  return user as SessionUser & { baseId: number }
}

/**
 * Only same-site paths, so ?redirectTo can never send someone to another site. Browsers drop
 * tabs and newlines and read backslashes as slashes, so any of those refuses the value too.
 * The answer is the path as a browser normalises it (dot segments resolved, `%2e` read as a
 * dot), and a normalised path starting with `//` (`/.//evil.example`, `/..//…`, `/%2e//…`)
 * would be read back as another host, so it is refused as well.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/account'): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (typeof to !== 'string' || !to.startsWith('/') || /[\x00-\x20\x7f\\]/.test(to)) return fallback
  const base = 'http://xueshi.invalid'
  let url: URL
  try {
    url = new URL(to, base)
  } catch {
    return fallback
  }
  if (url.origin !== base || !url.pathname.startsWith('/') || /^\/[/\\]/.test(url.pathname)) return fallback
  const path = url.pathname + url.search + url.hash
  // What the browser will make of the answer: still this site, still the same path.
  let again: URL
  try {
    again = new URL(path, base)
  } catch {
    return fallback
  }
  return again.origin === base && again.pathname + again.search + again.hash === path ? path : fallback
}

export function homeFor(role: Role): string {
  switch (role) {
    case 'admin':
      return '/admin'
    case 'hr':
      return '/hr'
    case 'base_staff':
      return '/base'
    default:
      return '/hours'
  }
}
