/**
 * Every user-visible string, in Simplified Chinese (default) and English, lives in one file per
 * area and language: `zh/<area>.ts`, and `en/<area>.ts`, which the type system checks against
 * the Chinese keys of its area. `{name}` placeholders are filled when a message is translated.
 *
 * The browser gets only the messages of the page's language: the root loader sends them
 * (assembled by `catalog.server.ts`) and `useT` reads them. Loaders, actions and scripts use
 * `translate(lang, key)` from `catalog.server.ts`; what needs no React lives in `messages.ts`.
 * See docs/decisions/0011-messages-per-area.md.
 */
import type { MetaFunction } from '@remix-run/node'
import { useRouteLoaderData } from '@remix-run/react'
import { useMemo } from 'react'

import type { loader as rootLoader } from '#app/root.tsx'

import { isLang, type Lang, type MessageKey, type Messages, type T, translator } from './messages.ts'
import common from './zh/common.ts'

export { type DateStyle, formatDate, formatHours, formatList, formatStudyTime, plural } from './format.ts'
export { fill, htmlLang, isLang, type Lang, LANGS, type MessageKey, type Messages, type Params, type T, translator } from './messages.ts'

/**
 * What the shell and the error page show when the root loader failed (no language, no messages):
 * the Chinese `common` area, the language a page has without the switch. The only part of the
 * catalog that every page's bundle carries.
 */
const SHELL: Partial<Messages> = common

export function useLang(): Lang {
  return useRouteLoaderData<typeof rootLoader>('root')?.lang ?? 'zh'
}

export function useMessages(): Partial<Messages> {
  return useRouteLoaderData<typeof rootLoader>('root')?.messages ?? SHELL
}

/** A translator bound to the language of this request (stable while the messages are). */
export function useT(): T {
  const messages = useMessages()
  return useMemo(() => translator(messages), [messages])
}

type RootData = { lang: Lang; messages: Messages }

function isRootData(data: unknown): data is RootData {
  return (
    typeof data === 'object' &&
    data !== null &&
    'lang' in data &&
    isLang(data.lang) &&
    'messages' in data &&
    typeof data.messages === 'object'
  )
}

/** The translator of a `meta` function, from the root loader's messages among the matches. */
export function metaT(matches: readonly { id: string; data: unknown }[]): T {
  const data = matches.find((m) => m.id === 'root')?.data
  return translator(isRootData(data) ? data.messages : SHELL)
}

/** `<title>` from the catalog, in the language of the request. */
export function pageTitle(key: MessageKey | null): MetaFunction {
  return ({ matches }) => {
    const t = metaT(matches)
    return [{ title: key ? `${t(key)} · ${t('app.name')}` : `${t('app.name')} · ${t('app.fullName')}` }]
  }
}
