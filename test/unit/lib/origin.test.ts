import { describe, expect, test } from 'vitest'

import { parseEnv } from '#app/lib/env.server.ts'
import { crossSiteRefusal, publicOrigin } from '#app/lib/origin.server.ts'

const post = (headers: { origin?: string; referer?: string; host?: string; forwardedHost?: string }, path = '/login') => ({
  method: 'POST',
  path,
  ...headers,
})

describe('crossSiteRefusal: a page post from another site is refused before Remix', () => {
  test('same host (Origin, or Referer without Origin) passes; so does a post with neither (curl)', () => {
    expect(crossSiteRefusal(post({ origin: 'http://localhost:3000', host: 'localhost:3000' }))).toBeNull()
    expect(crossSiteRefusal(post({ referer: 'http://localhost:3000/login?x=1', host: 'localhost:3000' }))).toBeNull()
    expect(crossSiteRefusal(post({ host: 'localhost:3000' }))).toBeNull()
    // behind a proxy, as Remix compares: X-Forwarded-Host first
    expect(
      crossSiteRefusal(post({ origin: 'https://xueshi.example.cn', host: '10.0.0.5:3000', forwardedHost: 'xueshi.example.cn, proxy' })),
    ).toBeNull()
  })

  test.each([
    [{ origin: 'https://evil.example', host: 'localhost:3000' }, 'evil.example'],
    [{ origin: 'http://localhost:4000', host: 'localhost:3000' }, 'localhost:4000'],
    [{ referer: 'https://evil.example/page', host: 'localhost:3000' }, 'evil.example'],
    [{ origin: 'https://evil.example', referer: 'http://localhost:3000/', host: 'localhost:3000' }, 'evil.example'],
    [{ origin: 'null', host: 'localhost:3000' }, 'null'],
    [{ origin: 'not a url', host: 'localhost:3000' }, 'not a url'],
    [{ origin: 'https://evil.example' }, 'evil.example'],
  ])('%j → refused', (headers, from) => {
    expect(crossSiteRefusal(post(headers))).toMatchObject({ from })
  })

  test('every changing method is checked, on every page path (resource routes too); GET, HEAD, OPTIONS and /api/ are not', () => {
    const evil = { origin: 'https://evil.example', host: 'localhost:3000' }
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'post']) {
      for (const path of ['/logout', '/lang', '/login.data', '/hours/external']) {
        expect(crossSiteRefusal({ method, path, ...evil }), `${method} ${path}`).not.toBeNull()
      }
    }
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(crossSiteRefusal({ method, path: '/login', ...evil })).toBeNull()
    expect(crossSiteRefusal({ method: 'POST', path: '/api/v1/credit-checks', ...evil })).toBeNull()
  })
})

describe('publicOrigin: never a claimed Host', () => {
  test('the configured address wins, whatever the request said', () => {
    expect(publicOrigin('http://evil.example', 'https://xueshi.example.cn/')).toBe('https://xueshi.example.cn')
    expect(publicOrigin('http://localhost:3000', 'https://xueshi.example.cn')).toBe('https://xueshi.example.cn')
  })

  test('unset: this machine only (development and tests)', () => {
    expect(publicOrigin('http://localhost:3000', undefined)).toBe('http://localhost:3000')
    expect(publicOrigin('http://127.0.0.1:3100', undefined)).toBe('http://127.0.0.1:3100')
    expect(publicOrigin('http://[::1]:3000', undefined)).toBe('http://[::1]:3000')
    for (const forged of ['http://evil.example', 'http://localhost.evil.example', 'http://127.0.0.1.evil.example:3000', 'garbage']) {
      expect(publicOrigin(forged, undefined), forged).toBeNull()
    }
  })
})

describe('XUESHI_PUBLIC_URL in the environment', () => {
  const base = { DATABASE_URL: 'postgres://u@127.0.0.1/x', XUESHI_DATA_KEY: 'k' }

  test('required in production, with a message that says what to set', () => {
    const production = { ...base, NODE_ENV: 'production', XUESHI_SMS_LOCAL: '1' }
    expect(() => parseEnv(production)).toThrow(/XUESHI_PUBLIC_URL is required in production/)
    expect(parseEnv({ ...production, XUESHI_PUBLIC_URL: 'https://xueshi.example.cn' }).XUESHI_PUBLIC_URL).toBe('https://xueshi.example.cn')
  })

  test('optional in development and tests; must be an http(s) address without a path', () => {
    expect(parseEnv({ ...base, NODE_ENV: 'development' }).XUESHI_PUBLIC_URL).toBeUndefined()
    expect(parseEnv({ ...base, NODE_ENV: 'test' }).XUESHI_PUBLIC_URL).toBeUndefined()
    for (const bad of ['xueshi.example.cn', 'ftp://xueshi.example.cn', 'https://xueshi.example.cn/app', 'https://xueshi.example.cn/?a=1']) {
      expect(() => parseEnv({ ...base, XUESHI_PUBLIC_URL: bad }), bad).toThrow(/XUESHI_PUBLIC_URL/)
    }
  })
})
