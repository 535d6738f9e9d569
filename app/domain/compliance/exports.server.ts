import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'

import ExcelJS from 'exceljs'

import { audit } from '#app/domain/identity/audit.server.ts'
import { maskedIdNumber } from '#app/domain/identity/pii.server.ts'
import { csvWithBom } from '#app/domain/imports/workbook-writer.server.ts'
import { compliancePolicy } from '#app/domain/policy/compliance-policy.server.ts'
import { normalizeHours } from '#app/domain/shared/decimal.ts'
import { nameOf, regionName, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { decryptPii } from '#app/lib/crypto.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { enqueue } from '#app/lib/queue.server.ts'
import type { DB } from '#db/schema.ts'

import type { ExportFormat } from './exports.schema.ts'
import { type ComplianceFilter, ComplianceFilterSchema, filterToParams } from './filter.ts'
import { checkFilter, countPeople, type FilterProblem, PERSON_COLUMNS, scopedPeople } from './people.server.ts'

/**
 * Exports of the people behind a compliance figure (ADR 0025): asked for on the web, built by the
 * worker (`compliance.export`) as XLSX or CSV with a BOM, streamed page by page so memory stays
 * bounded at any size, kept for the policy's `exportDays`, then deleted by the daily job. ID
 * numbers are masked unless the officer holds the admin-granted permission and asked for them;
 * such an export is audited when asked for and at every download.
 */
export type ExportActor = { accountId: number; scopeRegion: string }
export type RequestExportCode = FilterProblem | 'full_ids_not_allowed'

/** Rows read per database round trip; also how often progress is written. */
export const EXPORT_CHUNK = 5000

const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
}

/** The folder both processes use for export files (created when first written). */
export function exportDir(): string {
  return getEnv().XUESHI_EXPORT_DIR ?? path.join(os.tmpdir(), 'xueshi-exports')
}

/** Whether an account holds "may export full ID numbers" (granted by an admin on /admin/staff). */
export async function canExportFullIds(db: DB, accountId: number): Promise<boolean> {
  const row = await db
    .selectFrom('accounts')
    .select('can_export_full_ids')
    .where('id', '=', accountId)
    .where('role', '=', 'hr')
    .executeTakeFirst()
  return row?.can_export_full_ids === true
}

/**
 * Asks for an export of the people a filter selects, inside the officer's scope. Checks the
 * filter, refuses full ID numbers without the permission (nothing is created), and in one
 * transaction writes the export row, its job and the audit entry.
 */
export async function requestExport(
  db: DB,
  actor: ExportActor,
  filter: ComplianceFilter,
  format: ExportFormat,
  fullIds: boolean,
  now = new Date(),
): Promise<Result<{ exportId: number }, RequestExportCode>> {
  const checked = await checkFilter(db, actor.scopeRegion, filter, now)
  if (!checked.ok) return checked
  if (fullIds && !(await canExportFullIds(db, actor.accountId))) return err('full_ids_not_allowed')
  const expiresAt = new Date(now.getTime() + compliancePolicy().exportDays * 86_400_000)
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('compliance_exports')
      .values({
        account_id: actor.accountId,
        scope_region: actor.scopeRegion,
        filter: JSON.stringify(filter),
        format,
        full_ids: fullIds,
        created_at: now,
        expires_at: expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await enqueue(trx, 'compliance.export', { exportId: row.id })
    await audit(trx, {
      actorAccountId: actor.accountId,
      action: 'compliance.export_requested',
      targetType: 'compliance_export',
      targetId: row.id,
      detail: { format, fullIds, scopeRegion: actor.scopeRegion, filter: filterToParams(filter).toString() },
    })
    return ok({ exportId: row.id })
  })
}

/**
 * The columns of an export file, in order. Headers are Chinese: the file goes to Chinese
 * officials whatever the language of the page it was asked for on.
 */
type PersonRow = {
  name: string
  id_number_enc: Buffer
  region_code: string | null
  employer: string | null
  employer_name: string | null
  title_series: string | null
  title_level: string | null
  title_year: number | null
  met: boolean
  professional: string
  public: string
  short_professional: string
  short_public: string
  short_total: string
  not_counted: string
  ready: boolean
  failing_years: number[] | null
  integrity_ends_on: string | null
}
type Cell = string | number | null
type Column = {
  header: string
  width: number
  /** `text`: kept as text in Excel (ID numbers); `hours`: an exact decimal, a number in XLSX. */
  kind?: 'text' | 'hours'
  cell: (r: PersonRow, ctx: { year: number; fullIds: boolean }) => Cell
}

