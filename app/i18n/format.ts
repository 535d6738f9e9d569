import { type Hours, normalizeHours } from '#app/domain/shared/decimal.ts'

import type { Lang, T } from './messages.ts'

const CHINA = 'Asia/Shanghai'

/**
 * How dates are shown. Timestamps (a moment: `Date` or an ISO string) are shown in China time;
 * calendar dates ('2025-03-01', e.g. a certificate's issue date) are shown as that day, whatever
 * the time zone.
 */
const STYLES = {
  /** 2025年3月1日 / 1 Mar 2025 */
  date: { dateStyle: 'medium', timeZone: CHINA },
  /** One date format per language: the same as `date` (kept as a name for existing callers). */
  dateNumeric: { dateStyle: 'medium', timeZone: CHINA },
  /** 2025年3月1日 14:05 / 1 Mar 2025, 14:05 */
  dateTime: { dateStyle: 'medium', timeStyle: 'short', timeZone: CHINA },
  /** 2025年3月1日 14:05:09 / 1 Mar 2025, 14:05:09 (the audit log) */
  dateTimeSeconds: { dateStyle: 'medium', timeStyle: 'medium', timeZone: CHINA },
  /** 14:05 */
  time: { hour: '2-digit', minute: '2-digit', timeZone: CHINA },
  /** A calendar date: 2025年3月1日 / 1 Mar 2025 */
  day: { dateStyle: 'medium', timeZone: 'UTC' },
  /** A calendar date, long: 2025年3月1日 / 1 March 2025 */
  dayLong: { dateStyle: 'long', timeZone: 'UTC' },
} satisfies Record<string, Intl.DateTimeFormatOptions>

export type DateStyle = keyof typeof STYLES

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(lang: Lang, style: DateStyle): Intl.DateTimeFormat {
  const key = `${lang}:${style}`
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', STYLES[style])
    formatters.set(key, f)
  }
  return f
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/

/** A date or time in the person's language. `value` is a `Date`, an ISO timestamp or, for 'day' and 'dayLong', a calendar date ('2025-03-01'). */
export function formatDate(lang: Lang, value: Date | string, style: DateStyle): string {
  const date = typeof value !== 'string' ? value : CALENDAR_DATE.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value)
  return formatter(lang, style).format(date)
}

/** An hours amount as pages show it: the exact decimal in its shortest form ('30.00' → '30', '1.50' → '1.5'). */
export function formatHours(value: Hours): string {
  return normalizeHours(value)
}

/** A study duration as the course pages show it: "45 秒", "12.5 分钟". */
export function formatStudyTime(seconds: number, t: T): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return t('course.seconds', { seconds: s })
  const minutes = Math.round((s / 60) * 10) / 10
  return t('course.minutes', { minutes })
}

const pluralRules = new Map<Lang, Intl.PluralRules>()

/**
 * The plural form of a count: 'one' or 'other' (the only cardinal forms of English and Chinese).
 * Messages that count come in two keys, `<key>.one` and `<key>.other` (in Chinese, the same text):
 * ``t(`admin.audit.count.${plural(lang, n)}`, { count: n })``.
 */
export function plural(lang: Lang, count: number): 'one' | 'other' {
  let rules = pluralRules.get(lang)
  if (!rules) {
    rules = new Intl.PluralRules(lang === 'zh' ? 'zh-CN' : 'en-GB')
    pluralRules.set(lang, rules)
  }
  return rules.select(count) === 'one' ? 'one' : 'other'
}

const listFormats = new Map<string, Intl.ListFormat>()

/** A list in the person's language: "2023、2024和2025" / "2023, 2024 and 2025" (or "… or …"). */
export function formatList(lang: Lang, items: readonly (string | number)[], type: 'conjunction' | 'disjunction' = 'conjunction'): string {
  const key = `${lang}:${type}`
  let f = listFormats.get(key)
  if (!f) {
    f = new Intl.ListFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { style: 'long', type })
    listFormats.set(key, f)
  }
  return f.format(items.map(String))
}
