import { randomInt } from 'node:crypto'

import { seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { addDays } from '#app/domain/shared/working-days.ts'
import type { DB } from '#db/schema.ts'

import { chinaInstant } from './blocks.ts'
import type { RatingResult, SurveyResults } from './package.ts'
import { answersSchema, ratingQuestions, type SurveyAnswers, surveyOn, textQuestions } from './survey-definition.server.ts'

/**
 * The anonymous satisfaction survey (满意度调查), one answer per participant. Who answered
 * (seminar_survey_submitters) and what was answered (seminar_survey_answers: no person column, a
 * random uuid, no timestamp) are written in one transaction so nobody answers twice, and nothing
 * else links them: no audit row, no log line. Results are shown only from a policy number of
 * answers (`surveyMinAnswersShown`), below it only the count.
 */

export type { RatingResult, SurveyResults } from './package.ts'

export type SurveyState = 'open' | 'answered' | 'not_participant' | 'not_open_yet' | 'closed'

type SeminarDates = { id: number; start_date: string; end_date: string; finalised_at: Date | null }

async function seminarDates(db: DB, seminarId: number): Promise<SeminarDates | undefined> {
  return db
    .selectFrom('seminars')
    .select(['id', 'start_date', 'end_date', 'finalised_at'])
    .where('id', '=', seminarId)
    .where('status', 'in', ['published', 'finished'])
    .executeTakeFirst()
}

/** From the first block's start to the end of the China day `end_date + surveyOpenDaysAfterEnd`. */
export async function surveyWindow(db: DB, seminar: Pick<SeminarDates, 'id' | 'start_date' | 'end_date'>) {
  const policy = seminarPolicyOn(seminar.start_date)
  const first = await db
    .selectFrom('seminar_blocks')
    .select((eb) => eb.fn.min('starts_at').as('starts_at'))
    .where('seminar_id', '=', seminar.id)
    .executeTakeFirst()
  const opensAt = first?.starts_at ? new Date(first.starts_at) : chinaInstant(seminar.start_date, '00:00')
  const closesAt = chinaInstant(addDays(seminar.end_date, policy.surveyOpenDaysAfterEnd + 1), '00:00')
  return { opensAt, closesAt }
}

/**
 * A participant: a confirmed registration and at least one block attended, or (once attendance is
 * finalised) a result with a block attended.
 */
export async function isParticipant(db: DB, personId: number, seminar: Pick<SeminarDates, 'id' | 'finalised_at'>): Promise<boolean> {
  const attended = await db
    .selectFrom('seminar_registrations as r')
    .select('r.id')
    .where('r.seminar_id', '=', seminar.id)
    .where('r.person_id', '=', personId)
    .where('r.status', '=', 'confirmed')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('seminar_attendance as a')
          .innerJoin('seminar_blocks as b', 'b.id', 'a.block_id')
          .select('a.block_id')
          .where('b.seminar_id', '=', seminar.id)
          .where('a.person_id', '=', personId)
          .where('a.attended', '=', true),
      ),
    )
    .executeTakeFirst()
  if (attended) return true
  if (seminar.finalised_at === null) return false
  const result = await db
    .selectFrom('seminar_results')
    .select('person_id')
    .where('seminar_id', '=', seminar.id)
    .where('person_id', '=', personId)
    .where('blocks_attended', '>', 0)
    .executeTakeFirst()
  return result !== undefined
}

async function stateOf(db: DB, personId: number, seminar: SeminarDates, now: Date): Promise<SurveyState> {
  const answered = await db
    .selectFrom('seminar_survey_submitters')
    .select('person_id')
    .where('seminar_id', '=', seminar.id)
    .where('person_id', '=', personId)
    .executeTakeFirst()
  if (answered) return 'answered'
  const { opensAt, closesAt } = await surveyWindow(db, seminar)
  if (now < opensAt) return 'not_open_yet'
  if (now >= closesAt) return 'closed'
  return (await isParticipant(db, personId, seminar)) ? 'open' : 'not_participant'
}

