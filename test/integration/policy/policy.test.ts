import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { describe, expect, test } from 'vitest'

import { loadPolicyFiles, policiesInForce, PolicyFileError, syncPolicies } from '#app/domain/policy/policy.server.ts'
import { getDb } from '#app/lib/db.server.ts'

const CONTENT = path.resolve(import.meta.dirname, '../../../content/policies')

function tempPolicies(edit: (p: Record<string, any>) => void, year = 2025): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xs-policy-'))
  const body = JSON.parse(readFileSync(path.join(CONTENT, `${year}.json`), 'utf8'))
  edit(body)
  writeFileSync(path.join(dir, `${year}.json`), JSON.stringify(body))
  return dir
}

describe('yearly policy as data', () => {
  test('the shipped policies load, from 2022 on, with the domain defaults', () => {
    const policies = loadPolicyFiles(CONTENT)
    expect(policies[0]!.year).toBe(2022)
    for (const p of policies) {
      expect(p.requirement).toEqual({ total: '90', professional: '60', public: '30' })
      expect(p.conversion.onlineMinutesPerHour).toBe(45)
      expect(p.titleCheck.lookBackYears).toBe(5)
    }
  })

  test('the template database holds every shipped version; loading again adds nothing', async () => {
    const inForce = await policiesInForce(getDb())
    expect([...inForce.keys()]).toEqual(loadPolicyFiles(CONTENT).map((p) => p.year))
    expect(await syncPolicies(getDb(), loadPolicyFiles(CONTENT))).toEqual([])
  })

  test('a new version is added and becomes the one in force; the old one stays for the record', async () => {
    const dir = tempPolicies((p) => {
      p.version = '2025.2'
      p.requirement.total = '96'
    })
    expect(await syncPolicies(getDb(), loadPolicyFiles(dir))).toEqual(['2025.2'])
    expect((await policiesInForce(getDb())).get(2025)?.requirement.total).toBe('96')
    const versions = await getDb().selectFrom('policies').select('version').where('year', '=', 2025).orderBy('version').execute()
    expect(versions.map((v) => v.version)).toEqual(['2025.1', '2025.2'])
    await getDb().deleteFrom('policies').where('version', '=', '2025.2').execute()
  })

  test('changing a published version without bumping it is refused', async () => {
    const dir = tempPolicies((p) => {
      p.requirement.total = '100'
    })
    await expect(syncPolicies(getDb(), loadPolicyFiles(dir))).rejects.toThrow(/2025\.1 was changed after it was loaded/)
  })

  test.each([
    [(p: any) => (p.requirement.total = 90), /2025\.json: requirement\.total/],
    [(p: any) => (p.requirement.professional = '1.234'), /requirement\.professional: must be an hours value/],
    [(p: any) => (p.version = 'v1'), /version: must look like "2026\.1"/],
    [(p: any) => delete p.titleCheck, /titleCheck/],
    [(p: any) => (p.year = 2024), /year 2024 does not match the file name/],
    [(p: any) => (p.requirement.professional = '70'), /exceeds requirement\.total/],
  ])('a bad file is refused naming the file and field (%#)', (edit, message) => {
    const dir = tempPolicies(edit)
    expect(() => loadPolicyFiles(dir)).toThrow(PolicyFileError)
    expect(() => loadPolicyFiles(dir)).toThrow(message)
  })

  test('invalid JSON is refused naming the file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xs-policy-'))
    writeFileSync(path.join(dir, '2025.json'), '{ "year": 2025,')
    expect(() => loadPolicyFiles(dir)).toThrow(/2025\.json: not valid JSON/)
  })
})
