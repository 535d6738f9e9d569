import ExcelJS from 'exceljs'
import { describe, expect, test } from 'vitest'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { addDays } from '#app/domain/bases/lifecycle.ts'
import { commitImport } from '#app/domain/imports/commit.server.ts'
import { templateHeaders } from '#app/domain/imports/rows.ts'
import { stageImport } from '#app/domain/imports/stage.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as activitiesPage from '#app/routes/base/activities.tsx'
import * as activityPage from '#app/routes/base/activity.tsx'
import * as importPage from '#app/routes/base/import.tsx'
import * as importIssues from '#app/routes/base/import-issues.ts'
import * as rosterTemplate from '#app/routes/base/roster-template.ts'
import { cookieFor, createLearner, makeIdNumber } from '#test/factories/people.ts'
import { baseWithStaff, declare, rosterCsv } from '#test/factories/reports.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()
const today = chinaDay()

async function staffWithCookie() {
  const b = await baseWithStaff(db())
  return { ...b, cookie: await cookieFor(db(), b.staff.accountId) }
}

const declaration = (overrides: Record<string, string> = {}) => ({
  title: '人工智能与教育教学研修',
  category: 'professional',
  mode: 'face_to_face',
  titleSeries: 'education',
  startDate: addDays(today, -8),
  endDate: addDays(today, -7),
  fullDays: '2',
  halfDays: '0',
  declaredHours: '12',
  venue: '长春市人民大街 1 号',
  ...overrides,
})

const activityCount = async () =>
  Number(
    (
      await db()
        .selectFrom('training_activities')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

/** A multipart POST as the browser sends the upload form (makeRequest sends urlencoded only). */
function uploadRequest(path: string, cookie: string, bytes: Buffer, filename: string) {
  const form = new FormData()
  form.set('roster', new Blob([new Uint8Array(bytes)]), filename)
  return new Request(`http://localhost${path}`, { method: 'POST', headers: { Cookie: cookie }, body: form })
}

async function upload(cookie: string, activityId: number, bytes: Buffer, filename = 'roster.csv') {
  return call(activityPage.action, uploadRequest(`/base/activities/${activityId}`, cookie, bytes, filename), {
    activityId: String(activityId),
  })
}

const importIdFrom = (location: string | null) => Number(/^\/base\/imports\/(\d+)$/.exec(location ?? '')?.[1])

/** A resource route's answer, read as bytes (the `call` helper reads bodies as text). */
async function download(fn: typeof rosterTemplate.loader, path: string, cookie: string, params: Record<string, string> = {}) {
  const res = (await fn({ request: makeRequest(path, { cookie }), params, context: {} })) as Response
  return { res, bytes: Buffer.from(await res.arrayBuffer()) }
}

async function firstSheetRows(bytes: Buffer) {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  const rows: string[][] = []
  wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))))
  return rows
}

describe('base pages: declaring an activity', () => {
  test('a declaration within the policy is stored for the session’s base and leads to its page', async () => {
    const { cookie, baseId } = await staffWithCookie()
    const out = await call(activitiesPage.action, makeRequest('/base/activities', { form: { ...declaration(), baseId: '999999' }, cookie }))
    expect(out.status).toBe(302)
    const id = Number(/^\/base\/activities\/(\d+)$/.exec(out.headers.get('Location') ?? '')?.[1])
    const row = await db()
      .selectFrom('training_activities')
      .select(['base_id', 'declared_hours'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ base_id: baseId, declared_hours: '12.00' })
    const list = await call(activitiesPage.loader, makeRequest('/base/activities', { cookie }))
    expect(list.data.activities).toEqual([expect.objectContaining({ id, state: 'open', overdue: false, people: 0, lastUpload: null })])
    expect(list.data.limits).toEqual({ full: 6, half: 3 })
  })

  test('refused, nothing written: hours over the per-day limit (the limit named), a start in the future, a missing series', async () => {
    const { cookie } = await staffWithCookie()
    const before = await activityCount()
    const over = await call(activitiesPage.action, makeRequest('/base/activities', { form: declaration({ declaredHours: '13' }), cookie }))
    expect(over.status).toBe(400)
    expect(errorsOf(over).declaredHours).toContain('12')
    const future = await call(
      activitiesPage.action,
      makeRequest('/base/activities', { form: declaration({ startDate: addDays(today, 1), endDate: addDays(today, 2) }), cookie }),
    )
    expect(future.status).toBe(400)
    expect(errorsOf(future)).toEqual({ startDate: 'reportBase.code.in_future' })
    const { titleSeries: _, ...noSeries } = declaration()
    const bad = await call(activitiesPage.action, makeRequest('/base/activities', { form: noSeries, cookie }))
    expect(errorsOf(bad).titleSeries).toBe('reportCode.series_required')
    expect(await activityCount()).toBe(before)
  })
})

