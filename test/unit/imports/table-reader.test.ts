import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'

import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import { classifyIdCell } from '#app/domain/imports/id-cells.ts'
import { type ColumnSpec, readTable, sniffFormat, TableError, type TableEvent } from '#app/domain/imports/table-reader.server.ts'

const COLUMNS: ColumnSpec[] = [
  { key: 'name', headers: ['姓名', 'name'], required: true },
  { key: 'id', headers: ['身份证号码', '身份证号', 'id number'], required: true },
  { key: 'hours', headers: ['学时', 'hours'], required: true },
  { key: 'note', headers: ['备注'], required: false },
]

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xueshi-table-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, content)
  return path
}

async function collect(path: string, maxRows = 100, columns = COLUMNS): Promise<TableEvent[]> {
  const events: TableEvent[] = []
  for await (const event of readTable(path, { columns, maxRows })) events.push(event)
  return events
}

function rows(events: TableEvent[]) {
  return events.flatMap((e) => (e.type === 'row' ? [e] : []))
}

async function errorOf(promise: Promise<unknown>): Promise<TableError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!(error instanceof TableError)) throw new Error(`expected a TableError, got ${String(error)}`)
  return error
}

/** A zip of stored (uncompressed) entries: enough to stand in for a .docx. */
function storedZip(entries: { name: string; data: string }[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name)
    const body = Buffer.from(data)
    const crc = crc32(body)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(body.length, 18)
    local.writeUInt32LE(body.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(body.length, 20)
    central.writeUInt32LE(body.length, 24)
    central.writeUInt16LE(nameBytes.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, nameBytes, body)
    centrals.push(central, nameBytes)
    offset += local.length + nameBytes.length + body.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

describe('sniffFormat', () => {
  it('decides by content, not by extension', () => {
    expect(sniffFormat(Buffer.from('PK\x03\x04rest'), 'roster.csv')).toEqual({ ok: true, format: 'xlsx' })
    expect(sniffFormat(Buffer.from('姓名,学时\n'), 'roster.xlsx')).toEqual({ ok: true, format: 'csv' })
  })

  it('refuses the old .xls format', () => {
    const ole2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])
    expect(sniffFormat(ole2, 'roster.xlsx')).toEqual({ ok: false, code: 'xls_old_format' })
  })

  it('treats an HTML table named .xls as the old format, and as not a table otherwise', () => {
    expect(sniffFormat(Buffer.from('<html><table>'), 'export.xls')).toEqual({ ok: false, code: 'xls_old_format' })
    expect(sniffFormat(Buffer.from('<html><table>'), 'export.csv')).toEqual({ ok: false, code: 'not_table' })
  })

  it.each([
    ['an executable', Buffer.from('MZ\x90\x00\x03')],
    ['a PDF', Buffer.from('%PDF-1.7\n')],
    ['a PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])],
    ['a JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0])],
    ['a GIF', Buffer.from('GIF89a')],
    ['text with a NUL byte', Buffer.from('姓名,学时\n张三\x00,8\n')],
  ])('refuses %s', (_label, head) => {
    expect(sniffFormat(head, 'roster.csv')).toEqual({ ok: false, code: 'not_table' })
  })

  it('reports an empty file', () => {
    expect(sniffFormat(Buffer.alloc(0), 'roster.csv')).toEqual({ ok: false, code: 'empty' })
  })
})

describe('readTable: refusals', () => {
  it('refuses files by content', async () => {
    expect((await errorOf(collect(await file('empty.csv', '')))).code).toBe('empty')
    expect((await errorOf(collect(await file('app.xlsx', Buffer.from('MZ\x90\x00'))))).code).toBe('not_table')
    const ole2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)])
    expect(await errorOf(collect(await file('old.xls', ole2)))).toMatchObject({ code: 'xls_old_format' })
  })

  it('refuses a zip without a worksheet (a .docx) as not_table', async () => {
    const docx = storedZip([
      { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types/>' },
      { name: 'word/document.xml', data: '<?xml version="1.0"?><w:document/>' },
    ])
    expect((await errorOf(collect(await file('letter.xlsx', docx)))).code).toBe('not_table')
  })

  it('refuses a file of only blank lines as no_header', async () => {
    expect((await errorOf(collect(await file('blank.csv', '\n , ,\n\n')))).code).toBe('no_header')
  })

  it('refuses UTF-16 (its NUL bytes make it binary) and text in no known encoding', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('姓名,学时\n', 'utf16le')])
    expect((await errorOf(collect(await file('utf16.csv', utf16)))).code).toBe('not_table')
    const path = await file('odd.csv', Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x81, 0x20, 0x81, 0x20, 0x0a]))
    expect((await errorOf(collect(path))).code).toBe('unknown_encoding')
  })

  it('names the missing required columns', async () => {
    const error = await errorOf(collect(await file('missing.csv', '姓名,备注\n张三,x\n')))
    expect(error.code).toBe('missing_columns')
    expect(error.detail).toBe('身份证号码, 学时')
  })

  it('stops at the (maxRows+1)-th data row', async () => {
    const lines = ['姓名,身份证号码,学时', ...Array.from({ length: 10 }, (_, i) => `人${i},x,${i}`)]
    const path = await file('ten.csv', lines.join('\n'))
    const seen: number[] = []
    const error = await errorOf(
      (async () => {
        for await (const e of readTable(path, { columns: COLUMNS, maxRows: 5 })) if (e.type === 'row') seen.push(e.rowNumber)
      })(),
    )
    expect(error).toMatchObject({ code: 'too_many_rows', detail: '5' })
    expect(seen).toEqual([2, 3, 4, 5, 6])
    expect(await collect(path, 10)).toHaveLength(11)
  })
})

