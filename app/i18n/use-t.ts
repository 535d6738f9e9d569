import { useRouteLoaderData } from '@remix-run/react'
import { translate, type Lang, type MessageKey } from './index.ts'

type RootData = { lang: Lang }

export function useLang(): Lang {
  const data = useRouteLoaderData('root') as RootData | undefined
  return data?.lang ?? 'zh'
}

/** A translator bound to the language of this request. */
export function useT() {
  const lang = useLang()
  return (key: MessageKey | string, params?: Record<string, string | number>) => translate(lang, key, params)
}
