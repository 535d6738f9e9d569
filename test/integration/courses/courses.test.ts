import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { afterEach, describe, expect, test } from 'vitest'
import { parse, stringify } from 'yaml'

import { getCourse, listCourses } from '#app/domain/courses/catalog.server.ts'
import { type Course, CourseFileError, loadCourseFiles, syncCourses } from '#app/domain/courses/content-sync.server.ts'
import { parseCatalogQuery } from '#app/domain/courses/courses.schema.ts'
import { toCents } from '#app/domain/shared/decimal.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as catalogRoute from '#app/routes/courses/catalog.tsx'
import * as courseRoute from '#app/routes/courses/course.tsx'
import { call, makeRequest } from '#test/fixtures/http.ts'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const CONTENT = path.join(ROOT, 'content/courses')
const VIDEOS = path.join(ROOT, 'public/course-videos')
const OPTS = { videoDir: VIDEOS, minutesPerHour: 45 }
const shipped = () => loadCourseFiles(CONTENT, OPTS)

/** Copies one shipped course into a temporary folder after editing its front matter and/or body. */
function tempCourse(id: string, edit: (front: Record<string, any>) => void, editBody: (body: string) => string = (b) => b): string {
  const src = readFileSync(path.join(CONTENT, `${id}.md`), 'utf8')
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(src)!
  const front = parse(m[1]!)
  edit(front)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xs-courses-'))
  writeFileSync(path.join(dir, `${id}.md`), `---\n${stringify(front)}---\n${editBody(m[2]!)}`)
  return dir
}

/** Puts the template's courses back as shipped, all published (other tests rely on them). */
async function restoreShipped() {
  const db = getDb()
  await db
    .deleteFrom('courses')
    .where(
      'id',
      'not in',
      shipped().map((c) => c.id),
    )
    .execute()
  await db.updateTable('courses').set({ content_hash: 'stale' }).execute()
  await syncCourses(db, shipped())
  await db.updateTable('courses').set({ published: true }).execute()
}

