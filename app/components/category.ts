import type { T } from '#app/i18n/index.ts'
import type { Category } from '#db/schema.ts'

/** 专业科目 / 公需科目 as the hours pages name them. */
export function categoryLabel(category: Category, t: T): string {
  return category === 'professional' ? t('hours.professional') : t('hours.public')
}

/** The two categories as options of a form's select. */
export function categoryOptions(t: T): { value: Category; label: string }[] {
  return (['professional', 'public'] as const).map((value) => ({ value, label: categoryLabel(value, t) }))
}
