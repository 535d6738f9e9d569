import { nameOf, TITLE_SERIES } from '#app/domain/shared/reference.ts'
import type { Lang } from '#app/i18n/index.ts'

/** The series a course is for: a title series' name, or "all series" for general subjects. */
export function seriesLabel(series: string, lang: Lang, all: string): string {
  return series === 'all' ? all : nameOf(TITLE_SERIES, series, lang)
}
