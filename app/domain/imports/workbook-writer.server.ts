/**
 * Files we hand back to HR staff: the blank import template, the rows we refused with the reason
 * beside each, and CSV for Excel. ID columns are formatted as text ('@') so that Excel neither shows
 * 2.20102E+17 nor drops the last three digits when the user types or saves.
 */
import { pipeline, Readable, type Writable } from 'node:stream'
import { finished } from 'node:stream/promises'

import { stringify } from 'csv-stringify'
import ExcelJS from 'exceljs'

import { normaliseName } from '#app/domain/imports/names.ts'

const TEXT_FORMAT = '@'
const BOLD = { bold: true } as const

/** Header texts that name an ID-number column (身份证号码, 证件号码, ID number). */
function isIdHeader(header: string): boolean {
  const h = normaliseName(header).toLowerCase()
  return h.includes('身份证') || h.includes('证件号') || /^(id|idnumber|id_number|id_no)\*?$/.test(h)
}

/** Rough Excel column width: CJK characters are two units wide. */
function displayWidth(text: string): number {
  let width = 0
  for (const ch of text) width += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/.test(ch) ? 2 : 1
  return width
}

function columnWidth(header: string, sample: string | undefined, isId: boolean): number {
  const content = Math.max(displayWidth(header), sample === undefined ? 0 : displayWidth(sample))
  return Math.min(60, Math.max(isId ? 22 : 10, content + 2))
}

export type TemplateSpec = {
  sheetName: string
  headers: string[]
  /** One line each on the second sheet, "说明" (instructions). */
  notes: string[]
  /** A sample row under the header, in grey. */
  example?: string[]
  /** 0-based columns formatted as text; by default those whose header names an ID number. */
  textColumns?: number[]
}

/** Writes the template to `out` and ends it. */
export async function writeTemplate(out: Writable, spec: TemplateSpec): Promise<void> {
  const textColumns = new Set(spec.textColumns ?? spec.headers.flatMap((h, i) => (isIdHeader(h) ? [i] : [])))
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet(spec.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] })
  spec.headers.forEach((header, i) => {
    const column = sheet.getColumn(i + 1)
    column.width = columnWidth(header, spec.example?.[i], textColumns.has(i))
    // A column style applies to cells the user types later, which is the point.
    if (textColumns.has(i)) column.numFmt = TEXT_FORMAT
  })
  const headerRow = sheet.addRow(spec.headers)
  headerRow.font = BOLD
  if (spec.example) {
    const exampleRow = sheet.addRow(spec.example)
    exampleRow.font = { italic: true, color: { argb: 'FF808080' } }
    // Row styles override column styles in exceljs, so set the text format on the cells again.
    for (const i of textColumns) exampleRow.getCell(i + 1).numFmt = TEXT_FORMAT
  }
  headerRow.eachCell((cell, col) => {
    if (textColumns.has(col - 1)) cell.numFmt = TEXT_FORMAT
  })

  const notes = workbook.addWorksheet('说明')
  notes.getColumn(1).width = 100
  notes.getColumn(1).alignment = { wrapText: true, vertical: 'top' }
  for (const note of spec.notes) notes.addRow([note])

  // write() pipes the zip into `out`, which ends it; wait until everything is flushed.
  await workbook.xlsx.write(out)
  await finished(out)
}

export type AnnotatedErrorsSpec = {
  headers: string[]
  rows: AsyncIterable<{ cells: string[]; reason: string }>
  /** Header of the added last column, in the user's language (e.g. 错误原因). */
  reasonHeader: string
  sheetName?: string
  /** 0-based columns formatted as text; by default those whose header names an ID number. */
  textColumns?: number[]
}

/**
 * The refused rows as they were uploaded plus a reason column, so the user can fix them in place
 * and upload this file again. Streams: one row in memory at a time.
 */
export async function writeAnnotatedErrors(out: Writable, spec: AnnotatedErrorsSpec): Promise<void> {
  const textColumns = new Set(spec.textColumns ?? spec.headers.flatMap((h, i) => (isIdHeader(h) ? [i] : [])))
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  const sheet = workbook.addWorksheet(spec.sheetName ?? 'Sheet1', { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = [
    ...spec.headers.map((header, i) => ({
      width: columnWidth(header, undefined, textColumns.has(i)),
      ...(textColumns.has(i) ? { style: { numFmt: TEXT_FORMAT } } : {}),
    })),
    { width: 40 },
  ]
  const header = sheet.addRow([...spec.headers, spec.reasonHeader])
  header.font = BOLD
  header.commit()
  const reasonColumn = spec.headers.length + 1
  for await (const { cells, reason } of spec.rows) {
    const row = sheet.addRow([...spec.headers.map((_, i) => cells[i] ?? ''), reason])
    for (const i of textColumns) row.getCell(i + 1).numFmt = TEXT_FORMAT
    row.getCell(reasonColumn).font = { color: { argb: 'FFC00000' } }
    row.commit()
  }
  sheet.commit()
  // Resolves once `out` has finished.
  await workbook.commit()
}

/**
 * Excel reads a CSV as the local code page (GBK on Chinese Windows) unless it starts with a BOM.
 * Cells are made safe to open in Excel: a leading =, +, -, @ (formula injection) gets a "'" in
 * front unless the cell is a plain number, and digit strings of 12 or more characters (IDs, bank
 * accounts) are written as ="…" so Excel keeps them as text; `readTable` unwraps that form.
 */
export function csvWithBom(rows: AsyncIterable<string[]>): Readable {
  async function* lines(): AsyncGenerator<string[]> {
    for await (const row of rows) yield row.map(excelSafe)
  }
  // pipeline, not pipe: a failing source must fail the returned stream instead of stalling it.
  const csv = pipeline(Readable.from(lines()), stringify({ record_delimiter: 'windows' }), () => {})
  async function* withBom(): AsyncGenerator<string | Buffer> {
    yield '\uFEFF'
    for await (const chunk of csv as AsyncIterable<string | Buffer>) yield chunk
  }
  return Readable.from(withBom(), { objectMode: false })
}

function excelSafe(cell: string): string {
  if (/^\d{12,}$/.test(cell)) return `="${cell}"`
  if (/^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+(\.\d+)?$/.test(cell)) return `'${cell}`
  return cell
}
