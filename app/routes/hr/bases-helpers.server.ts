import type { Actor } from '#app/domain/bases/lifecycle.ts'
import type { HrActor } from '#app/domain/shared/scope.ts'

/** The lifecycle actor of a signed-in HR officer. */
export function hrActor(hr: HrActor): Actor {
  return { role: 'hr', accountId: hr.accountId, scopeRegion: hr.scopeRegion }
}

/** A numeric route parameter, or a 404. */
export function idParam(value: string | undefined): number {
  if (!value || !/^\d{1,9}$/.test(value)) throw new Response('Not Found', { status: 404 })
  return Number(value)
}

/** Status events as the page shows them. */
export function historyRows(
  rows: {
    id: number
    event: string
    from_state: string | null
    to_state: string
    reason: string | null
    document_number: string | null
    at: Date
  }[],
) {
  return rows.map((h) => ({
    id: h.id,
    event: h.event,
    from: h.from_state,
    to: h.to_state,
    reason: h.reason,
    documentNumber: h.document_number,
    at: new Date(h.at).toISOString(),
  }))
}
