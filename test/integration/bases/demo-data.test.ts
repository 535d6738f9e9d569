import { expect, test } from 'vitest'

import { applicationsAwaiting } from '#app/domain/bases/applications.server.ts'
import { listRegistry } from '#app/domain/bases/registry.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { seedDemo } from '#db/seed.ts'

test('demo data has a base in each registry status and applications waiting at each desk', async () => {
  expect(await seedDemo(getDb())).toBe('seeded')
  const statuses = new Set((await listRegistry(getDb())).map((e) => e.statusOn))
  expect([...statuses].sort()).toEqual(['designated', 'in_notice', 'rectification', 'revoked'])
  const hr = await getDb().selectFrom('accounts').select('id').where('phone', '=', '13900000003').executeTakeFirstOrThrow()
  const admin = await getDb().selectFrom('accounts').select('id').where('phone', '=', '13900000001').executeTakeFirstOrThrow()
  expect((await applicationsAwaiting(getDb(), { role: 'hr', accountId: hr.id, scopeRegion: '220100' })).map((a) => a.state)).toEqual([
    'submitted',
  ])
  expect((await applicationsAwaiting(getDb(), { role: 'admin', accountId: admin.id })).map((a) => a.state)).toEqual(['forwarded'])
  const returned = await getDb()
    .selectFrom('base_applications')
    .select('section_reasons')
    .where('state', '=', 'returned')
    .executeTakeFirstOrThrow()
  expect(Object.keys(returned.section_reasons ?? {})).toEqual(['faculty', 'materials'])
})
