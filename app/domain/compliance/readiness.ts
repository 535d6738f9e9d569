import {
  type Counted,
  evaluateCheck,
  evaluateYear,
  type Evaluation,
  governingPolicy,
  type PolicyForCheck,
} from '#app/domain/credit-api/credit-check.ts'
import { fromCents, type Hours, toCents } from '#app/domain/shared/decimal.ts'

/**
 * A person's compliance (达标) as the dashboard counts it, computed by the credit-check API's own
 * functions (`evaluateYear`, `evaluateCheck`), so a figure and an API answer can never disagree:
 *
 * - every CE year from the first checked year through the current one: met or short by category
 *   (the year's own policy, public hours capped as the check caps them), and what was recorded
 *   but not counted (a stated reason, or public hours above the cap);
 * - next year's title application: the answer `evaluateCheck` gives for application year
 *   current + 1 with the person's title year and the integrity record in force on its first day.
 *
 * Pure: the refresher (refresh.server.ts) reads the inputs and stores the outcome.
 */
export type Recorded = { professional: Hours; public: Hours }
export type PersonTotals = Map<number, { counted: Counted; recorded: Recorded }>

export type YearStatus = {
  year: number
  met: boolean
  professional: Hours
  public: Hours
  shortProfessional: Hours
  shortPublic: Hours
  shortTotal: Hours
  notCounted: Hours
  policyVersion: string
}

export type Readiness = {
  applicationYear: number
  ready: boolean
  failingYears: number[]
  shortTotal: Hours
  integrityEndsOn: string | null
  policyVersion: string
  evaluation: Evaluation
}

/** The CE years the dashboard shows for `currentYear`: those with a policy, from the first checked year on. */
export function complianceYears(policies: Map<number, PolicyForCheck>, currentYear: number): number[] {
  const governing = governingPolicy(policies, currentYear)
  if (!governing) return []
  const years: number[] = []
  for (let y = governing.titleCheck.firstCheckedYear; y <= currentYear; y++) if (policies.has(y)) years.push(y)
  return years
}

export function yearStatus(year: number, policy: PolicyForCheck, totals: { counted: Counted; recorded: Recorded } | undefined): YearStatus {
  const r = evaluateYear(year, policy, totals?.counted)
  const recorded = toCents(totals?.recorded.professional ?? '0') + toCents(totals?.recorded.public ?? '0')
  return {
    year,
    met: r.met,
    professional: r.earned.professional,
    public: r.earned.public,
    shortProfessional: r.shortfall.professional,
    shortPublic: r.shortfall.public,
    shortTotal: r.shortfall.total,
    notCounted: fromCents(Math.max(0, recorded - toCents(r.earned.total))),
    policyVersion: policy.version,
  }
}

export function readiness(input: {
  currentYear: number
  titleYear: number | null
  totals: PersonTotals
  policies: Map<number, PolicyForCheck>
  integrity: { endsOn: string } | null
}): Readiness {
  const counted = new Map<number, Counted>([...input.totals].map(([y, t]) => [y, t.counted]))
  const evaluation = evaluateCheck({
    applicationYear: input.currentYear + 1,
    currentTitleYear: input.titleYear,
    totals: counted,
    policies: input.policies,
    integrity: input.integrity,
  })
  const failing = evaluation.years.filter((y) => !y.met)
  return {
    applicationYear: input.currentYear + 1,
    ready: evaluation.eligible,
    failingYears: failing.map((y) => y.year),
    // A year can fail on one category with its total met: count what is missing either way.
    shortTotal: fromCents(
      failing.reduce(
        (s, y) => s + Math.max(toCents(y.shortfall.total), toCents(y.shortfall.professional) + toCents(y.shortfall.public)),
        0,
      ),
    ),
    integrityEndsOn: input.integrity?.endsOn ?? null,
    policyVersion: evaluation.policyVersion,
    evaluation,
  }
}

/** A stable fingerprint of the policies that decide the figures: a new version means a rebuild. */
export function policyFingerprint(policies: Map<number, PolicyForCheck>): string {
  return [...policies.values()]
    .map((p) => p.version)
    .sort()
    .join(',')
}
