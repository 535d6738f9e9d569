import { fromCents, type Hours, toCents } from '#app/domain/shared/decimal.ts'

/**
 * The credit-hours check (学时核验) as a pure function: given a person's counted totals per CE
 * year and the policies in force, is an application in `applicationYear` allowed?
 *
 * For an application in year Y: every CE year from the year after the current title was
 * obtained through Y−1 must meet that year's requirement, looking back at most `lookBackYears`,
 * never before `firstCheckedYear`. Applications before `firstApplicationYear` are not subject.
 */
export type PolicyForCheck = {
  version: string
  requirement: { total: Hours; professional: Hours; public: Hours }
  caps: { publicCounted: Hours | null }
  titleCheck: { firstApplicationYear: number; firstCheckedYear: number; lookBackYears: number }
}

export type Counted = { professional: Hours; public: Hours }
type Triple = { total: Hours; professional: Hours; public: Hours }

export type YearResult = {
  year: number
  policyVersion: string
  required: Triple
  earned: Triple
  met: boolean
  shortfall: Triple
}

/**
 * Why an application is (not) eligible, as codes with their data; the API's edge
 * (app/http/credit-check-answer.ts) words them for callers.
 */
export type Reason =
  | { code: 'not_subject'; firstApplicationYear: number }
  | { code: 'no_years_to_check' }
  | { code: 'year_not_met'; year: number; earned: Triple; required: Triple }
  | { code: 'no_policy'; year: number }
  /** An integrity record (诚信档案) is in force on the check day: no application until `endsOn` (exclusive). */
  | { code: 'integrity_record'; endsOn: string }

export type Evaluation = { eligible: boolean; policyVersion: string; years: YearResult[]; reasons: Reason[] }

export function yearsToCheck(applicationYear: number, currentTitleYear: number | null, rules: PolicyForCheck['titleCheck']): number[] {
  if (applicationYear < rules.firstApplicationYear) return []
  const from = Math.max(
    applicationYear - rules.lookBackYears,
    rules.firstCheckedYear,
    currentTitleYear === null ? -Infinity : currentTitleYear + 1,
  )
  const years: number[] = []
  for (let y = from; y <= applicationYear - 1; y++) years.push(y)
  return years
}

/**
 * The policy that governs an application year: its own, else the latest earlier one, else (for
 * years before any policy file) the earliest, whose title-check rules then say "not subject".
 */
export function governingPolicy<P>(policies: Map<number, P>, year: number): P | undefined {
  let best: number | undefined
  for (const y of policies.keys()) if (y <= year && (best === undefined || y > best)) best = y
  if (best === undefined) for (const y of policies.keys()) if (best === undefined || y < best) best = y
  return best === undefined ? undefined : policies.get(best)
}

export function evaluateYear(year: number, policy: PolicyForCheck, counted: Counted | undefined): YearResult {
  const prof = toCents(counted?.professional ?? '0')
  const pubRaw = toCents(counted?.public ?? '0')
  const pub = policy.caps.publicCounted === null ? pubRaw : Math.min(pubRaw, toCents(policy.caps.publicCounted))
  const req = {
    total: toCents(policy.requirement.total),
    professional: toCents(policy.requirement.professional),
    public: toCents(policy.requirement.public),
  }
  const total = prof + pub
  const short = {
    total: Math.max(0, req.total - total),
    professional: Math.max(0, req.professional - prof),
    public: Math.max(0, req.public - pub),
  }
  return {
    year,
    policyVersion: policy.version,
    required: { ...policy.requirement },
    earned: { total: fromCents(total), professional: fromCents(prof), public: fromCents(pub) },
    met: short.total === 0 && short.professional === 0 && short.public === 0,
    shortfall: { total: fromCents(short.total), professional: fromCents(short.professional), public: fromCents(short.public) },
  }
}

export function evaluateCheck(input: {
  applicationYear: number
  currentTitleYear: number | null
  totals: Map<number, Counted>
  policies: Map<number, PolicyForCheck>
  /** The person's integrity record in force on the check day, if any: it makes any application ineligible. */
  integrity?: { endsOn: string } | null
}): Evaluation {
  const e = evaluateHours(input)
  if (!input.integrity) return e
  return { ...e, eligible: false, reasons: [{ code: 'integrity_record', endsOn: input.integrity.endsOn }, ...e.reasons] }
}

function evaluateHours(input: {
  applicationYear: number
  currentTitleYear: number | null
  totals: Map<number, Counted>
  policies: Map<number, PolicyForCheck>
}): Evaluation {
  const governing = governingPolicy(input.policies, input.applicationYear)
  if (!governing) {
    return {
      eligible: false,
      policyVersion: 'none',
      years: [],
      reasons: [{ code: 'no_policy', year: input.applicationYear }],
    }
  }
  const rules = governing.titleCheck
  if (input.applicationYear < rules.firstApplicationYear) {
    return {
      eligible: true,
      policyVersion: governing.version,
      years: [],
      reasons: [{ code: 'not_subject', firstApplicationYear: rules.firstApplicationYear }],
    }
  }
  const years = yearsToCheck(input.applicationYear, input.currentTitleYear, rules)
  const results: YearResult[] = []
  const reasons: Reason[] = []
  for (const year of years) {
    const policy = input.policies.get(year)
    if (!policy) {
      reasons.push({ code: 'no_policy', year })
      continue
    }
    const r = evaluateYear(year, policy, input.totals.get(year))
    results.push(r)
    if (!r.met) reasons.push({ code: 'year_not_met', year, earned: r.earned, required: r.required })
  }
  if (years.length === 0) reasons.push({ code: 'no_years_to_check' })
  return { eligible: reasons.every((r) => r.code === 'no_years_to_check'), policyVersion: governing.version, years: results, reasons }
}
