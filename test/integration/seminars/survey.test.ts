import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'

import { register } from '#app/domain/seminars/registration.server.ts'
import { average2, submitSurvey, surveyResults, surveyState } from '#app/domain/seminars/survey.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { tx } from '#test/factories/bases.ts'
import { clickKey, createSeminar, learnerFrom } from '#test/factories/seminars.ts'

const db = () => getDb()
const HOUR = 3600_000
const DAY = 24 * HOUR
const now = new Date()
const today = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d)

/** A one-day seminar whose only block started an hour ago (registration opened the day before). */
async function runningSeminar() {
  const day = today(now)
  return createSeminar(
    db(),
    {
      startDate: day,
      endDate: day,
      opensAt: new Date(now.getTime() - 3 * DAY),
      closesAt: new Date(now.getTime() - 2 * DAY),
      cancelCutoffAt: new Date(now.getTime() - 2 * DAY),
      promotionStopsAt: new Date(now.getTime() - 2 * DAY),
      blocks: [{ startsAt: new Date(now.getTime() - HOUR), endsAt: new Date(now.getTime() + HOUR), creditHours: '3' }],
    },
    new Date(now.getTime() - 2.5 * DAY),
  )
}

/** A learner with a confirmed registration; `attend` marks the seminar's blocks attended. */
async function participant(seminarId: number, attend = true) {
  const p = await learnerFrom(db())
  const r = await tx(db(), (trx) => register(trx, p, seminarId, clickKey(), new Date(now.getTime() - 2.5 * DAY)))
  if (!r.ok || r.status !== 'confirmed') throw new Error(`registration: ${JSON.stringify(r)}`)
  if (attend) {
    const blocks = await db().selectFrom('seminar_blocks').select('id').where('seminar_id', '=', seminarId).execute()
    await db()
      .insertInto('seminar_attendance')
      .values(blocks.map((b) => ({ block_id: b.id, person_id: p.personId, signed_in_at: now, signed_out_at: now, attended: true })))
      .execute()
  }
  return p
}

const answers = (rating: number, comment?: string) => ({
  content: String(rating),
  teachers: String(rating),
  organisation: String(rating),
  venue: String(rating),
  overall: String(rating),
  ...(comment === undefined ? {} : { comment }),
})