describe('base pages: roster upload, preview and commit', () => {
  test('upload → staged preview with counts and issues → commit only the valid rows → ledger entries', async () => {
    const { cookie, staff, baseId } = await staffWithCookie()
    const activityId = await declare(db(), { accountId: staff.accountId, baseId })
    const a = await createLearner(db(), { name: '张三' })
    const b = await createLearner(db(), { name: '李四' })
    const csv = rosterCsv([
      ['张三', a.idNumber, '6'],
      ['李四', b.idNumber],
      ['王五', '2.20102E+17', '6'],
      ['赵六', makeIdNumber(), '13'],
    ])

    const page = await call(activityPage.loader, makeRequest(`/base/activities/${activityId}`, { cookie }), {
      activityId: String(activityId),
    })
    expect(page.status).toBe(200)
    expect(page.data.activity).toMatchObject({ id: activityId, workingDays: 10 })
    expect(page.data.maxRows).toBeGreaterThan(0)

    const sent = await upload(cookie, activityId, csv)
    expect(sent.status).toBe(302)
    const importId = importIdFrom(sent.headers.get('Location'))
    expect(importId).toBeGreaterThan(0)

    const queued = await call(importPage.loader, makeRequest(`/base/imports/${importId}`, { cookie }), { importId: String(importId) })
    expect(queued.data.file.status).toBe('queued')
    await stageImport(db(), importId) // what the worker does

    const preview = await call(importPage.loader, makeRequest(`/base/imports/${importId}`, { cookie }), { importId: String(importId) })
    expect(preview.status).toBe(200)
    expect(preview.data.file).toMatchObject({ status: 'staged', read: 4, ok: 2, error: 2 })
    expect(preview.data.diff).toMatchObject({ added: 2, removed: 0, changed: 0 })
    expect(preview.data.issues.map((r: { row: number; issues: string[] }) => [r.row, r.issues])).toEqual([
      [4, ['id_scientific']],
      [5, expect.arrayContaining(['hours_over_declared'])],
    ])
    const errorsOnly = await call(importPage.loader, makeRequest(`/base/imports/${importId}?show=warning`, { cookie }), {
      importId: String(importId),
    })
    expect(errorsOnly.data.issues).toEqual([])

    const decide = (form: Record<string, string>) =>
      call(importPage.action, makeRequest(`/base/imports/${importId}`, { form, cookie }), { importId: String(importId) })
    // with errors, not everything can be committed; the valid rows only after confirming
    expect(errorsOf(await decide({ intent: 'commit_all' }))).toEqual({ _form: 'importError.has_errors' })
    expect(errorsOf(await decide({ intent: 'commit_valid' }))).toEqual({ _form: 'err.confirm' })
    const committed = await decide({ intent: 'commit_valid', confirm: 'yes' })
    expect(committed.status).toBe(302)
    const busy = await call(importPage.loader, makeRequest(`/base/imports/${importId}`, { cookie }), { importId: String(importId) })
    expect(busy.data.file.status).toBe('committing')
    await commitImport(db(), importId) // the worker's job

    const entries = await db()
      .selectFrom('hour_entries')
      .select(['person_id', 'hours'])
      .where('source_ref', '=', `activity:${activityId}`)
      .orderBy('person_id')
      .execute()
    expect(entries).toEqual(
      [
        { person_id: a.personId, hours: '6.00' },
        { person_id: b.personId, hours: '12.00' },
      ].sort((x, y) => x.person_id - y.person_id),
    )
    const done = await call(importPage.loader, makeRequest(`/base/imports/${importId}`, { cookie }), { importId: String(importId) })
    expect(done.data.file).toMatchObject({ status: 'committed', version: 1 })
    expect(done.data.outcome).toEqual({ added: 2, removed: 0, changed: 0, unchanged: 0 })
    const list = await call(activitiesPage.loader, makeRequest('/base/activities', { cookie }))
    expect(list.data.activities[0]).toMatchObject({ id: activityId, people: 2, lastUpload: 'committed' })
  })

  test('refused at upload, beside the file field: an old .xls, no file', async () => {
    const { cookie, staff, baseId } = await staffWithCookie()
    const activityId = await declare(db(), { accountId: staff.accountId, baseId })
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])
    const old = await upload(cookie, activityId, xls, 'roster.xls')
    expect(old.status).toBe(400)
    expect(errorsOf(old)).toEqual({ roster: 'importError.xls_old_format' })
    const none = await upload(cookie, activityId, Buffer.alloc(0), '')
    expect(errorsOf(none).roster).toMatch(/^importError\.(file_required|empty)$/)
    const files = await db().selectFrom('import_files').select('id').where('activity_id', '=', activityId).execute()
    expect(files).toEqual([])
  })
})

