import { randomUUID } from 'node:crypto'
import { unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { type ColumnSpec, readTable, TableError, type TableErrorCode } from '#app/domain/imports/table-reader.server.ts'
import { type Named, PROVINCE, REGIONS, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import type { DB } from '#db/schema.ts'

import { SeminarSchema } from './plan.schema.ts'
import { type Admin, CREATE_FIELD, createSeminar } from './plan.server.ts'

/**
 * Importing the year's seminar plan from a file (计划导入): one seminar per row of a CSV (UTF-8 or
 * GBK) or XLSX with Chinese (or English) headers. Each row becomes the same input the create form
 * sends, validated by `SeminarSchema` and created by `createSeminar`, all in one transaction: a
 * file with any problem creates nothing and lists every problem (row, column, message key);
 * otherwise every row becomes a draft. Small on purpose (a year's plan is dozens of rows), so it
 * runs in the request, not through the import engine's worker.
 */

/** Largest plan file accepted, and most rows. */
export const PLAN_MAX_BYTES = 2 * 1024 * 1024
export const PLAN_MAX_ROWS = 500

/** Columns in template order; `headers[0]` is the Chinese header the template prints, `headers[1]` the English one. */
export const PLAN_COLUMNS = [
  { key: 'level', headers: ['级别', 'level'], required: true },
  { key: 'host', headers: ['主办基地', 'host base'], required: true },
  { key: 'title', headers: ['名称', 'title'], required: true },
  { key: 'category', headers: ['类别', 'category'], required: true },
  { key: 'series', headers: ['职称系列', 'title series'], required: true },
  { key: 'startDate', headers: ['开始日期', 'start date'], required: true },
  { key: 'endDate', headers: ['结束日期', 'end date'], required: true },
  { key: 'fullDays', headers: ['整天数', 'full days'], required: true },
  { key: 'halfDays', headers: ['半天数', 'half days'], required: false },
  { key: 'hours', headers: ['学时', 'hours'], required: true },
  { key: 'venue', headers: ['地点', 'venue'], required: true },
  { key: 'capacity', headers: ['容量', 'capacity'], required: true },
  { key: 'quotas', headers: ['名额', 'quotas'], required: false },
  { key: 'releaseOn', headers: ['名额释放日期', 'quota release date'], required: false },
  { key: 'opensOn', headers: ['报名开始', 'registration opens'], required: true },
  { key: 'closesOn', headers: ['报名截止', 'registration closes'], required: true },
  { key: 'cancelUntil', headers: ['取消截止', 'cancellation cutoff'], required: true },
  { key: 'waitlist', headers: ['候补方式', 'waitlist mode'], required: false },
  { key: 'approval', headers: ['需审核', 'approval required'], required: false },
  { key: 'eligLevels', headers: ['资格职称级别', 'eligible title levels'], required: false },
  { key: 'eligSeries', headers: ['资格职称系列', 'eligible title series'], required: false },
  { key: 'eligRegions', headers: ['资格地区', 'eligible regions'], required: false },
] as const satisfies readonly ColumnSpec[]

export type PlanColumn = (typeof PLAN_COLUMNS)[number]['key']

/** One problem of one row: the column it is about and a catalog key (with its parameters). */
export type RowProblem = { row: number; column: PlanColumn; message: string; params?: Record<string, string> }

export type PlanImportCode = 'file_required' | 'file_too_large' | TableErrorCode | 'rows_invalid'

export type PlanImportResult = Result<
  { seminarIds: number[] },
  PlanImportCode,
  { problems?: RowProblem[]; detail?: string; limit?: number }
>

/** Which column a SeminarSchema field or a createSeminar refusal belongs to. */
const FIELD_COLUMN: Record<string, PlanColumn> = {
  level: 'level',
  hostBaseId: 'host',
  title: 'title',
  category: 'category',
  titleSeries: 'series',
  startDate: 'startDate',
  endDate: 'endDate',
  fullDays: 'fullDays',
  halfDays: 'halfDays',
  declaredHours: 'hours',
  venue: 'venue',
  capacity: 'capacity',
  releaseOn: 'releaseOn',
  opensOn: 'opensOn',
  closesOn: 'closesOn',
  cancelUntil: 'cancelUntil',
  waitlistMode: 'waitlist',
  offerHours: 'waitlist',
  levels: 'eligLevels',
  series: 'eligSeries',
  regions: 'eligRegions',
}
const columnOfField = (field: string): PlanColumn => (/^quota\d/.test(field) ? 'quotas' : (FIELD_COLUMN[field] ?? 'title'))

const norm = (v: string) => v.replace(/\s+/g, '').toLowerCase()

/** A cell's words: either the accepted words' value, or the cell as it is (then the schema refuses it). */
function choose(cell: string, choices: Record<string, string>): string {
  const key = norm(cell)
  return choices[key] ?? cell
}

const LEVELS = { 国家级: 'national', national: 'national', 省级: 'provincial', provincial: 'provincial' }
const CATEGORIES = { 专业科目: 'professional', professional: 'professional', 公需科目: 'public', public: 'public' }
const WAITLIST = { 自动递补: 'auto', auto: 'auto', 限时确认: 'offer', offer: 'offer' }
const YES = new Set(['是', 'yes', 'y', 'true', '1'])
const NO = new Set(['否', 'no', 'n', 'false', '0', ''])

/** "a；b, c" → ['a', 'b', 'c'] (Chinese or Latin semicolons and commas, 、 too). */
const listOf = (cell: string) =>
  cell
    .split(/[;；,，、]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')

/** Codes of a list cell: each item a code or its Chinese or English name; an unknown item stays as it is. */
function codesOf(cell: string, list: readonly Named[]): string[] {
  return listOf(cell).map((item) => {
    const n = norm(item)
    return list.find((x) => norm(x.code) === n || norm(x.zh) === n || norm(x.en) === n)?.code ?? item
  })
}

/** 2026/3/5, 2026.03.05, 2026年3月5日 → 2026-03-05; anything else as it is. */
function dayOf(cell: string): string {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(cell.trim())
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : cell.trim()
}

type Quotas = { ok: true; quotas: { scope: string; size: number }[] } | { ok: false; message: string; params?: Record<string, string> }

/** "22:20;11:5" → province (national) or region (provincial) quotas. */
function quotasOf(cell: string, level: string): Quotas {
  const prefix = level === 'provincial' ? 'region:' : 'province:'
  const code = level === 'provincial' ? /^\d{6}$/ : /^\d{2}$/
  const quotas: { scope: string; size: number }[] = []
  for (const item of listOf(cell)) {
    const m = /^([^:：]+)[:：]\s*(\S+)$/.exec(item)
    if (!m || !code.test(m[1]!.trim())) return { ok: false, message: 'seminarImport.err.quota_format', params: { item } }
    if (!/^\d{1,4}$/.test(m[2]!)) return { ok: false, message: 'seminars.err.quota_size' }
    quotas.push({ scope: `${prefix}${m[1]!.trim()}`, size: Number(m[2]) })
  }
  return { ok: true, quotas }
}

/** The host base by id or exact name; null when there is none, or several of that name. */
async function hostBaseIdOf(db: DB, cell: string, cache: Map<string, string | null>): Promise<string | null> {
  const key = cell.trim()
  if (/^\d{1,12}$/.test(key)) return key
  if (cache.has(key)) return cache.get(key) ?? null
  const rows = await db.selectFrom('bases').select('id').where('name', '=', key).limit(2).execute()
  const id = rows.length === 1 ? String(rows[0]!.id) : null
  cache.set(key, id)
  return id
}

class RowsInvalid extends Error {
  constructor(readonly problems: RowProblem[]) {
    super('rows_invalid')
  }
}

/**
 * Reads the file and creates every row as a draft seminar, in one transaction; refused with nothing
 * written when the file is too large, not a table, missing a required column, over the row limit,
 * or when any row has a problem (then every problem of every row is listed).
 */
export async function importPlan(
  db: DB,
  admin: Admin,
  file: { filename: string; bytes: Buffer } | null,
  { today = chinaDay() }: { today?: string } = {},
): Promise<PlanImportResult> {
  if (!file || file.bytes.length === 0) return err('file_required')
  if (file.bytes.length > PLAN_MAX_BYTES) return err('file_too_large', { limit: PLAN_MAX_BYTES })

  const path = join(tmpdir(), `xueshi-plan-${randomUUID()}`)
  const rows: { row: number; cells: Record<string, string> }[] = []
  try {
    await writeFile(path, file.bytes, { mode: 0o600 })
    for await (const event of readTable(path, { columns: [...PLAN_COLUMNS], maxRows: PLAN_MAX_ROWS, fileName: file.filename })) {
      if (event.type === 'row') rows.push({ row: event.rowNumber, cells: event.cells })
    }
  } catch (e) {
    if (e instanceof TableError) {
      return e.code === 'too_many_rows' ? err('too_many_rows', { limit: PLAN_MAX_ROWS }) : err(e.code, { detail: e.detail ?? '' })
    }
    throw e
  } finally {
    await unlink(path).catch(() => undefined)
  }
  if (rows.length === 0) return err('empty')

  try {
    const seminarIds = await db.transaction().execute(async (trx) => {
      const problems: RowProblem[] = []
      const ids: number[] = []
      const bases = new Map<string, string | null>()
      for (const { row, cells } of rows) {
        const add = (column: PlanColumn, message: string, params?: Record<string, string>) =>
          problems.push({ row, column, message, ...(params ? { params } : {}) })
        const c = (k: PlanColumn) => cells[k] ?? ''
        const level = choose(c('level'), LEVELS)
        const hostBaseId = c('host') === '' ? '' : await hostBaseIdOf(trx, c('host'), bases)
        if (hostBaseId === null) add('host', 'seminarImport.err.base_unknown')
        const quotas = quotasOf(c('quotas'), level)
        if (!quotas.ok) add('quotas', quotas.message, quotas.params)
        const approval = norm(c('approval'))
        if (!YES.has(approval) && !NO.has(approval)) add('approval', 'seminarImport.err.yes_no')
        const parsed = SeminarSchema.safeParse({
          level,
          hostBaseId: hostBaseId ?? '0',
          title: c('title'),
          category: choose(c('category'), CATEGORIES),
          titleSeries: codesOf(c('series'), TITLE_SERIES),
          startDate: dayOf(c('startDate')),
          endDate: dayOf(c('endDate')),
          fullDays: c('fullDays') || '0',
          halfDays: c('halfDays') || '0',
          declaredHours: c('hours'),
          venue: c('venue'),
          capacity: c('capacity'),
          releaseOn: dayOf(c('releaseOn')),
          opensOn: dayOf(c('opensOn')),
          closesOn: dayOf(c('closesOn')),
          cancelUntil: dayOf(c('cancelUntil')),
          waitlistMode: c('waitlist') === '' ? 'auto' : choose(c('waitlist'), WAITLIST),
          levels: codesOf(c('eligLevels'), TITLE_LEVELS),
          series: codesOf(c('eligSeries'), TITLE_SERIES),
          regions: codesOf(c('eligRegions'), [PROVINCE, ...REGIONS]),
        })
        if (!parsed.success) {
          const seen = new Set<string>()
          for (const issue of parsed.error.issues) {
            const column = columnOfField(String(issue.path[0] ?? 'title'))
            // The host column's own message says more than the schema's placeholder id would.
            if (column === 'host' && hostBaseId === null) continue
            if (seen.has(`${column}:${issue.message}`)) continue
            seen.add(`${column}:${issue.message}`)
            add(column, issue.message)
          }
          continue
        }
        if (!quotas.ok || hostBaseId === null || !(YES.has(approval) || NO.has(approval))) continue
        // Rows after a problem are still checked (every problem is listed), but nothing they write is kept.
        const created = await createSeminar(trx, admin, { ...parsed.data, quotas: quotas.quotas }, { today })
        if (!created.ok) {
          const field = CREATE_FIELD[created.code]
          add(
            columnOfField(field),
            `seminarsAdmin.code.${created.code}`,
            created.code === 'hours_over_limit' ? { max: created.max ?? '0' } : undefined,
          )
          continue
        }
        if (YES.has(approval))
          await trx.updateTable('seminars').set({ approval_required: true }).where('id', '=', created.seminarId).execute()
        ids.push(created.seminarId)
      }
      if (problems.length > 0) throw new RowsInvalid(problems)
      return ids
    })
    return ok({ seminarIds })
  } catch (e) {
    if (e instanceof RowsInvalid) return err('rows_invalid', { problems: e.problems })
    throw e
  }
}

/** The example row of the template (a national seminar about two months ahead). */
export function templateExample(today: string, hostName: string): string[] {
  const at = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 24 * 3600_000).toISOString().slice(0, 10)
  return [
    '国家级',
    hostName,
    '数字经济高级研修班',
    '专业科目',
    'engineering',
    at(60),
    at(62),
    '3',
    '0',
    '18',
    '长春市人民大街 1 号',
    '70',
    '22:20;11:5',
    at(30),
    at(10),
    at(40),
    at(50),
    '自动递补',
    '否',
    '',
    '',
    '',
  ]
}
