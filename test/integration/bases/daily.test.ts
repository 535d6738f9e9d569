import { describe, expect, test } from 'vitest'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { addDays } from '#app/domain/bases/lifecycle.ts'
import { openRectification } from '#app/domain/bases/rectification.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { approvedBase, tx } from '#test/factories/bases.ts'
import { createLearner, createStaff } from '#test/factories/people.ts'
import { ensureDailyJobs } from '#workers/daily.ts'
import { processJob } from '#workers/jobs/index.ts'

const db = () => getDb()
const today = chinaDay()

describe('the bases daily run (base.daily)', () => {
  test('the worker clock enqueues one run per China day', async () => {
    const at = new Date('2031-03-01T16:30:00Z') // 2031-03-02 00:30 in China
    expect(await ensureDailyJobs(db(), at)).toBe(true)
    expect(await ensureDailyJobs(db(), new Date(at.getTime() + 10 * 60_000))).toBe(false)
    const rows = await db().selectFrom('outbox').select('payload').where('job_name', '=', 'base.daily').execute()
    expect(rows.filter((r) => (r.payload as { day: string }).day === '2031-03-02')).toHaveLength(1)
    expect(await ensureDailyJobs(db(), new Date('2031-03-02T16:30:00Z'))).toBe(true)
  })

  test('designates bases whose notice is over and tells a base once that its deadline passed', async () => {
    const learner = await createLearner(db())
    const hr = await createStaff(db(), 'hr', { scopeRegion: '220100' })
    const admin = await createStaff(db(), 'admin')
    const hrActor = { role: 'hr', accountId: hr.accountId, scopeRegion: '220100' } as const
    const { baseId } = await approvedBase(
      db(),
      { role: 'applicant', accountId: learner.accountId },
      hrActor,
      { role: 'admin', accountId: admin.accountId },
      addDays(today, -60),
    )
    const first = (await processJob(db(), 'base.daily', { day: today })) as { designated: number; overdue: number }
    expect(first.designated).toBeGreaterThanOrEqual(1)
    expect((await db().selectFrom('bases').select('status').where('id', '=', baseId).executeTakeFirstOrThrow()).status).toBe('designated')

    const opened = await tx(db(), (t) =>
      openRectification(t, hrActor, baseId, { findings: { capacity: '教室不足' }, deadline: addDays(today, 1) }),
    )
    expect(opened.ok).toBe(true)
    const overdueNotices = () =>
      db()
        .selectFrom('notices')
        .select('id')
        .where('kind', '=', 'base_rectification_overdue')
        .where('person_id', '=', learner.personId)
        .execute()
    await processJob(db(), 'base.daily', { day: addDays(today, 1) })
    expect(await overdueNotices()).toHaveLength(0) // due today: not yet overdue
    await processJob(db(), 'base.daily', { day: addDays(today, 2) })
    await processJob(db(), 'base.daily', { day: addDays(today, 3) })
    expect(await overdueNotices()).toHaveLength(1)
  })
})