describe('base pages: downloads', () => {
  test('the roster template is an XLSX whose first row is the headers in the user’s language', async () => {
    const { cookie } = await staffWithCookie()
    const { res, bytes } = await download(rosterTemplate.loader, '/base/roster-template.xlsx', cookie)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; filename=".*"; filename\*=UTF-8''/)
    expect(res.headers.get('Cache-Control')).toBe('private, no-store')
    expect(bytes.subarray(0, 2).toString()).toBe('PK')
    expect((await firstSheetRows(bytes))[0]).toEqual(templateHeaders('roster', 'zh'))
    const en = await download(rosterTemplate.loader, '/base/roster-template.xlsx', `${cookie}; xs_lang=en`)
    expect((await firstSheetRows(en.bytes))[0]).toEqual(templateHeaders('roster', 'en'))
  })

  test('the issues workbook holds the rows with issues and their reasons', async () => {
    const { cookie, staff, baseId } = await staffWithCookie()
    const activityId = await declare(db(), { accountId: staff.accountId, baseId })
    const sent = await upload(cookie, activityId, rosterCsv([['王五', '2.20102E+17', '6']]))
    const importId = importIdFrom(sent.headers.get('Location'))
    await stageImport(db(), importId)
    const { res, bytes } = await download(importIssues.loader, `/base/imports/${importId}/issues.xlsx`, cookie, {
      importId: String(importId),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('Cache-Control')).toBe('private, no-store')
    expect(bytes.subarray(0, 2).toString()).toBe('PK')
    const rows = await firstSheetRows(bytes)
    expect(rows[0]).toEqual([...templateHeaders('roster', 'zh'), '问题原因'])
    expect(rows[1]?.[1]).toBe('2.20102E+17')
    expect(rows[1]?.at(-1)).toContain('科学计数法')
  })
})

describe('base pages: another base’s activity and import do not exist', () => {
  test('every page and download answers 404, and nothing changes', async () => {
    const mine = await staffWithCookie()
    const theirs = await staffWithCookie()
    const activityId = await declare(db(), { accountId: theirs.staff.accountId, baseId: theirs.baseId })
    const sent = await upload(theirs.cookie, activityId, rosterCsv([['王五', '2.20102E+17', '6']]))
    const importId = importIdFrom(sent.headers.get('Location'))
    await stageImport(db(), importId)

    const cookie = mine.cookie
    const a = { activityId: String(activityId) }
    const i = { importId: String(importId) }
    expect((await call(activityPage.loader, makeRequest(`/base/activities/${activityId}`, { cookie }), a)).status).toBe(404)
    expect((await upload(cookie, activityId, rosterCsv([['张三', makeIdNumber()]]))).status).toBe(404)
    expect((await call(importPage.loader, makeRequest(`/base/imports/${importId}`, { cookie }), i)).status).toBe(404)
    for (const intent of ['discard', 'commit_all'])
      expect((await call(importPage.action, makeRequest(`/base/imports/${importId}`, { form: { intent }, cookie }), i)).status).toBe(404)
    expect((await call(importIssues.loader, makeRequest(`/base/imports/${importId}/issues.xlsx`, { cookie }), i)).status).toBe(404)
    // a malformed id is not found either
    expect((await call(activityPage.loader, makeRequest('/base/activities/abc', { cookie }), { activityId: 'abc' })).status).toBe(404)

    const f = await db().selectFrom('import_files').select('status').where('id', '=', importId).executeTakeFirstOrThrow()
    expect(f.status).toBe('staged')
    const files = await db().selectFrom('import_files').select('id').where('activity_id', '=', activityId).execute()
    expect(files).toHaveLength(1)
  })
})