describe('courses as content', () => {
  test('the shipped courses load and cover general and professional subjects', () => {
    const courses = shipped()
    expect(courses.length).toBeGreaterThanOrEqual(12)
    const pub = courses.filter((c) => c.category === 'public')
    const pro = courses.filter((c) => c.category === 'professional')
    expect(pub.length).toBeGreaterThanOrEqual(4)
    expect(pub.every((c) => c.series === 'all')).toBe(true)
    expect(pro.length).toBeGreaterThanOrEqual(8)
    expect(new Set(pro.map((c) => c.series)).size).toBeGreaterThanOrEqual(4)
    for (const c of courses) {
      // Declared hours never exceed verified study time ÷ 45 minutes.
      expect(toCents(c.hours) * 45 * 60).toBeLessThanOrEqual(c.totalSeconds * 100)
      expect(c.quiz.questions.length).toBeGreaterThanOrEqual(5)
      for (const l of c.lessons) if (l.kind === 'text') expect(l.body?.length).toBeGreaterThan(200)
    }
  })

  test('at least two lessons are real videos, under 2 MB together', () => {
    const videos = shipped().flatMap((c) => c.lessons.filter((l) => l.kind === 'video').map((l) => l.video!))
    expect(videos.length).toBeGreaterThanOrEqual(2)
    const files = readdirSync(VIDEOS).filter((f) => /\.(mp4|webm)$/.test(f))
    expect(files.sort()).toEqual([...new Set(videos)].sort())
    const total = files.reduce((s, f) => s + statSync(path.join(VIDEOS, f)).size, 0)
    expect(total).toBeLessThan(2 * 1024 * 1024)
    for (const f of files) {
      const head = readFileSync(path.join(VIDEOS, f)).subarray(4, 8).toString('latin1')
      expect(head).toBe('ftyp') // an ISO-BMFF (MP4) file, not a placeholder
    }
  })

  test.each([
    ['civil-code', (f: any) => (f.category = 'general'), /civil-code\.md: category: /],
    [
      'civil-code',
      (f: any) => (f.hours = 4),
      /civil-code\.md: hours: 4 hours need at least 180 minutes of lessons \(1 hour = 45 minutes\), but the lessons add up to 140/,
    ],
    ['civil-code', (f: any) => (f.hours = '3.123'), /civil-code\.md: hours: must be credit hours/],
    ['civil-code', (f: any) => (f.series = 'health'), /civil-code\.md: series: a general-subject \(public\) course has series "all"/],
    ['bim-application', (f: any) => (f.series = 'astrology'), /bim-application\.md: series: must be "all" or one of/],
    [
      'bim-application',
      (f: any) => (f.lessons[0].video = 'missing.mp4'),
      /bim-application\.md: lessons\.0\.video: file missing\.mp4 not found/,
    ],
    ['bim-application', (f: any) => delete f.lessons[0].video, /bim-application\.md: lessons\.0\.video: a video lesson needs a video file/],
    [
      'civil-code',
      (f: any) => (f.quiz.questions[2].answer = 4),
      /civil-code\.md: quiz\.questions\.2\.answer: is 4, but there are only 4 options/,
    ],
    [
      'civil-code',
      (f: any) => (f.quiz.questions = f.quiz.questions.slice(0, 4)),
      /civil-code\.md: quiz\.questions: needs at least 5 questions/,
    ],
    ['civil-code', (f: any) => (f.lessons[1].id = 'overview'), /civil-code\.md: lessons\.1\.id: "overview" is used twice/],
    ['civil-code', (f: any) => (f.id = 'civil-law'), /civil-code\.md: id: "civil-law" does not match the file name/],
    ['civil-code', (f: any) => (f.lessons[0].minutes = 0), /civil-code\.md: lessons\.0\.minutes: must be above 0/],
    ['civil-code', (f: any) => (f.lessons[0].colour = 'red'), /civil-code\.md: lessons\.0: Unrecognized key/],
    ['civil-code', (f: any) => (f.quiz.retryMinutes = -5), /civil-code\.md: quiz\.retryMinutes: must be 0–1440/],
    ['civil-code', (f: any) => (f.quiz.retryMinutes = 2.5), /civil-code\.md: quiz\.retryMinutes: must be whole minutes/],
  ])('a bad file is refused naming the file and field: %s (%#)', (id, edit, message) => {
    const dir = tempCourse(id, edit)
    expect(() => loadCourseFiles(dir, OPTS)).toThrow(CourseFileError)
    expect(() => loadCourseFiles(dir, OPTS)).toThrow(message)
  })

  test('a text lesson needs its section in the body, and every section names a lesson', () => {
    const missing = tempCourse(
      'civil-code',
      () => {},
      (b) => b.replace('## lesson: tort', '## lesson: torts'),
    )
    expect(() => loadCourseFiles(missing, OPTS)).toThrow(/civil-code\.md: body: section "## lesson: torts" names no lesson/)
    const before = tempCourse(
      'civil-code',
      () => {},
      (b) => `引言\n${b}`,
    )
    expect(() => loadCourseFiles(before, OPTS)).toThrow(/civil-code\.md: body: text before the first/)
    const noFront = mkdtempSync(path.join(os.tmpdir(), 'xs-courses-'))
    writeFileSync(path.join(noFront, 'x.md'), '# 没有 front matter\n')
    expect(() => loadCourseFiles(noFront, OPTS)).toThrow(/x\.md: \(file\): must start with front matter/)
  })

  test('the conversion rate comes from the policy: a slower rate refuses more hours', () => {
    expect(() => loadCourseFiles(CONTENT, { ...OPTS, minutesPerHour: 60 })).toThrow(/hours: \d+ hours need at least/)
  })
})

