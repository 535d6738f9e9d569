import type { SubmissionResult } from '@conform-to/react'

import { nameOf, regionName, TITLE_LEVELS, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import type { Lang, MessageKey, T } from '#app/i18n/index.ts'

/** A stored filter as query-string pairs (filterToParams), for the campaign pages. */
export type FilterParams = Record<string, string>

/** "2026 年度 · 未达标 · 长春市 · 某单位 · 工程 · 中级": who a campaign is for, in the reader's language. */
export function filterSummary(f: FilterParams, t: T, lang: Lang, employerName?: string | null): string {
  const parts = [t('complianceCampaigns.filter.yearValue', { year: f.year ?? '' })]
  parts.push(t(`complianceCampaigns.status.${f.status ?? 'short'}` as MessageKey))
  parts.push(f.region ? regionName(f.region, lang) : t('complianceCampaigns.filter.wholeScope'))
  if (f.employer) parts.push(employerName ?? t('complianceCampaigns.filter.employerId', { id: f.employer }))
  if (f.series) parts.push(nameOf(TITLE_SERIES, f.series, lang))
  if (f.level) parts.push(nameOf(TITLE_LEVELS, f.level, lang))
  if (f.integrity === 'in_force') parts.push(t('complianceCampaigns.filter.integrityInForce'))
  return parts.join(' · ')
}

/**
 * The filter schema's messages are codes (`bad_year`, filter.ts); this area's own messages are
 * already keys. Rewrites a form answer's errors into catalog keys.
 */
export function withCatalogKeys(result: SubmissionResult): SubmissionResult {
  if (!result.error) return result
  const error: Record<string, string[] | null> = {}
  for (const [field, messages] of Object.entries(result.error))
    error[field] = messages?.map((m) => (m.startsWith('complianceCampaigns.') ? m : `complianceCampaigns.err.${m}`)) ?? null
  return { ...result, error }
}
