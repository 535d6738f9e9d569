import { requireHr } from '#app/auth/hr.server.ts'
import type { ImportOwner } from '#app/domain/imports/imports.server.ts'
import { type HrActor, isProvinceScope } from '#app/domain/shared/scope.ts'

/**
 * Legacy hours (历史学时) are the province's records: only HR of the province scope imports them.
 * Signed out → login; any other role, or HR of a city → 403.
 */
export async function requireProvinceHr(request: Request): Promise<HrActor & { owner: ImportOwner & { kind: 'legacy' } }> {
  const hr = await requireHr(request)
  if (!isProvinceScope(hr.scopeRegion)) throw new Response('Forbidden', { status: 403 })
  return { ...hr, owner: { kind: 'legacy', accountId: hr.accountId } }
}
