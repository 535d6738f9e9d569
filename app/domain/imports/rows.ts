/**
 * The row rules of the import engine that need nothing but the row (pure): the ID cell, the name,
 * the hours, formulas; for legacy rows the CE year, category and source. Rules that need the
 * database (the person's recorded name, one row per person, another base on overlapping dates,
 * people HR excluded) run set-based after staging (stage.server.ts). Issue codes are stable: they
 * are stored with the row and worded at the edge (`importIssue.<code>`).
 */
import type { ColumnSpec } from '#app/domain/imports/table-reader.server.ts'
import { isHours, normalizeHours, toCents } from '#app/domain/shared/decimal.ts'
import { parseMobile } from '#app/domain/shared/id-number.ts'

import { classifyIdCell } from './id-cells.ts'
import { normaliseName } from './names.ts'

export type ImportKind = 'roster' | 'legacy'

/** Errors keep a row out of a commit; warnings are shown and committed. */
export const ERROR_ISSUES = [
  'id_empty',
  'id_scientific',
  'id_truncated',
  'id_invalid',
  'id_bad_check',
  'name_empty',
  'name_mismatch',
  'hours_invalid',
  'hours_over_declared',
  'duplicate_person',
  'duplicate_row',
  'formula',
  'year_invalid',
  'category_invalid',
  'source_empty',
] as const
export const WARNING_ISSUES = ['mobile_invalid', 'overlap_other_base', 'excluded_by_dispute', 'corrected_by_hr', 'new_person'] as const
export type ErrorIssue = (typeof ERROR_ISSUES)[number]
export type WarningIssue = (typeof WARNING_ISSUES)[number]
export type Issue = ErrorIssue | WarningIssue
const ERRORS = new Set<string>(ERROR_ISSUES)

export function isErrorIssue(code: string): boolean {
  return ERRORS.has(code)
}

/** The columns each kind reads; header texts are matched after normalising (see table-reader). */
export const COLUMNS: Record<ImportKind, ColumnSpec[]> = {
  roster: [
    { key: 'name', headers: ['姓名', 'name'], required: true },
    { key: 'idNumber', headers: ['身份证号', '身份证号码', '公民身份号码', '证件号码', 'id number', 'idnumber', 'id'], required: true },
    { key: 'hours', headers: ['学时', '学时数', 'hours'], required: false },
    { key: 'employer', headers: ['工作单位', '单位', 'employer'], required: false },
    { key: 'mobile', headers: ['手机号', '手机号码', '手机', 'mobile'], required: false },
  ],
  legacy: [
    { key: 'name', headers: ['姓名', 'name'], required: true },
    { key: 'idNumber', headers: ['身份证号', '身份证号码', '公民身份号码', '证件号码', 'id number', 'idnumber', 'id'], required: true },
    { key: 'ceYear', headers: ['年度', '学时年度', 'ce year', 'year'], required: true },
    { key: 'category', headers: ['科目类别', '类别', 'category'], required: true },
    { key: 'hours', headers: ['学时', '学时数', 'hours'], required: true },
    { key: 'source', headers: ['来源', '学时来源', '培训项目', 'source'], required: true },
  ],
}

/** The template's header row (the first accepted text of each column) per kind. */
export function templateHeaders(kind: ImportKind, lang: 'zh' | 'en'): string[] {
  return COLUMNS[kind].map((c) => (lang === 'zh' ? c.headers[0]! : c.headers.find((h) => /^[a-z ]+$/.test(h))!))
}

export type StagedRow = {
  rowNumber: number
  /** The ID cell as typed (stored encrypted only). */
  idRaw: string
  id: { value: string; gender: 'M' | 'F'; birthDate: string } | null
  name: string
  nameNorm: string
  hours: string | null
  employer: string | null
  mobile: string | null
  ceYear: number | null
  category: 'professional' | 'public' | null
  source: string | null
  issues: Issue[]
}

const ID_ISSUE = {
  empty: 'id_empty',
  scientific: 'id_scientific',
  truncated: 'id_truncated',
  invalid_format: 'id_invalid',
  bad_check: 'id_bad_check',
} as const

