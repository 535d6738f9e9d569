import type { HrActor } from '#app/domain/shared/scope.ts'

import { requireRole } from './auth.server.ts'

/**
 * An HR officer and their scope (one region, or the province). Signed out → login; any other
 * role, or an HR account without a scope → 403.
 */
export async function requireHr(request: Request): Promise<HrActor> {
  const user = await requireRole(request, ['hr'])
  if (!user.scopeRegion) throw new Response('Forbidden', { status: 403 })
  return { accountId: user.accountId, personId: user.personId, scopeRegion: user.scopeRegion }
}
