import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

import { describe, expect, test } from 'vitest'

import { BasesPolicyFileError, basesPolicyOn, loadBasesPolicy } from '#app/domain/policy/bases-policy.server.ts'

const write = (json: unknown) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bases-policy-')), 'bases.json')
  writeFileSync(file, JSON.stringify(json))
  return file
}

describe('bases policy (content/policies/bases.json)', () => {
  test('the shipped file loads: 7 notice days, 3-year term, reminder 14 days ahead, scores add up to 100', () => {
    const file = loadBasesPolicy()
    expect(basesPolicyOn(file, '2026-11-30')).toMatchObject({
      version: 'bases.1',
      noticeDays: 7,
      termYears: 3,
      rectification: { reminderLeadDays: 14 },
    })
  })

  test('the version in force is the latest that started on or before the day', () => {
    const v1 = loadBasesPolicy().versions[0]!
    const file = loadBasesPolicy(write({ versions: [v1, { ...v1, version: 'bases.2', effectiveFrom: '2027-07-01', noticeDays: 10 }] }))
    expect(basesPolicyOn(file, '2027-06-30').version).toBe('bases.1')
    expect(basesPolicyOn(file, '2027-07-01')).toMatchObject({ version: 'bases.2', noticeDays: 10 })
  })

  test('a bad file is refused naming the field', () => {
    const v1 = loadBasesPolicy().versions[0]!
    expect(() => loadBasesPolicy(write({ versions: [{ ...v1, noticeDays: 0 }] }))).toThrow(/versions\.0\.noticeDays/)
    expect(() => loadBasesPolicy(write({ versions: [v1, { ...v1, version: 'bases.2' }] }))).toThrow(/versions\.1\.effectiveFrom/)
    const broken = { ...v1, evaluation: { ...v1.evaluation, indicators: [{ key: 'capacity', max: 50 }] } }
    expect(() => loadBasesPolicy(write({ versions: [broken] }))).toThrow(BasesPolicyFileError)
  })
})
