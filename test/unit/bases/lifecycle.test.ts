import { describe, expect, test } from 'vitest'

import {
  type Actor,
  addDays,
  type BaseFacts,
  type LifecycleEvent,
  type LifecycleEventType,
  type LifecycleState,
  noticePeriod,
  STATES,
  statusOn,
  termEnd,
  transition,
  type TransitionContext,
} from '#app/domain/bases/lifecycle.ts'

const PROVINCE = '220000'
const TODAY = '2026-12-01'
const subject = { regionCode: '220100', applicantAccountId: 1, baseId: 7, noticeEnd: '2026-11-20' }

const actors = {
  applicant: { role: 'applicant', accountId: 1 },
  otherApplicant: { role: 'applicant', accountId: 2 },
  ownBase: { role: 'base_staff', accountId: 3, baseId: 7 },
  otherBase: { role: 'base_staff', accountId: 4, baseId: 8 },
  regionHr: { role: 'hr', accountId: 5, scopeRegion: '220100' },
  otherRegionHr: { role: 'hr', accountId: 6, scopeRegion: '220200' },
  provinceHr: { role: 'hr', accountId: 7, scopeRegion: PROVINCE },
  admin: { role: 'admin', accountId: 8 },
  system: { role: 'system' },
} satisfies Record<string, Actor>
type ActorName = keyof typeof actors

/** A valid event of each type (its data passes every check on TODAY). */
const EVENTS: Record<LifecycleEventType, LifecycleEvent> = {
  submit: { type: 'submit' },
  withdraw: { type: 'withdraw' },
  return: { type: 'return', sectionReasons: { faculty: 'missing CVs' } },
  forward: { type: 'forward' },
  approve: { type: 'approve', decisionNumber: '吉人社字〔2026〕1号', noticeStart: TODAY },
  reject: { type: 'reject', reason: 'capacity' },
  designate: { type: 'designate' },
  open_rectification: { type: 'open_rectification', deadline: '2027-03-01' },
  answer_rectification: { type: 'answer_rectification' },
  pass_rectification: { type: 'pass_rectification' },
  revoke: { type: 'revoke', reason: 'failed re-inspection', effectiveOn: '2026-12-15', documentNumber: '吉人社字〔2026〕9号' },
}

/**
 * The expected table, written out by hand (not derived from the implementation's table):
 * event → { allowed from-states → next state, who may cause it }. The provincial admin (省人社厅)
 * may do whatever province HR may.
 */
const EXPECTED: Record<LifecycleEventType, { from: Partial<Record<LifecycleState, LifecycleState>>; who: ActorName[] }> = {
  submit: { from: { draft: 'submitted', returned: 'submitted' }, who: ['applicant'] },
  withdraw: {
    from: { draft: 'withdrawn', submitted: 'withdrawn', returned: 'withdrawn', forwarded: 'withdrawn' },
    who: ['applicant'],
  },
  return: { from: { submitted: 'returned' }, who: ['regionHr', 'provinceHr', 'admin'] },
  forward: { from: { submitted: 'forwarded' }, who: ['regionHr', 'provinceHr', 'admin'] },
  approve: { from: { forwarded: 'approved' }, who: ['provinceHr', 'admin'] },
  reject: { from: { forwarded: 'rejected', approved: 'rejected' }, who: ['provinceHr', 'admin'] },
  designate: { from: { approved: 'designated' }, who: ['provinceHr', 'admin', 'system'] },
  open_rectification: { from: { designated: 'rectification' }, who: ['regionHr', 'provinceHr', 'admin'] },
  answer_rectification: { from: { rectification: 'rectification' }, who: ['ownBase'] },
  pass_rectification: { from: { rectification: 'designated' }, who: ['regionHr', 'provinceHr', 'admin'] },
  revoke: { from: { rectification: 'revoked' }, who: ['regionHr', 'provinceHr', 'admin'] },
}

const ctx = (actor: Actor, over: Partial<TransitionContext> = {}): TransitionContext => ({
  actor,
  subject,
  on: TODAY,
  provinceCode: PROVINCE,
  ...over,
})

type Row = [LifecycleEventType, LifecycleState, ActorName, string]
const rows: Row[] = []
for (const [type, exp] of Object.entries(EXPECTED) as [LifecycleEventType, (typeof EXPECTED)[LifecycleEventType]][]) {
  for (const state of STATES) {
    for (const name of Object.keys(actors) as ActorName[]) {
      const next = exp.from[state]
      const expected = next === undefined ? 'invalid_transition' : exp.who.includes(name) ? `→${next}` : 'forbidden'
      rows.push([type, state, name, expected])
    }
  }
}

describe('lifecycle transitions: every event × state × actor', () => {
  test(`the table has ${rows.length} rows and allows exactly the expected ones`, () => {
    expect(rows.length).toBe(11 * 10 * 9)
    expect(rows.filter((r) => r[3].startsWith('→')).length).toBe(31)
  })
  test.each(rows)('%s from %s by %s: %s', (type, state, name, expected) => {
    const r = transition(state, EVENTS[type], ctx(actors[name]))
    expect(r.ok ? `→${r.next}` : r.code).toBe(expected)
  })
})

