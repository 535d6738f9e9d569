import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

import { sql } from 'kysely'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'

import { canonical } from '#app/domain/shared/canonical-json.ts'
import { isHours, normalizeHours, toCents } from '#app/domain/shared/decimal.ts'
import { TITLE_SERIES } from '#app/domain/shared/reference.ts'
import type { CourseCategory, DB, LessonKind } from '#db/schema.ts'

import { DEFAULT_RETRY_MINUTES } from './quiz.ts'

/**
 * Online courses (网络课程) as content: one Markdown file per course in content/courses/, with
 * YAML front matter (the format is described in content/courses/README.md). Files are validated
 * on load — a bad file is refused naming the file and the field — and copied into `courses` and
 * `lessons` by syncCourses, keeping the `published` switch as admins set it.
 */

/** A course or lesson id: also its file name and URL segment. */
export const SLUG = /^[a-z0-9][a-z0-9-]*$/
const slug = z.string().regex(SLUG, 'must be lower-case letters, digits and hyphens, such as "civil-code"')
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
export const SERIES_CODES = TITLE_SERIES.map((s) => s.code)

const LessonSchema = z
  .object({
    id: slug,
    title: text(100),
    kind: z.enum(['text', 'video']),
    /** Required study time in minutes (at most one decimal place: 0.5 = 30 s). */
    minutes: z
      .number()
      .positive('must be above 0')
      .max(600, 'must be at most 600')
      .refine((m) => Number.isInteger(m * 10), 'must have at most one decimal place'),
    video: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*\.(mp4|webm)$/, 'must be a file name such as "bim-overview.mp4"')
      .optional(),
  })
  .strict()
  .superRefine((l, ctx) => {
    if (l.kind === 'video' && !l.video) ctx.addIssue({ code: 'custom', path: ['video'], message: 'a video lesson needs a video file' })
    if (l.kind === 'text' && l.video) ctx.addIssue({ code: 'custom', path: ['video'], message: 'only a video lesson has a video file' })
  })

const QuestionSchema = z
  .object({
    id: slug,
    text: text(500),
    options: z.array(text(200)).min(2, 'needs at least 2 options').max(6, 'may have at most 6 options'),
    answer: z.number().int('must be an option index (0, 1, …)').min(0, 'must be an option index (0, 1, …)'),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.answer >= q.options.length)
      ctx.addIssue({
        code: 'custom',
        path: ['answer'],
        message: `is ${q.answer}, but there are only ${q.options.length} options (0–${q.options.length - 1})`,
      })
  })

export const FrontMatterSchema = z
  .object({
    id: slug,
    title: text(100),
    category: z.enum(['public', 'professional']),
    series: z.string().refine((s) => s === 'all' || SERIES_CODES.includes(s), `must be "all" or one of ${SERIES_CODES.join(', ')}`),
    hours: z
      .union([z.string(), z.number()])
      .transform(String)
      .refine((h) => isHours(h) && toCents(h) > 0 && toCents(h) < 100000, 'must be credit hours above 0 such as "4" or "1.5"'),
    summary: text(600),
    /** The day the course was listed (上线日期), 'YYYY-MM-DD'; the catalog's "newest" order. */
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as "2026-03-01"'),
    lessons: z.array(LessonSchema).min(1, 'needs at least one lesson'),
    quiz: z
      .object({
        passMark: z.number().int().min(0, 'must be 0–100').max(100, 'must be 0–100'),
        /** Minutes a learner waits after a failed sitting before the next one. */
        retryMinutes: z
          .number()
          .int('must be whole minutes')
          .min(0, 'must be 0–1440')
          .max(1440, 'must be 0–1440')
          .default(DEFAULT_RETRY_MINUTES),
        questions: z.array(QuestionSchema).min(5, 'needs at least 5 questions'),
      })
      .strict(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.category === 'public' && c.series !== 'all')
      ctx.addIssue({ code: 'custom', path: ['series'], message: 'a general-subject (public) course has series "all"' })
    if (c.category === 'professional' && c.series === 'all')
      ctx.addIssue({ code: 'custom', path: ['series'], message: 'a professional course names its title series' })
  })

