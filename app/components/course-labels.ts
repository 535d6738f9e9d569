import { nameOf, TITLE_SERIES } from '#app/domain/reference.ts'
import type { Lang } from '#app/lib/i18n.ts'

/** The series a course is for: a title series' name, or "all series" for general subjects. */
export function seriesLabel(series: string, lang: Lang, all: string): string {
  return series === 'all' ? all : nameOf(TITLE_SERIES, series, lang)
}
