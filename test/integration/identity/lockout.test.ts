import { describe, expect, test } from 'vitest'

import { getDb } from '#app/lib/db.server.ts'
import { closeRedis, getRedis } from '#app/lib/redis.server.ts'
import { action as loginAction } from '#app/routes/account/login.tsx'
import { action as registerAction } from '#app/routes/account/register.tsx'
import { createLearner, PASSWORD, registrationForm } from '#test/factories/people.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

function login(form: Record<string, string>, ip = '198.51.100.7') {
  return call(loginAction, makeRequest('/login', { form, headers: { 'X-Xueshi-Client-Ip': ip } }))
}

/** Empties this test file's Redis keys, as a Redis restart would. */
async function flushRedis() {
  const redis = await getRedis()
  const keys = await redis.keys(`${process.env.XUESHI_REDIS_PREFIX}:*`)
  if (keys.length) await redis.del(...keys)
}

/** Runs `fn` with the web's Redis client cut off (commands fail at once), then reconnects. */
async function withRedisDown<T>(fn: () => Promise<T>): Promise<T> {
  ;(await getRedis()).disconnect()
  try {
    return await fn()
  } finally {
    await closeRedis()
  }
}

describe('login lockout (登录锁定) is per account', () => {
  test('the ID number, the mobile and hyphenated/spaced mobiles share one counter: 5 failures in all, then 429 even with the right password', async () => {
    const victim = await createLearner(getDb())
    const p = victim.phone
    const forms = [
      victim.idNumber,
      p,
      `${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`,
      `${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`,
      `${p.slice(0, 3)}-${p.slice(3)}`,
    ]
    for (const [i, form] of forms.entries()) {
      const res = await login({ login: form, password: `Wrong-pass-${i}` }, `192.0.2.${i}`)
      expect(res.status, form).toBe(401)
    }
    for (const form of [victim.idNumber, victim.phone, `${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`, victim.idNumber.toLowerCase()]) {
      const res = await login({ login: form, password: PASSWORD }, '192.0.2.200')
      expect(res.status, form).toBe(429)
      expect(errorsOf(res)).toEqual({ _form: 'err.login.locked' })
    }
    expect(await getDb().selectFrom('sessions').selectAll().execute()).toEqual([])
  })

  test('the lock survives a Redis restart (it lives in PostgreSQL)', async () => {
    const victim = await createLearner(getDb())
    for (let i = 0; i < 5; i++) expect((await login({ login: victim.phone, password: `Wrong-${i}x` })).status).toBe(401)
    await flushRedis()
    expect((await login({ login: victim.phone, password: PASSWORD })).status).toBe(429)
    const row = await getDb().selectFrom('accounts').select(['locked_until']).where('id', '=', victim.accountId).executeTakeFirstOrThrow()
    expect(row.locked_until!.getTime()).toBeGreaterThan(Date.now() + 14 * 60 * 1000)
  })

  test('concurrent guesses cannot slip past the lock: of 12 at once, at most 5 are checked', async () => {
    const victim = await createLearner(getDb())
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login({ login: victim.idNumber, password: `Wrong-pass-${i}` })))
    const statuses = answers.map((a) => a.status)
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5)
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7)
    expect((await login({ login: victim.idNumber, password: PASSWORD })).status).toBe(429)
  })

  test('a right password before the limit starts the count again', async () => {
    const learner = await createLearner(getDb())
    for (let i = 0; i < 4; i++) await login({ login: learner.phone, password: `Wrong-${i}x` })
    expect((await login({ login: learner.phone, password: PASSWORD })).status).toBe(302)
    for (let i = 0; i < 4; i++) expect((await login({ login: learner.idNumber, password: `Wrong-${i}x` })).status).toBe(401)
    expect((await login({ login: learner.idNumber, password: PASSWORD })).status).toBe(302)
  })

  test('a login that names no account locks after as many tries, with the same answers (no oracle)', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push((await login({ login: '13900000123', password: `Wrong-${i}x` })).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
  })

  test('Redis down: the per-IP limit fails open (login works) and the per-account lock still holds', async () => {
    const learner = await createLearner(getDb())
    const other = await createLearner(getDb())
    await withRedisDown(async () => {
      expect((await login({ login: learner.phone, password: PASSWORD })).status).toBe(302)
      for (let i = 0; i < 5; i++) expect((await login({ login: other.phone, password: `Wrong-${i}x` })).status).toBe(401)
      expect((await login({ login: other.phone, password: PASSWORD })).status).toBe(429)
    })
  })

  test('Redis down: registration fails closed (503 err.service, nothing written)', async () => {
    await withRedisDown(async () => {
      const res = await call(registerAction, makeRequest('/register', { form: registrationForm() }))
      expect(res.status).toBe(503)
      expect(errorsOf(res)).toEqual({ _form: 'err.service' })
    })
    expect(await getDb().selectFrom('accounts').selectAll().execute()).toEqual([])
  })

  test('the per-IP limit still applies across accounts (50 failures in 15 minutes)', async () => {
    const learner = await createLearner(getDb())
    for (let i = 0; i < 50; i++) await login({ login: `1390000${String(i).padStart(4, '0')}`, password: 'Wrong-pass-1' }, '203.0.113.50')
    expect((await login({ login: learner.phone, password: PASSWORD }, '203.0.113.50')).status).toBe(429)
    expect((await login({ login: learner.phone, password: PASSWORD }, '203.0.113.51')).status).toBe(302)
  })
})
