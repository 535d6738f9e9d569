import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { describe, expect, test } from 'vitest'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { addDays } from '#app/domain/bases/lifecycle.ts'
import { seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import { importPlan, PLAN_COLUMNS, PLAN_MAX_BYTES, PLAN_MAX_ROWS } from '#app/domain/seminars/plan-import.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { createBase, createStaff } from '#test/factories/people.ts'
import { quotasOf } from '#test/factories/seminars.ts'

const db = () => getDb()
const today = chinaDay()
const at = (n: number) => addDays(today, n)

const ZH = PLAN_COLUMNS.map((c) => c.headers[0])
const EN = PLAN_COLUMNS.map((c) => c.headers[1])

/** One plan row in template order; `over` replaces cells by column key. */
function row(host: string, over: Partial<Record<(typeof PLAN_COLUMNS)[number]['key'], string>> = {}): string[] {
  const cells: Record<string, string> = {
    level: '国家级',
    host,
    title: '数字经济高级研修班',
    category: '专业科目',
    series: '工程技术',
    startDate: at(60),
    endDate: at(62),
    fullDays: '3',
    halfDays: '0',
    hours: '18',
    venue: '长春市人民大街 1 号',
    capacity: '70',
    quotas: '22:20;11:5',
    releaseOn: at(30),
    opensOn: at(10),
    closesOn: at(40),
    cancelUntil: at(50),
    waitlist: '自动递补',
    approval: '否',
    eligLevels: '',
    eligSeries: '',
    eligRegions: '',
    ...over,
  }
  return PLAN_COLUMNS.map((c) => cells[c.key] ?? '')
}

const csv = (rows: string[][]) =>
  rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n')

async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('plan')
  for (const r of rows) ws.addRow(r)
  return Buffer.from(await wb.xlsx.writeBuffer())
}

async function setup() {
  const name = `长春继续教育基地${Date.now()}`
  const baseId = await createBase(db(), name)
  const admin = await createStaff(db(), 'admin')
  return { name, baseId, admin: { accountId: admin.accountId } }
}

