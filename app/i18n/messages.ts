/** Languages, message keys and filling placeholders: no React, no catalog (scripts and the server use these too). */
import type account from './zh/account.ts'
import type admin from './zh/admin.ts'
import type base from './zh/base.ts'
import type common from './zh/common.ts'
import type compliance from './zh/compliance.ts'
import type complianceCampaigns from './zh/compliance-campaigns.ts'
import type complianceExports from './zh/compliance-exports.ts'
import type courses from './zh/courses.ts'
import type employers from './zh/employers.ts'
import type forms from './zh/forms.ts'
import type hours from './zh/hours.ts'
import type hr from './zh/hr.ts'
import type integrity from './zh/integrity.ts'
import type integrityHr from './zh/integrity-hr.ts'
import type integrityMine from './zh/integrity-mine.ts'
import type members from './zh/members.ts'
import type publicPages from './zh/public.ts'
import type reports from './zh/reports.ts'
import type reviews from './zh/reviews.ts'
import type seminarApproval from './zh/seminar-approval.ts'
import type seminarHost from './zh/seminar-host.ts'
import type seminarResults from './zh/seminar-results.ts'
import type seminarSurvey from './zh/seminar-survey.ts'
import type seminars from './zh/seminars.ts'

export const LANGS = ['zh', 'en'] as const
export type Lang = (typeof LANGS)[number]

export function isLang(v: unknown): v is Lang {
  return v === 'zh' || v === 'en'
}

export function htmlLang(lang: Lang): string {
  return lang === 'zh' ? 'zh-CN' : 'en'
}

export type MessageKey = keyof (typeof common &
  typeof forms &
  typeof publicPages &
  typeof account &
  typeof courses &
  typeof hours &
  typeof hr &
  typeof base &
  typeof members &
  typeof reports &
  typeof reviews &
  typeof seminars &
  typeof seminarApproval &
  typeof seminarResults &
  typeof seminarHost &
  typeof seminarSurvey &
  typeof integrity &
  typeof integrityMine &
  typeof employers &
  typeof complianceExports &
  typeof complianceCampaigns &
  typeof compliance &
  typeof integrityHr &
  typeof admin)
export type Messages = Record<MessageKey, string>
export type Params = Record<string, string | number>

/** Fills `{name}` placeholders; a placeholder without a value stays as it is. */
export function fill(template: string, params?: Params): string {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
}

/** A translator bound to one language's messages. */
export type T = {
  (key: MessageKey, params?: Params): string
  /**
   * The text of a message key that arrives as a plain string (a zod issue's message, a code in
   * an action's result): checked against the catalog, so a string that is no key shows as it is.
   */
  issue(message: string, params?: Params): string
}

function hasKey(messages: Partial<Messages>, key: string): key is MessageKey {
  return Object.hasOwn(messages, key)
}

export function translator(messages: Partial<Messages>): T {
  const t = (key: MessageKey, params?: Params) => fill(messages[key] ?? key, params)
  return Object.assign(t, {
    issue: (message: string, params?: Params) => (hasKey(messages, message) ? t(message, params) : fill(message, params)),
  })
}
