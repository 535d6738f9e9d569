import { describe, expect, test } from 'vitest'

import { getDb } from '#app/lib/db.server.ts'
import { action } from '#app/routes/account/register.tsx'
import { makeIdNumber, registrationForm } from '#test/factories/people.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

async function counts() {
  const db = getDb()
  const [people, accounts, outbox] = await Promise.all(
    (['people', 'accounts', 'outbox'] as const).map((t) =>
      db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
        .then((r) => r.n),
    ),
  )
  return { people, accounts, outbox }
}

describe('registration (实名注册)', () => {
  test('a valid registration creates the person, the account, a session and the welcome job', async () => {
    const form = registrationForm({ idNumber: makeIdNumber().replace(/X$/, 'x') })
    const res = await call(action, makeRequest('/register', { form }))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/account')
    expect(res.headers.get('Set-Cookie')).toMatch(/xs_session=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Lax/)
    expect(await counts()).toEqual({ people: 1, accounts: 1, outbox: 1 })
    const person = await getDb().selectFrom('people').selectAll().executeTakeFirstOrThrow()
    expect(person.name).toBe(form.name)
    expect(person.region_code).toBe('220100')
    const job = await getDb().selectFrom('outbox').selectAll().executeTakeFirstOrThrow()
    expect(job.job_name).toBe('notice.welcome')
  })

  test('a taken ID number and a taken phone get one answer that names neither, with a way forward; nothing is written', async () => {
    const idNumber = makeIdNumber()
    const first = registrationForm({ idNumber })
    expect((await call(action, makeRequest('/register', { form: first }))).status).toBe(302)
    const before = await counts()
    // Lower-case x or not, it is the same person.
    const takenId = await call(action, makeRequest('/register', { form: registrationForm({ idNumber: idNumber.toLowerCase() }) }))
    const takenPhone = await call(action, makeRequest('/register', { form: registrationForm({ phone: first.phone! }) }))
    for (const res of [takenId, takenPhone]) {
      expect(res.status).toBe(400)
      expect(errorsOf(res)).toEqual({ _form: 'err.register.refused' })
      expect(Object.keys(res.data).sort()).toEqual(['result'])
    }
    expect(JSON.stringify(takenId.data.result.error)).toBe(JSON.stringify(takenPhone.data.result.error))
    expect(await counts()).toEqual(before)
  })

  test('per ID number: the 6th attempt within the hour → 429, whatever the IP (no more probing)', async () => {
    const idNumber = makeIdNumber()
    await call(action, makeRequest('/register', { form: registrationForm({ idNumber }) }))
    for (let i = 0; i < 4; i++) {
      const res = await call(
        action,
        makeRequest('/register', { form: registrationForm({ idNumber }), headers: { 'X-Xueshi-Client-Ip': `10.0.0.${i}` } }),
      )
      expect(res.status, `probe ${i + 1}`).toBe(400)
    }
    const sixth = await call(
      action,
      makeRequest('/register', { form: registrationForm({ idNumber }), headers: { 'X-Xueshi-Client-Ip': '10.0.1.1' } }),
    )
    expect(sixth.status).toBe(429)
    expect(errorsOf(sixth)).toEqual({ _form: 'err.register.tooMany' })
  })

  test('per IP: probing many ID numbers from one address → 429 after 10 attempts in the hour', async () => {
    const headers = { 'X-Xueshi-Client-Ip': '203.0.113.9' }
    const statuses: number[] = []
    for (let i = 0; i < 11; i++) {
      statuses.push(
        (await call(action, makeRequest('/register', { form: registrationForm({ passwordConfirm: 'Nope12345' }), headers }))).status,
      )
    }
    // Invalid forms are not counted (they probe nothing); valid ones are, taken or not.
    expect(statuses.every((s) => s === 400)).toBe(true)
    for (let i = 0; i < 10; i++) {
      expect((await call(action, makeRequest('/register', { form: registrationForm(), headers }))).status, `attempt ${i + 1}`).toBe(302)
    }
    const over = await call(action, makeRequest('/register', { form: registrationForm(), headers }))
    expect(over.status).toBe(429)
    expect((await counts()).accounts).toBe(10)
  })

  test.each([
    ['idNumber', '22010219850615123', 'err.idNumber.format'],
    ['idNumber', '220102198502301233', 'err.idNumber.date'],
    ['idNumber', '220102198506151233', 'err.idNumber.checksum'],
    ['phone', '1234567', 'err.phone'],
    ['name', '', 'err.required'],
    ['region', '110000', 'err.choice'],
    ['password', 'short1', 'err.password.short'],
    ['password', 'onlyletters', 'err.password.weak'],
    ['titleYear', '1900', 'err.titleYear'],
  ])('bad %s (%s) → %s, nothing written', async (field, value, message) => {
    const form = registrationForm({ [field]: value, ...(field === 'password' ? { passwordConfirm: value } : {}) })
    const res = await call(action, makeRequest('/register', { form }))
    expect(res.status).toBe(400)
    expect(errorsOf(res)[field]).toBe(message)
    expect(res.data.result.initialValue).not.toHaveProperty('password')
    expect(await counts()).toEqual({ people: 0, accounts: 0, outbox: 0 })
  })

  test('mismatched passwords are refused on the confirmation field', async () => {
    const res = await call(action, makeRequest('/register', { form: registrationForm({ passwordConfirm: 'Different123' }) }))
    expect(res.status).toBe(400)
    expect(errorsOf(res).passwordConfirm).toBe('err.password.mismatch')
    expect((await counts()).accounts).toBe(0)
  })
})