describe('event data checks', () => {
  const hr = actors.regionHr
  test.each<[string, LifecycleState, LifecycleEvent, Actor, Partial<TransitionContext>, string]>([
    ['return without any section reason', 'submitted', { type: 'return', sectionReasons: {} }, hr, {}, 'reason_required'],
    ['return with blank reasons only', 'submitted', { type: 'return', sectionReasons: { faculty: '  ' } }, hr, {}, 'reason_required'],
    [
      'approve without decision number',
      'forwarded',
      { ...EVENTS.approve, decisionNumber: ' ' } as LifecycleEvent,
      actors.admin,
      {},
      'document_number_required',
    ],
    [
      'approve with a notice starting in the past',
      'forwarded',
      { ...EVENTS.approve, noticeStart: '2026-11-30' } as LifecycleEvent,
      actors.admin,
      {},
      'bad_date',
    ],
    [
      'approve with a non-date',
      'forwarded',
      { ...EVENTS.approve, noticeStart: '2026-02-30' } as LifecycleEvent,
      actors.admin,
      {},
      'bad_date',
    ],
    ['reject without reason', 'forwarded', { type: 'reject', reason: '' }, actors.admin, {}, 'reason_required'],
    ['designate on the notice’s last day', 'approved', EVENTS.designate, actors.system, { on: '2026-11-20' }, 'notice_not_over'],
    [
      'designate with no notice recorded',
      'approved',
      EVENTS.designate,
      actors.system,
      { subject: { ...subject, noticeEnd: null } },
      'notice_not_over',
    ],
    ['rectification deadline today', 'designated', { type: 'open_rectification', deadline: TODAY }, hr, {}, 'bad_date'],
    ['revoke without reason', 'rectification', { ...EVENTS.revoke, reason: '' } as LifecycleEvent, hr, {}, 'reason_required'],
    [
      'revoke without document number',
      'rectification',
      { ...EVENTS.revoke, documentNumber: '' } as LifecycleEvent,
      hr,
      {},
      'document_number_required',
    ],
    ['revoke effective yesterday', 'rectification', { ...EVENTS.revoke, effectiveOn: '2026-11-30' } as LifecycleEvent, hr, {}, 'bad_date'],
    [
      'base staff of a base with no base yet',
      'rectification',
      EVENTS.answer_rectification,
      actors.ownBase,
      { subject: { ...subject, baseId: null } },
      'forbidden',
    ],
  ])('%s', (_name, state, event, actor, over, code) => {
    expect(transition(state, event, ctx(actor, over))).toEqual({ ok: false, code })
  })
  test('designate the day after the notice ends; revoke effective today', () => {
    expect(transition('approved', EVENTS.designate, ctx(actors.system, { on: '2026-11-21' }))).toEqual({ ok: true, next: 'designated' })
    expect(transition('rectification', { ...EVENTS.revoke, effectiveOn: TODAY } as LifecycleEvent, ctx(hr))).toEqual({
      ok: true,
      next: 'revoked',
    })
  })
})

describe('dates and the status on a day', () => {
  test('notice period, term end, day arithmetic', () => {
    expect(noticePeriod('2026-12-01', 7)).toEqual({ noticeStart: '2026-12-01', noticeEnd: '2026-12-07' })
    expect(termEnd('2026-12-08', 3)).toBe('2029-12-07')
    expect(termEnd('2028-02-29', 1)).toBe('2029-02-28')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
  })
  const approved: BaseFacts = {
    state: 'approved',
    noticeStart: '2026-12-01',
    noticeEnd: '2026-12-07',
    termStart: '2026-12-08',
    termEnd: '2029-12-07',
    revokedOn: null,
  }
  test.each<[string, BaseFacts, string, string]>([
    ['before the notice', approved, '2026-11-30', 'not_designated'],
    ['first day of notice', approved, '2026-12-01', 'in_notice'],
    ['last day of notice', approved, '2026-12-07', 'in_notice'],
    ['after the notice, not yet stored as designated', approved, '2026-12-08', 'designated'],
    ['designated within the term', { ...approved, state: 'designated' }, '2028-01-01', 'designated'],
    ['designated after the term', { ...approved, state: 'designated' }, '2029-12-08', 'expired'],
    ['in rectification', { ...approved, state: 'rectification' }, '2027-01-01', 'rectification'],
    [
      'revoked, before the effective date',
      { ...approved, state: 'revoked', revokedOn: '2027-06-01', stateBeforeRevocation: 'rectification' },
      '2027-05-31',
      'rectification',
    ],
    ['revoked, from the effective date', { ...approved, state: 'revoked', revokedOn: '2027-06-01' }, '2027-06-01', 'revoked'],
    [
      'a draft',
      { ...approved, state: 'draft', noticeStart: null, noticeEnd: null, termStart: null, termEnd: null },
      '2027-01-01',
      'not_designated',
    ],
    ['withdrawn', { ...approved, state: 'withdrawn' }, '2027-01-01', 'not_designated'],
  ])('%s', (_name, facts, on, expected) => {
    expect(statusOn(facts, on)).toBe(expected)
  })
})