export type Lesson = {
  id: string
  title: string
  kind: LessonKind
  seconds: number
  video: string | null
  /** Markdown of the lesson's section in the file body (required for text lessons). */
  body: string | null
}
export type QuizQuestion = { id: string; text: string; options: string[]; answer: number }
export type Quiz = { passMark: number; retryMinutes: number; questions: QuizQuestion[] }
export type Course = {
  id: string
  title: string
  category: CourseCategory
  series: string
  hours: string
  summary: string
  listedOn: string
  lessons: Lesson[]
  quiz: Quiz
  totalSeconds: number
  contentHash: string
}

export class CourseFileError extends Error {}

export type LoadOptions = {
  /** Where video lesson files live (public/course-videos). */
  videoDir: string
  /** 1 学时 = this many minutes of verified study (the policy's conversion.onlineMinutesPerHour). */
  minutesPerHour: number
}

/** A lesson section in the body starts with a line `## lesson: <id>` (see the README). */
const MARKER = /^## lesson: *(.*?) *$/

function splitFile(file: string, src: string): { front: string; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(src.replace(/^\uFEFF/, ''))
  if (!m) throw new CourseFileError(`${file}: (file): must start with front matter between "---" lines`)
  return { front: m[1]!, body: m[2]! }
}

function splitBody(file: string, body: string): Map<string, string> {
  const sections = new Map<string, string>()
  let current: string | null = null
  let lines: string[] = []
  const close = () => {
    if (current !== null) sections.set(current, lines.join('\n').trim())
  }
  for (const line of body.split(/\r?\n/)) {
    const m = MARKER.exec(line)
    if (m) {
      close()
      current = m[1]!
      if (sections.has(current)) throw new CourseFileError(`${file}: body: lesson "${current}" has two sections`)
      lines = []
    } else if (current === null) {
      if (line.trim()) throw new CourseFileError(`${file}: body: text before the first "## lesson: <id>" line`)
    } else {
      lines.push(line)
    }
  }
  close()
  return sections
}

/** Parses and validates one course file; throws CourseFileError naming the file and field. */
export function parseCourseFile(file: string, src: string, opts: LoadOptions): Course {
  const { front, body } = splitFile(file, src)
  let raw: unknown
  try {
    raw = parseYaml(front, { strict: true, uniqueKeys: true, prettyErrors: false })
  } catch (e) {
    throw new CourseFileError(`${file}: (front matter): not valid YAML (${(e as Error).message.split('\n')[0]})`)
  }
  const parsed = FrontMatterSchema.safeParse(raw)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(front matter)'}: ${i.message}`)
    throw new CourseFileError(`${file}: ${problems.join('; ')}`)
  }
  const c = parsed.data
  const fail = (field: string, message: string): never => {
    throw new CourseFileError(`${file}: ${field}: ${message}`)
  }
  if (`${c.id}.md` !== path.basename(file)) fail('id', `"${c.id}" does not match the file name`)

  const seen = new Set<string>()
  c.lessons.forEach((l, i) => {
    if (seen.has(l.id)) fail(`lessons.${i}.id`, `"${l.id}" is used twice`)
    seen.add(l.id)
  })
  const qSeen = new Set<string>()
  c.quiz.questions.forEach((q, i) => {
    if (qSeen.has(q.id)) fail(`quiz.questions.${i}.id`, `"${q.id}" is used twice`)
    qSeen.add(q.id)
  })

  const sections = splitBody(file, body)
  for (const id of sections.keys()) if (!seen.has(id)) fail('body', `section "## lesson: ${id}" names no lesson`)
  const lessons: Lesson[] = c.lessons.map((l, i) => {
    const sectionBody = sections.get(l.id) || null
    if (l.kind === 'text' && !sectionBody) fail(`lessons.${i}`, `text lesson "${l.id}" has no "## lesson: ${l.id}" section in the body`)
    if (l.video && !existsSync(path.join(opts.videoDir, l.video)))
      fail(`lessons.${i}.video`, `file ${l.video} not found in ${opts.videoDir}`)
    return { id: l.id, title: l.title, kind: l.kind, seconds: Math.round(l.minutes * 60), video: l.video ?? null, body: sectionBody }
  })

  const totalSeconds = lessons.reduce((s, l) => s + l.seconds, 0)
  const hours = normalizeHours(c.hours)
  // Declared hours may not exceed verified study time ÷ minutesPerHour; compared in integers:
  // hours × 100 × minutesPerHour × 60 ≤ totalSeconds × 100.
  if (toCents(hours) * opts.minutesPerHour * 60 > totalSeconds * 100) {
    const needed = Math.ceil((toCents(hours) * opts.minutesPerHour * 60) / 100 / 60)
    fail(
      'hours',
      `${hours} hours need at least ${needed} minutes of lessons (1 hour = ${opts.minutesPerHour} minutes), but the lessons add up to ${Math.round((totalSeconds / 60) * 10) / 10}`,
    )
  }

  const course: Omit<Course, 'contentHash'> = {
    id: c.id,
    title: c.title,
    category: c.category,
    series: c.series,
    hours,
    summary: c.summary,
    listedOn: c.date,
    lessons,
    quiz: c.quiz,
    totalSeconds,
  }
  return { ...course, contentHash: createHash('sha256').update(canonical(course)).digest('hex') }
}

