import { describe, expect, test } from 'vitest'

import { courseProgress } from '#app/domain/courses/progress.server.ts'
import { ceYearOf } from '#app/domain/shared/ce-year.ts'
import { getDb } from '#app/lib/db.server.ts'
import { DEMO_COMPLIANCE_PHONES, seedDemo } from '#db/seed.ts'

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

    // Seminars in every state: open, full with a waiting list, running (yesterday's blocks signed), finished with results.
    const seminars = await getDb().selectFrom('seminars').select(['id', 'title', 'status', 'finalised_at']).orderBy('start_date').execute()
    expect(seminars.map((s) => s.status)).toEqual(['finished', 'published', 'published', 'published'])
    const finished = seminars[0]!
    const results = await getDb()
      .selectFrom('seminar_results as r')
      .innerJoin('people as p', 'p.id', 'r.person_id')
      .select(['p.name', 'r.blocks_attended', 'r.hours', 'r.completed'])
      .where('r.seminar_id', '=', finished.id)
      .orderBy('p.name')
      .execute()
    expect(results).toHaveLength(7)
    expect(results.find((r) => r.name === '赵磊')).toEqual({ name: '赵磊', blocks_attended: 4, hours: '12.00', completed: true })
    // 3 of 4 blocks: 9 hours, under the 80% attendance rule; 2 of 4: 6 hours
    expect(results.find((r) => r.name === '周涛')).toEqual({ name: '周涛', blocks_attended: 3, hours: '9.00', completed: false })
    expect(results.find((r) => r.name === '吴敏')).toEqual({ name: '吴敏', blocks_attended: 2, hours: '6.00', completed: false })
    const certificates = await getDb()
      .selectFrom('certificates')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('kind', '=', 'seminar_completion')
      .where('seminar_id', '=', finished.id)
      .executeTakeFirstOrThrow()
    expect(Number(certificates.n)).toBe(5)
    const answers = await getDb()
      .selectFrom('seminar_survey_answers')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('seminar_id', '=', finished.id)
      .executeTakeFirstOrThrow()
    expect(Number(answers.n)).toBe(6)
    expect(await getDb().selectFrom('seminar_packages').select(['seminar_id', 'late']).execute()).toEqual([
      { seminar_id: finished.id, late: false },
    ])
    const running = seminars[1]!
    const signed = await getDb()
      .selectFrom('seminar_attendance as a')
      .innerJoin('seminar_blocks as b', 'b.id', 'a.block_id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('b.seminar_id', '=', running.id)
      .where('a.attended', '=', true)
      .executeTakeFirstOrThrow()
    expect(Number(signed.n)).toBe(10)

    // An integrity finding awaits a second officer: proposed, nothing reversed yet.
    const records = await getDb().selectFrom('integrity_records').select(['status', 'person_id', 'source_kind']).execute()
    expect(records).toEqual([{ status: 'proposed', person_id: expect.any(Number), source_kind: 'entry' }])
    const reversals = await getDb()
      .selectFrom('hour_entries')
      .select('id')
      .where('person_id', '=', records[0]!.person_id)
      .where('source_kind', '=', 'reversal')
      .execute()
    expect(reversals).toHaveLength(0)

    // Compliance demo (issue 13): employers registered, people linked to them by their employer
    // text (the earlier demo people too), and every person's figures computed already.
    const employers = await getDb().selectFrom('employers').select(['id', 'name', 'region_code']).execute()
    expect(employers.length).toBeGreaterThanOrEqual(12)
    expect(new Set(employers.map((e) => e.region_code))).toEqual(new Set(['220100', '220200', '222400', '220300', '220500', '220700']))
    const employerOf = async (phone: string) =>
      await getDb()
        .selectFrom('accounts')
        .innerJoin('people', 'people.id', 'accounts.person_id')
        .leftJoin('employers', 'employers.id', 'people.employer_id')
        .select(['people.id', 'people.region_code', 'employers.name'])
        .where('accounts.phone', '=', phone)
        .executeTakeFirstOrThrow()
    expect((await employerOf('13900000011')).name).toBe('长春市第一中学')
    expect((await employerOf('13900000013')).name).toBe('延边大学附属医院')
    const count = async (q: 'people' | 'linked' | 'unlinked' | 'cp' | 'overseen') => {
      if (q === 'cp')
        return Number(
          (
            await getDb()
              .selectFrom('compliance_people')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      let query = getDb()
        .selectFrom('people')
        .select((eb) => eb.fn.countAll<string>().as('n'))
      if (q === 'linked') query = query.where('employer_id', 'is not', null)
      if (q === 'unlinked') query = query.where('employer_id', 'is', null).where('employer', 'is not', null)
      // everyone but officials and base-only staff is overseen
      if (q === 'overseen')
        query = query.where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('accounts')
                .select('accounts.id')
                .whereRef('accounts.person_id', '=', 'people.id')
                .where('accounts.role', 'in', ['hr', 'admin', 'base_staff']),
            ),
          ),
        )
      return Number((await query.executeTakeFirstOrThrow()).n)
    }
    expect(await count('people')).toBeGreaterThan(240)
    expect(await count('linked')).toBeGreaterThan(200)
    expect(await count('unlinked')).toBeGreaterThan(0) // employer names kept as text
    expect(await count('cp')).toBe(await count('overseen'))
    expect(await count('overseen')).toBeLessThan(await count('people'))
    // Ten compliance learners; the first is in 长春 at an employer that is short this year.
    const logins = await getDb().selectFrom('accounts').select('phone').where('phone', 'in', DEMO_COMPLIANCE_PHONES).execute()
    expect(logins).toHaveLength(10)
    const short = await employerOf(DEMO_COMPLIANCE_PHONES[0]!)
    expect(short).toMatchObject({ region_code: '220100', name: '长春市城乡规划设计研究院' })
    const thisYear = await getDb()
      .selectFrom('compliance_person_years')
      .select('met')
      .where('person_id', '=', short.id)
      .where('ce_year', '=', ceYearOf(new Date()))
      .executeTakeFirstOrThrow()
    expect(thisYear.met).toBe(false)
    // Some regions mostly compliant, others mostly short, and claims waiting that would close gaps.
    const rates = await getDb()
      .selectFrom('compliance_person_years as y')
      .innerJoin('compliance_people as p', 'p.person_id', 'y.person_id')
      .select(['p.region_code', (eb) => eb.fn.avg<string>(eb.cast<number>('y.met', 'integer')).as('rate')])
      .where('y.ce_year', '=', ceYearOf(new Date()) - 1)
      .groupBy('p.region_code')
      .execute()
    const rate = (r: string) => Number(rates.find((x) => x.region_code === r)?.rate)
    expect(rate('220200')).toBeGreaterThan(0.6)
    expect(rate('222400')).toBeLessThan(0.5)
    const pending = await getDb().selectFrom('external_claims').select('id').where('status', '=', 'pending').execute()
    expect(pending.length).toBeGreaterThan(2)
  })
})
