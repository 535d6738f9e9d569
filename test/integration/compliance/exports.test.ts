import { readFile, stat, writeFile } from 'node:fs/promises'

import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { describe, expect, test } from 'vitest'

import { EXPORT_HEADERS, exportFile, removeExpiredExports, requestExport, runExport } from '#app/domain/compliance/exports.server.ts'
import { type ComplianceFilter, parseFilter } from '#app/domain/compliance/filter.ts'
import { coveredYears } from '#app/domain/compliance/people.server.ts'
import { refreshAll } from '#app/domain/compliance/refresh.server.ts'
import { setFullIdExport } from '#app/domain/identity/accounts.server.ts'
import { maskIdNumber } from '#app/domain/shared/id-number.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as staffPage from '#app/routes/admin/staff.tsx'
import * as filePage from '#app/routes/hr/compliance-export-file.ts'
import * as exportsPage from '#app/routes/hr/compliance-exports.tsx'
import { meetYears } from '#test/factories/hours.ts'
import { cookieFor, createStaff } from '#test/factories/people.ts'
import { learnerFrom } from '#test/factories/seminars.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'
import * as exportJob from '#workers/jobs/compliance-export.ts'

/**
 * Compliance exports (ADR 0025): built by the worker page by page into XLSX or CSV with a BOM,
 * inside the officer's scope, IDs masked unless the admin-granted permission is held and used
 * (then audited), downloadable by their owner only until they expire.
 */
const db = getDb()
const ID_COL = EXPORT_HEADERS.indexOf('身份证号码')
const NAME_COL = EXPORT_HEADERS.indexOf('姓名')

async function year() {
  return (await coveredYears(db))[0]!
}

async function filterOf(params: Record<string, string>): Promise<ComplianceFilter> {
  const r = parseFilter(new URLSearchParams(params), await year())
  if (!r.ok) throw new Error(r.problems.join())
  return r.filter
}

/** Three people in 长春 (one meets this year), one in 延边; an HR officer of 长春. */
async function world() {
  const y = await year()
  const cc = [await learnerFrom(db, '220102'), await learnerFrom(db, '220102'), await learnerFrom(db, '220102')]
  const yb = await learnerFrom(db, '222401', { region: '222400' })
  await meetYears(db, cc[0]!.personId, [y])
  await refreshAll(db)
  const hr = await createStaff(db, 'hr', { scopeRegion: '220100' })
  const names = new Map((await db.selectFrom('people').select(['id', 'name']).execute()).map((p) => [p.id, p.name] as const))
  return { y, cc, yb, hr, actor: { accountId: hr.accountId, scopeRegion: '220100' }, names }
}

async function xlsxRows(file: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(file)
  const rows: string[][] = []
  wb.worksheets[0]!.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v))))
  })
  return rows
}

async function csvRows(file: string): Promise<string[][]> {
  const text = await readFile(file, 'utf8')
  return (parse(text, { bom: true }) as string[][]).map((r) => r.map((c) => c.replace(/^="(.*)"$/, '$1')))
}

