import { describe, expect, test } from 'vitest'

import {
  chinaToday,
  claimedHours,
  cleanFilename,
  evidenceProblem,
  isIsoDate,
  MAX_EVIDENCE_BYTES,
  occurredOnProblem,
  sniffEvidenceType,
} from '#app/domain/claims/external-claims.ts'

describe('external claims: pure rules', () => {
  test('file type comes from the magic bytes only', () => {
    expect(sniffEvidenceType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf')
    expect(sniffEvidenceType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png')
    expect(sniffEvidenceType(Buffer.from([0xff, 0xd8, 0xff, 0xdb]))).toBe('image/jpeg')
    expect(sniffEvidenceType(Buffer.from('%PDF'))).toBeNull()
    expect(sniffEvidenceType(Buffer.from('GIF89a'))).toBeNull()
    expect(sniffEvidenceType(Buffer.from(' %PDF-1.4'))).toBeNull()
    expect(evidenceProblem(null)).toBe('err.evidence.required')
    expect(evidenceProblem(Buffer.alloc(0))).toBe('err.evidence.required')
    expect(evidenceProblem(Buffer.alloc(MAX_EVIDENCE_BYTES + 1))).toBe('err.evidence.tooLarge')
    expect(evidenceProblem(Buffer.from('plain text'))).toBe('err.evidence.type')
    expect(evidenceProblem(Buffer.from('%PDF-1.4'))).toBeNull()
  })

  test('claimed hours = min(units × hoursPerUnit, maxHours), exact', () => {
    expect(claimedHours('2', { hoursPerUnit: '6', maxHours: '24' })).toBe('12')
    expect(claimedHours('10', { hoursPerUnit: '6', maxHours: '24' })).toBe('24')
    expect(claimedHours('1.5', { hoursPerUnit: '3', maxHours: '12' })).toBe('4.5')
    expect(claimedHours('0.1', { hoursPerUnit: '0.7', maxHours: '12' })).toBe('0.07')
    // Finer than a hundredth is rounded down.
    expect(claimedHours('0.5', { hoursPerUnit: '0.75', maxHours: '12' })).toBe('0.37')
  })

  test('dates: not in the future, previous CE year at most when make-up is previous-year-only, a year with a policy', () => {
    const years = new Set([2022, 2023, 2024, 2025, 2026, 2027])
    const rule = { previousYearOnly: true }
    expect(occurredOnProblem('2026-11-25', '2026-11-25', years, rule)).toBeNull()
    expect(occurredOnProblem('2026-11-26', '2026-11-25', years, rule)).toBe('err.claim.future')
    expect(occurredOnProblem('2025-01-01', '2026-11-25', years, rule)).toBeNull()
    expect(occurredOnProblem('2024-12-31', '2026-11-25', years, rule)).toBe('err.claim.tooOld')
    expect(occurredOnProblem('2024-12-31', '2026-11-25', years, { previousYearOnly: false })).toBeNull()
    expect(occurredOnProblem('2021-06-01', '2026-11-25', years, { previousYearOnly: false })).toBe('err.claim.noPolicy')
    expect(isIsoDate('2026-02-29')).toBe(false)
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2024-2-9')).toBe(false)
  })

  test("today is China's calendar date", () => {
    expect(chinaToday(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01')
    expect(chinaToday(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31')
  })

  test('file names are cleaned for storage and headers', () => {
    expect(cleanFilename('C:\\Users\\me\\邀请函.pdf', 'application/pdf')).toBe('邀请函.pdf')
    expect(cleanFilename('../../etc/passwd', 'image/png')).toBe('passwd')
    expect(cleanFilename('a"b\r\nc.png', 'image/png')).toBe('abc.png')
    expect(cleanFilename('   ', 'image/jpeg')).toBe('evidence.jpg')
    expect(cleanFilename(`${'x'.repeat(300)}.pdf`, 'application/pdf')).toHaveLength(120)
  })
})
