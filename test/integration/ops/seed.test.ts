import { describe, expect, test } from 'vitest'

import { courseProgress } from '#app/domain/courses/progress.server.ts'
import { ceYearOf } from '#app/domain/shared/ce-year.ts'
import { getDb } from '#app/lib/db.server.ts'
import { seedDemo } from '#db/seed.ts'

describe('demo data', () => {
  test('seeds once; online study goes through the real rules: a completed course credited this CE year, others part-way', async () => {
    expect(await seedDemo(getDb())).toBe('seeded')
    expect(await seedDemo(getDb())).toBe('already-seeded')
    const person = async (phone: string) =>
      (await getDb().selectFrom('accounts').select('person_id').where('phone', '=', phone).executeTakeFirstOrThrow()).person_id
    const chen = await person('13900000011')
    const online = await getDb()
      .selectFrom('hour_entries')
      .select(['ce_year', 'hours', 'source_ref', 'counted'])
      .where('person_id', '=', chen)
      .where('source_kind', '=', 'online_course')
      .execute()
    expect(online).toEqual([{ ce_year: ceYearOf(new Date()), hours: '2.00', source_ref: 'professional-ethics', counted: true }])
    expect(await courseProgress(getDb(), chen, 'professional-ethics')).toMatchObject({
      lessonsDone: 3,
      creditedHours: '2',
      quiz: { state: 'passed', score: 100 },
    })
    expect(await courseProgress(getDb(), await person('13900000012'), 'bim-application')).toMatchObject({
      lessonsDone: 2,
      completedAt: null,
      quiz: { state: 'locked' },
    })
    expect(await courseProgress(getDb(), await person('13900000013'), 'rational-drug-use')).toMatchObject({
      lessonsDone: 1,
      completedAt: null,
    })
  })
})