async function exportRow(id: number) {
  return db.selectFrom('compliance_exports').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

async function count(table: 'compliance_exports' | 'outbox') {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

async function audits(action: string) {
  return db.selectFrom('audit_log').selectAll().where('action', '=', action).execute()
}

describe('compliance exports', () => {
  test('XLSX: masked IDs, only the officer’s region, progress reaches the total, asked for in one transaction with its job and audit', async () => {
    const w = await world()
    const r = await requestExport(db, w.actor, await filterOf({ status: 'all' }), 'xlsx', false)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const outbox = await db.selectFrom('outbox').select(['job_name', 'payload']).execute()
    expect(outbox).toEqual([{ job_name: 'compliance.export', payload: { exportId: r.exportId } }])
    const [requested] = await audits('compliance.export_requested')
    expect(requested).toMatchObject({ actor_account_id: w.hr.accountId, target_id: String(r.exportId) })
    expect(requested!.detail).toMatchObject({ fullIds: false, format: 'xlsx' })

    // The worker's processor, as the queue calls it.
    const done = await exportJob.process(db, { exportId: r.exportId })
    expect(done.rows).toBe(3)
    const row = await exportRow(r.exportId)
    expect(row).toMatchObject({ status: 'done', rows_total: 3, rows_done: 3, error: null })
    expect(Number(row.file_bytes)).toBe((await stat(row.file_path!)).size)
    expect(row.finished_at).not.toBeNull()

    const rows = await xlsxRows(row.file_path!)
    expect(rows[0]).toEqual(EXPORT_HEADERS)
    expect(rows).toHaveLength(4)
    const ids = rows.slice(1).map((x) => x[ID_COL])
    expect(ids.sort()).toEqual(w.cc.map((p) => maskIdNumber(p.idNumber)).sort())
    expect(rows.slice(1).map((x) => x[NAME_COL])).not.toContain(w.names.get(w.yb.personId))
    // The one who met the year: met, hours as numbers.
    const met = rows.find((x) => x[NAME_COL] === w.names.get(w.cc[0]!.personId))!
    expect(met[EXPORT_HEADERS.indexOf('本年度是否达标')]).toBe('是')
    expect(met[EXPORT_HEADERS.indexOf('合计差额')]).toBe('0')
    expect(met[EXPORT_HEADERS.indexOf('所在地区')]).toBe('长春市')
  })

  test('progress is written page by page and ends at the total', async () => {
    const w = await world()
    for (let i = 0; i < 4; i++) await learnerFrom(db, '220102')
    await refreshAll(db)
    const r = await requestExport(db, w.actor, await filterOf({ status: 'all' }), 'csv', false)
    if (!r.ok) throw new Error(r.code)
    const seen: number[] = []
    // Watch the row while the export runs in pages of 2: rows_done only grows.
    const run = runExport(db, r.exportId, { chunk: 2 })
    const poll = (async () => {
      for (;;) {
        const x = await exportRow(r.exportId)
        seen.push(x.rows_done)
        if (x.status === 'done' || x.status === 'failed') return
      }
    })()
    expect(await run).toMatchObject({ rows: 7 })
    await poll
    const row = await exportRow(r.exportId)
    expect(row.rows_total).toBe(7)
    expect(row.rows_done).toBe(7)
    expect(seen.every((n, i) => i === 0 || n >= seen[i - 1]!)).toBe(true)
  })

  test('CSV starts with a BOM, has the header and the rows; a 0-row export is a valid file with only the header', async () => {
    const w = await world()
    const r = await requestExport(db, w.actor, await filterOf({ status: 'short' }), 'csv', false)
    if (!r.ok) throw new Error(r.code)
    await runExport(db, r.exportId)
    const file = (await exportRow(r.exportId)).file_path!
    const bytes = await readFile(file)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = await csvRows(file)
    expect(rows[0]).toEqual(EXPORT_HEADERS)
    expect(
      rows
        .slice(1)
        .map((x) => x[ID_COL])
        .sort(),
    ).toEqual([w.cc[1]!, w.cc[2]!].map((p) => maskIdNumber(p.idNumber)).sort())

    // Nobody with an integrity record in force: 0 rows, in both formats.
    for (const format of ['csv', 'xlsx'] as const) {
      const empty = await requestExport(db, w.actor, await filterOf({ status: 'all', integrity: 'in_force' }), format, false)
      if (!empty.ok) throw new Error(empty.code)
      expect(await runExport(db, empty.exportId)).toMatchObject({ rows: 0 })
      const e = await exportRow(empty.exportId)
      expect(e).toMatchObject({ status: 'done', rows_total: 0, rows_done: 0 })
      const got = format === 'csv' ? await csvRows(e.file_path!) : await xlsxRows(e.file_path!)
      expect(got).toEqual([EXPORT_HEADERS])
    }
  })

  test('full ID numbers: refused without the permission (nothing created), allowed once an admin grants it, every step audited', async () => {
    const w = await world()
    const filter = await filterOf({ status: 'all' })
    expect(await requestExport(db, w.actor, filter, 'csv', true)).toEqual({ ok: false, code: 'full_ids_not_allowed' })
    expect(await count('compliance_exports')).toBe(0)
    expect(await count('outbox')).toBe(0)

    // The admin grants it on /admin/staff; it asks first.
    const admin = await createStaff(db, 'admin')
    const adminCookie = await cookieFor(db, admin.accountId)
    const unconfirmed = await call(
      staffPage.action,
      makeRequest('/admin/staff', { form: { intent: 'grant-full-ids', accountId: String(w.hr.accountId) }, cookie: adminCookie }),
    )
    expect(unconfirmed.status).toBe(400)
    const granted = await call(
      staffPage.action,
      makeRequest('/admin/staff', {
        form: { intent: 'grant-full-ids', accountId: String(w.hr.accountId), confirm: 'yes' },
        cookie: adminCookie,
      }),
    )
    expect(granted.status).toBe(200)
    expect(await audits('account.full_id_export_granted')).toHaveLength(1)
    // A base's staff cannot hold it.
    const baseStaff = await createStaff(db, 'base_staff')
    expect(await db.transaction().execute((trx) => setFullIdExport(trx, baseStaff.accountId, true, admin.accountId))).toEqual({
      ok: false,
      code: 'not_hr',
    })

    const r = await requestExport(db, w.actor, filter, 'csv', true)
    if (!r.ok) throw new Error(r.code)
    expect((await audits('compliance.export_requested'))[0]!.detail).toMatchObject({ fullIds: true })
    await runExport(db, r.exportId)
    const rows = await csvRows((await exportRow(r.exportId)).file_path!)
    expect(
      rows
        .slice(1)
        .map((x) => x[ID_COL])
        .sort(),
    ).toEqual(w.cc.map((p) => p.idNumber).sort())

    // The owner downloads it (audited each time); another officer gets 404, as for an unknown id.
    const cookie = await cookieFor(db, w.hr.accountId)
    const res = (await filePage.loader({
      request: makeRequest(`/hr/compliance/exports/${r.exportId}/file`, { cookie }),
      params: { exportId: String(r.exportId) },
      context: {},
    })) as Response
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('Content-Disposition')).toMatch(
      new RegExp(`^attachment; filename="compliance-${w.y}-${r.exportId}\\.csv"; filename\\*=UTF-8''%E5%AD%A6`),
    )
    const body = Buffer.from(await res.arrayBuffer())
    expect(body.equals(await readFile((await exportRow(r.exportId)).file_path!))).toBe(true)
    expect(await audits('compliance.export_downloaded')).toHaveLength(1)

    const other = await createStaff(db, 'hr', { scopeRegion: '220100' })
    const otherCookie = await cookieFor(db, other.accountId)
    const denied = await call(filePage.loader, makeRequest(`/hr/compliance/exports/${r.exportId}/file`, { cookie: otherCookie }), {
      exportId: String(r.exportId),
    })
    expect(denied.status).toBe(404)
    expect(await exportFile(db, other.accountId, r.exportId)).toEqual({ ok: false, code: 'not_found' })
    expect(await audits('compliance.export_downloaded')).toHaveLength(1)

    // Revoked: refused again.
    await call(
      staffPage.action,
      makeRequest('/admin/staff', { form: { intent: 'revoke-full-ids', accountId: String(w.hr.accountId) }, cookie: adminCookie }),
    )
    expect(await audits('account.full_id_export_revoked')).toHaveLength(1)
    expect(await requestExport(db, w.actor, filter, 'csv', true)).toEqual({ ok: false, code: 'full_ids_not_allowed' })
    // The file made while it was held is not handed out any more.
    expect(await exportFile(db, w.hr.accountId, r.exportId)).toEqual({ ok: false, code: 'not_found' })
  })

  test('past its expiry: 410 and err expired; the daily cleanup deletes the file and keeps the row', async () => {
    const w = await world()
    const r = await requestExport(db, w.actor, await filterOf({ status: 'all' }), 'xlsx', false)
    if (!r.ok) throw new Error(r.code)
    await runExport(db, r.exportId)
    const file = (await exportRow(r.exportId)).file_path!
    expect(await removeExpiredExports(db, new Date())).toBe(0)
    await db
      .updateTable('compliance_exports')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', r.exportId)
      .execute()
    expect(await exportFile(db, w.hr.accountId, r.exportId)).toEqual({ ok: false, code: 'expired' })
    const cookie = await cookieFor(db, w.hr.accountId)
    const gone = await call(filePage.loader, makeRequest(`/hr/compliance/exports/${r.exportId}/file`, { cookie }), {
      exportId: String(r.exportId),
    })
    expect(gone.status).toBe(410)
    expect(await removeExpiredExports(db, new Date())).toBe(1)
    await expect(stat(file)).rejects.toThrow()
    expect(await exportRow(r.exportId)).toMatchObject({ file_path: null, status: 'done' })
    const list = await call(exportsPage.loader, makeRequest('/hr/compliance/exports', { cookie }))
    expect(list.data.exports[0]).toMatchObject({ id: r.exportId, expired: true, downloadable: false })
  })

  test('a retry rewrites the file from scratch with the same content', async () => {
    const w = await world()
    for (const format of ['csv', 'xlsx'] as const) {
      const r = await requestExport(db, w.actor, await filterOf({ status: 'all' }), format, false)
      if (!r.ok) throw new Error(r.code)
      await runExport(db, r.exportId)
      const file = (await exportRow(r.exportId)).file_path!
      const first = format === 'csv' ? await readFile(file) : await xlsxRows(file)
      // An attempt that died half way: the row says failed, the file holds rubbish.
      await writeFile(file, 'half a file')
      await db.updateTable('compliance_exports').set({ status: 'failed', rows_done: 1 }).where('id', '=', r.exportId).execute()
      await runExport(db, r.exportId, { chunk: 1 })
      const second = format === 'csv' ? await readFile(file) : await xlsxRows(file)
      expect(second).toEqual(first)
      expect(await exportRow(r.exportId)).toMatchObject({ status: 'done', rows_done: 3, rows_total: 3 })
      // A finished export delivered again is left as it is.
      expect(await runExport(db, r.exportId)).toMatchObject({ rows: 3 })
    }
  })

  test('the page: a bad or out-of-scope filter is refused with a message and nothing created; a good one redirects to the list', async () => {
    const w = await world()
    const cookie = await cookieFor(db, w.hr.accountId)
    const post = (form: Record<string, string>) => call(exportsPage.action, makeRequest('/hr/compliance/exports', { form, cookie }))

    const bad = await post({ format: 'xlsx', year: String(w.y), status: 'nonsense', region: '999999' })
    expect(bad.status).toBe(400)
    expect(errorsOf(bad)._form).toMatch(/^complianceExports\.err\.bad_(status|region)$/)
    const outside = await post({ format: 'csv', year: String(w.y), region: '222400' })
    expect(outside.status).toBe(400)
    expect(errorsOf(outside)._form).toBe('complianceExports.err.region_out_of_scope')
    const fullIds = await post({ format: 'csv', year: String(w.y), fullIds: 'on' })
    expect(fullIds.status).toBe(403)
    expect(errorsOf(fullIds)._form).toBe('complianceExports.err.full_ids_not_allowed')
    const noFormat = await post({ year: String(w.y) })
    expect(noFormat.status).toBe(400)
    expect(await count('compliance_exports')).toBe(0)

    const ok = await post({ format: 'csv', year: String(w.y), status: 'short', region: '220100' })
    expect(ok.status).toBe(302)
    const [created] = await db.selectFrom('compliance_exports').selectAll().execute()
    expect(ok.headers.get('Location')).toBe(`/hr/compliance/exports?created=${created!.id}`)
    expect(created).toMatchObject({ account_id: w.hr.accountId, scope_region: '220100', format: 'csv', full_ids: false, status: 'queued' })
    expect(created!.filter).toMatchObject({ year: w.y, status: 'short', region: '220100' })

    const list = await call(exportsPage.loader, makeRequest('/hr/compliance/exports', { cookie }))
    expect(list.status).toBe(200)
    expect(list.data.exports).toHaveLength(1)
    expect(list.data.exports[0]).toMatchObject({ status: 'queued', downloadable: false, rows_done: 0 })
    // Not yet built: 409 for the owner.
    const early = await call(filePage.loader, makeRequest(`/hr/compliance/exports/${created!.id}/file`, { cookie }), {
      exportId: String(created!.id),
    })
    expect(early.status).toBe(409)
  })
})
