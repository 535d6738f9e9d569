import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buffer, text } from 'node:stream/consumers'

import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type ColumnSpec, readTable, type TableEvent } from '#app/domain/imports/table-reader.server.ts'
import { csvWithBom, writeAnnotatedErrors, writeTemplate } from '#app/domain/imports/workbook-writer.server.ts'

const COLUMNS: ColumnSpec[] = [
  { key: 'name', headers: ['姓名'], required: true },
  { key: 'id', headers: ['身份证号码'], required: true },
  { key: 'hours', headers: ['学时'], required: true },
  { key: 'reason', headers: ['错误原因'], required: false },
]
const HEADERS = ['姓名', '身份证号码', '学时']

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xueshi-writer-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function collect(path: string): Promise<TableEvent[]> {
  const events: TableEvent[] = []
  for await (const event of readTable(path, { columns: COLUMNS, maxRows: 100 })) events.push(event)
  return events
}

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item
}

describe('writeTemplate', () => {
  it('writes a template that reads back, with the ID column as text and a notes sheet', async () => {
    const path = join(dir, 'template.xlsx')
    await writeTemplate(createWriteStream(path), {
      sheetName: '培训名单',
      headers: HEADERS,
      notes: ['身份证号码请填写18位。', '学时可以有一位小数。'],
      example: ['张三', '220102198001011234', '8'],
    })

    expect(await collect(path)).toEqual([
      { type: 'header', format: 'xlsx', columns: { name: 0, id: 1, hours: 2 } },
      { type: 'row', rowNumber: 2, cells: { name: '张三', id: '220102198001011234', hours: '8', reason: '' } },
    ])

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(path)
    const sheet = workbook.getWorksheet('培训名单')!
    expect(sheet.getColumn(2).numFmt).toBe('@')
    expect(sheet.getColumn(1).numFmt).toBeUndefined()
    expect(sheet.getCell('B2').numFmt).toBe('@')
    expect(sheet.getCell('A1').font?.bold).toBe(true)
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(22)
    const notes = workbook.getWorksheet('说明')!
    expect(notes.getCell('A1').value).toBe('身份证号码请填写18位。')
    expect(notes.getCell('A2').value).toBe('学时可以有一位小数。')
  })
})

describe('writeAnnotatedErrors', () => {
  it('streams refused rows with their reasons, and they read back', async () => {
    const path = join(dir, 'errors.xlsx')
    await writeAnnotatedErrors(createWriteStream(path), {
      headers: HEADERS,
      reasonHeader: '错误原因',
      rows: from([
        { cells: ['张三', '220102198001011000', '8'], reason: '身份证号码被 Excel 截断' },
        { cells: ['李四', '', '=1+1'], reason: '缺少身份证号码' },
        { cells: ['王五'], reason: '缺少学时' },
      ]),
    })

    expect(await collect(path)).toEqual([
      { type: 'header', format: 'xlsx', columns: { name: 0, id: 1, hours: 2, reason: 3 } },
      { type: 'row', rowNumber: 2, cells: { name: '张三', id: '220102198001011000', hours: '8', reason: '身份证号码被 Excel 截断' } },
      { type: 'row', rowNumber: 3, cells: { name: '李四', id: '', hours: '=1+1', reason: '缺少身份证号码' } },
      { type: 'row', rowNumber: 4, cells: { name: '王五', id: '', hours: '', reason: '缺少学时' } },
    ])

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(path)
    const sheet = workbook.worksheets[0]!
    expect(sheet.getCell('B2').numFmt).toBe('@')
    expect(sheet.getCell('B2').value).toBe('220102198001011000') // a string, not a number
    expect(sheet.getCell('D1').font?.bold).toBe(true)
  })
})

describe('csvWithBom', () => {
  it('starts with a BOM, protects IDs and formulas, and reads back', async () => {
    const bytes = await buffer(
      csvWithBom(
        from([
          ['姓名', '身份证号码', '学时'],
          ['张三', '220102198001011234', '8'],
          ['=HYPERLINK("x")', '22010219800101100X', '-1.5'],
        ]),
      ),
    )
    // (TextDecoder would drop the BOM, hence bytes.)
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    const csv = bytes.subarray(3).toString('utf8')
    expect(csv.startsWith('姓名,身份证号码,学时\r\n')).toBe(true)
    expect(csv).toContain('"=""220102198001011234"""')
    expect(csv).toContain(`"'=HYPERLINK(""x"")",22010219800101100X,-1.5`)

    const path = join(dir, 'export.csv')
    await writeFile(path, bytes)
    const events = await collect(path)
    expect(events[0]).toMatchObject({ encoding: 'utf8-bom' })
    expect(events[1]).toMatchObject({ rowNumber: 2, cells: { name: '张三', id: '220102198001011234', hours: '8' } })
  })

  it('fails the stream when the rows fail', async () => {
    async function* broken(): AsyncGenerator<string[]> {
      yield ['a']
      throw new Error('source failed')
    }
    await expect(text(csvWithBom(broken()))).rejects.toThrow('source failed')
  })
})
