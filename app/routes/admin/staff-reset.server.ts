import { data } from '@remix-run/node'

import { adminResetPassword } from '#app/domain/identity/passwords.server.ts'
import { getDb } from '#app/lib/db.server.ts'

export type ResetActionData =
  | { intent: 'reset-password'; ok: true; accountId: number; temporaryPassword: string }
  | { intent: 'reset-password'; ok: false; error: 'err.staff.resetSelf' | 'err.staff.notStaff' }

/** /admin/staff "reset password": a temporary password, shown to the admin this once. */
export async function resetPasswordAction(adminAccountId: number, formData: FormData) {
  const raw = formData.get('accountId')
  if (typeof raw !== 'string' || !/^[1-9]\d{0,15}$/.test(raw)) throw new Response('Bad Request', { status: 400 })
  const r = await adminResetPassword(getDb(), Number(raw), adminAccountId)
  if (!r.ok) {
    if (r.code === 'not_found') throw new Response('Not Found', { status: 404 })
    return data<ResetActionData>(
      { intent: 'reset-password', ok: false, error: r.code === 'self' ? 'err.staff.resetSelf' : 'err.staff.notStaff' },
      { status: 400 },
    )
  }
  return data<ResetActionData>({ intent: 'reset-password', ok: true, accountId: Number(raw), temporaryPassword: r.temporaryPassword })
}