async function rowCounts() {
  const n = async (t: 'seminar_survey_submitters' | 'seminar_survey_answers' | 'audit_log') =>
    Number(
      (
        await db()
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return { submitters: await n('seminar_survey_submitters'), answers: await n('seminar_survey_answers'), audit: await n('audit_log') }
}

describe('seminar survey', () => {
  test('a participant answers once; a second answer is refused and writes nothing', async () => {
    const { seminarId } = await runningSeminar()
    const p = await participant(seminarId)
    expect(await surveyState(db(), p.personId, seminarId, now)).toBe('open')
    const before = await rowCounts()
    expect(await submitSurvey(db(), p.personId, seminarId, answers(5, '很好'), now)).toEqual({ ok: true })
    expect(await rowCounts()).toEqual({ ...before, submitters: before.submitters + 1, answers: before.answers + 1 })
    expect(await surveyState(db(), p.personId, seminarId, now)).toBe('answered')
    const again = await submitSurvey(db(), p.personId, seminarId, answers(1), now)
    expect(again).toMatchObject({ ok: false, code: 'already_answered' })
    expect(await rowCounts()).toEqual({ ...before, submitters: before.submitters + 1, answers: before.answers + 1 })
    const stored = await db().selectFrom('seminar_survey_answers').select(['answers', 'survey_version']).executeTakeFirstOrThrow()
    expect(stored).toEqual({
      answers: { content: 5, teachers: 5, organisation: 5, venue: 5, overall: 5, comment: '很好' },
      survey_version: 'survey.1',
    })
  })

  test('non-participants, bad answers and answers outside the window are refused, nothing written', async () => {
    const { seminarId } = await runningSeminar()
    const absent = await participant(seminarId, false)
    const stranger = await learnerFrom(db())
    const p = await participant(seminarId)
    const before = await rowCounts()
    expect(await submitSurvey(db(), absent.personId, seminarId, answers(4), now)).toMatchObject({ ok: false, code: 'not_participant' })
    expect(await submitSurvey(db(), stranger.personId, seminarId, answers(4), now)).toMatchObject({ ok: false, code: 'not_participant' })
    const bad = await submitSurvey(db(), p.personId, seminarId, { ...answers(4), overall: '6' }, now)
    expect(bad).toMatchObject({ ok: false, code: 'invalid', issues: { overall: ['seminarSurvey.err.rating'] } })
    const missing = await submitSurvey(db(), p.personId, seminarId, { content: '4' }, now)
    expect(missing).toMatchObject({ ok: false, code: 'invalid' })
    const long = await submitSurvey(db(), p.personId, seminarId, answers(4, '长'.repeat(501)), now)
    expect(long).toMatchObject({ ok: false, code: 'invalid', issues: { comment: ['seminarSurvey.err.tooLong'] } })
    // before the first block, and after the last day + surveyOpenDaysAfterEnd (14): the end of that China day
    expect(await submitSurvey(db(), p.personId, seminarId, answers(4), new Date(now.getTime() - 2 * HOUR))).toMatchObject({
      ok: false,
      code: 'not_open_yet',
    })
    const endDay = today(now)
    const lastOpen = new Date(`${new Date(Date.parse(`${endDay}T00:00:00Z`) + 14 * DAY).toISOString().slice(0, 10)}T23:59:00+08:00`)
    expect(await surveyState(db(), p.personId, seminarId, lastOpen)).toBe('open')
    expect(await submitSurvey(db(), p.personId, seminarId, answers(4), new Date(lastOpen.getTime() + 60_000))).toMatchObject({
      ok: false,
      code: 'closed',
    })
    expect(await rowCounts()).toEqual(before)
    expect(await surveyState(db(), p.personId, 999_999, now)).toBeNull()
  })

  test('after finalisation, a result with a block attended makes a participant (no attendance row needed)', async () => {
    const { seminarId } = await runningSeminar()
    const p = await participant(seminarId, false)
    await db().updateTable('seminars').set({ finalised_at: now, attendance_revision: 1 }).where('id', '=', seminarId).execute()
    const result = {
      seminar_id: seminarId,
      person_id: p.personId,
      revision: 1,
      blocks_total: 1,
      hours: '0',
      completed: false,
      entry_id: null,
    }
    await db()
      .insertInto('seminar_results')
      .values({ ...result, blocks_attended: 0 })
      .execute()
    expect(await surveyState(db(), p.personId, seminarId, now)).toBe('not_participant')
    await db().updateTable('seminar_results').set({ blocks_attended: 1 }).where('person_id', '=', p.personId).execute()
    expect(await surveyState(db(), p.personId, seminarId, now)).toBe('open')
  })

  test('anonymity: no person column and nothing that orders or times the answers; no audit row', async () => {
    const cols = await sql<{ column_name: string; data_type: string }>`
      select column_name, data_type from information_schema.columns
       where table_schema = 'public' and table_name = 'seminar_survey_answers' order by column_name`.execute(db())
    expect(cols.rows).toEqual([
      { column_name: 'answers', data_type: 'jsonb' },
      { column_name: 'id', data_type: 'uuid' },
      { column_name: 'seminar_id', data_type: 'bigint' },
      { column_name: 'survey_version', data_type: 'text' },
    ])
    const { seminarId } = await runningSeminar()
    const a = await participant(seminarId)
    const b = await participant(seminarId)
    const before = await rowCounts()
    // b answers first, then a: the submitters are keyed by person, the answers by random uuids
    expect((await submitSurvey(db(), b.personId, seminarId, answers(2), now)).ok).toBe(true)
    expect((await submitSurvey(db(), a.personId, seminarId, answers(4), now)).ok).toBe(true)
    const ids = await db().selectFrom('seminar_survey_answers').select('id').execute()
    expect(ids).toHaveLength(2)
    for (const { id } of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    // the audit log is not written by answering (it would name the person next to the moment)
    expect((await rowCounts()).audit).toBe(before.audit)
  })

  test('results: below the threshold only the count; at 5 answers exact averages, distribution and comments', async () => {
    const { seminarId } = await runningSeminar()
    const people = []
    for (let i = 0; i < 5; i++) people.push(await participant(seminarId))
    const ratings = [5, 4, 4, 3, 5]
    for (let i = 0; i < 4; i++)
      expect((await submitSurvey(db(), people[i]!.personId, seminarId, answers(ratings[i]!, i === 0 ? '  ' : `意见${i}`), now)).ok).toBe(
        true,
      )
    expect(await surveyResults(db(), seminarId)).toEqual({ count: 4, min: 5, shown: false })
    expect((await submitSurvey(db(), people[4]!.personId, seminarId, { ...answers(5), overall: '1' }, now)).ok).toBe(true)
    const r = await surveyResults(db(), seminarId)
    if (!r?.shown) throw new Error('results should be shown')
    expect(r.count).toBe(5)
    const content = r.ratings.find((x) => x.id === 'content')
    expect(content).toMatchObject({ average: '4.20', distribution: [0, 0, 1, 2, 2] })
    expect(r.ratings.find((x) => x.id === 'overall')).toMatchObject({ average: '3.40', distribution: [1, 0, 1, 2, 1] })
    expect(r.ratings.map((x) => x.id)).toEqual(['content', 'teachers', 'organisation', 'venue', 'overall'])
    expect([...r.comments].sort()).toEqual(['意见1', '意见2', '意见3'])
  })

  test('averages are rounded half up to 2 decimals without float drift', () => {
    expect(average2(10, 3)).toBe('3.33')
    expect(average2(5, 3)).toBe('1.67')
    expect(average2(1, 8)).toBe('0.13')
    expect(average2(21, 5)).toBe('4.20')
    expect(average2(0, 0)).toBe('0.00')
  })
})
