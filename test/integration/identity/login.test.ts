import { describe, expect, test } from 'vitest'

import { idNumberCheckChar } from '#app/domain/shared/id-number.ts'
import { getDb } from '#app/lib/db.server.ts'
import { getRedis } from '#app/lib/redis.server.ts'
import { action, loader } from '#app/routes/account/login.tsx'
import { cookieFor, createLearner, createStaff, PASSWORD } from '#test/factories/people.ts'
import { call, errorsOf, makeRequest, sessionCookieFrom } from '#test/fixtures/http.ts'

let xSeq = 0

/** A valid ID number whose check character is X (so the lower-case x variant can be tried). */
function idNumberEndingInX(area = '220102'): string {
  for (;;) {
    xSeq += 1
    const first17 = `${area}1978${String(1 + (xSeq % 12)).padStart(2, '0')}${String(1 + (xSeq % 28)).padStart(2, '0')}${String(xSeq % 1000).padStart(3, '0')}`
    if (idNumberCheckChar(first17) === 'X') return `${first17}X`
  }
}

function login(form: Record<string, string>, query = '') {
  return call(action, makeRequest(`/login${query}`, { form }))
}

async function redisKeys(): Promise<string[]> {
  const redis = await getRedis()
  const out: string[] = []
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${process.env.XUESHI_REDIS_PREFIX}:*`, 'COUNT', 500)
    out.push(...keys)
    cursor = next
  } while (cursor !== '0')
  return out
}

describe('login (登录)', () => {
  test('an ID number and the right password sign in: 302 to /hours (我的学时) with an HttpOnly, SameSite=Lax session cookie', async () => {
    const learner = await createLearner(getDb())
    const res = await login({ login: learner.idNumber, password: PASSWORD })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/hours')
    const setCookie = res.headers.get('Set-Cookie') ?? ''
    expect(setCookie).toMatch(/^xs_session=[A-Za-z0-9_-]{20,100}; Path=\/; HttpOnly; SameSite=Lax/)
    expect(setCookie).not.toMatch(/Secure/i)
    const session = await getDb().selectFrom('sessions').select('account_id').executeTakeFirstOrThrow()
    expect(session.account_id).toBe(learner.accountId)
  })

  test('an ID number ending in X signs in with upper-case X and with lower-case x', async () => {
    const idNumber = idNumberEndingInX()
    const learner = await createLearner(getDb(), { idNumber })
    for (const variant of [idNumber, idNumber.toLowerCase()]) {
      const res = await login({ login: variant, password: PASSWORD })
      expect(res.status, variant).toBe(302)
      expect(res.headers.get('Location')).toBe('/hours')
      sessionCookieFrom(res)
    }
    const sessions = await getDb().selectFrom('sessions').select('account_id').execute()
    expect(sessions.map((s) => s.account_id)).toEqual([learner.accountId, learner.accountId])
  })

  test('a mobile number and the right password sign in', async () => {
    const learner = await createLearner(getDb())
    const res = await login({ login: learner.phone, password: PASSWORD })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/hours')
    expect(sessionCookieFrom(res)).toMatch(/^xs_session=/)
  })

  test('over https the session cookie is Secure', async () => {
    const learner = await createLearner(getDb())
    const request = new Request('https://localhost/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: learner.phone, password: PASSWORD }),
    })
    const res = await call(action, request)
    expect(res.status).toBe(302)
    expect(res.headers.get('Set-Cookie')).toMatch(/^xs_session=[A-Za-z0-9_-]+;.*; HttpOnly; SameSite=Lax;.*; Secure$/)
  })

  test.each([
    ['admin', '/admin'],
    ['hr', '/hr'],
    ['base_staff', '/base'],
  ] as const)('%s lands on %s', async (role, home) => {
    const staff = await createStaff(getDb(), role)
    const res = await login({ login: staff.idNumber, password: PASSWORD })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(home)
  })

  test('?redirectTo with a same-site path is honoured (query string and hidden form field)', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const viaQuery = await login({ login: admin.idNumber, password: PASSWORD }, `?redirectTo=${encodeURIComponent('/admin/staff')}`)
    expect(viaQuery.status).toBe(302)
    expect(viaQuery.headers.get('Location')).toBe('/admin/staff')
    const viaField = await login({ login: admin.idNumber, password: PASSWORD, redirectTo: '/admin/audit' })
    expect(viaField.headers.get('Location')).toBe('/admin/audit')
  })

  test.each(['//evil.com', 'https://evil.com', '/\\evil.com', '/\t/evil.com', 'javascript:alert(1)'])(
    'redirectTo=%j is ignored: the user goes to their own home',
    async (target) => {
      const admin = await createStaff(getDb(), 'admin')
      const viaQuery = await login({ login: admin.idNumber, password: PASSWORD }, `?redirectTo=${encodeURIComponent(target)}`)
      expect(viaQuery.status).toBe(302)
      expect(viaQuery.headers.get('Location')).toBe('/admin')
      const viaField = await login({ login: admin.idNumber, password: PASSWORD, redirectTo: target })
      expect(viaField.headers.get('Location')).toBe('/admin')
    },
  )

  test('a wrong password → 401 err.login.failed, no session; an unknown login gets the very same answer', async () => {
    const learner = await createLearner(getDb())
    const wrong = await login({ login: learner.idNumber, password: 'Wrong-pass-123' })
    expect(wrong.status).toBe(401)
    expect(errorsOf(wrong)).toEqual({ _form: 'err.login.failed' })
    expect(wrong.headers.get('Set-Cookie')).toBeNull()

    const unknownPhone = await login({ login: '13900000001', password: PASSWORD })
    const unknownId = await login({ login: idNumberEndingInX('220103'), password: PASSWORD })
    const notAnId = await login({ login: 'someone', password: PASSWORD })
    for (const res of [unknownPhone, unknownId, notAnId]) {
      expect(res.status).toBe(401)
      expect(errorsOf(res)).toEqual(errorsOf(wrong))
      expect(Object.keys(res.data).sort()).toEqual(Object.keys(wrong.data).sort())
    }
    expect(await getDb().selectFrom('sessions').selectAll().execute()).toEqual([])
  })

  test('5 wrong passwords lock the login: the 6th attempt, even with the right password, gets 429 err.login.locked', async () => {
    const victim = await createLearner(getDb())
    const other = await createLearner(getDb())
    for (let i = 0; i < 5; i++) {
      const res = await login({ login: victim.idNumber, password: `Wrong-pass-${i}` })
      expect(res.status, `attempt ${i + 1}`).toBe(401)
    }
    const locked = await login({ login: victim.idNumber, password: PASSWORD })
    expect(locked.status).toBe(429)
    expect(errorsOf(locked)).toEqual({ _form: 'err.login.locked' })
    const minutes = locked.data.lockedMinutes
    expect(Number.isInteger(minutes)).toBe(true)
    expect(minutes).toBeGreaterThanOrEqual(1)
    expect(minutes).toBeLessThanOrEqual(15)
    expect(locked.headers.get('Set-Cookie')).toBeNull()
    expect(await getDb().selectFrom('sessions').selectAll().execute()).toEqual([])

    // Another account is not locked by it.
    const ok = await login({ login: other.idNumber, password: PASSWORD })
    expect(ok.status).toBe(302)
  })

  test('x and X share one lockout counter', async () => {
    const idNumber = idNumberEndingInX()
    await createLearner(getDb(), { idNumber })
    for (let i = 0; i < 5; i++) {
      const res = await login({ login: i % 2 ? idNumber : idNumber.toLowerCase(), password: `Wrong-pass-${i}` })
      expect(res.status).toBe(401)
    }
    expect((await login({ login: idNumber.toLowerCase(), password: PASSWORD })).status).toBe(429)
    expect((await login({ login: idNumber, password: PASSWORD })).status).toBe(429)
  })

  test('the per-account counter is in PostgreSQL; Redis holds only hashed keys, never an ID number or a mobile number', async () => {
    const idNumber = idNumberEndingInX()
    const learner = await createLearner(getDb(), { idNumber })
    for (let i = 0; i < 3; i++) await login({ login: learner.idNumber, password: `Wrong-pass-${i}` })
    for (let i = 0; i < 1; i++) await login({ login: learner.phone, password: `Wrong-pass-${i}` })
    await login({ login: '13900000077', password: 'Wrong-pass-1' })
    const row = await getDb().selectFrom('accounts').select('failed_logins').where('id', '=', learner.accountId).executeTakeFirstOrThrow()
    expect(row.failed_logins).toBe(4)
    const keys = await redisKeys()
    // The unknown login's counter and the per-IP counter; none for the real account.
    expect(keys.filter((k) => k.includes(':rl:login:'))).toHaveLength(1)
    for (const key of keys) {
      for (const secret of [idNumber, idNumber.toLowerCase(), idNumber.slice(0, 17), learner.phone, '13900000077']) {
        expect(key).not.toContain(secret)
      }
    }
  })

  test('a disabled account cannot sign in, even with the right password', async () => {
    const learner = await createLearner(getDb())
    await getDb().updateTable('accounts').set({ disabled_at: new Date() }).where('id', '=', learner.accountId).execute()
    for (const id of [learner.idNumber, learner.phone]) {
      const res = await login({ login: id, password: PASSWORD })
      expect(res.status).toBe(401)
      expect(errorsOf(res)).toEqual({ _form: 'err.login.failed' })
    }
    expect(await getDb().selectFrom('sessions').selectAll().execute()).toEqual([])
  })

  test('the login page sends an already signed-in user to their home; a signed-out visitor sees the form', async () => {
    const learner = await createLearner(getDb())
    const hr = await createStaff(getDb(), 'hr')
    const asLearner = await call(loader, makeRequest('/login', { cookie: await cookieFor(getDb(), learner.accountId) }))
    expect(asLearner.status).toBe(302)
    expect(asLearner.headers.get('Location')).toBe('/hours')
    const asHr = await call(loader, makeRequest('/login', { cookie: await cookieFor(getDb(), hr.accountId) }))
    expect(asHr.status).toBe(302)
    expect(asHr.headers.get('Location')).toBe('/hr')
    const anonymous = await call(loader, makeRequest('/login'))
    expect(anonymous).toMatchObject({ status: 200, data: null })
  })
})