const yesNo = (v: boolean) => (v ? '是' : '否')

export const EXPORT_COLUMNS: readonly Column[] = [
  { header: '姓名', width: 12, cell: (r) => r.name },
  {
    header: '身份证号码',
    width: 22,
    kind: 'text',
    cell: (r, { fullIds }) => (fullIds ? decryptPii(r.id_number_enc) : maskedIdNumber(r.id_number_enc)),
  },
  { header: '所在地区', width: 12, cell: (r) => (r.region_code ? regionName(r.region_code, 'zh') : '') },
  { header: '工作单位', width: 30, cell: (r) => r.employer_name ?? r.employer ?? '' },
  { header: '职称系列', width: 14, cell: (r) => (r.title_series ? nameOf(TITLE_SERIES, r.title_series, 'zh') : '') },
  { header: '职称级别', width: 12, cell: (r) => (r.title_level ? nameOf(TITLE_LEVELS, r.title_level, 'zh') : '') },
  { header: '取得现职称年份', width: 14, cell: (r) => r.title_year },
  { header: '继续教育年度', width: 12, cell: (_r, { year }) => year },
  { header: '本年度是否达标', width: 14, cell: (r) => yesNo(r.met) },
  { header: '专业科目学时', width: 12, kind: 'hours', cell: (r) => normalizeHours(r.professional) },
  { header: '公需科目学时', width: 12, kind: 'hours', cell: (r) => normalizeHours(r.public) },
  { header: '专业科目差额', width: 12, kind: 'hours', cell: (r) => normalizeHours(r.short_professional) },
  { header: '公需科目差额', width: 12, kind: 'hours', cell: (r) => normalizeHours(r.short_public) },
  { header: '合计差额', width: 10, kind: 'hours', cell: (r) => normalizeHours(r.short_total) },
  { header: '已记录未计入达标学时', width: 20, kind: 'hours', cell: (r) => normalizeHours(r.not_counted) },
  { header: '下一年度职称申报学时条件是否具备', width: 30, cell: (r) => yesNo(r.ready) },
  { header: '未达标年度', width: 16, cell: (r) => (r.failing_years ?? []).join('、') },
  { header: '诚信档案记录期至', width: 16, cell: (r) => r.integrity_ends_on ?? '' },
]

export const EXPORT_HEADERS: readonly string[] = EXPORT_COLUMNS.map((c) => c.header)

/**
 * Rows of the export, page by page (keyset on person_id, `chunk` rows per query), so at most one
 * page is in memory. `onChunk` runs after each page with the rows read so far.
 */
async function* exportRows(
  db: DB,
  scopeRegion: string,
  filter: ComplianceFilter,
  chunk: number,
  onChunk: (done: number) => Promise<void>,
): AsyncGenerator<PersonRow> {
  let after = 0
  let done = 0
  for (;;) {
    const page = await scopedPeople(db, scopeRegion, filter)
      .select([...PERSON_COLUMNS])
      .where('cp.person_id', '>', after)
      .orderBy('cp.person_id')
      .limit(chunk)
      .execute()
    for (const r of page) yield r as PersonRow
    done += page.length
    if (page.length > 0) await onChunk(done)
    if (page.length < chunk) return
    after = Number(page[page.length - 1]!.person_id)
  }
}

/**
 * exceljs's streaming writer ignores backpressure: a committed row is pushed into the zip's input
 * whatever its state, so a writer faster than deflate and the disk would end up holding the whole
 * sheet in memory (about 0.7 KB a row: 700 MB for 1,000,000 rows). Now and then this waits for
 * that input (the PassThrough archiver wraps the sheet's stream in) to drain. It reaches into
 * exceljs 4 internals; should they change, it does nothing and the benchmark's peak RSS shows it.
 */
type Pipe = NodeJS.EventEmitter & { _writableState?: { needDrain?: boolean }; writableNeedDrain?: boolean }
async function sheetDrained(sheet: unknown): Promise<void> {
  const pipes = (sheet as { stream?: { pipes?: Pipe[] } }).stream?.pipes ?? []
  for (const p of pipes) while (p.writableNeedDrain ?? p._writableState?.needDrain) await once(p, 'drain')
}

