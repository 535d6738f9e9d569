import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

/**
 * Design invariant 2: only the ledger module writes the ledger. Every other capability calls it
 * inside its own transaction. Tests and benchmarks may write fixtures; migrations create tables.
 */
const root = path.resolve(import.meta.dirname, '../../..')
const LEDGER = 'app/domain/hours/ledger.server.ts'
const TABLE = String.raw`hour_(?:entries|totals)`
const WRITES = [
  // Kysely builders: insertInto('hour_entries'), updateTable('hour_totals as t'), …
  new RegExp(String.raw`\b(?:insertInto|updateTable|deleteFrom|mergeInto|replaceInto)\(\s*['"\`]${TABLE}\b`),
  // raw SQL in sql`…` or strings
  new RegExp(
    String.raw`\b(?:insert\s+into|update|delete\s+from|merge\s+into|truncate(?:\s+table)?|copy)\s+(?:only\s+)?(?:public\.)?"?${TABLE}\b`,
    'i',
  ),
]

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = path.join(dir, name)
    if (statSync(path.join(root, rel)).isDirectory()) return name === 'migrations' || name === 'node_modules' ? [] : sourceFiles(rel)
    return /\.(ts|tsx|js|mjs)$/.test(name) ? [rel] : []
  })
}

export function ledgerWriters(files: string[], read: (f: string) => string): string[] {
  return files.filter((f) => WRITES.some((re) => re.test(read(f))))
}

describe('ledger writers', () => {
  it('only the ledger module writes hour_entries or hour_totals', () => {
    const files = ['app', 'workers', 'db'].flatMap(sourceFiles)
    expect(files.length).toBeGreaterThan(50)
    expect(ledgerWriters(files, (f) => readFileSync(path.join(root, f), 'utf8'))).toEqual([LEDGER])
  })

  it('recognises the forms a write can take', () => {
    const samples: Record<string, string> = {
      a: "trx.insertInto('hour_entries').values(v)",
      b: 'db.updateTable("hour_totals as t").set(x)',
      c: 'sql`INSERT INTO hour_entries (id) values (1)`',
      d: 'sql`update public.hour_totals set counted_hours = 0`',
      e: 'sql`delete from "hour_entries"`',
      f: "db.selectFrom('hour_entries').selectAll()",
      g: 'sql`select * from hour_totals where updated`',
    }
    expect(ledgerWriters(Object.keys(samples), (k) => samples[k]!)).toEqual(['a', 'b', 'c', 'd', 'e'])
  })
})