/** Reads and validates every content/courses/*.md file (README.md excepted); ids are unique. */
export function loadCourseFiles(dir: string, opts: LoadOptions): Course[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f !== 'README.md' && statSync(path.join(dir, f)).isFile())
    .sort()
  const courses = files.map((f) => {
    const file = path.join(dir, f)
    return parseCourseFile(file, readFileSync(file, 'utf8'), opts)
  })
  // The id must match the file name, so two files cannot share an id; checked anyway.
  const ids = new Set<string>()
  for (const c of courses) {
    if (ids.has(c.id)) throw new CourseFileError(`${path.join(dir, `${c.id}.md`)}: id: "${c.id}" is used by two files`)
    ids.add(c.id)
  }
  return courses
}

export type SyncResult = { added: string[]; updated: string[] }

/**
 * Copies courses into the database: a new course is added (published), a changed one (by content
 * hash) is updated in place and its lessons upserted by id, lessons no longer in the file removed;
 * an unchanged one is left alone. `published` is never changed here: admins own it. Courses that
 * disappeared from content/ are kept (learners' records may point at them).
 */
export async function syncCourses(db: DB, courses: Course[]): Promise<SyncResult> {
  const result: SyncResult = { added: [], updated: [] }
  for (const c of courses) {
    await db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('courses').select('content_hash').where('id', '=', c.id).forUpdate().executeTakeFirst()
      if (existing?.content_hash === c.contentHash) return
      const row = {
        title: c.title,
        category: c.category,
        series: c.series,
        hours: c.hours,
        summary: c.summary,
        listed_on: c.listedOn,
        total_seconds: c.totalSeconds,
        quiz: JSON.stringify(c.quiz),
        content_hash: c.contentHash,
      }
      if (existing) {
        await trx
          .updateTable('courses')
          .set({ ...row, updated_at: sql<Date>`now()` })
          .where('id', '=', c.id)
          .execute()
        result.updated.push(c.id)
      } else {
        await trx
          .insertInto('courses')
          .values({ id: c.id, ...row })
          .execute()
        result.added.push(c.id)
      }
      await trx
        .deleteFrom('lessons')
        .where('course_id', '=', c.id)
        .where(
          'id',
          'not in',
          c.lessons.map((l) => l.id),
        )
        .execute()
      await trx
        .insertInto('lessons')
        .values(
          c.lessons.map((l, position) => ({
            course_id: c.id,
            id: l.id,
            position,
            title: l.title,
            kind: l.kind,
            seconds: l.seconds,
            video: l.video,
            body: l.body,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['course_id', 'id']).doUpdateSet((eb) => ({
            position: eb.ref('excluded.position'),
            title: eb.ref('excluded.title'),
            kind: eb.ref('excluded.kind'),
            seconds: eb.ref('excluded.seconds'),
            video: eb.ref('excluded.video'),
            body: eb.ref('excluded.body'),
          })),
        )
        .execute()
    })
  }
  return result
}
