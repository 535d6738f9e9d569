import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { describe, expect, test } from 'vitest'

import { commitImport } from '#app/domain/imports/commit.server.ts'
import { stageImport } from '#app/domain/imports/stage.server.ts'
import { PROVINCE } from '#app/domain/shared/reference.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as legacyRoute from '#app/routes/hr/legacy.tsx'
import * as legacyImportRoute from '#app/routes/hr/legacy-import.tsx'
import * as templateRoute from '#app/routes/hr/legacy-template.ts'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()

async function hrCookie(scopeRegion: string) {
  const s = await createStaff(db(), 'hr', { scopeRegion })
  return { ...s, cookie: await cookieFor(db(), s.accountId) }
}

function legacyCsv(lines: string[][], encoding: 'utf8' | 'gbk'): Buffer {
  const text = ['姓名,身份证号,年度,科目类别,学时,来源', ...lines.map((l) => l.join(','))].join('\r\n') + '\r\n'
  return encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8')
}

/** The browser's multipart upload of the legacy form. */
function uploadRequest(bytes: Buffer, filename: string, cookie: string) {
  const form = new FormData()
  form.set('legacy', new File([new Uint8Array(bytes)], filename, { type: 'text/csv' }))
  return new Request('http://localhost/hr/legacy', { method: 'POST', body: form, headers: { Cookie: cookie } })
}

/** Upload through the page, stage as the worker would; the import id. */
async function uploadThroughPage(bytes: Buffer, cookie: string, filename = 'legacy.csv') {
  const res = await call(legacyRoute.action, uploadRequest(bytes, filename, cookie))
  expect(res.status).toBe(302)
  const importId = Number(/\/hr\/legacy\/(\d+)$/.exec(res.headers.get('Location') ?? '')?.[1])
  expect(await stageImport(db(), importId)).toBe('staged')
  return importId
}

async function commitThroughPage(importId: number, cookie: string, mode: 'all' | 'valid_only' = 'all') {
  const params = { importId: String(importId) }
  const res = await call(
    legacyImportRoute.action,
    makeRequest(`/hr/legacy/${importId}`, { form: { intent: 'commit', mode, confirm: 'yes' }, cookie }),
    params,
  )
  expect(res.status).toBe(302)
  return commitImport(db(), importId)
}

const legacyEntries = (personId: number) =>
  db()
    .selectFrom('hour_entries')
    .select(['ce_year', 'category', 'hours', 'source_kind', 'evidence', 'reason'])
    .where('person_id', '=', personId)
    .where('source_kind', '=', 'legacy_import')
    .orderBy('ce_year')
    .orderBy('category')
    .execute()

