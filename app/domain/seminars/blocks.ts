import { fromCents, type Hours, toCents } from '#app/domain/shared/decimal.ts'
import { addDays } from '#app/domain/shared/working-days.ts'

/**
 * Half-day blocks (上午/下午) of a seminar: the unit of check-in, attendance and hours. Pure.
 * A seminar of `fullDays` full days and `halfDays` half days runs on consecutive days from its
 * first day: each full day is a morning and an afternoon block, each half day a morning block.
 * The declared hours are split over the blocks to the cent, the first blocks taking the odd
 * cents, so the blocks always add up to exactly the declared hours.
 */

export type BlockTimes = { morning: readonly [string, string]; afternoon: readonly [string, string] }
export type PlannedBlock = { startsAt: Date; endsAt: Date; creditHours: Hours; part: 'morning' | 'afternoon'; day: string }

/** An instant from a China calendar day and a China clock time ('08:30'). */
export const chinaInstant = (day: string, clock: string) => new Date(`${day}T${clock}:00+08:00`)

export function planBlocks(
  input: { startDate: string; fullDays: number; halfDays: number; declaredHours: Hours },
  times: BlockTimes,
): PlannedBlock[] {
  const slots: { day: string; part: 'morning' | 'afternoon' }[] = []
  for (let i = 0; i < input.fullDays; i++) {
    const day = addDays(input.startDate, i)
    slots.push({ day, part: 'morning' }, { day, part: 'afternoon' })
  }
  for (let i = 0; i < input.halfDays; i++) slots.push({ day: addDays(input.startDate, input.fullDays + i), part: 'morning' })
  if (slots.length === 0) return []
  const total = toCents(input.declaredHours)
  const each = Math.floor(total / slots.length)
  const odd = total - each * slots.length
  return slots.map((s, i) => {
    const [from, to] = times[s.part]
    return {
      ...s,
      startsAt: chinaInstant(s.day, from),
      endsAt: chinaInstant(s.day, to),
      creditHours: fromCents(each + (i < odd ? 1 : 0)),
    }
  })
}

/** Hours of the attended blocks, to the cent. */
export function attendedHours(blocks: readonly { creditHours: Hours; attended: boolean }[]): Hours {
  return fromCents(blocks.reduce((n, b) => n + (b.attended ? toCents(b.creditHours) : 0), 0))
}

/** Whether attendance meets the completion rule (a share of the blocks, policy `completionMinShare`). */
export function meetsCompletion(attended: number, total: number, minShare: number): boolean {
  // Compared in integers (attended / total >= share, share with at most 4 decimals) so 0.8 × 5 is exactly 4.
  return total > 0 && attended * 10_000 >= Math.round(minShare * 10_000) * total
}
