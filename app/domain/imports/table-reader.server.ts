/**
 * Reads an uploaded roster (XLSX or CSV) row by row with bounded memory: the caller validates and
 * writes each row as it comes, and a file over the row limit is refused as soon as the limit is
 * passed, not after it has been read.
 *
 * Every cell arrives as a trimmed string. XLSX numbers are rendered with String(n), so an ID typed
 * as a number comes through as "220102198001011000" (Excel kept 15 digits) and `classifyIdCell`
 * reports it as truncated rather than letting it pass as some other number.
 */
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { pipeline } from 'node:stream'

import { CsvError, parse } from 'csv-parse'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'

import { type DetectedEncoding, detectEncoding } from '#app/domain/imports/encoding.ts'
import { normaliseName } from '#app/domain/imports/names.ts'

export type TableFormat = 'xlsx' | 'csv'

export type TableErrorCode =
  'empty' | 'xls_old_format' | 'not_table' | 'unknown_encoding' | 'missing_columns' | 'too_many_rows' | 'no_header'

/**
 * Expected refusals of a file, thrown by `readTable`. `detail`: for missing_columns the first
 * accepted header of each missing column joined by ", "; for too_many_rows the limit; for
 * not_table what the parser said (for logs, not for users).
 */
export class TableError extends Error {
  readonly code: TableErrorCode
  readonly detail: string | undefined

  constructor(code: TableErrorCode, detail?: string) {
    super(detail === undefined ? code : `${code}: ${detail}`)
    this.name = 'TableError'
    this.code = code
    this.detail = detail
  }
}

export type ColumnSpec = {
  key: string
  /** Accepted header texts (e.g. ['姓名', 'name']), compared after normaliseName, lower-case, without '*'. */
  headers: string[]
  required: boolean
}

export type TableEvent =
  | { type: 'header'; format: TableFormat; encoding?: DetectedEncoding; columns: Record<string, number> }
  | {
      type: 'row'
      /** 1-based, as Excel numbers rows (the header row of a sheet starting at A1 is row 1). */
      rowNumber: number
      /** Every ColumnSpec key; '' when the cell or the optional column is absent. */
      cells: Record<string, string>
      /** A mapped cell held a formula; its cached result is in `cells`. */
      formula?: true
    }

export type SniffResult = { ok: true; format: TableFormat } | { ok: false; code: 'empty' | 'xls_old_format' | 'not_table' }

const HEAD_BYTES = 64 * 1024
const SNIFF_BYTES = 8 * 1024
const PROGRESS_EVERY = 1000
// An unclosed quote would otherwise make csv-parse buffer the rest of the file as one field.
const MAX_CSV_RECORD_CHARS = 1024 * 1024

function startsWith(head: Buffer, magic: number[]): boolean {
  return magic.every((byte, i) => head[i] === byte)
}

const ZIP = [0x50, 0x4b, 0x03, 0x04]
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]
const NOT_TABLES = [
  [0x4d, 0x5a], // MZ: Windows executable
  [0x25, 0x50, 0x44, 0x46], // %PDF
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF8
]

/**
 * Decides by content, never by extension alone: users rename files. The name only refines one case:
 * many legacy systems export an HTML or XML table named .xls, which Excel opens but we cannot; the
 * useful advice for it is the same as for a real .xls ("save as .xlsx").
 */
export function sniffFormat(head: Buffer, fileName: string): SniffResult {
  if (head.length === 0) return { ok: false, code: 'empty' }
  if (startsWith(head, ZIP)) return { ok: true, format: 'xlsx' }
  if (startsWith(head, OLE2)) return { ok: false, code: 'xls_old_format' }
  if (NOT_TABLES.some((magic) => startsWith(head, magic))) return { ok: false, code: 'not_table' }
  const sniffed = head.subarray(0, SNIFF_BYTES)
  if (sniffed.includes(0)) return { ok: false, code: 'not_table' }
  const start = sniffed
    .subarray(startsWith(sniffed, [0xef, 0xbb, 0xbf]) ? 3 : 0)
    .toString('latin1')
    .trimStart()
  if (start.startsWith('<')) return { ok: false, code: /\.xls$/i.test(fileName) ? 'xls_old_format' : 'not_table' }
  return { ok: true, format: 'csv' }
}

/** Header texts as users vary them: "*姓名", "姓 名", "ＩＤ". */
function headerKey(text: string): string {
  return normaliseName(text).toLowerCase().replace(/\*/g, '')
}

