import { describe, expect, test } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { catalogs, htmlLang, translate } from '#app/i18n/index.ts'

describe('message catalog', () => {
  test('both languages have exactly the same keys, none empty', () => {
    expect(Object.keys(catalogs.en).sort()).toEqual(Object.keys(catalogs.zh).sort())
    for (const lang of ['zh', 'en'] as const) {
      for (const [k, v] of Object.entries(catalogs[lang])) expect(v.trim(), `${lang}:${k}`).not.toBe('')
    }
  })

  test('placeholders match between languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const k of Object.keys(catalogs.zh) as (keyof typeof catalogs.zh)[]) {
      expect(names(catalogs.en[k]), k).toEqual(names(catalogs.zh[k]))
    }
  })

  test('every literal key used in app code exists in the catalog', () => {
    const root = path.resolve(import.meta.dirname, '../../app')
    const files: string[] = []
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name)
        if (e.isDirectory()) walk(p)
        else if (/\.(tsx?|ts)$/.test(e.name)) files.push(p)
      }
    }
    walk(root)
    const missing: string[] = []
    for (const f of files) {
      const src = readFileSync(f, 'utf8')
      for (const m of src.matchAll(/\bt\('([a-zA-Z0-9_.]+)'/g)) if (!(m[1]! in catalogs.zh)) missing.push(`${path.basename(f)}: ${m[1]}`)
      for (const m of src.matchAll(/'(err\.[a-zA-Z0-9_.]+)'/g)) if (!(m[1]! in catalogs.zh)) missing.push(`${path.basename(f)}: ${m[1]}`)
    }
    expect(missing).toEqual([])
  })

  test('fills placeholders and sets the html lang', () => {
    expect(translate('zh', 'err.login.locked', { minutes: 15 })).toBe('登录失败次数过多，请 15 分钟后再试。')
    expect(translate('en', 'account.welcome', { name: 'Li' })).toBe('Hello, Li')
    expect(htmlLang('zh')).toBe('zh-CN')
    expect(htmlLang('en')).toBe('en')
  })
})
