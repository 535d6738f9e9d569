import { describe, expect, test } from 'vitest'

import { clearPolicyCache } from '#app/domain/policy/cache.server.ts'
import { ceYearOf } from '#app/domain/shared/ce-year.ts'
import { translate } from '#app/i18n/catalog.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { loader } from '#app/routes/public/home.tsx'
import { call, makeRequest } from '#test/fixtures/http.ts'

describe('home page', () => {
  test('states the requirement of the policy in force, not a number written into the text', async () => {
    clearPolicyCache()
    const res = await call(loader, makeRequest('/'))
    expect(res.data.rules).toEqual({ total: '90', professional: '60', public: '30' })
    expect(translate('zh', 'home.rules.body', res.data.rules)).toContain('每年累计不少于90学时')

    const year = ceYearOf(new Date())
    const body = (await getDb().selectFrom('policies').select('body').where('version', '=', `${year}.1`).executeTakeFirstOrThrow())
      .body as Record<string, any>
    const next = { ...body, version: `${year}.9`, requirement: { total: '96', professional: '64', public: '32' } }
    await getDb()
      .insertInto('policies')
      .values({ year, version: `${year}.9`, body: JSON.stringify(next), loaded_at: new Date(Date.now() + 1000) })
      .execute()
    try {
      clearPolicyCache()
      const after = await call(loader, makeRequest('/'))
      expect(after.data.rules).toEqual({ total: '96', professional: '64', public: '32' })
      expect(translate('en', 'home.rules.body', after.data.rules)).toContain('At least 96 hours a year')
    } finally {
      await getDb().deleteFrom('policies').where('version', '=', `${year}.9`).execute()
      clearPolicyCache()
    }
  })
})