describe('readTable: CSV', () => {
  const text = '\n姓名 ,身份证号码,学时,其他\n张三, 220102198001011234 ,8,a\n\n ,,\n"李,四",="22010219800101100X",4.5\n王五\n'
  const expected = [
    { type: 'row', rowNumber: 3, cells: { name: '张三', id: '220102198001011234', hours: '8', note: '' } },
    { type: 'row', rowNumber: 6, cells: { name: '李,四', id: '22010219800101100X', hours: '4.5', note: '' } },
    { type: 'row', rowNumber: 7, cells: { name: '王五', id: '', hours: '', note: '' } },
  ]

  it('reads UTF-8, skipping blank rows but counting them', async () => {
    const events = await collect(await file('utf8.csv', text))
    expect(events[0]).toEqual({ type: 'header', format: 'csv', encoding: 'utf8', columns: { name: 0, id: 1, hours: 2 } })
    expect(events.slice(1)).toEqual(expected)
  })

  it('reads UTF-8 with BOM', async () => {
    const events = await collect(await file('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])))
    expect(events[0]).toMatchObject({ encoding: 'utf8-bom', columns: { name: 0, id: 1, hours: 2 } })
    expect(events.slice(1)).toEqual(expected)
  })

  it('reads GBK', async () => {
    const events = await collect(await file('gbk.csv', iconv.encode(text, 'gbk')))
    expect(events[0]).toMatchObject({ encoding: 'gb18030' })
    expect(events.slice(1)).toEqual(expected)
  })

  it('reads a GBK file longer than the sample, with a character split at the sample edge', async () => {
    const body = Array.from({ length: 6000 }, (_, i) => `阿依古丽·买买提${i},220102198001011234,8`).join('\r\n')
    const encode = (pad: string) => iconv.encode(`姓名,身份证号码,学时\r\n${pad}${body}\r\n`, 'gbk')
    // Leading spaces of a cell are trimmed: shift the content until the 64 KB sample ends mid-character.
    let bytes = encode('')
    for (let pad = ' '; !iconv.decode(bytes.subarray(0, 64 * 1024), 'gbk').endsWith('\uFFFD'); pad += ' ') bytes = encode(pad)
    const events = await collect(await file('big-gbk.csv', bytes), 10_000)
    expect(events[0]).toMatchObject({ encoding: 'gb18030' })
    const last = rows(events).at(-1)
    expect(rows(events)).toHaveLength(6000)
    expect(last).toMatchObject({ rowNumber: 6001, cells: { name: '阿依古丽·买买提5999' } })
  })

  it('reads tab-delimited text', async () => {
    const events = await collect(await file('tabs.csv', '姓名\t身份证号码\t学时\t备注\n张三\t220102198001011234\t8\t有,逗号\n'))
    expect(rows(events)).toEqual([
      { type: 'row', rowNumber: 2, cells: { name: '张三', id: '220102198001011234', hours: '8', note: '有,逗号' } },
    ])
  })

  it('matches headers after normalisation (full-width, spaces, case, *)', async () => {
    const events = await collect(await file('headers.csv', '*姓　名,ID Number,ＨＯＵＲＳ\nA,B,C\n'))
    expect(events[0]).toMatchObject({ columns: { name: 0, id: 1, hours: 2 } })
  })
})

describe('readTable: XLSX', () => {
  it('reads strings, numbers, dates, rich text, formulas and numeric IDs', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('名单')
    sheet.getRow(1).values = ['姓名', '身份证号码', '学时', '备注']
    sheet.getRow(2).values = ['张三', '220102198001011234', 8, new Date(Date.UTC(2026, 2, 1))]
    sheet.getCell('D2').numFmt = 'yyyy-mm-dd'
    // Row 3 left blank on purpose; row 4 has a blank-looking cell only.
    sheet.getRow(4).values = ['  ']
    // An ID typed into a General cell: Excel keeps 15 significant digits.
    sheet.getRow(5).values = [{ richText: [{ text: '李' }, { text: '四', font: { bold: true } }] }, 2.20102198001011e17, 0.1 + 0.2]
    sheet.getRow(6).values = ['王五', '22010219800101100x', { formula: 'C5*10', result: 3 }]
    sheet.getRow(7).values = ['赵六', { text: '220102198001011234', hyperlink: 'https://example.com' }, 1.5]
    // Another sheet must be ignored.
    workbook.addWorksheet('Other').getRow(1).values = ['nothing']
    const path = join(dir, 'roster.xlsx')
    await workbook.xlsx.writeFile(path)

    const events = await collect(path)
    expect(events[0]).toEqual({ type: 'header', format: 'xlsx', columns: { name: 0, id: 1, hours: 2, note: 3 } })
    expect(rows(events)).toEqual([
      { type: 'row', rowNumber: 2, cells: { name: '张三', id: '220102198001011234', hours: '8', note: '2026-03-01' } },
      { type: 'row', rowNumber: 5, cells: { name: '李四', id: '220102198001011000', hours: '0.3', note: '' } },
      { type: 'row', rowNumber: 6, cells: { name: '王五', id: '22010219800101100x', hours: '3', note: '' }, formula: true },
      { type: 'row', rowNumber: 7, cells: { name: '赵六', id: '220102198001011234', hours: '1.5', note: '' } },
    ])
    const numericId = rows(events)[1]!.cells.id!
    expect(classifyIdCell(numericId).kind).toBe('truncated')
  })

  it('refuses too many rows in a worksheet', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('名单')
    sheet.addRow(['姓名', '身份证号码', '学时'])
    for (let i = 0; i < 10; i++) sheet.addRow([`人${i}`, '220102198001011234', 1])
    const path = join(dir, 'ten.xlsx')
    await workbook.xlsx.writeFile(path)
    expect(await errorOf(collect(path, 5))).toMatchObject({ code: 'too_many_rows', detail: '5' })
    expect(rows(await collect(path, 10))).toHaveLength(10)
  })

  it("leaves none of exceljs's temporary worksheet copies behind, even when stopped early", async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('名单')
    sheet.addRow(['姓名', '身份证号码', '学时'])
    for (let i = 0; i < 50; i++) sheet.addRow([`人${i}`, '220102198001011234', 1])
    workbook.addWorksheet('Sheet2').addRow(['other'])
    const path = join(dir, 'two-sheets.xlsx')
    await workbook.xlsx.writeFile(path)
    // exceljs names them tmp-<pid>-… in the OS temp folder.
    const copies = async () => (await readdir(tmpdir())).filter((name) => name.startsWith(`tmp-${process.pid}-`))

    // (tmp deletes them asynchronously, hence waitFor.)
    expect(rows(await collect(path))).toHaveLength(50)
    await vi.waitFor(async () => expect(await copies()).toEqual([]), { timeout: 5000 })

    for await (const event of readTable(path, { columns: COLUMNS, maxRows: 100 })) if (event.type === 'row') break
    await vi.waitFor(async () => expect(await copies()).toEqual([]), { timeout: 5000 })
  })

  it('reports a worksheet without the required columns', async () => {
    const workbook = new ExcelJS.Workbook()
    workbook.addWorksheet('名单').addRow(['姓名', '电话'])
    const path = join(dir, 'missing.xlsx')
    await workbook.xlsx.writeFile(path)
    expect(await errorOf(collect(path))).toMatchObject({ code: 'missing_columns', detail: '身份证号码, 学时' })
  })

  it('reports an empty worksheet as no_header', async () => {
    const workbook = new ExcelJS.Workbook()
    workbook.addWorksheet('名单')
    const path = join(dir, 'blank.xlsx')
    await workbook.xlsx.writeFile(path)
    expect((await errorOf(collect(path))).code).toBe('no_header')
  })
})
