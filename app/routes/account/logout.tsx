import { type ActionFunctionArgs, redirect } from '@remix-run/node'

import { clearSessionCookie, getUser } from '#app/auth/auth.server.ts'
import { revokeSession } from '#app/domain/identity/sessions.server.ts'
import { getDb } from '#app/lib/db.server.ts'

export async function action({ request }: ActionFunctionArgs) {
  const user = await getUser(request)
  if (user) await revokeSession(getDb(), user.sessionId, user.accountId)
  return redirect('/', { headers: { 'Set-Cookie': clearSessionCookie(request) } })
}

export async function loader() {
  return redirect('/')
}
