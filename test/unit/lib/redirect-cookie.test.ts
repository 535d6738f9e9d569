import { describe, expect, test } from 'vitest'

import { cookieFromHeader, keepPrivate, safeRedirect } from '#app/auth/auth.server.ts'

describe('safeRedirect: only a path of this site, as a browser will read it', () => {
  test.each([
    '/.//evil.example',
    '/..//evil.example',
    '/%2e//evil.example',
    '/%2E//evil.example',
    '/%2e%2e//evil.example',
    '/a/..//evil.example',
    '/a/../..//evil.example',
    '/./%2e/.//evil.example',
    '/.//evil.example/path?x=1#h',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '/.\\/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'https://evil.example',
    'evil.example',
    'javascript:alert(1)',
    '',
  ])('%j → the fallback', (to) => {
    expect(safeRedirect(to, '/home')).toBe('/home')
  })

  test.each([
    ['/admin/staff', '/admin/staff'],
    ['/hours?year=2025#top', '/hours?year=2025#top'],
    ['/a/./b/../c', '/a/c'],
    ['/%2e/account', '/account'],
    ['/courses/%2F%2Fevil.example', '/courses/%2F%2Fevil.example'],
  ])('%j → %j', (to, out) => {
    expect(safeRedirect(to, '/home')).toBe(out)
  })

  test('whatever it answers, a browser resolves it to this site', () => {
    const payloads = [
      '/.//x.example',
      '/..//x.example',
      '/%2e//x.example',
      '/%2e%2e/%2e//x.example',
      '/x/%2e%2e//y.example',
      '/a//b',
      '/.%2f/x.example',
    ]
    for (const p of payloads) {
      const out = safeRedirect(p, '/home')
      expect(new URL(out, 'https://xueshi.example.cn/some/page').host, p).toBe('xueshi.example.cn')
    }
  })

  test('a missing or non-string value → the fallback', () => {
    expect(safeRedirect(null)).toBe('/account')
    expect(safeRedirect(undefined, '/')).toBe('/')
  })
})

describe('cookies', () => {
  test('a value that is not valid percent-encoding counts as absent, and other cookies still read', () => {
    const header = 'xs_lang=%E0%A4%A; xs_session=abc%20def; other=%'
    expect(cookieFromHeader(header, 'xs_lang')).toBeNull()
    expect(cookieFromHeader(header, 'other')).toBeNull()
    expect(cookieFromHeader(header, 'xs_session')).toBe('abc def')
    expect(cookieFromHeader(header, 'missing')).toBeNull()
  })

  test('a request with a session cookie is answered private, no-store; one without is left alone', () => {
    const signedIn = new Headers({ 'Cache-Control': 'public, max-age=60' })
    keepPrivate(new Request('http://localhost/account', { headers: { Cookie: 'xs_lang=en; xs_session=whatever' } }), signedIn)
    expect(signedIn.get('Cache-Control')).toBe('private, no-store')
    const signedOut = new Headers()
    keepPrivate(new Request('http://localhost/', { headers: { Cookie: 'xs_lang=en' } }), signedOut)
    expect(signedOut.get('Cache-Control')).toBeNull()
  })
})
