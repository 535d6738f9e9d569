import { describe, expect, test } from 'vitest'

import { idNumberCheckChar, maskIdNumber, parseCreditCode, parseIdNumber, parseMobile } from '#app/domain/shared/id-number.ts'

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