async function writeXlsx(file: string, rows: AsyncIterable<PersonRow>, ctx: { year: number; fullIds: boolean }): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false })
  const sheet = workbook.addWorksheet('名单', { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = EXPORT_COLUMNS.map((c) => ({ width: c.width, ...(c.kind === 'text' ? { style: { numFmt: '@' } } : {}) }))
  const header = sheet.addRow([...EXPORT_HEADERS])
  header.font = { bold: true }
  header.commit()
  let n = 0
  for await (const r of rows) {
    // Hours are exact decimals (at most two places); a spreadsheet sums numbers, so they go in as numbers.
    const row = sheet.addRow(EXPORT_COLUMNS.map((c) => (c.kind === 'hours' ? Number(c.cell(r, ctx)) : c.cell(r, ctx))))
    row.commit()
    if (++n % 500 === 0) await sheetDrained(sheet)
  }
  sheet.commit()
  await workbook.commit()
  return n
}

async function writeCsv(file: string, rows: AsyncIterable<PersonRow>, ctx: { year: number; fullIds: boolean }): Promise<number> {
  let n = 0
  async function* lines(): AsyncGenerator<string[]> {
    yield [...EXPORT_HEADERS]
    for await (const r of rows) {
      n++
      yield EXPORT_COLUMNS.map((c) => {
        const v = c.cell(r, ctx)
        return v === null ? '' : String(v)
      })
    }
  }
  await pipeline(csvWithBom(lines()), createWriteStream(file))
  return n
}

/** Stable across retries; the creation time keeps two databases sharing a folder (tests) apart. */
function finalPath(id: number, createdAt: Date, format: ExportFormat): string {
  return path.join(exportDir(), `export-${id}-${createdAt.getTime()}.${format}`)
}

/**
 * The worker's work for one export: builds the file from scratch (a retry overwrites whatever an
 * earlier attempt left), writing progress (`rows_done`) after every page, then marks it done with
 * its path and size. A finished export is left as it is. A failure is recorded on the row and
 * thrown again, so the queue retries.
 */
export async function runExport(
  db: DB,
  exportId: number,
  opts: { chunk?: number; now?: Date } = {},
): Promise<{ rows: number; bytes: number }> {
  const job = await db.selectFrom('compliance_exports').selectAll().where('id', '=', exportId).executeTakeFirst()
  if (!job) throw new Error(`compliance export ${exportId} does not exist`)
  if (job.status === 'done' && job.file_path) return { rows: job.rows_done, bytes: Number(job.file_bytes ?? 0) }
  const now = opts.now ?? new Date()
  if (job.expires_at <= now) {
    await db
      .updateTable('compliance_exports')
      .set({ status: 'failed', error: 'expired before it was built' })
      .where('id', '=', exportId)
      .execute()
    return { rows: 0, bytes: 0 }
  }
  const file = finalPath(job.id, job.created_at, job.format)
  // One file per attempt: a stalled job run again beside the first never writes into its file.
  const part = `${file}.${randomUUID()}.part`
  try {
    const filter = ComplianceFilterSchema.parse(job.filter)
    const total = await countPeople(db, job.scope_region, filter)
    await db
      .updateTable('compliance_exports')
      .set({ status: 'running', rows_total: total, rows_done: 0, error: null, file_path: null, file_bytes: null, finished_at: null })
      .where('id', '=', exportId)
      .execute()
    await mkdir(exportDir(), { recursive: true })
    const progress = async (done: number) => {
      await db.updateTable('compliance_exports').set({ rows_done: done }).where('id', '=', exportId).execute()
    }
    const rows = exportRows(db, job.scope_region, filter, opts.chunk ?? EXPORT_CHUNK, progress)
    // A permission revoked after the request is honoured: the file gets masked ID numbers.
    const ctx = { year: filter.year, fullIds: job.full_ids && (await canExportFullIds(db, job.account_id)) }
    const n = job.format === 'xlsx' ? await writeXlsx(part, rows, ctx) : await writeCsv(part, rows, ctx)
    await rename(part, file)
    const bytes = (await stat(file)).size
    await db
      .updateTable('compliance_exports')
      .set({ status: 'done', rows_done: n, file_path: file, file_bytes: String(bytes), finished_at: new Date() })
      .where('id', '=', exportId)
      .where('status', '=', 'running')
      .execute()
    return { rows: n, bytes }
  } catch (e) {
    await rm(part, { force: true })
    await db
      .updateTable('compliance_exports')
      .set({ status: 'failed', error: (e instanceof Error ? e.message : String(e)).slice(0, 500) })
      .where('id', '=', exportId)
      .execute()
    throw e
  }
}

/** An officer's exports, newest first (each with its filter, for the summary). */
export async function listExports(db: DB, accountId: number, now = new Date()) {
  const rows = await db
    .selectFrom('compliance_exports')
    .select([
      'id',
      'filter',
      'format',
      'full_ids',
      'status',
      'rows_total',
      'rows_done',
      'file_bytes',
      'error',
      'created_at',
      'finished_at',
      'expires_at',
      'file_path',
    ])
    .where('account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(100)
    .execute()
  const employerIds = [...new Set(rows.flatMap((r) => (typeof r.filter.employer === 'number' ? [r.filter.employer] : [])))]
  const employers = employerIds.length
    ? await db.selectFrom('employers').select(['id', 'name']).where('id', 'in', employerIds).execute()
    : []
  const employerName = new Map(employers.map((e) => [e.id, e.name]))
  return rows.map(({ file_path, filter, ...r }) => {
    const f = ComplianceFilterSchema.safeParse(filter)
    return {
      ...r,
      filter: f.success ? f.data : null,
      employerName: f.success && f.data.employer ? (employerName.get(f.data.employer) ?? null) : null,
      fileBytes: r.file_bytes === null ? null : Number(r.file_bytes),
      expired: r.expires_at <= now,
      downloadable: r.status === 'done' && file_path !== null && r.expires_at > now,
    }
  })
}

export type ExportFileCode = 'not_found' | 'expired' | 'not_ready'

/**
 * An export's file for its owner (anyone else: not found). A full-ID file's every download is
 * audited. The caller streams `path`.
 */
export async function exportFile(
  db: DB,
  accountId: number,
  exportId: number,
  now = new Date(),
): Promise<Result<{ path: string; bytes: number; contentType: string; filename: string; asciiFilename: string }, ExportFileCode>> {
  const row = await db
    .selectFrom('compliance_exports')
    .select(['id', 'format', 'status', 'file_path', 'expires_at', 'full_ids', 'filter', 'created_at'])
    .where('id', '=', exportId)
    .where('account_id', '=', accountId)
    .executeTakeFirst()
  if (!row) return err('not_found')
  if (row.expires_at <= now) return err('expired')
  if (row.status !== 'done' || !row.file_path) return err('not_ready')
  // Full ID numbers only while the permission holds (an admin may have revoked it since).
  if (row.full_ids && !(await canExportFullIds(db, accountId))) return err('not_found')
  const size = await stat(row.file_path).then(
    (s) => s.size,
    () => null,
  )
  if (size === null) return err('not_found')
  if (row.full_ids)
    await audit(db, {
      actorAccountId: accountId,
      action: 'compliance.export_downloaded',
      targetType: 'compliance_export',
      targetId: row.id,
      detail: { fullIds: true, format: row.format },
    })
  const year = typeof row.filter.year === 'number' ? row.filter.year : ''
  return ok({
    path: row.file_path,
    bytes: size,
    contentType: CONTENT_TYPES[row.format],
    filename: `学时达标名单-${year}-${row.id}.${row.format}`,
    asciiFilename: `compliance-${year}-${row.id}.${row.format}`,
  })
}

/**
 * Deletes the files of exports past their expiry (the daily job). The row stays, without a file,
 * so the list still says what was exported and when. Returns how many files were removed.
 */
export async function removeExpiredExports(db: DB, now = new Date()): Promise<number> {
  const rows = await db
    .selectFrom('compliance_exports')
    .select(['id', 'file_path'])
    .where('expires_at', '<=', now)
    .where('file_path', 'is not', null)
    .execute()
  for (const r of rows) {
    await rm(r.file_path!, { force: true })
    await db.updateTable('compliance_exports').set({ file_path: null }).where('id', '=', r.id).execute()
  }
  return rows.length
}
