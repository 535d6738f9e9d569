import regionsFile from '#content/reference/regions.json' with { type: 'json' }
import titlesFile from '#content/reference/titles.json' with { type: 'json' }

/** Reference lists authored in content/reference; pure data, safe in the browser. */
export type Named = { code: string; zh: string; en: string }

export const PROVINCE: Named = regionsFile.province
export const REGIONS: readonly Named[] = regionsFile.regions
export const TITLE_SERIES: readonly Named[] = titlesFile.series
export const TITLE_LEVELS: readonly Named[] = titlesFile.levels

export const REGION_CODES = REGIONS.map((r) => r.code)
/** Codes an HR office may be bound to: one region, or the whole province. */
export const HR_SCOPE_CODES = [PROVINCE.code, ...REGION_CODES]

export function nameOf(list: readonly Named[], code: string | null | undefined, lang: 'zh' | 'en'): string {
  const item = list.find((x) => x.code === code) ?? (code === PROVINCE.code ? PROVINCE : undefined)
  return item ? item[lang] : (code ?? '')
}

export function regionName(code: string | null | undefined, lang: 'zh' | 'en'): string {
  return nameOf(REGIONS, code, lang)
}