/** Whether a person may answer a seminar's survey now; null when there is no such (public) seminar. */
export async function surveyState(db: DB, personId: number, seminarId: number, now: Date): Promise<SurveyState | null> {
  const seminar = await seminarDates(db, seminarId)
  return seminar ? stateOf(db, personId, seminar, now) : null
}

export type SubmitSurveyCode = 'not_found' | 'invalid' | Exclude<SurveyState, 'open'> | 'already_answered'

/**
 * Stores one participant's answer: the submitter row and the answer row in one transaction. A
 * second answer finds the submitter row (primary key) and writes nothing.
 */
export async function submitSurvey(
  db: DB,
  personId: number,
  seminarId: number,
  answers: Record<string, unknown>,
  now: Date,
): Promise<Result<object, SubmitSurveyCode, { issues?: Record<string, string[]> }>> {
  return db.transaction().execute(async (trx) => {
    const seminar = await seminarDates(trx, seminarId)
    if (!seminar) return err('not_found')
    const version = surveyOn(seminar.start_date)
    const parsed = answersSchema(version).safeParse(answers)
    if (!parsed.success) {
      const issues: Record<string, string[]> = {}
      for (const i of parsed.error.issues) (issues[String(i.path[0] ?? '')] ??= []).push(i.message)
      return err('invalid', { issues })
    }
    const state = await stateOf(trx, personId, seminar, now)
    if (state === 'answered') return err('already_answered')
    if (state !== 'open') return err(state)
    // The primary key settles a race between two tabs: the loser inserts nothing and writes no answer.
    const submitter = await trx
      .insertInto('seminar_survey_submitters')
      .values({ seminar_id: seminarId, person_id: personId })
      .onConflict((oc) => oc.columns(['seminar_id', 'person_id']).doNothing())
      .returning('person_id')
      .executeTakeFirst()
    if (!submitter) return err('already_answered')
    const clean: SurveyAnswers = {}
    for (const [k, v] of Object.entries(parsed.data as SurveyAnswers)) if (v !== undefined) clean[k] = v
    await trx
      .insertInto('seminar_survey_answers')
      .values({ seminar_id: seminarId, answers: JSON.stringify(clean), survey_version: version.version })
      .execute()
    return ok()
  })
}

/** Mean of whole numbers to 2 decimals, rounded half up, computed in integers (no float drift). */
export function average2(sum: number, count: number): string {
  if (count === 0) return '0.00'
  const hundredths = Math.floor((sum * 200 + count) / (2 * count))
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[items[i], items[j]] = [items[j] as T, items[i] as T]
  }
  return items
}

/**
 * A seminar's results: below the threshold only the count (never partial figures); from it the
 * average (2 decimals) and the 1–5 distribution of each rating question, and the comments in a
 * random order (so their order says nothing about who wrote them).
 */
export async function surveyResults(db: DB, seminarId: number): Promise<SurveyResults | null> {
  const seminar = await db.selectFrom('seminars').select(['start_date']).where('id', '=', seminarId).executeTakeFirst()
  if (!seminar) return null
  const min = seminarPolicyOn(seminar.start_date).surveyMinAnswersShown
  const rows = await db.selectFrom('seminar_survey_answers').select(['answers']).where('seminar_id', '=', seminarId).execute()
  const count = rows.length
  if (count < min) return { count, min, shown: false }
  const version = surveyOn(seminar.start_date)
  const ratings = ratingQuestions(version).map((q): RatingResult => {
    const distribution: RatingResult['distribution'] = [0, 0, 0, 0, 0]
    let sum = 0
    let n = 0
    for (const r of rows) {
      const v = (r.answers as Record<string, unknown>)[q.id]
      if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5) {
        distribution[v - 1] = (distribution[v - 1] ?? 0) + 1
        sum += v
        n += 1
      }
    }
    return { id: q.id, zh: q.zh, en: q.en, average: average2(sum, n), distribution }
  })
  const comments: string[] = []
  for (const q of textQuestions(version))
    for (const r of rows) {
      const v = (r.answers as Record<string, unknown>)[q.id]
      if (typeof v === 'string' && v.trim() !== '') comments.push(v)
    }
  return { count, min, shown: true, version: version.version, ratings, comments: shuffle(comments) }
}