describe('syncing courses into the database', () => {
  afterEach(restoreShipped)

  test('the template holds every shipped course and its lessons; syncing again changes nothing', async () => {
    const db = getDb()
    const courses = shipped()
    const rows = await db.selectFrom('courses').select(['id', 'hours', 'published', 'content_hash']).orderBy('id').execute()
    expect(rows.map((r) => r.id)).toEqual(courses.map((c) => c.id).sort())
    expect(rows.every((r) => r.published)).toBe(true)
    const lessons = await db.selectFrom('lessons').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(lessons.n)).toBe(courses.reduce((s, c) => s + c.lessons.length, 0))
    expect(await syncCourses(db, courses)).toEqual({ added: [], updated: [] })
    expect(await syncCourses(db, courses)).toEqual({ added: [], updated: [] })
  })

  test('a changed course is updated in place, lessons upserted by id, and an admin’s unpublish is kept', async () => {
    const db = getDb()
    await db.updateTable('courses').set({ published: false }).where('id', '=', 'civil-code').execute()
    const dir = tempCourse('civil-code', (f) => {
      f.title = '《中华人民共和国民法典》要点（修订）'
      f.lessons = f.lessons.filter((l: any) => l.id !== 'tort')
      f.lessons.push({ id: 'tort', title: '侵权责任编', kind: 'text', minutes: 35 })
      f.lessons.splice(1, 1)
      f.lessons.push({ id: 'property-contract', title: '物权编与合同编', kind: 'text', minutes: 40 })
    })
    const changed = loadCourseFiles(dir, OPTS)
    expect(await syncCourses(db, changed)).toEqual({ added: [], updated: ['civil-code'] })
    expect(await syncCourses(db, changed)).toEqual({ added: [], updated: [] })
    const row = await db.selectFrom('courses').selectAll().where('id', '=', 'civil-code').executeTakeFirstOrThrow()
    expect(row.title).toBe('《中华人民共和国民法典》要点（修订）')
    expect(row.published).toBe(false)
    expect(row.total_seconds).toBe((35 + 35 + 35 + 40) * 60)
    const lessons = await db
      .selectFrom('lessons')
      .select(['id', 'position', 'seconds'])
      .where('course_id', '=', 'civil-code')
      .orderBy('position')
      .execute()
    expect(lessons).toEqual([
      { id: 'overview', position: 0, seconds: 2100 },
      { id: 'personality-family', position: 1, seconds: 2100 },
      { id: 'tort', position: 2, seconds: 2100 },
      { id: 'property-contract', position: 3, seconds: 2400 },
    ])
    // An unpublished course is neither listed nor shown.
    expect((await listCourses(db, { q: '民法典' })).map((c) => c.id)).toEqual([])
    expect(await getCourse(db, 'civil-code')).toBeNull()
  })

  test('a new course is added, published', async () => {
    const dir = tempCourse('professional-ethics', (f) => {
      f.id = 'ethics-2'
      f.title = '职业道德（试点）'
    })
    const { renameSync } = await import('node:fs')
    renameSync(path.join(dir, 'professional-ethics.md'), path.join(dir, 'ethics-2.md'))
    const added = loadCourseFiles(dir, OPTS) as Course[]
    expect(await syncCourses(getDb(), added)).toEqual({ added: ['ethics-2'], updated: [] })
    expect((await getCourse(getDb(), 'ethics-2'))?.lessons.map((l) => l.id)).toEqual(['spirit', 'research-integrity', 'title-integrity'])
  })
})

