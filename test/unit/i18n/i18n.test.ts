import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

import { describe, expect, test } from 'vitest'

import { areas, catalogs, isMessageKey, messagesFor, translate } from '#app/i18n/catalog.server.ts'
import { formatDate, formatHours, htmlLang, translator } from '#app/i18n/index.ts'

const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('message catalog', () => {
  test('each area has the same keys in both languages, none empty, placeholders alike', () => {
    expect(Object.keys(areas.en).sort()).toEqual(Object.keys(areas.zh).sort())
    for (const area of Object.keys(areas.zh) as (keyof typeof areas.zh)[]) {
      const zh: Record<string, string> = areas.zh[area]
      const en: Record<string, string> = areas.en[area]
      expect(Object.keys(en).sort(), area).toEqual(Object.keys(zh).sort())
      for (const [k, v] of Object.entries(zh)) {
        expect(v.trim(), `zh:${k}`).not.toBe('')
        expect(en[k]?.trim(), `en:${k}`).not.toBe('')
        expect(names(en[k] ?? ''), k).toEqual(names(v))
      }
    }
  })

  test('no key is in two areas', () => {
    const seen = new Map<string, string>()
    const twice: string[] = []
    for (const [area, messages] of Object.entries(areas.zh)) {
      for (const k of Object.keys(messages)) {
        if (seen.has(k)) twice.push(`${k}: ${seen.get(k)} and ${area}`)
        seen.set(k, area)
      }
    }
    expect(twice).toEqual([])
    expect(Object.keys(catalogs.zh)).toHaveLength(seen.size)
    expect(Object.keys(catalogs.en).sort()).toEqual(Object.keys(catalogs.zh).sort())
  })

  test('every literal key used in app code exists in the catalog', () => {
    const root = path.resolve(import.meta.dirname, '../../../app')
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
      // Type-checked at the call sites, but zod schemas and domain results carry keys as plain strings.
      for (const m of src.matchAll(/\bt\('([a-zA-Z0-9_.]+)'/g)) if (!isMessageKey(m[1]!)) missing.push(`${path.basename(f)}: ${m[1]}`)
      for (const m of src.matchAll(/'(err\.[a-zA-Z0-9_.]+)'/g)) if (!isMessageKey(m[1]!)) missing.push(`${path.basename(f)}: ${m[1]}`)
    }
    expect(missing).toEqual([])
  })

  test('fills placeholders and sets the html lang', () => {
    expect(translate('zh', 'err.login.locked', { minutes: 15 })).toBe('登录失败次数过多，请 15 分钟后再试。')
    expect(translate('en', 'account.welcome', { name: 'Li' })).toBe('Hello, Li')
    expect(htmlLang('zh')).toBe('zh-CN')
    expect(htmlLang('en')).toBe('en')
  })

  test('a page gets the messages of its language, and a plain string is checked before it is used as a key', () => {
    const t = translator(messagesFor('en'))
    expect(t('nav.home')).toBe('Home')
    expect(t.issue('err.required')).toBe('This field is required')
    expect(t.issue('not a key')).toBe('not a key')
    expect(messagesFor('zh')['nav.home']).toBe('首页')
  })
})

describe('formats', () => {
  test('timestamps in China time, calendar dates as that day', () => {
    // 2025-03-01 17:30 UTC is already 2 March in China.
    const at = '2025-03-01T17:30:00.000Z'
    expect(formatDate('en', at, 'date')).toBe('2 Mar 2025')
    expect(formatDate('zh', at, 'date')).toBe('2025年3月2日')
    expect(formatDate('en', at, 'dateTime')).toBe('2 Mar 2025, 01:30')
    expect(formatDate('en', at, 'time')).toBe('01:30')
    // One date format per language: the numeric style shows the date as the others do.
    expect(formatDate('en', at, 'dateNumeric')).toBe('2 Mar 2025')
    expect(formatDate('zh', at, 'dateNumeric')).toBe('2025年3月2日')
    expect(formatDate('en', '2025-03-01', 'day')).toBe('1 Mar 2025')
    expect(formatDate('en', '2025-03-01', 'dayLong')).toBe('1 March 2025')
    expect(formatDate('zh', '2025-03-01', 'dayLong')).toBe('2025年3月1日')
  })

  test('hours in their shortest exact form', () => {
    expect(formatHours('30.00')).toBe('30')
    expect(formatHours('1.50')).toBe('1.5')
    expect(formatHours('0.25')).toBe('0.25')
  })
})
