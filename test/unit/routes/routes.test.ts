import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

import type { RouteConfigEntry } from '@remix-run/route-config'
import { describe, expect, it } from 'vitest'

import routes from '#app/routes.ts'

const root = path.resolve(import.meta.dirname, '../../..')

function urls(entries: RouteConfigEntry[], parent = ''): { url: string; file: string }[] {
  return entries.flatMap((e) => {
    const url = [parent, e.path ?? ''].filter(Boolean).join('/')
    return [{ url: `/${url}`, file: e.file }, ...urls(e.children ?? [], url)]
  })
}

describe('route manifest', () => {
  const all = urls(routes)

  it('serves exactly the checked-in list of URLs (a move never changes a URL)', () => {
    const expected = readFileSync(path.join(root, 'test/fixtures/route-urls.txt'), 'utf8').split('\n').filter(Boolean)
    expect([...new Set(all.map((r) => r.url))].sort()).toEqual(expected)
  })

  it('points every URL at a module that exists, in the folder of its audience', () => {
    const audiences = ['public', 'account', 'courses', 'hours', 'hr', 'base', 'admin', 'api']
    for (const r of all) {
      expect(existsSync(path.join(root, 'app', r.file)), r.file).toBe(true)
      expect(audiences, r.file).toContain(r.file.split('/')[1])
    }
  })

  it('never lists one module twice', () => {
    const files = all.map((r) => r.file)
    expect(new Set(files).size).toBe(files.length)
  })
})
