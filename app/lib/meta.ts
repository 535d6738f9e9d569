import type { MetaFunction } from '@remix-run/node'
import { translate, type Lang, type MessageKey } from '#app/i18n/index.ts'

/** `<title>` from the catalog, in the language of the request (read from the root loader). */
export function pageTitle(key: MessageKey | null): MetaFunction {
  return ({ matches }) => {
    const root = matches.find((m) => m.id === 'root')?.data as { lang?: Lang } | undefined
    const lang = root?.lang ?? 'zh'
    const site = `${translate(lang, 'app.name')} · ${translate(lang, 'app.fullName')}`
    return [{ title: key ? `${translate(lang, key)} · ${translate(lang, 'app.name')}` : site }]
  }
}
