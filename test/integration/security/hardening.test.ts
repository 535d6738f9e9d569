/**
 * Issue 9, security items 7, 11, 13, 15 and 17 at the level of route modules (real Request
 * objects); what Express does before Remix is proved through the real server in edge.test.ts.
 */
import { describe, expect, test } from 'vitest'

import { createApiClient } from '#app/domain/credit-api/api-clients.server.ts'
import { credit } from '#app/domain/hours/ledger.server.ts'
import { idNumberCheckChar } from '#app/domain/shared/id-number.ts'
import { getDb } from '#app/lib/db.server.ts'
import { loader as rootLoader } from '#app/root.tsx'
import { action as loginAction } from '#app/routes/account/login.tsx'
import { action as registerAction } from '#app/routes/account/register.tsx'
import { action as checkAction } from '#app/routes/api/credit-checks.ts'
import { loader as openApiLoader } from '#app/routes/api/openapi.ts'
import * as certificatesPage from '#app/routes/hours/certificates.tsx'
import { action as langAction } from '#app/routes/public/lang.tsx'
import { cookieFor, createLearner, createStaff, PASSWORD, registrationForm } from '#test/factories/people.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

/** Values that resolve to `//evil.example`: a browser reads that Location as another host. */
const OPEN_REDIRECTS = ['/.//evil.example', '/..//evil.example', '/%2e//evil.example', '/%2E%2E//evil.example', '/a/..//evil.example/x']

describe('item 7: no open redirect after login or the language switch', () => {
  test.each(OPEN_REDIRECTS)('login with redirectTo=%j lands on the user’s home (query string and form field)', async (target) => {
    const admin = await createStaff(getDb(), 'admin')
    const viaQuery = await call(
      loginAction,
      makeRequest(`/login?redirectTo=${encodeURIComponent(target)}`, { form: { login: admin.idNumber, password: PASSWORD } }),
    )
    expect(viaQuery.status).toBe(302)
    expect(viaQuery.headers.get('Location')).toBe('/admin')
    const viaField = await call(
      loginAction,
      makeRequest('/login', { form: { login: admin.idNumber, password: PASSWORD, redirectTo: target } }),
    )
    expect(viaField.headers.get('Location')).toBe('/admin')
    // the same value, unencoded in the query string, as a crafted link would carry it
    const raw = await call(loginAction, makeRequest(`/login?redirectTo=${target}`, { form: { login: admin.idNumber, password: PASSWORD } }))
    expect(new URL(raw.headers.get('Location')!, 'http://localhost/login').host).toBe('localhost')
  })

  test.each(OPEN_REDIRECTS)('POST /lang with redirectTo=%j goes back to / on this site', async (target) => {
    const res = await call(langAction, makeRequest('/lang', { form: { lang: 'en', redirectTo: target } }))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/')
    expect(res.headers.get('Set-Cookie')).toMatch(/^xs_lang=en;/)
  })

  test('a same-site page is still honoured by both', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const login = await call(
      loginAction,
      makeRequest('/login?redirectTo=%2Fadmin%2Faudit', { form: { login: admin.idNumber, password: PASSWORD } }),
    )
    expect(login.headers.get('Location')).toBe('/admin/audit')
    const lang = await call(langAction, makeRequest('/lang', { form: { lang: 'en', redirectTo: '/courses?page=2' } }))
    expect(lang.headers.get('Location')).toBe('/courses?page=2')
  })
})

describe('item 11: a malformed cookie is ignored, not a 500', () => {
  test('xs_lang=%E0%A4%A: the page renders in Chinese; a malformed session cookie means signed out', async () => {
    const res = await call(rootLoader, makeRequest('/', { cookie: 'xs_lang=%E0%A4%A' }))
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({ lang: 'zh', user: null })
    const bad = await call(rootLoader, makeRequest('/', { cookie: 'xs_session=%E0%A4%A; xs_lang=en' }))
    expect(bad.data).toMatchObject({ lang: 'en', user: null })
  })

  test('a bad cookie next to a good session does not sign the person out', async () => {
    const learner = await createLearner(getDb())
    const cookie = `xs_lang=%E0%A4%A; ${await cookieFor(getDb(), learner.accountId)}`
    const res = await call(rootLoader, makeRequest('/', { cookie }))
    expect(res.data).toMatchObject({ lang: 'zh', user: { role: 'learner' } })
  })
})

