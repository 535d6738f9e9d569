import { describe, expect, test } from 'vitest'

import { ceYearOf } from '#app/domain/hours/ledger.server.ts'

describe('CE year in China time (Asia/Shanghai, UTC+8)', () => {
  test.each([
    ['2025-12-31T15:59:59Z', 2025], // 23:59:59 on 31 Dec in Beijing
    ['2025-12-31T16:00:00Z', 2026], // 00:00 on 1 Jan in Beijing, still 31 Dec in UTC
    ['2026-01-01T00:00:00+08:00', 2026],
    ['2025-12-31T23:59:59+08:00', 2025],
    ['2026-06-15T12:00:00Z', 2026],
  ])('%s → %i', (iso, year) => {
    expect(ceYearOf(new Date(iso))).toBe(year)
  })
})
