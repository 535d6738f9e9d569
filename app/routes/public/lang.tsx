import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs,redirect } from '@remix-run/node'
import { z } from 'zod'

import { safeRedirect } from '#app/auth/auth.server.ts'
import { LANGS } from '#app/i18n/index.ts'
import { langCookie } from '#app/i18n/lang.server.ts'

// An unknown language falls back to Chinese rather than refusing the switch.
const LangSwitchSchema = z.object({ lang: z.enum(LANGS).catch('zh'), redirectTo: z.string().optional() })

/** The language switch: remembered in a cookie, then back to the page it was pressed on. */
export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: LangSwitchSchema, disableAutoCoercion: true })
  const { lang, redirectTo } = submission.status === 'success' ? submission.value : { lang: 'zh' as const, redirectTo: undefined }
  return redirect(safeRedirect(redirectTo, '/'), { headers: { 'Set-Cookie': langCookie(lang) } })
}

export async function loader() {
  return redirect('/')
}
