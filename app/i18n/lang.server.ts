import { readCookie } from '#app/auth/auth.server.ts'

import { isLang, type Lang } from './messages.ts'

export const LANG_COOKIE = 'xs_lang'

/** Chinese unless the person chose English with the switch (remembered in a cookie). */
export function getLang(request: Request): Lang {
  const v = readCookie(request, LANG_COOKIE)
  return isLang(v) ? v : 'zh'
}

export function langCookie(lang: Lang): string {
  return `${LANG_COOKIE}=${lang}; Path=/; Max-Age=${365 * 24 * 3600}; SameSite=Lax`
}