describe('legacy hours import (province HR)', () => {
  for (const encoding of ['utf8', 'gbk'] as const) {
    test(`a ${encoding} CSV is staged, committed as legacy_import entries with their year, category and evidence; the same file again credits nothing`, async () => {
      const province = await hrCookie(PROVINCE.code)
      const a = await createLearner(db(), { name: '张伟' })
      const b = await createLearner(db(), { name: '李娜' })
      const bytes = legacyCsv(
        [
          ['张伟', a.idNumber, '2023', '专业科目', '40', '原继续教育登记系统'],
          ['张伟', a.idNumber, '2024', '公需科目', '20.5', '原继续教育登记系统'],
          ['李娜', b.idNumber, '2022', '专业', '30', '吉林省专业技术人员培训班'],
        ],
        encoding,
      )
      const importId = await uploadThroughPage(bytes, province.cookie)
      const page = await call(legacyImportRoute.loader, makeRequest(`/hr/legacy/${importId}`, { cookie: province.cookie }), {
        importId: String(importId),
      })
      expect(page.data.file).toMatchObject({
        status: 'staged',
        rowsRead: 3,
        rowsError: 0,
        encoding: encoding === 'gbk' ? 'gb18030' : 'utf8',
      })
      expect(await commitThroughPage(importId, province.cookie)).toMatchObject({ done: 'committed', credited: 3 })
      const entries = await legacyEntries(a.personId)
      expect(entries.map((e) => [e.ce_year, e.category, e.hours])).toEqual([
        [2023, 'professional', '40.00'],
        [2024, 'public', '20.50'],
      ])
      expect(entries[0]!.evidence).toEqual({ importId, rowNumber: 2, source: '原继续教育登记系统' })
      expect((await legacyEntries(b.personId))[0]).toMatchObject({
        ce_year: 2022,
        category: 'professional',
        evidence: { importId, rowNumber: 4, source: '吉林省专业技术人员培训班' },
      })
      const totals = await db()
        .selectFrom('hour_totals')
        .select(['ce_year', 'category', 'counted_hours'])
        .where('person_id', '=', a.personId)
        .orderBy('ce_year')
        .execute()
      expect(totals).toEqual([
        { ce_year: 2023, category: 'professional', counted_hours: '40.00' },
        { ce_year: 2024, category: 'public', counted_hours: '20.50' },
      ])
      // The same bytes again: staged, committed, nothing credited twice.
      const again = await uploadThroughPage(bytes, province.cookie, 'legacy-again.csv')
      expect(await commitThroughPage(again, province.cookie)).toMatchObject({ done: 'committed', credited: 0, unchanged: 3 })
      expect(await legacyEntries(a.personId)).toHaveLength(2)
      const list = await call(legacyRoute.loader, makeRequest('/hr/legacy', { cookie: province.cookie }))
      expect(list.data.imports.map((f: { id: number }) => f.id)).toEqual([again, importId])
    })
  }

  test('a file with a bad row commits only when asked for the valid rows; issues are listed with masked IDs', async () => {
    const province = await hrCookie(PROVINCE.code)
    const a = await createLearner(db(), { name: '王芳' })
    const importId = await uploadThroughPage(
      legacyCsv(
        [
          ['王芳', a.idNumber, '2023', '专业科目', '12', '原系统'],
          ['王芳', a.idNumber, '1990', '体育', '12', ''],
        ],
        'utf8',
      ),
      province.cookie,
    )
    const params = { importId: String(importId) }
    const page = await call(legacyImportRoute.loader, makeRequest(`/hr/legacy/${importId}`, { cookie: province.cookie }), params)
    expect(page.data.issues).toEqual([
      expect.objectContaining({
        rowNumber: 3,
        status: 'error',
        issues: expect.arrayContaining(['year_invalid', 'category_invalid', 'source_empty']),
      }),
    ])
    expect(JSON.stringify(page.data)).not.toContain(a.idNumber)
    const all = await call(
      legacyImportRoute.action,
      makeRequest(`/hr/legacy/${importId}`, { form: { intent: 'commit', mode: 'all', confirm: 'yes' }, cookie: province.cookie }),
      params,
    )
    expect(all).toMatchObject({ status: 409, data: { error: 'importError.has_errors' } })
    expect(await commitThroughPage(importId, province.cookie, 'valid_only')).toMatchObject({ credited: 1 })
    expect(await legacyEntries(a.personId)).toHaveLength(1)
  })

  test('HR of a city: 403 on the legacy pages, the template and the upload; nothing stored', async () => {
    const city = await hrCookie('220100')
    const province = await hrCookie(PROVINCE.code)
    expect((await call(legacyRoute.loader, makeRequest('/hr/legacy', { cookie: city.cookie }))).status).toBe(403)
    expect((await call(templateRoute.loader, makeRequest('/hr/legacy-template.xlsx', { cookie: city.cookie }))).status).toBe(403)
    const a = await createLearner(db())
    const bytes = legacyCsv([['测试学员', a.idNumber, '2023', '专业科目', '12', '原系统']], 'utf8')
    expect((await call(legacyRoute.action, uploadRequest(bytes, 'legacy.csv', city.cookie))).status).toBe(403)
    expect(await db().selectFrom('import_files').select('id').where('kind', '=', 'legacy').execute()).toHaveLength(0)
    // A province upload is not reachable for the city officer either.
    const importId = await uploadThroughPage(bytes, province.cookie)
    const params = { importId: String(importId) }
    expect((await call(legacyImportRoute.loader, makeRequest(`/hr/legacy/${importId}`, { cookie: city.cookie }), params)).status).toBe(403)
    const post = await call(
      legacyImportRoute.action,
      makeRequest(`/hr/legacy/${importId}`, { form: { intent: 'commit', mode: 'all', confirm: 'yes' }, cookie: city.cookie }),
      params,
    )
    expect(post.status).toBe(403)
    expect((await db().selectFrom('import_files').select('status').where('id', '=', importId).executeTakeFirstOrThrow()).status).toBe(
      'staged',
    )
  })

  test('province HR downloads the template: an XLSX with the legacy headers', async () => {
    const province = await hrCookie(PROVINCE.code)
    const res = await templateRoute.loader({
      request: makeRequest('/hr/legacy-template.xlsx', { cookie: province.cookie }),
      params: {},
      context: {},
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toContain('spreadsheetml')
    const bytes = Buffer.from(await res.arrayBuffer())
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([undefined, '姓名', '身份证号', '年度', '科目类别', '学时', '来源'])
  })
})
