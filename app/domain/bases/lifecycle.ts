/**
 * The training-base (继续教育基地) lifecycle as a pure state machine: no I/O, no clock. Every
 * change of an application's or a base's state goes through `transition`, which says whether the
 * actor may cause this event in this state and what the next state is. The server modules in this
 * folder load the facts, call it, and write the change with its status event in one transaction.
 *
 *   draft ─submit→ submitted ─return→ returned ─submit→ submitted ─forward→ forwarded
 *   forwarded ─approve→ approved (公示 public notice) ─designate→ designated
 *   forwarded|approved ─reject→ rejected (final)      draft|submitted|returned|forwarded ─withdraw→ withdrawn (final)
 *   designated ─open_rectification→ rectification ─answer_rectification→ rectification
 *   rectification ─pass_rectification→ designated     rectification ─revoke→ revoked (final)
 *
 * Dates are China calendar days ('YYYY-MM-DD'); compare them as strings.
 */

export const STATES = [
  'draft',
  'submitted',
  'returned',
  'forwarded',
  'rejected',
  'withdrawn',
  'approved',
  'designated',
  'rectification',
  'revoked',
] as const
export type LifecycleState = (typeof STATES)[number]

/** Application states in which the applicant's file is still open (one per credit code). */
export const OPEN_APPLICATION_STATES = ['draft', 'submitted', 'returned', 'forwarded'] as const satisfies readonly LifecycleState[]
/** States that end the story of an application or base; nothing follows them. */
export const FINAL_STATES = ['rejected', 'withdrawn', 'revoked'] as const satisfies readonly LifecycleState[]

/** The sections of an application a reviewer can return with a reason. */
export const APPLICATION_SECTIONS = ['institution', 'fields', 'capacity', 'faculty', 'courses', 'contact', 'materials'] as const
export type ApplicationSection = (typeof APPLICATION_SECTIONS)[number]
export type SectionReasons = Partial<Record<ApplicationSection, string>>

export type LifecycleEvent =
  | { type: 'submit' }
  | { type: 'withdraw' }
  | { type: 'return'; sectionReasons: SectionReasons }
  | { type: 'forward' }
  | { type: 'approve'; decisionNumber: string; noticeStart: string }
  | { type: 'reject'; reason: string }
  | { type: 'designate' }
  | { type: 'open_rectification'; deadline: string }
  | { type: 'answer_rectification' }
  | { type: 'pass_rectification' }
  | { type: 'revoke'; reason: string; effectiveOn: string; documentNumber: string }
export type LifecycleEventType = LifecycleEvent['type']

/**
 * Who acts. `applicant` is the account that filed the application; `base_staff` is bound to one
 * base; `hr` has a scope (a region code or the province code); `system` is the worker (e.g.
 * designating a base when its notice ends).
 */
export type Actor =
  | { role: 'applicant'; accountId: number }
  | { role: 'base_staff'; accountId: number; baseId: number }
  | { role: 'hr'; accountId: number; scopeRegion: string }
  | { role: 'admin'; accountId: number }
  | { role: 'system' }

/** The facts of the application or base the event is about. */
export type Subject = {
  regionCode: string
  applicantAccountId: number
  /** Set once the province approved (a base row exists). */
  baseId: number | null
  /** The last day of the public notice, once approved. */
  noticeEnd: string | null
}

export type TransitionContext = {
  actor: Actor
  subject: Subject
  /** Today, China time. */
  on: string
  /** The province's region code (`PROVINCE.code`): HR with this scope acts province-wide. */
  provinceCode: string
}

export type TransitionCode =
  /** The event cannot happen in this state (e.g. editing a submitted application, deciding twice). */
  | 'invalid_transition'
  /** This actor may not cause this event on this subject (wrong role, region or base). */
  | 'forbidden'
  /** A return without a reason for at least one section, or a decision without its reason. */
  | 'reason_required'
  /** Missing decision / document number. */
  | 'document_number_required'
  /** Designation before the public notice is over. */
  | 'notice_not_over'
  /** A date in the past where the future is required (deadline), or a malformed date. */
  | 'bad_date'

export type TransitionResult = { ok: true; next: LifecycleState } | { ok: false; code: TransitionCode }

type Who = 'applicant' | 'own_base' | 'region_hr' | 'province' | 'system'

/** The table: per event, the states it leaves, the state it enters, and who may cause it. */
export const TRANSITIONS: Record<
  LifecycleEventType,
  { from: readonly LifecycleState[]; to: LifecycleState | 'same'; who: readonly Who[] }
> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', who: ['applicant'] },
  withdraw: { from: ['draft', 'submitted', 'returned', 'forwarded'], to: 'withdrawn', who: ['applicant'] },
  return: { from: ['submitted'], to: 'returned', who: ['region_hr', 'province'] },
  forward: { from: ['submitted'], to: 'forwarded', who: ['region_hr', 'province'] },
  approve: { from: ['forwarded'], to: 'approved', who: ['province'] },
  reject: { from: ['forwarded', 'approved'], to: 'rejected', who: ['province'] },
  designate: { from: ['approved'], to: 'designated', who: ['province', 'system'] },
  open_rectification: { from: ['designated'], to: 'rectification', who: ['region_hr', 'province'] },
  answer_rectification: { from: ['rectification'], to: 'same', who: ['own_base'] },
  pass_rectification: { from: ['rectification'], to: 'designated', who: ['region_hr', 'province'] },
  revoke: { from: ['rectification'], to: 'revoked', who: ['region_hr', 'province'] },
}

