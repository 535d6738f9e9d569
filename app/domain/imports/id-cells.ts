/**
 * Resident ID numbers (居民身份证号码) as they come out of a spreadsheet cell. Excel stores a typed
 * 18-digit number as a double with 15 significant digits, so an ID entered without the text format
 * shows as 2.20102E+17 and, once saved, has lost its last three digits (…011000). Telling these
 * apart from a mistyped ID lets the import say "format the column as text and retype" instead of
 * "invalid ID". Pure.
 */
import { type ParsedIdNumber, parseIdNumber } from '#app/domain/shared/id-number.ts'

export type IdCell =
  | { kind: 'ok'; value: string; id: ParsedIdNumber }
  | { kind: 'empty' }
  | { kind: 'scientific' }
  | { kind: 'truncated' }
  | { kind: 'invalid_format' }
  | { kind: 'bad_check' }

const SCIENTIFIC = /^[+-]?\d+(\.\d+)?E[+-]?\d+$/
// A number rendered by a tool that prints floats: "220102198001011000.0".
const DECIMAL_ZERO = /^\d+\.0+$/
// 15 significant digits and then the zeros Excel filled in.
const FIFTEEN_THEN_ZEROS = /^\d{15}000$/

/** `now` decides which birth dates are in the past (see parseIdNumber); tests inject it. */
export function classifyIdCell(raw: string, now: Date = new Date()): IdCell {
  // NFKC turns full-width digits and Ｘ into ASCII.
  const value = raw.normalize('NFKC').trim().toUpperCase()
  if (value === '') return { kind: 'empty' }
  if (SCIENTIFIC.test(value)) return { kind: 'scientific' }
  if (DECIMAL_ZERO.test(value)) return { kind: 'truncated' }
  const parsed = parseIdNumber(value, now)
  if (parsed.ok) return { kind: 'ok', value: parsed.id.value, id: parsed.id }
  switch (parsed.problem) {
    case 'checksum':
      // One truncated ID in eleven passes the check by chance; those cannot be told apart.
      return FIFTEEN_THEN_ZEROS.test(value) ? { kind: 'truncated' } : { kind: 'bad_check' }
    case 'empty':
      return { kind: 'empty' }
    case 'format':
    case 'area':
    case 'date':
      return { kind: 'invalid_format' }
  }
}