/** One physical row, cells 0-based; `formulas` lists the columns whose cell held a formula. */
type RawRow = { rowNumber: number; values: string[]; formulas?: Set<number> }
type RawSource = { format: TableFormat; encoding?: DetectedEncoding; rows: AsyncIterable<RawRow> }

/**
 * Yields the header event, then one event per non-blank data row; throws TableError for a file it
 * refuses. The header is the first non-blank row. `fileName`: the name the user uploaded it under,
 * when `filePath` is a temporary name (only used to tell an HTML ".xls" apart, see sniffFormat).
 * `onProgress` gets the count of data rows every 1000 rows and at the end.
 */
export async function* readTable(
  filePath: string,
  opts: { columns: ColumnSpec[]; maxRows: number; fileName?: string; onProgress?: (rowsRead: number) => void },
): AsyncGenerator<TableEvent> {
  const head = await readHead(filePath)
  const sniffed = sniffFormat(head, opts.fileName ?? filePath)
  if (!sniffed.ok) throw new TableError(sniffed.code)
  const source = sniffed.format === 'xlsx' ? xlsxSource(filePath) : csvSource(filePath, head)

  let columns: Record<string, number> | null = null
  let dataRows = 0
  for await (const raw of source.rows) {
    if (raw.values.every((v) => v.trim() === '')) continue
    if (columns === null) {
      columns = mapHeader(raw.values, opts.columns)
      yield { type: 'header', format: source.format, ...(source.encoding ? { encoding: source.encoding } : {}), columns }
      continue
    }
    dataRows++
    if (dataRows > opts.maxRows) throw new TableError('too_many_rows', String(opts.maxRows))
    const cells: Record<string, string> = {}
    let formula = false
    for (const spec of opts.columns) {
      const index = columns[spec.key]
      cells[spec.key] = index === undefined ? '' : (raw.values[index] ?? '').trim()
      if (index !== undefined && raw.formulas?.has(index)) formula = true
    }
    yield { type: 'row', rowNumber: raw.rowNumber, cells, ...(formula ? { formula: true as const } : {}) }
    if (dataRows % PROGRESS_EVERY === 0) opts.onProgress?.(dataRows)
  }
  if (columns === null) throw new TableError('no_header')
  opts.onProgress?.(dataRows)
}

async function readHead(filePath: string): Promise<Buffer> {
  const handle = await open(filePath, 'r')
  try {
    const buffer = Buffer.alloc(HEAD_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

function mapHeader(values: string[], specs: ColumnSpec[]): Record<string, number> {
  const keys = values.map(headerKey)
  const columns: Record<string, number> = {}
  const missing: string[] = []
  for (const spec of specs) {
    const accepted = new Set(spec.headers.map(headerKey))
    const index = keys.findIndex((k) => k !== '' && accepted.has(k))
    if (index >= 0) columns[spec.key] = index
    else if (spec.required) missing.push(spec.headers[0] ?? spec.key)
  }
  if (missing.length > 0) throw new TableError('missing_columns', missing.join(', '))
  return columns
}

// ---------------------------------------------------------------------------------------------- CSV

function csvSource(filePath: string, head: Buffer): RawSource {
  const encoding = detectEncoding(head)
  if (encoding === 'unknown') throw new TableError('unknown_encoding')
  const charset = encoding === 'gb18030' ? 'gb18030' : 'utf8'
  return { format: 'csv', encoding, rows: csvRows(filePath, charset, delimiterOf(iconv.decode(head, charset))) }
}

/** Comma, unless the header line (the first non-blank one) has tabs and no commas. */
function delimiterOf(headText: string): ',' | '\t' {
  const header = headText.split(/\r\n|\n|\r/).find((line) => line.trim() !== '') ?? ''
  return header.includes('\t') && !header.includes(',') ? '\t' : ','
}

/** ="0123" is how people keep Excel from turning a CSV cell into a number; the value is inside. */
function unwrapExcelText(value: string): string {
  const m = /^\s*="(.*)"\s*$/.exec(value)
  return m ? m[1]! : value
}

async function* csvRows(filePath: string, charset: string, delimiter: string): AsyncGenerator<RawRow> {
  const input = createReadStream(filePath)
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    // Keeps one record per line, so the record count is the row number Excel shows.
    skip_empty_lines: false,
    max_record_size: MAX_CSV_RECORD_CHARS,
  })
  // pipeline destroys every stream when one fails or when the consumer stops early.
  const records = pipeline(input, iconv.decodeStream(charset, { stripBOM: true }), parser, () => {})
  let rowNumber = 0
  try {
    for await (const record of records as AsyncIterable<string[]>) {
      rowNumber++
      yield { rowNumber, values: record.map(unwrapExcelText) }
    }
  } catch (error) {
    if (error instanceof CsvError) throw new TableError('not_table', `${error.code} near record ${rowNumber + 1}`)
    throw error
  } finally {
    parser.destroy()
    input.destroy()
  }
}

// --------------------------------------------------------------------------------------------- XLSX

function xlsxSource(filePath: string): RawSource {
  return { format: 'xlsx', rows: xlsxRows(filePath) }
}

/**
 * The first worksheet in the file (sheet1.xml, normally the first tab). exceljs copies a worksheet to
 * a temporary file when it precedes the shared strings in the zip, as Excel's and exceljs's own
 * files do, so memory stays bounded; it deletes each copy only once its iteration has moved past it.
 * So the rest of the workbook is always run through (other sheets' rows included), in the
 * background when the caller stops early: otherwise every import would leave temporary files until
 * the process exits.
 */
async function* xlsxRows(filePath: string): AsyncGenerator<RawRow> {
  const input = createReadStream(filePath)
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache', // needed to tell dates from numbers
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  })
  const sheets = workbook[Symbol.asyncIterator]()
  let rows: AsyncIterator<ExcelJS.Row> | undefined
  let readToEnd = false
  try {
    const first = await sheets.next()
    if (first.done) throw new TableError('not_table', 'no worksheet') // e.g. a .docx
    rows = first.value[Symbol.asyncIterator]()
    for (let row = await rows.next(); !row.done; row = await rows.next()) yield xlsxRow(row.value)
    readToEnd = true
  } catch (error) {
    if (error instanceof TableError) throw error
    // A zip that is not a workbook (or is damaged) fails inside unzipper or the XML parser.
    throw new TableError('not_table', error instanceof Error ? error.message : String(error))
  } finally {
    const rest = drain(rows, sheets).finally(() => input.destroy())
    if (readToEnd) await rest
    else void rest
  }
}