function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}

/** Which of the `Who` kinds this actor is, for this subject. */
function actorIs(ctx: TransitionContext): Set<Who> {
  const { actor, subject } = ctx
  const out = new Set<Who>()
  switch (actor.role) {
    case 'applicant':
      if (actor.accountId === subject.applicantAccountId) out.add('applicant')
      break
    case 'base_staff':
      if (subject.baseId !== null && actor.baseId === subject.baseId) out.add('own_base')
      break
    case 'hr':
      if (actor.scopeRegion === ctx.provinceCode) out.add('province').add('region_hr')
      else if (actor.scopeRegion === subject.regionCode) out.add('region_hr')
      break
    case 'admin':
      out.add('province')
      break
    case 'system':
      out.add('system')
      break
  }
  return out
}

/** Whether `event` may take `state` forward for this actor and subject, and to which state. */
export function transition(state: LifecycleState, event: LifecycleEvent, ctx: TransitionContext): TransitionResult {
  const rule = TRANSITIONS[event.type]
  if (!rule.from.includes(state)) return { ok: false, code: 'invalid_transition' }
  const is = actorIs(ctx)
  if (!rule.who.some((w) => is.has(w))) return { ok: false, code: 'forbidden' }
  switch (event.type) {
    case 'return':
      if (!Object.values(event.sectionReasons).some((r) => typeof r === 'string' && r.trim() !== ''))
        return { ok: false, code: 'reason_required' }
      break
    case 'approve':
      if (event.decisionNumber.trim() === '') return { ok: false, code: 'document_number_required' }
      if (!isDay(event.noticeStart) || event.noticeStart < ctx.on) return { ok: false, code: 'bad_date' }
      break
    case 'reject':
      if (event.reason.trim() === '') return { ok: false, code: 'reason_required' }
      break
    case 'designate':
      if (ctx.subject.noticeEnd === null || ctx.on <= ctx.subject.noticeEnd) return { ok: false, code: 'notice_not_over' }
      break
    case 'open_rectification':
      if (!isDay(event.deadline) || event.deadline <= ctx.on) return { ok: false, code: 'bad_date' }
      break
    case 'revoke':
      if (event.reason.trim() === '') return { ok: false, code: 'reason_required' }
      if (event.documentNumber.trim() === '') return { ok: false, code: 'document_number_required' }
      if (!isDay(event.effectiveOn) || event.effectiveOn < ctx.on) return { ok: false, code: 'bad_date' }
      break
    default:
      break
  }
  return { ok: true, next: rule.to === 'same' ? state : rule.to }
}

/** 'YYYY-MM-DD' plus n calendar days (n may be negative). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** The last day of a term of `years` starting on `start` (2026-12-08 + 3 years → 2029-12-07). */
export function termEnd(start: string, years: number): string {
  const d = new Date(`${start}T00:00:00Z`)
  d.setUTCFullYear(d.getUTCFullYear() + years)
  return addDays(d.toISOString().slice(0, 10), -1)
}

/** The public notice's dates for an approval: `noticeDays` calendar days from its first day. */
export function noticePeriod(noticeStart: string, noticeDays: number): { noticeStart: string; noticeEnd: string } {
  return { noticeStart, noticeEnd: addDays(noticeStart, noticeDays - 1) }
}

/** The facts of a base's record that its status at a date depends on. */
export type BaseFacts = {
  state: LifecycleState
  noticeStart: string | null
  noticeEnd: string | null
  termStart: string | null
  termEnd: string | null
  revokedOn: string | null
  /** The state before revocation (shown until the effective date). */
  stateBeforeRevocation?: Exclude<LifecycleState, 'revoked'> | null
}

/** What the public and the gate see on a given day. */
export type DerivedStatus = 'in_notice' | 'designated' | 'rectification' | 'revoked' | 'expired' | 'not_designated'

/**
 * A base's status on a day. An approved base is in its public notice until the notice's last day,
 * then designated (the stored state catches up when `designate` runs); a revocation counts from its
 * effective date, the base keeps its previous status before it; a term that ended is `expired`.
 */
export function statusOn(facts: BaseFacts, on: string): DerivedStatus {
  let state = facts.state
  if (state === 'revoked') {
    if (facts.revokedOn !== null && on >= facts.revokedOn) return 'revoked'
    state = facts.stateBeforeRevocation ?? 'rectification'
  }
  if (state === 'approved') {
    if (facts.noticeStart !== null && on < facts.noticeStart) return 'not_designated'
    if (facts.noticeEnd !== null && on <= facts.noticeEnd) return 'in_notice'
    state = 'designated'
  }
  if (state !== 'designated' && state !== 'rectification') return 'not_designated'
  if (facts.termStart !== null && on < facts.termStart) return 'not_designated'
  if (facts.termEnd !== null && on > facts.termEnd) return 'expired'
  return state
}
