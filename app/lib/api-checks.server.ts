import type { ItemError } from '#app/domain/credit-checks.server.ts'
import { apiError } from './api.server.ts'

const ID_PROBLEMS: Record<string, string> = {
  empty: '身份证号码为空 / ID number is empty',
  format: '身份证号码格式不正确：应为18位，前17位为数字，末位为数字或X / Format: 18 characters, 17 digits then a digit or X',
  date: '身份证号码中的出生日期不是有效的过去日期 / The birth date is not a real past date',
  checksum: '身份证号码校验位不正确 / Wrong check character',
}

/** The HTTP form of a per-applicant error: status, code and message. */
export function itemErrorBody(e: ItemError): { status: number; code: string; message: string; details?: Record<string, unknown> } {
  switch (e.code) {
    case 'invalid_id_number':
      return { status: 400, code: e.code, message: ID_PROBLEMS[e.problem] ?? e.problem, details: { field: 'idNumber', problem: e.problem } }
    case 'application_year_out_of_range':
      return { status: 422, code: e.code, message: `申报年度须在 ${e.min}–${e.max} 之间 / applicationYear must be ${e.min}–${e.max}`, details: { field: 'applicationYear', min: e.min, max: e.max } }
    case 'forbidden':
      return { status: 403, code: e.code, message: '该人员不在此 API 密钥的管辖范围内 / This person is outside the key’s scope' }
  }
}

export function itemErrorResponse(e: ItemError): Response {
  const b = itemErrorBody(e)
  return apiError(b.status, b.code as never, b.message, b.details)
}

export function zodDetails(issues: { path: (string | number)[]; message: string }[]) {
  return { issues: issues.map((i) => ({ path: i.path.join('.'), message: i.message })) }
}
