import { err, ok, type Result } from '#app/domain/shared/result.ts'
import type { DB } from '#db/schema.ts'

import { chinaDay } from './events.server.ts'
import { type BaseFacts, statusOn } from './lifecycle.ts'
import { baseFacts } from './registry.server.ts'

export type GateCode = 'revoked' | 'not_designated' | 'outside_term'

/**
 * THE gate for what a base delivers: reporting training (rosters) and hosting seminars call this,
 * and nothing else decides it. A base may deliver on a China calendar day when it is designated
 * (also while in rectification) and the day is inside its term. From a revocation's effective
 * date it is refused; days before it stay allowed, so training held before the revocation can
 * still be reported and everything reported before stays counted.
 *
 * `on` is the day the delivery happens (the training's date), not the day it is reported.
 */
export async function canBaseDeliver(db: DB, baseId: number, on: Date | string): Promise<GateResult> {
  return deliveryVerdict(await baseFacts(db, baseId), typeof on === 'string' ? on : chinaDay(on))
}

export type GateResult = Result<{ status: 'designated' | 'rectification'; termEnd: string | null }, GateCode>

/**
 * The gate's rule on facts already read (pure): for a caller that reads the base's facts together
 * with its own data in one statement (seminar registration). `canBaseDeliver` is this plus the read.
 */
export function deliveryVerdict(facts: BaseFacts | null, day: string): GateResult {
  if (!facts) return err('not_designated')
  const status = statusOn(facts, day)
  switch (status) {
    case 'designated':
    case 'rectification':
      return ok({ status, termEnd: facts.termEnd })
    case 'revoked':
      return err('revoked')
    case 'expired':
      return err('outside_term')
    case 'in_notice':
      return err('not_designated')
    case 'not_designated': {
      // A day before the term of a base that is (or will be) designated is outside its term.
      const atStart = facts.termStart !== null && day < facts.termStart ? statusOn(facts, facts.termStart) : null
      return atStart === 'designated' || atStart === 'rectification' ? err('outside_term') : err('not_designated')
    }
  }
}