async function drain(
  rows: AsyncIterator<ExcelJS.Row> | undefined,
  sheets: AsyncIterator<ExcelJS.stream.xlsx.WorksheetReader>,
): Promise<void> {
  try {
    if (rows) while (!(await rows.next()).done);
    for (let sheet = await sheets.next(); !sheet.done; sheet = await sheets.next()) {
      const sheetRows = sheet.value[Symbol.asyncIterator]()
      while (!(await sheetRows.next()).done);
    }
  } catch {
    // The file has already been read or refused; a fault in the rest changes nothing.
  }
}

function xlsxRow(row: ExcelJS.Row): RawRow {
  const values: string[] = []
  const formulas = new Set<number>()
  row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
    const { text, formula } = cellText(cell.value)
    values[colNumber - 1] = text
    if (formula) formulas.add(colNumber - 1)
  })
  for (let i = 0; i < values.length; i++) values[i] ??= ''
  return { rowNumber: row.number, values, ...(formulas.size > 0 ? { formulas } : {}) }
}

/**
 * Numbers: integers print without exponent up to 1e21 in JS, which is what we want for IDs typed as
 * numbers (see the module comment). Fractions are rounded to Excel's 15 significant digits so binary
 * noise (0.30000000000000004) does not show.
 */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return ''
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)))
}

function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return ''
  // exceljs builds dates from the serial number in UTC.
  return d.toISOString().slice(0, 10)
}

function cellText(value: unknown): { text: string; formula: boolean } {
  if (value === null || value === undefined) return { text: '', formula: false }
  if (typeof value === 'string') return { text: value, formula: false }
  if (typeof value === 'number') return { text: numberText(value), formula: false }
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE', formula: false }
  if (value instanceof Date) return { text: dateText(value), formula: false }
  if (typeof value !== 'object') return { text: '', formula: false }
  // A shared formula's follower cells arrive as { formula: '', result }, so test for the key.
  if ('formula' in value || 'sharedFormula' in value) {
    return { text: 'result' in value ? cellText(value.result).text : '', formula: true }
  }
  if ('richText' in value && Array.isArray(value.richText)) {
    const parts: unknown[] = value.richText
    return {
      text: parts.map((p) => (typeof p === 'object' && p !== null && 'text' in p ? cellText(p.text).text : '')).join(''),
      formula: false,
    }
  }
  if ('error' in value) return { text: String(value.error), formula: false }
  // Hyperlinks ({ text, hyperlink }), whose text may itself be rich text.
  if ('text' in value) return cellText(value.text)
  return { text: '', formula: false }
}
