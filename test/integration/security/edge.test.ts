/**
 * Issue 9, security items 11, 13, 14 and 15 through the real server (`npm start`'s entry on the
 * production build): what Express answers before Remix, and the headers Remix's entry adds. The
 * only file of this area that starts the platform (one build); started once, without
 * XUESHI_PUBLIC_URL, as a fresh clone would run it.
 */
import http from 'node:http'

import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import { createApiClient } from '#app/domain/credit-api/api-clients.server.ts'
import { translate } from '#app/i18n/catalog.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { cookieFor, createLearner } from '#test/factories/people.ts'
import { type Platform, startPlatform } from '#test/setup/platform.ts'

let platform: Platform

beforeAll(async () => {
  platform = await startPlatform({
    databaseUrl: process.env.DATABASE_URL!,
    redisUrl: process.env.REDIS_URL!,
    env: {
      XUESHI_PUBLIC_URL: '',
      // not an embedded database, so `npm start` leaves the SMS channel to the environment
      XUESHI_SMS_LOCAL: '1',
    },
  })
}, 240_000)

afterAll(async () => {
  await platform?.stop()
}, 60_000)

/** A raw request, so that Host can be anything (fetch would not let a test forge it). */
function raw(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(path, platform.url)
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: url.port, path: url.pathname + url.search, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

const host = () => new URL(platform.url).host
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

function post(path: string, fields: Record<string, string>, headers: Record<string, string>) {
  const body = form(fields)
  return raw(path, {
    method: 'POST',
    body,
    headers: {
      Host: host(),
      'Content-Type': 'application/x-www-form-urlencoded',
      'Content-Length': String(Buffer.byteLength(body)),
      ...headers,
    },
  })
}

async function signedIn() {
  const learner = await createLearner(getDb())
  return cookieFor(getDb(), learner.accountId)
}

describe('the real server', { sequential: true, timeout: 60_000 }, () => {
  test('item 11: a malformed cookie does not break any page', async () => {
    for (const path of ['/', '/login', '/courses', '/account']) {
      const res = await raw(path, { headers: { Host: host(), Cookie: 'xs_lang=%E0%A4%A; xs_session=%E0%A4%A' } })
      expect(res.status, path).toBeLessThan(400)
    }
    const page = await raw('/login', { headers: { Host: host(), Cookie: 'xs_lang=%E0%A4%A' } })
    expect(page.status).toBe(200)
    expect(page.body).toContain('lang="zh-CN"')
  })

  test('item 11: a cross-site form post answers 403 in the person’s language, logged as one warning without a stack', async () => {
    const from = platform.lines.length
    const zh = await post('/login', { login: '13900000001', password: 'x' }, { Origin: 'https://evil.example' })
    expect(zh.status).toBe(403)
    expect(zh.body).toBe(translate('zh', 'err.crossSite'))
    expect(zh.headers['content-language']).toBe('zh-CN')
    const en = await post('/login', { login: '13900000001', password: 'x' }, { Origin: 'https://evil.example', Cookie: 'xs_lang=en' })
    expect(en.status).toBe(403)
    expect(en.body).toBe(translate('en', 'err.crossSite'))
    // without Origin, a foreign Referer is refused the same way; the single-fetch form of an action too
    expect((await post('/login', { login: 'x', password: 'x' }, { Referer: 'https://evil.example/page' })).status).toBe(403)
    expect((await post('/login.data', { login: 'x', password: 'x' }, { Origin: 'https://evil.example' })).status).toBe(403)

    await platform.waitForLine(/cross-site request refused/, 5_000, from)
    await new Promise((r) => setTimeout(r, 300))
    const logged = platform.lines.slice(from)
    expect(logged.filter((l) => /cross-site request refused/.test(l))).toHaveLength(4)
    expect(logged.filter((l) => /^\s+at\s|Error:|does not match `origin`/.test(l))).toEqual([])
  })

  test('item 11: the same post from this site still reaches the page (a wrong password → 401)', async () => {
    const res = await post('/login', { login: '13900000001', password: 'Wrong-pass-123' }, { Origin: platform.url })
    expect(res.status).toBe(401)
  })

  test('item 14: /logout refuses a cross-site post (the session lives on) and accepts its own', async () => {
    const cookie = await signedIn()
    const cross = await post('/logout', {}, { Origin: 'https://evil.example', Cookie: cookie })
    expect(cross.status).toBe(403)
    expect((await raw('/account', { headers: { Host: host(), Cookie: cookie } })).status).toBe(200)

    const own = await post('/logout', {}, { Origin: platform.url, Cookie: cookie })
    expect(own.status).toBe(302)
    const after = await raw('/account', { headers: { Host: host(), Cookie: cookie } })
    expect(after.status).toBe(302)
    expect(after.headers.location).toMatch(/^\/login/)
  })

  test('item 14: /lang refuses a cross-site post (no cookie set) and accepts its own', async () => {
    const cross = await post('/lang', { lang: 'en', redirectTo: '/' }, { Origin: 'https://evil.example' })
    expect(cross.status).toBe(403)
    expect(cross.headers['set-cookie']).toBeUndefined()
    const own = await post('/lang', { lang: 'en', redirectTo: '/courses' }, { Origin: platform.url })
    expect(own.status).toBe(302)
    expect(own.headers.location).toBe('/courses')
    expect(own.headers['set-cookie']?.join()).toMatch(/xs_lang=en/)
  })

  test('item 13: signed-in pages and their data are private, no-store; /verify is no-store; public pages are left alone', async () => {
    const cookie = await signedIn()
    for (const path of ['/account', '/hours', '/hours/certificates', '/courses', '/', '/account.data', '/no-such-page']) {
      const res = await raw(path, { headers: { Host: host(), Cookie: cookie } })
      expect(res.status, path).toBeLessThan(500)
      expect(res.headers['cache-control'], path).toBe('private, no-store')
    }
    const verify = await raw('/verify/ABCDEFGHJKLMNPQR', { headers: { Host: host() } })
    expect(verify.status).toBe(404)
    expect(verify.headers['cache-control']).toBe('no-store')
    const home = await raw('/', { headers: { Host: host() } })
    expect(home.headers['cache-control']).toBeUndefined()
  })

  test('item 15: npm start without XUESHI_PUBLIC_URL uses this machine’s address; a forged Host is never echoed', async () => {
    const res = await raw('/api/v1/openapi.json', { headers: { Host: 'evil.example' } })
    expect(res.status).toBe(200)
    expect((JSON.parse(res.body) as { servers: { url: string }[] }).servers).toEqual([{ url: platform.url }])
  })

  /** Sends only the headers (a body that large is never sent): the answer must come before any body. */
  function declareOnly(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    const url = new URL(path, platform.url)
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: url.port, path, method: 'POST', headers: { Host: host(), ...headers } },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })
            req.destroy()
          })
        },
      )
      req.on('error', reject)
      req.flushHeaders()
    })
  }

  test('item 10: bodies are capped before they are read: 413 (pages and API), 411 without a length', async () => {
    const hundredMb = String(100 * 1024 * 1024)
    const page = await declareOnly('/login', {
      Origin: platform.url,
      'Content-Type': 'application/x-www-form-urlencoded',
      'Content-Length': hundredMb,
    })
    expect(page.status).toBe(413)
    expect(page.body).toContain('提交的内容过大')
    expect(page.body).toContain('nothing was changed')

    const chunked = await raw('/login', {
      method: 'POST',
      headers: { Host: host(), Origin: platform.url, 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' },
      body: 'phone=1',
    })
    expect(chunked.status).toBe(411)

    // The API: 10 MB of JSON is too large (413 in the API's error shape), not "not JSON".
    const client = await createApiClient(getDb(), { name: 'body cap', scopeRegion: '220000', actorAccountId: null })
    if (!client.ok) throw new Error(client.code)
    const api = await declareOnly('/api/v1/credit-checks', {
      Authorization: `Bearer ${client.key}`,
      'Content-Type': 'application/json',
      'Content-Length': String(10 * 1024 * 1024),
    })
    expect(api.status).toBe(413)
    expect((JSON.parse(api.body) as { error: { code: string } }).error.code).toBe('payload_too_large')

    // The web process is still up and answering.
    expect((await raw('/healthz', { headers: { Host: host() } })).status).toBe(200)
  })
})