describe('item 15: a forged Host never becomes the platform’s address', () => {
  async function learnerWithHours() {
    const db = getDb()
    const who = await createLearner(db)
    await db.transaction().execute((trx) =>
      credit(trx, {
        personId: who.personId,
        hours: '40',
        category: 'professional',
        sourceKind: 'online_course',
        occurredAt: new Date('2025-06-01T10:00:00+08:00'),
        idempotencyKey: `hardening:${who.personId}`,
      }),
    )
    return { ...who, cookie: await cookieFor(db, who.accountId) }
  }
  const jobs = () => getDb().selectFrom('outbox').select('payload').where('job_name', '=', 'certificate.render').execute()

  test('a certificate asked for through an unknown Host is refused (XUESHI_PUBLIC_URL unset), nothing is queued', async () => {
    expect(process.env.XUESHI_PUBLIC_URL).toBeUndefined()
    const who = await learnerWithHours()
    const forged = new Request('http://evil.example/hours/certificates', {
      method: 'POST',
      headers: { Cookie: who.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ year: '2025' }),
    })
    const res = await call(certificatesPage.action, forged)
    expect(res.status).toBe(400)
    expect(await getDb().selectFrom('certificates').select('id').execute()).toEqual([])
    expect(await jobs()).toEqual([])

    // the same request to this machine works, and prints this machine's address
    const ok = await call(certificatesPage.action, makeRequest('/hours/certificates', { form: { year: '2025' }, cookie: who.cookie }))
    expect(ok.status).toBe(302)
    expect((await jobs()).map((j) => (j.payload as { baseUrl: string }).baseUrl)).toEqual(['http://localhost'])
  })

  test('the OpenAPI servers URL is never the claimed Host: relative instead', async () => {
    const forged = await call(openApiLoader, new Request('http://evil.example/api/v1/openapi.json'))
    expect(forged.status).toBe(200)
    expect(forged.data.servers).toEqual([{ url: '/' }])
    const local = await call(openApiLoader, makeRequest('/api/v1/openapi.json'))
    expect(local.data.servers).toEqual([{ url: 'http://localhost' }])
  })
})

describe('item 17: the province code of an ID number is checked', () => {
  const outsideAnyProvince = () => {
    const first17 = '99010219800101123'
    return first17 + idNumberCheckChar(first17)
  }

  test('registration refuses it with err.idNumber.area', async () => {
    const res = await call(registerAction, makeRequest('/register', { form: registrationForm({ idNumber: outsideAnyProvince() }) }))
    expect(res.status).toBe(400)
    expect(errorsOf(res).idNumber).toBe('err.idNumber.area')
  })

  test('the API answers 400 invalid_id_number with details.problem area and a message in both languages', async () => {
    const client = await createApiClient(getDb(), { name: '职称申报系统', scopeRegion: '220000', actorAccountId: null })
    if (!client.ok) throw new Error(client.code)
    const request = new Request('http://localhost/api/v1/credit-checks', {
      method: 'POST',
      headers: { Authorization: `Bearer ${client.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ idNumber: outsideAnyProvince(), applicationYear: 2026 }),
    })
    const res = await call(checkAction, request)
    expect(res.status).toBe(400)
    expect(res.data.error).toMatchObject({ code: 'invalid_id_number', details: { field: 'idNumber', problem: 'area' } })
    expect(res.data.error.message).toMatch(/省级行政区划代码.*province code/)
  })
})
