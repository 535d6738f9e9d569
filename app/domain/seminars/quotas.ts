/**
 * Seat arithmetic of a seminar (pure, no I/O, safe in the browser). A seminar's capacity is split
 * into quotas: the `open` pool, which anyone may draw from, and scoped quotas, `province:NN` for a
 * national seminar (NN = the first two digits of the resident ID) or `region:NNNNNN` for a
 * provincial one (the person's 市州, people.region_code). A scoped quota with a `release_at` gives
 * its unclaimed seats to everyone from that moment: nothing is moved, the quota simply becomes
 * usable by all, so the seat counters (and their CHECK) stay where they are and no job has to run
 * on time for the release to happen.
 *
 * A person draws from their own quota first (while it is not released), then the open pool, then
 * released quotas in id order.
 */

export type SeminarLevel = 'national' | 'provincial'

export type Quota = { id: number; scope: string; size: number; taken: number; releaseAt: Date | null }

/** What decides a person's quota: their resident ID's province (2 digits) and their region (市州). */
export type Seeker = { idProvince: string | null; regionCode: string | null }

export const OPEN = 'open'

/** The scope of the quota a person belongs to for a seminar of this level, or null. */
export function homeScope(level: SeminarLevel, seeker: Seeker): string | null {
  if (level === 'national') return seeker.idProvince && /^\d{2}$/.test(seeker.idProvince) ? `province:${seeker.idProvince}` : null
  return seeker.regionCode ? `region:${seeker.regionCode}` : null
}

/** The person's own scoped quota (released or not), or null when the seminar has none for them. */
export function homeQuota<Q extends Quota>(quotas: readonly Q[], level: SeminarLevel, seeker: Seeker): Q | null {
  const scope = homeScope(level, seeker)
  return scope === null ? null : (quotas.find((q) => q.scope === scope) ?? null)
}

export function isReleased(q: Quota, now: Date): boolean {
  return q.scope !== OPEN && q.releaseAt !== null && q.releaseAt.getTime() <= now.getTime()
}

export function seatsLeft(q: Quota): number {
  return Math.max(0, q.size - q.taken)
}

/** Whether someone whose own quota is `homeQuotaId` may hold a seat of `q` at `now`. */
export function canUse(q: Quota, homeQuotaId: number | null, now: Date): boolean {
  return q.scope === OPEN || isReleased(q, now) || q.id === homeQuotaId
}

/** The quotas a person may draw from, in the order they are tried: own (unreleased), open, released by id. */
export function drawOrder<Q extends Quota>(quotas: readonly Q[], homeQuotaId: number | null, now: Date): Q[] {
  const own = quotas.filter((q) => q.id === homeQuotaId && !isReleased(q, now))
  const open = quotas.filter((q) => q.scope === OPEN)
  const released = quotas.filter((q) => isReleased(q, now)).sort((a, b) => a.id - b.id)
  return [...own, ...open, ...released]
}

/**
 * The quotas a newcomer may try, in order: usable by them, with a seat left, and not wanted by
 * anyone already waiting (pretix's rule: a waitlisted person without an offer is ahead of every
 * newcomer for each pool they could use). `waiting` holds the own-quota ids of the people
 * waitlisted now.
 */
export function newcomerCandidates<Q extends Quota>(
  quotas: readonly Q[],
  homeQuotaId: number | null,
  waiting: readonly { homeQuotaId: number | null }[],
  now: Date,
): Q[] {
  return drawOrder(quotas, homeQuotaId, now).filter((q) => seatsLeft(q) > 0 && !waiting.some((w) => canUse(q, w.homeQuotaId, now)))
}

/** Whether a person could get a seat now if nobody were waiting. */
export function seatAvailable(quotas: readonly Quota[], homeQuotaId: number | null, now: Date): boolean {
  return drawOrder(quotas, homeQuotaId, now).some((q) => seatsLeft(q) > 0)
}

/**
 * The next promotion from the waitlist: the earliest waiting person (in `waiting` order) who can
 * use a quota with a seat left, and that quota (their draw order). Null when nobody can be served.
 */
export function nextPromotion<Q extends Quota, W extends { homeQuotaId: number | null }>(
  quotas: readonly Q[],
  waiting: readonly W[],
  now: Date,
): { waiter: W; quota: Q } | null {
  for (const w of waiting) {
    const quota = drawOrder(quotas, w.homeQuotaId, now).find((q) => seatsLeft(q) > 0)
    if (quota) return { waiter: w, quota }
  }
  return null
}

export type PublicSeats = {
  /** Seats anyone may take: the open pool plus what released quotas have left. */
  open: { left: number }
  /** Unreleased scoped quotas, as shown publicly ("广东 3 of 5 left"). */
  scoped: { scope: string; size: number; left: number; releaseAt: Date | null }[]
  total: { size: number; left: number }
}

/** Seats left per quota as shown on the public page at `now` (released quotas shown inside the open pool). */
export function publicSeats(quotas: readonly Quota[], now: Date): PublicSeats {
  const pooled = quotas.filter((q) => q.scope === OPEN || isReleased(q, now))
  const scoped = quotas
    .filter((q) => q.scope !== OPEN && !isReleased(q, now))
    .sort((a, b) => a.scope.localeCompare(b.scope))
    .map((q) => ({ scope: q.scope, size: q.size, left: seatsLeft(q), releaseAt: q.releaseAt }))
  // A released quota adds what it has left to the open pool (its taken seats stay its own), so
  // the open pool shows seats left only: its "size" would change as released seats are taken.
  const open = { left: pooled.reduce((n, q) => n + seatsLeft(q), 0) }
  return {
    open,
    scoped,
    total: { size: quotas.reduce((n, q) => n + q.size, 0), left: quotas.reduce((n, q) => n + seatsLeft(q), 0) },
  }
}