describe('the catalog', () => {
  const ids = (cs: { id: string }[]) => cs.map((c) => c.id)

  test('searching Chinese text finds the right course in title or summary', async () => {
    const db = getDb()
    expect(ids(await listCourses(db, { q: '民法典' }))).toEqual(['civil-code'])
    expect(ids(await listCourses(db, { q: '糖尿病' }))).toEqual(['chronic-disease-management'])
    expect(ids(await listCourses(db, { q: '梨树模式' }))).toEqual(['black-soil-maize']) // in the summary only
    expect(ids(await listCourses(db, { q: 'bim' }))).toEqual(['bim-application']) // case-insensitive
    expect(await listCourses(db, { q: '100%' })).toEqual([]) // LIKE wildcards are literal
    expect(await listCourses(db, { q: '量子计算' })).toEqual([])
  })

  test('filters by category, series and hours; sorts by newest, hours and title', async () => {
    const db = getDb()
    const all = await listCourses(db, {})
    expect(all.length).toBe(shipped().length)
    const pub = await listCourses(db, { category: 'public' })
    expect(pub.length).toBeGreaterThanOrEqual(4)
    expect(pub.every((c) => c.category === 'public')).toBe(true)
    expect(ids(await listCourses(db, { series: 'health', sort: 'title' })).sort()).toEqual([
      'chronic-disease-management',
      'rational-drug-use',
    ])
    expect(await listCourses(db, { category: 'public', series: 'health' })).toEqual([])
    const big = await listCourses(db, { minHours: '4' })
    expect(big.length).toBeGreaterThan(0)
    expect(big.every((c) => toCents(c.hours) >= 400)).toBe(true)
    const range = await listCourses(db, { minHours: '2.5', maxHours: '3' })
    expect(range.length).toBeGreaterThan(0)
    expect(range.every((c) => c.hours === '3')).toBe(true)

    const newest = all.map((c) => c.listedOn)
    expect(newest).toEqual([...newest].sort().reverse())
    const byHours = (await listCourses(db, { sort: 'hours' })).map((c) => toCents(c.hours))
    expect(byHours).toEqual([...byHours].sort((a, b) => b - a))
    const byTitle = (await listCourses(db, { sort: 'title' })).map((c) => c.title)
    expect(byTitle.length).toBe(all.length)
    expect(all[0]!.lessonCount).toBeGreaterThan(0)
    expect((await listCourses(db, { q: 'BIM' }))[0]!.videoCount).toBe(1)
  })

  test('query parameters are read one by one; a bad value is ignored', () => {
    expect(
      parseCatalogQuery(new URLSearchParams('q=%E6%B0%91%E6%B3%95%E5%85%B8&category=public&series=health&min=2&max=4.5&sort=hours')),
    ).toEqual({
      q: '民法典',
      category: 'public',
      series: 'health',
      minHours: '2',
      maxHours: '4.5',
      sort: 'hours',
    })
    expect(parseCatalogQuery(new URLSearchParams('q=&category=x&series=DROP%20TABLE&min=-1&max=abc&sort=random'))).toEqual({
      q: undefined,
      category: undefined,
      series: undefined,
      minHours: undefined,
      maxHours: undefined,
      sort: 'newest',
    })
  })

  test('the catalog page needs no login and answers from the URL', async () => {
    const res = await call(catalogRoute.loader, makeRequest('/courses?q=%E5%90%88%E7%90%86%E7%94%A8%E8%8D%AF&sort=title'))
    expect(res.status).toBe(200)
    expect(res.data.courses.map((c: any) => c.id)).toEqual(['rational-drug-use'])
    expect(res.data.series).toEqual(expect.arrayContaining(['engineering', 'health', 'education', 'agriculture']))
  })

  test('a course page shows the outline without answers; an unknown course is 404', async () => {
    const ok = await call(courseRoute.loader, makeRequest('/courses/bim-application'), { id: 'bim-application' })
    expect(ok.status).toBe(200)
    expect(ok.data.course.hours).toBe('4')
    expect(ok.data.course.lessons[0]).toEqual({ id: 'intro-video', title: '导学视频：BIM 技术概述', kind: 'video', seconds: 30 })
    expect(ok.data.course.quiz).toEqual({ passMark: 60, questionCount: 5, retryMinutes: 10 })
    expect(JSON.stringify(ok.data)).not.toMatch(/"answer"|"body"/)
    for (const id of ['no-such-course', '../etc/passwd', 'CIVIL-CODE']) {
      const res = await call(courseRoute.loader, makeRequest(`/courses/${encodeURIComponent(id)}`), { id })
      expect(res.status).toBe(404)
    }
  })
})