const seminarCount = async () =>
  Number(
    (
      await db()
        .selectFrom('seminars')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('importing the seminar plan', () => {
  test('a good GBK CSV creates every row as a draft, with its quotas, blocks and approval', async () => {
    const { name, admin } = await setup()
    const text = csv([
      ZH,
      row(name),
      row(name, {
        level: '省级',
        title: '乡村振兴专题研修班',
        category: '公需科目',
        series: 'engineering；卫生技术',
        quotas: '220100:10',
        capacity: '40',
        fullDays: '1',
        halfDays: '1',
        hours: '9',
        startDate: at(70),
        endDate: at(71),
        cancelUntil: at(60),
        waitlist: '限时确认',
        approval: '是',
        eligLevels: '中级;副高级',
        eligRegions: '长春市',
      }),
    ])
    const bytes = iconv.encode(text, 'gbk')
    expect(bytes.includes(Buffer.from('国家级', 'utf8'))).toBe(false) // really GBK, not UTF-8
    const r = await importPlan(db(), admin, { filename: 'plan.csv', bytes }, { today })
    expect(r).toMatchObject({ ok: true })
    if (!r.ok) return
    expect(r.seminarIds).toHaveLength(2)
    const [national, provincial] = r.seminarIds as [number, number]
    const rows = await db().selectFrom('seminars').selectAll().where('id', 'in', r.seminarIds).orderBy('id').execute()
    expect(rows.map((s) => [s.status, s.level, s.category, s.approval_required, s.waitlist_mode])).toEqual([
      ['draft', 'national', 'professional', false, 'auto'],
      ['draft', 'provincial', 'public', true, 'offer'],
    ])
    expect(rows[1]!.title_series).toEqual(['engineering', 'health'])
    expect(rows[1]!.eligibility).toEqual({ levels: ['intermediate', 'associate_senior'], regions: ['220100'] })
    expect(rows[1]!.offer_hours).toBe(seminarPolicyOn(at(70)).defaultOfferHours)
    expect(await quotasOf(db(), national)).toEqual({
      open: { size: 45, taken: 0 },
      'province:22': { size: 20, taken: 0 },
      'province:11': { size: 5, taken: 0 },
    })
    expect(await quotasOf(db(), provincial)).toEqual({ open: { size: 30, taken: 0 }, 'region:220100': { size: 10, taken: 0 } })
    const blocks = async (id: number) =>
      (await db().selectFrom('seminar_blocks').select('id').where('seminar_id', '=', id).execute()).length
    expect(await blocks(national)).toBe(6) // 3 full days, a morning and an afternoon each
    expect(await blocks(provincial)).toBe(3) // a full day and a half day
  })

  test('a good XLSX with English headers and the host by number works too', async () => {
    const { baseId, admin } = await setup()
    const bytes = await xlsx([EN, row(String(baseId), { level: 'national', category: 'professional', waitlist: 'offer', approval: 'no' })])
    const r = await importPlan(db(), admin, { filename: 'plan.xlsx', bytes }, { today })
    expect(r).toMatchObject({ ok: true })
    if (!r.ok) return
    const s = await db().selectFrom('seminars').selectAll().where('id', '=', r.seminarIds[0]!).executeTakeFirstOrThrow()
    expect(s).toMatchObject({ status: 'draft', host_base_id: baseId, waitlist_mode: 'offer', capacity: 70 })
    expect(Object.keys(await quotasOf(db(), s.id)).sort()).toEqual(['open', 'province:11', 'province:22'])
  })

  test('one bad row: nothing is created, and every problem names its row and column', async () => {
    const { name, admin } = await setup()
    const before = await seminarCount()
    const text = csv([
      ZH,
      row(name),
      row(name, { startDate: '2026-02-30', title: '' }),
      row('没有这个基地', { quotas: '22=20' }),
      row(name, { capacity: '20', quotas: '22:15;11:10' }),
    ])
    const r = await importPlan(db(), admin, { filename: 'plan.csv', bytes: Buffer.from(text, 'utf8') }, { today })
    expect(r).toMatchObject({ ok: false, code: 'rows_invalid' })
    if (r.ok) return
    const problems = (r.problems ?? []).map((p) => [p.row, p.column, p.message])
    expect(problems).toEqual(
      expect.arrayContaining([
        [3, 'startDate', 'reportCode.bad_date'],
        [3, 'title', 'err.required'],
        [4, 'host', 'seminarImport.err.base_unknown'],
        [4, 'quotas', 'seminarImport.err.quota_format'],
        [5, 'capacity', 'seminarsAdmin.code.quotas_over_capacity'],
      ]),
    )
    expect(problems.some(([rowNumber]) => rowNumber === 2)).toBe(false)
    // Row 2 was fine and was created inside the transaction, then rolled back with the rest.
    expect(await seminarCount()).toBe(before)
  })

  test('too many rows, or a file too large, is refused before anything is created', async () => {
    const { name, admin } = await setup()
    const before = await seminarCount()
    const many = csv([ZH, ...Array.from({ length: PLAN_MAX_ROWS + 1 }, () => row(name))])
    expect(await importPlan(db(), admin, { filename: 'plan.csv', bytes: Buffer.from(many, 'utf8') }, { today })).toMatchObject({
      ok: false,
      code: 'too_many_rows',
      limit: PLAN_MAX_ROWS,
    })
    const big = Buffer.concat([Buffer.from(csv([ZH, row(name)]), 'utf8'), Buffer.alloc(PLAN_MAX_BYTES, 0x20)])
    expect(await importPlan(db(), admin, { filename: 'plan.csv', bytes: big }, { today })).toMatchObject({
      ok: false,
      code: 'file_too_large',
    })
    const missing = csv([ZH.slice(1), row(name).slice(1)])
    expect(await importPlan(db(), admin, { filename: 'plan.csv', bytes: Buffer.from(missing, 'utf8') }, { today })).toMatchObject({
      ok: false,
      code: 'missing_columns',
    })
    expect(await seminarCount()).toBe(before)
  })
})
