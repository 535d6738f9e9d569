import { describe, expect, it } from 'vitest'

import { classifyIdCell } from '#app/domain/imports/id-cells.ts'
import { normaliseName } from '#app/domain/imports/names.ts'
import { idNumberCheckChar } from '#app/domain/shared/id-number.ts'

const NOW = new Date('2026-11-24T00:00:00Z')
const FIRST17 = '22010219800101123'
const VALID = FIRST17 + idNumberCheckChar(FIRST17)

describe('classifyIdCell', () => {
  it('accepts a valid ID and trims it', () => {
    expect(classifyIdCell(` ${VALID}\t`, NOW)).toMatchObject({ kind: 'ok', value: VALID, id: { value: VALID } })
  })

  it('accepts lower-case x and upper-cases it', () => {
    expect(classifyIdCell('11010519491231002x', NOW)).toMatchObject({ kind: 'ok', value: '11010519491231002X' })
  })

  it('accepts full-width digits and Ｘ', () => {
    expect(classifyIdCell('１１０１０５１９４９１２３１００２Ｘ', NOW)).toMatchObject({ kind: 'ok', value: '11010519491231002X' })
    expect(classifyIdCell('１１０１０５１９４９１２３１００２ｘ', NOW)).toMatchObject({ kind: 'ok', value: '11010519491231002X' })
  })

  it('is empty for blank cells', () => {
    expect(classifyIdCell('', NOW)).toEqual({ kind: 'empty' })
    expect(classifyIdCell(' \u3000 ', NOW)).toEqual({ kind: 'empty' })
  })

  it('spots what Excel shows for an ID typed as a number', () => {
    expect(classifyIdCell('2.20102E+17', NOW)).toEqual({ kind: 'scientific' })
    expect(classifyIdCell('2.20102198001011E+17', NOW)).toEqual({ kind: 'scientific' })
    expect(classifyIdCell('2.20102e17', NOW)).toEqual({ kind: 'scientific' })
  })

  it('spots the 15-significant-digit truncation', () => {
    expect(classifyIdCell('220102198001011000', NOW)).toEqual({ kind: 'truncated' })
    expect(classifyIdCell('220102198001011000.0', NOW)).toEqual({ kind: 'truncated' })
  })

  it('reports a wrong check character as bad_check', () => {
    const wrong = FIRST17 + (idNumberCheckChar(FIRST17) === '1' ? '2' : '1')
    expect(classifyIdCell(wrong, NOW)).toEqual({ kind: 'bad_check' })
  })

  it('reports wrong length, letters, bad dates as invalid_format', () => {
    expect(classifyIdCell(VALID.slice(0, 17), NOW)).toEqual({ kind: 'invalid_format' })
    expect(classifyIdCell(VALID + '1', NOW)).toEqual({ kind: 'invalid_format' })
    expect(classifyIdCell('2201021980010112A4', NOW)).toEqual({ kind: 'invalid_format' })
    expect(classifyIdCell('220102198013011234', NOW)).toEqual({ kind: 'invalid_format' }) // month 13
  })
})

describe('normaliseName', () => {
  it('turns full-width letters half-width', () => {
    expect(normaliseName('ＺＨＡＮＧ　Ｓａｎ')).toBe('ZHANGSan')
  })

  it('removes every kind of space', () => {
    expect(normaliseName(' 张\u3000三 \u00A0')).toBe('张三')
    expect(normaliseName('张\u200B三')).toBe('张三')
  })

  it('unifies middle dots to U+00B7', () => {
    for (const dot of ['\u00B7', '\u2022', '\u30FB', '\uFF65', '\u2027']) {
      expect(normaliseName(`阿依古丽${dot}买买提`)).toBe('阿依古丽\u00B7买买提')
    }
    expect(normaliseName('阿依古丽 · 买买提')).toBe('阿依古丽\u00B7买买提')
  })
})
