import { describe, expect, test } from 'vitest'

import { idNumberField } from '#app/domain/identity/accounts.schema.ts'
import { idNumberCheckChar, maskIdNumber, parseCreditCode, parseIdNumber, parseMobile } from '#app/domain/shared/id-number.ts'
import { translate } from '#app/i18n/catalog.server.ts'

const TODAY = new Date('2026-11-24T00:00:00Z')

describe('resident ID number (GB 11643-1999)', () => {
  test.each(['11010519491231002X', '440524188001010014', '220381198802145677', '222401197512128917'])('accepts %s', (id) => {
    const r = parseIdNumber(id, TODAY)
    expect(r).toMatchObject({ ok: true, id: { value: id } })
  })

  test('accepts lower-case x and stores it upper-case', () => {
    const r = parseIdNumber(' 11010519491231002x ', TODAY)
    expect(r.ok && r.id.value).toBe('11010519491231002X')
  })

  test('derives birth date and gender (17th digit odd = male)', () => {
    const r = parseIdNumber('440524188001010014', TODAY)
    expect(r.ok && r.id).toMatchObject({ birthDate: '1880-01-01', gender: 'M', areaCode: '440524' })
    const f = parseIdNumber('11010519491231002X', TODAY)
    expect(f.ok && f.id.gender).toBe('F')
  })

  test.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['1101051949123100', 'format'],
    ['11010519491231002XX', 'format'],
    ['1101051949123100XX', 'format'],
    ['A1010519491231002X', 'format'],
    ['11010519491231002Y', 'format'],
    ['１１０１０５１９４９１２３１００２X', 'format'],
    ['110105194902300021', 'date'], // 30 February
    ['110105194913010021', 'date'], // month 13
    ['110105194912000021', 'date'], // day 0
    ['110105179912310021', 'date'], // before 1800
    ['110105202611240021', 'date'], // today is not a past date
    ['110105203001010021', 'date'], // future
    ['110105194912310021', 'checksum'],
    ['440524188001010015', 'checksum'],
  ])('refuses %j as %s', (id, problem) => {
    expect(parseIdNumber(id, TODAY)).toEqual({ ok: false, problem })
  })

  /** A valid ID number (right check character) for an area and birth date. */
  const withCheck = (area: string, birth: string, serial = '001') => {
    const first17 = `${area}${birth}${serial}`
    return first17 + idNumberCheckChar(first17)
  }

  test.each(['11', '15', '21', '22', '23', '31', '37', '41', '46', '50', '54', '61', '65', '71', '81', '82'])(
    'province code %s (GB/T 2260) is accepted',
    (province) => {
      expect(parseIdNumber(withCheck(`${province}0102`, '19800101'), TODAY).ok).toBe(true)
    },
  )

  test.each(['00', '10', '16', '19', '20', '24', '30', '38', '40', '47', '49', '55', '60', '66', '70', '72', '80', '83', '90', '99'])(
    'province code %s is refused as area, even with the right check character',
    (province) => {
      expect(parseIdNumber(withCheck(`${province}0102`, '19800101'), TODAY)).toEqual({ ok: false, problem: 'area' })
    },
  )

  test('"today" is the date in China: born on the China date, refused all that day, from 00:00 China time (16:00 UTC the day before)', () => {
    const bornToday = withCheck('220102', '20261124')
    const bornYesterday = withCheck('220102', '20261123')
    // 2026-11-24 00:30 in China is still 2026-11-23 in UTC
    const chinaMidnight = new Date('2026-11-23T16:30:00Z')
    expect(parseIdNumber(bornToday, chinaMidnight)).toEqual({ ok: false, problem: 'date' })
    expect(parseIdNumber(bornYesterday, chinaMidnight).ok).toBe(true)
    // 2026-11-24 07:59 in China: yesterday's birth is past (UTC would still call it today)
    expect(parseIdNumber(bornYesterday, new Date('2026-11-23T23:59:00Z')).ok).toBe(true)
    // 2026-11-23 23:59 in China: born on the 23rd is still today
    expect(parseIdNumber(bornYesterday, new Date('2026-11-23T15:59:00Z'))).toEqual({ ok: false, problem: 'date' })
  })

  test('every wrong check character is caught', () => {
    const first17 = '22038119880214567'
    const right = idNumberCheckChar(first17)
    for (const c of '0123456789X') {
      expect(parseIdNumber(first17 + c, TODAY).ok).toBe(c === right)
    }
  })

  test('masks as 6 + 8 asterisks + 4', () => {
    expect(maskIdNumber('220381198802145677')).toBe('220381********5677')
  })
})

describe('unified social credit code (GB 32100-2015)', () => {
  test.each(['91350100M000100Y43', '12220000MB1234567B', '52220100MJ0012345X'])('accepts %s', (code) => {
    expect(parseCreditCode(code)).toEqual({ ok: true, value: code })
  })
  test('accepts lower case', () => {
    expect(parseCreditCode('91350100m000100y43')).toEqual({ ok: true, value: '91350100M000100Y43' })
  })
  test.each([
    ['', 'empty'],
    ['91350100M000100Y4', 'format'],
    ['91350100M000100YI3', 'format'], // I is not in the alphabet
    ['91350100M000100Y44', 'checksum'],
  ])('refuses %j as %s', (code, problem) => {
    expect(parseCreditCode(code)).toEqual({ ok: false, problem })
  })
})

describe('mobile numbers', () => {
  test.each([
    ['13900000001', '13900000001'],
    ['139 0000 0001', '13900000001'],
    ['12900000001', null],
    ['1390000000', null],
    ['+8613900000001', null],
  ])('%j → %j', (input, out) => {
    expect(parseMobile(input)).toBe(out)
  })
})

describe('the area problem reaches people in their language', () => {
  test('form fields report err.idNumber.area, worded in both catalogs', () => {
    const first17 = '99010219800101123'
    const r = idNumberField.safeParse(first17 + idNumberCheckChar(first17))
    expect(r.success).toBe(false)
    expect(r.error?.issues.map((i) => i.message)).toEqual(['err.idNumber.area'])
    expect(translate('zh', 'err.idNumber.area')).toMatch(/省级行政区划代码/)
    expect(translate('en', 'err.idNumber.area')).toMatch(/province code/)
  })
})