function idOf(raw: string, issues: Issue[], now: Date): StagedRow['id'] {
  const cell = classifyIdCell(raw, now)
  if (cell.kind !== 'ok') {
    issues.push(ID_ISSUE[cell.kind])
    return null
  }
  return { value: cell.id.value, gender: cell.id.gender, birthDate: cell.id.birthDate }
}

/** Hours as typed ("4", "4.5", "４", " 4.50 "), or null when not a positive amount with at most 2 places. */
function hoursOf(raw: string): string | null {
  const v = raw.normalize('NFKC').trim()
  return isHours(v) && toCents(v) > 0 ? normalizeHours(v) : null
}

type Cells = Record<string, string>

function common(rowNumber: number, cells: Cells, formula: boolean, now: Date) {
  const issues: Issue[] = []
  if (formula) issues.push('formula')
  const idRaw = cells.idNumber ?? ''
  const id = idOf(idRaw, issues, now)
  const name = (cells.name ?? '').trim()
  const nameNorm = normaliseName(name)
  if (nameNorm === '') issues.push('name_empty')
  return { rowNumber, idRaw, id, name, nameNorm, issues }
}

/**
 * A roster row: hours default to the activity's declared hours and may not exceed them; the
 * category comes from the activity, never from the row.
 */
export function rosterRow(rowNumber: number, cells: Cells, opts: { declaredHours: string; formula?: boolean; now?: Date }): StagedRow {
  const base = common(rowNumber, cells, opts.formula ?? false, opts.now ?? new Date())
  const rawHours = (cells.hours ?? '').trim()
  let hours: string | null = normalizeHours(opts.declaredHours)
  if (rawHours !== '') {
    hours = hoursOf(rawHours)
    if (hours === null) base.issues.push('hours_invalid')
    else if (toCents(hours) > toCents(opts.declaredHours)) base.issues.push('hours_over_declared')
  }
  const rawMobile = (cells.mobile ?? '').trim()
  const mobile = rawMobile === '' ? null : parseMobile(rawMobile.normalize('NFKC'))
  if (rawMobile !== '' && mobile === null) base.issues.push('mobile_invalid')
  const employer = (cells.employer ?? '').trim().slice(0, 200) || null
  return { ...base, hours, employer, mobile, ceYear: null, category: null, source: null }
}

const CATEGORY: Record<string, 'professional' | 'public'> = {
  专业: 'professional',
  专业科目: 'professional',
  专业课: 'professional',
  professional: 'professional',
  公需: 'public',
  公需科目: 'public',
  公需课: 'public',
  public: 'public',
}

/** A legacy row (历史学时): CE year between the policy's earliest year and last year, category, hours, source. */
export function legacyRow(
  rowNumber: number,
  cells: Cells,
  opts: { earliestYear: number; latestYear: number; formula?: boolean; now?: Date },
): StagedRow {
  const base = common(rowNumber, cells, opts.formula ?? false, opts.now ?? new Date())
  const yearText = (cells.ceYear ?? '').normalize('NFKC').trim().replace(/年$/, '')
  const ceYear = /^\d{4}$/.test(yearText) ? Number(yearText) : null
  const yearOk = ceYear !== null && ceYear >= opts.earliestYear && ceYear <= opts.latestYear
  if (!yearOk) base.issues.push('year_invalid')
  const category = CATEGORY[normaliseName(cells.category ?? '').toLowerCase()] ?? null
  if (category === null) base.issues.push('category_invalid')
  const hours = hoursOf(cells.hours ?? '')
  if (hours === null) base.issues.push('hours_invalid')
  const source = (cells.source ?? '').trim().slice(0, 500)
  if (source === '') base.issues.push('source_empty')
  return {
    ...base,
    hours,
    employer: null,
    mobile: null,
    ceYear: yearOk ? ceYear : null,
    category,
    source: source || null,
  }
}

export function statusOf(issues: readonly string[]): 'ok' | 'warning' | 'error' {
  if (issues.some((i) => ERRORS.has(i))) return 'error'
  return issues.length > 0 ? 'warning' : 'ok'
}
