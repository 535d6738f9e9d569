import { describe, expect, test } from 'vitest'

import { getDb } from '#app/lib/db.server.ts'
import { loader } from '#app/routes/admin/policy.tsx'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'

describe('admin: the policy in force', () => {
  test('an admin sees every year’s version in force with its rules', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const res = await call(loader, makeRequest('/admin/policy', { cookie: await cookieFor(getDb(), admin.accountId) }))
    expect(res.status).toBe(200)
    const years = res.data.years as { year: number; version: string; versions: number; policy: { requirement: unknown } }[]
    expect(years.map((y) => y.year)).toEqual([2027, 2026, 2025, 2024, 2023, 2022])
    expect(years[1]).toMatchObject({
      year: 2026,
      version: '2026.1',
      versions: 1,
      policy: { requirement: { total: '90', professional: '60', public: '30' } },
    })
  })

  test('a newer version of a year becomes the one shown, and the count of versions grows', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const body = (await getDb().selectFrom('policies').select('body').where('version', '=', '2025.1').executeTakeFirstOrThrow())
      .body as Record<string, unknown>
    await getDb()
      .insertInto('policies')
      .values({
        year: 2025,
        version: '2025.2',
        body: JSON.stringify({ ...body, version: '2025.2' }),
        loaded_at: new Date(Date.now() + 1000),
      })
      .execute()
    try {
      const res = await call(loader, makeRequest('/admin/policy', { cookie: await cookieFor(getDb(), admin.accountId) }))
      expect(res.data.years.find((y: { year: number }) => y.year === 2025)).toMatchObject({ version: '2025.2', versions: 2 })
    } finally {
      await getDb().deleteFrom('policies').where('version', '=', '2025.2').execute()
    }
  })

  test.each(['learner', 'hr', 'base_staff'] as const)('%s → 403', async (role) => {
    const id = role === 'learner' ? (await createLearner(getDb())).accountId : (await createStaff(getDb(), role)).accountId
    const res = await call(loader, makeRequest('/admin/policy', { cookie: await cookieFor(getDb(), id) }))
    expect(res.status).toBe(403)
  })

  test('signed out → login', async () => {
    const res = await call(loader, makeRequest('/admin/policy'))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/login?redirectTo=%2Fadmin%2Fpolicy')
  })
})
