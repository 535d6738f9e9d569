import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { addDays } from '#app/domain/bases/lifecycle.ts'
import { commitImport } from '#app/domain/imports/commit.server.ts'
import { createImport, type ImportOwner, requestCommit } from '#app/domain/imports/imports.server.ts'
import { stageImport } from '#app/domain/imports/stage.server.ts'
import { ActivitySchema } from '#app/domain/reports/activities.schema.ts'
import { declareActivity, type Staff } from '#app/domain/reports/activities.server.ts'
import type { DB } from '#app/lib/db.server.ts'

import { tx } from './bases.ts'
import { createBase, createStaff } from './people.ts'

/** A designated base in Changchun (no term: designated on every day) and one of its staff. */
export async function baseWithStaff(db: DB, region = '220100') {
  const baseId = await createBase(db, '测试施教机构', region)
  const staff = await createStaff(db, 'base_staff', { baseId })
  return { baseId, staff, owner: { kind: 'roster', baseId, accountId: staff.accountId } as const satisfies ImportOwner }
}

/** A finished two-day activity (ended a week ago), 12 declared hours, professional. */
export async function declare(db: DB, who: Staff, overrides: Record<string, string> = {}) {
  const today = chinaDay()
  const input = ActivitySchema.parse({
    title: '人工智能与教育教学研修',
    category: 'professional',
    mode: 'face_to_face',
    titleSeries: ['education'],
    startDate: addDays(today, -8),
    endDate: addDays(today, -7),
    fullDays: '2',
    halfDays: '0',
    declaredHours: '12',
    venue: '长春市人民大街 1 号',
    ...overrides,
  })
  const r = await tx(db, (t) => declareActivity(t, who, input))
  if (!r.ok) throw new Error(`factory: ${r.code}`)
  return r.activityId
}

export type RosterLine = [name: string, idNumber: string, hours?: string, employer?: string, mobile?: string]

export function rosterCsv(lines: RosterLine[], encoding: 'utf8' | 'utf8-bom' | 'gbk' = 'utf8'): Buffer {
  const text = ['姓名,身份证号,学时,工作单位,手机号', ...lines.map((l) => l.map((c) => c ?? '').join(','))].join('\r\n') + '\r\n'
  if (encoding === 'gbk') return iconv.encode(text, 'gbk')
  return Buffer.concat([encoding === 'utf8-bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')])
}

/** The same rows as an XLSX workbook; `numericIds` types the IDs as numbers (as Excel mangles them). */
export async function rosterXlsx(lines: RosterLine[], { numericIds = false } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('名单')
  ws.addRow(['姓名', '身份证号', '学时', '工作单位', '手机号'])
  for (const l of lines) ws.addRow([l[0], numericIds ? Number(l[1]) : l[1], l[2] ? Number(l[2]) : null, l[3] ?? null, l[4] ?? null])
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** Upload + stage (what the worker does), returning the import id. */
export async function uploadAndStage(db: DB, owner: ImportOwner, activityId: number | undefined, bytes: Buffer, filename = 'roster.csv') {
  const r = await tx(db, (t) => createImport(t, owner, { activityId, file: { filename, bytes } }))
  if (!r.ok) throw new Error(`factory: ${r.code}`)
  await stageImport(db, r.importId)
  return r.importId
}

/** The uploader commits; the worker's job runs. */
export async function commit(db: DB, owner: ImportOwner, importId: number, mode: 'all' | 'valid_only' = 'all') {
  const r = await tx(db, (t) => requestCommit(t, owner, importId, mode))
  if (!r.ok) throw new Error(`factory: ${r.code}`)
  return commitImport(db, importId)
}
