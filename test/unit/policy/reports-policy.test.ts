import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

import { describe, expect, test } from 'vitest'

import { loadReportsPolicy, reportsPolicyFile, ReportsPolicyFileError, reportsPolicyOn } from '#app/domain/policy/reports-policy.server.ts'

const write = (json: unknown) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'reports-policy-')), 'reports.json')
  writeFileSync(file, JSON.stringify(json))
  return file
}
const v1 = () => loadReportsPolicy().versions[0]!

describe('reports policy (content/policies/reports.json)', () => {
  test('the shipped file parses: due 10 working days after, 6 h a full day, 3 h a half day', () => {
    expect(reportsPolicyOn('2026-11-30')).toEqual({
      version: 'reports.1',
      effectiveFrom: '2022-01-01',
      reportDeadlineWorkingDays: 10,
      hoursPerDay: { full: 6, half: 3 },
      roster: { maxRows: 200000, maxFileBytes: 20971520 },
      disputeWindowDays: 180,
      legacy: { earliestYear: 2000 },
    })
    // Read once per process.
    expect(reportsPolicyFile()).toBe(reportsPolicyFile())
  })

  test('the version in force is the latest that started on or before the day; none before the first', () => {
    const file = loadReportsPolicy(write({ versions: [v1(), { ...v1(), version: 'reports.2', effectiveFrom: '2027-01-01' }] }))
    expect(reportsPolicyOn('2026-12-31', file).version).toBe('reports.1')
    expect(reportsPolicyOn('2027-01-01', file).version).toBe('reports.2')
    expect(reportsPolicyOn('2022-01-01', file).version).toBe('reports.1')
    expect(() => reportsPolicyOn('2021-12-31', file)).toThrow(/no training-report policy in force on 2021-12-31/)
    expect(() => reportsPolicyOn('2026-1-5', file)).toThrow(RangeError)
  })

  test('the per-day limits come from the data, not the code', () => {
    const file = loadReportsPolicy(
      write({ versions: [v1(), { ...v1(), version: 'reports.2', effectiveFrom: '2027-01-01', hoursPerDay: { full: 8, half: 4 } }] }),
    )
    expect(reportsPolicyOn('2026-06-30', file).hoursPerDay).toEqual({ full: 6, half: 3 })
    expect(reportsPolicyOn('2027-06-30', file).hoursPerDay).toEqual({ full: 8, half: 4 })
  })

  test('an out-of-order or duplicate file is refused naming the field', () => {
    const later = { ...v1(), version: 'reports.2', effectiveFrom: '2021-01-01' }
    expect(() => loadReportsPolicy(write({ versions: [v1(), later] }))).toThrow(
      /versions\.1\.effectiveFrom: versions must be in increasing/,
    )
    const same = { ...v1(), effectiveFrom: '2027-01-01' }
    expect(() => loadReportsPolicy(write({ versions: [v1(), same] }))).toThrow(/versions\.1\.version: duplicate version/)
  })

  test('a bad field, an unknown field or a bad file is refused', () => {
    expect(() => loadReportsPolicy(write({ versions: [{ ...v1(), hoursPerDay: { full: 3, half: 6 } }] }))).toThrow(
      /versions\.0\.hoursPerDay\.half/,
    )
    expect(() => loadReportsPolicy(write({ versions: [{ ...v1(), reportDeadlineWorkingDays: 0 }] }))).toThrow(
      /versions\.0\.reportDeadlineWorkingDays/,
    )
    expect(() => loadReportsPolicy(write({ versions: [{ ...v1(), deadlineDays: 10 }] }))).toThrow(ReportsPolicyFileError)
    expect(() => loadReportsPolicy(write({ versions: [] }))).toThrow(/versions/)
    const notJson = path.join(mkdtempSync(path.join(tmpdir(), 'reports-policy-')), 'reports.json')
    writeFileSync(notJson, '{ nope')
    expect(() => loadReportsPolicy(notJson)).toThrow(/not valid JSON/)
  })
})
