import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { safeRedirect } from '#app/auth/auth.server.ts'
import { formFields } from '#app/lib/http.server.ts'
import { langCookie } from '#app/i18n/lang.server.ts'
import { isLang } from '#app/i18n/index.ts'

/** The language switch: remembered in a cookie, then back to the page it was pressed on. */
export async function action({ request }: ActionFunctionArgs) {
  const fields = await formFields(request)
  const lang = isLang(fields.lang) ? fields.lang : 'zh'
  return redirect(safeRedirect(fields.redirectTo, '/'), { headers: { 'Set-Cookie': langCookie(lang) } })
}

export async function loader() {
  return redirect('/')
}
