import { credit } from '#app/domain/hours/ledger.server.ts'
import { policiesInForce } from '#app/domain/policy/policy.server.ts'
import type { DB } from '#db/schema.ts'

/** One earning: hours of a category in a year, with the title pages show for it. */
export type Earning = {
  year: number
  category: 'professional' | 'public'
  hours: string
  title?: string
  kind?: 'external' | 'base_training' | 'seminar' | 'online_course'
  /** Month of the year it happened (default June). */
  month?: number
}

let seq = 0

/** Credits hours through the ledger (its only writer), in one transaction. */
export async function giveHours(db: DB, personId: number, earnings: Earning[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const e of earnings) {
      seq += 1
      await credit(trx, {
        personId,
        category: e.category,
        hours: e.hours,
        sourceKind: e.kind ?? 'seminar',
        sourceRef: `factory-${seq}`,
        evidence: { title: e.title ?? `测试学时 ${e.year}-${seq}` },
        idempotencyKey: `factory:${personId}:${Date.now()}:${seq}`,
        // Mid-month, noon in China: inside the year in any time zone.
        occurredAt: new Date(Date.UTC(e.year, (e.month ?? 6) - 1, 15, 4)),
      })
    }
  })
}

/** What the policy in force asks for in `year` (total, professional, public), as decimals. */
export async function requirementOf(db: DB, year: number) {
  const policy = (await policiesInForce(db)).get(year)
  if (!policy) throw new Error(`factory: no policy for ${year}`)
  return policy.requirement
}

/**
 * Meets each year's requirement exactly: the professional and public minimums, and the rest of
 * the total as professional. Titles say which year, so a page can be checked for them.
 */
export async function meetYears(
  db: DB,
  personId: number,
  years: number[],
  title = (year: number, category: string) => `${year}年度${category === 'public' ? '公需' : '专业'}科目培训`,
) {
  const earnings: Earning[] = []
  for (const year of years) {
    const r = await requirementOf(db, year)
    const rest = Number(r.total) - Number(r.professional) - Number(r.public)
    const professional = String(Number(r.professional) + Math.max(0, rest))
    earnings.push({ year, category: 'professional', hours: professional, title: title(year, 'professional') })
    earnings.push({ year, category: 'public', hours: String(r.public), title: title(year, 'public') })
  }
  await giveHours(db, personId, earnings)
}
