import { describe, expect, test } from 'vitest'

import {
  type ActiveSlot,
  applyHeartbeat,
  doneAtSeconds,
  freshProgress,
  type Heartbeat,
  type LessonRule,
  MAX_GAP_SECONDS,
  type Outcome,
  type Progress,
} from '#app/domain/courses/study-time.ts'

const video: LessonRule = { kind: 'video', requiredSeconds: 600, mediaSeconds: 600 }
const text: LessonRule = { kind: 'text', requiredSeconds: 300 }
const T0 = Date.UTC(2026, 0, 5, 2, 0, 0)

/** Runs heartbeats in order, carrying progress and slot, like the server does. */
function run(rule: LessonRule, beats: (Partial<Heartbeat> & { at: number })[], start: { progress?: Progress; slot?: ActiveSlot } = {}) {
  let progress = start.progress ?? freshProgress()
  let slot: ActiveSlot = start.slot ?? null
  const outcomes: Outcome[] = []
  let seq = 0
  for (const b of beats) {
    const hb: Heartbeat = { lessonId: 'L1', playerId: 'P1', seq: seq++, engaged: true, ...b }
    const o = applyHeartbeat(rule, progress, slot, hb, T0 + b.at * 1000)
    outcomes.push(o)
    if (o.kind === 'credited' || o.kind === 'seek_refused') {
      progress = o.progress
      slot = o.slot
    }
  }
  return { progress, slot, outcomes }
}

describe('verified study time', () => {
  test('text: time counts at the wall-clock rate while the page is engaged', () => {
    const { progress } = run(text, [{ at: 0, start: true }, { at: 15 }, { at: 30 }, { at: 45 }])
    expect(progress.verifiedSeconds).toBe(45)
  })

  test('heartbeats faster than the clock earn only the clock', () => {
    // 50 heartbeats within 10 seconds still earn 10 seconds.
    const beats = [{ at: 0, start: true }, ...Array.from({ length: 50 }, (_, i) => ({ at: (i + 1) * 0.2 }))]
    expect(run(text, beats).progress.verifiedSeconds).toBeCloseTo(10, 5)
  })

  test('a long silence earns at most one gap', () => {
    const { progress } = run(text, [{ at: 0, start: true }, { at: 3600 }])
    expect(progress.verifiedSeconds).toBe(MAX_GAP_SECONDS)
  })

  test('paused or hidden time earns nothing, and restarts the interval', () => {
    const { progress } = run(text, [{ at: 0, start: true }, { at: 15, engaged: false }, { at: 25, engaged: false }, { at: 40 }])
    expect(progress.verifiedSeconds).toBe(15)
  })

  test('text time stops at the lesson’s duration', () => {
    const beats = [{ at: 0, start: true }, ...Array.from({ length: 30 }, (_, i) => ({ at: (i + 1) * 15 }))]
    const { progress, outcomes } = run(text, beats)
    expect(progress.verifiedSeconds).toBe(300)
    expect(outcomes.at(-1)).toMatchObject({ kind: 'credited', seconds: 0, done: true })
  })

  test('video: normal playback counts; the furthest point follows', () => {
    const { progress } = run(video, [
      { at: 0, start: true, positionSeconds: 0 },
      { at: 15, positionSeconds: 15 },
      { at: 30, positionSeconds: 30 },
    ])
    expect(progress).toMatchObject({ verifiedSeconds: 30, furthestSeconds: 30, positionSeconds: 30 })
  })

  test('video: a seek beyond the furthest point is refused and earns nothing', () => {
    const { progress, outcomes } = run(video, [
      { at: 0, start: true, positionSeconds: 0 },
      { at: 15, positionSeconds: 15 },
      { at: 30, positionSeconds: 300 },
    ])
    expect(outcomes[2]).toMatchObject({ kind: 'seek_refused', resumeAt: 15 })
    expect(progress).toMatchObject({ verifiedSeconds: 15, furthestSeconds: 15 })
  })

  test('video: double speed earns only wall-clock time and cannot push the furthest point ahead', () => {
    const { progress, outcomes } = run(video, [
      { at: 0, start: true, positionSeconds: 0 },
      { at: 10, positionSeconds: 20 },
    ])
    expect(outcomes[1]).toMatchObject({ kind: 'seek_refused' })
    expect(progress.furthestSeconds).toBe(0)
    expect(progress.verifiedSeconds).toBe(0)
  })

  test('video: going back to re-watch is allowed and counts', () => {
    const { progress } = run(video, [
      { at: 0, start: true, positionSeconds: 0 },
      { at: 20, positionSeconds: 20 },
      { at: 21, positionSeconds: 5 },
      { at: 36, positionSeconds: 20 },
    ])
    expect(progress.furthestSeconds).toBe(20)
    // 20 s, then the second spent seeking back earns nothing, then 15 s of re-watching.
    expect(progress.verifiedSeconds).toBe(35)
  })

  test('video: a stalled player (position not moving) earns nothing', () => {
    const { progress } = run(video, [
      { at: 0, start: true, positionSeconds: 0 },
      { at: 10, positionSeconds: 10 },
      { at: 25, positionSeconds: 10 },
      { at: 40, positionSeconds: 10 },
    ])
    expect(progress.verifiedSeconds).toBe(10)
  })

  test('replayed or out-of-order heartbeats change nothing', () => {
    let progress = freshProgress()
    let slot: ActiveSlot = null
    const beat = (seq: number, at: number, start = false) =>
      applyHeartbeat(text, progress, slot, { lessonId: 'L1', playerId: 'P1', seq, start, engaged: true }, T0 + at * 1000)
    const a = beat(0, 0, true)
    if (a.kind !== 'credited') throw new Error('start')
    ;({ progress, slot } = a)
    const b = beat(1, 15)
    if (b.kind !== 'credited') throw new Error('beat')
    ;({ progress, slot } = b)
    expect(beat(1, 29)).toEqual({ kind: 'replayed' })
    expect(beat(0, 29)).toEqual({ kind: 'replayed' })
    expect(progress.verifiedSeconds).toBe(15)
  })

  test('two lessons at once: the newer page takes over; the older accrues nothing and is told why', () => {
    // Player A studies lesson L1; player B (another tab) starts lesson L2 and takes the slot.
    const a = run(text, [{ at: 0, start: true }, { at: 15 }])
    expect(a.progress.verifiedSeconds).toBe(15)
    const takeover = applyHeartbeat(
      text,
      freshProgress(),
      a.slot,
      { lessonId: 'L2', playerId: 'P2', seq: 0, start: true, engaged: true },
      T0 + 16_000,
    )
    expect(takeover).toMatchObject({ kind: 'credited', seconds: 0, slot: { playerId: 'P2', lessonId: 'L2' } })
    const slotNow = takeover.kind === 'credited' ? takeover.slot : null
    // A's next heartbeat on L1 earns nothing and says it was taken over.
    expect(applyHeartbeat(text, a.progress, slotNow, { lessonId: 'L1', playerId: 'P1', seq: 2, engaged: true }, T0 + 30_000)).toEqual({
      kind: 'taken_over',
      slot: slotNow,
    })
  })

  test('a forged heartbeat from a page that never started earns nothing', () => {
    expect(applyHeartbeat(text, freshProgress(), null, { lessonId: 'L1', playerId: 'X', seq: 99, engaged: true }, T0)).toMatchObject({
      kind: 'taken_over',
    })
  })

  test('done at 95% of the required time', () => {
    const beats = [{ at: 0, start: true }, ...Array.from({ length: 19 }, (_, i) => ({ at: (i + 1) * 15 }))]
    const { outcomes } = run(text, beats) // 285 s of 300 = 95%
    expect(outcomes.at(-2)).toMatchObject({ done: false })
    expect(outcomes.at(-1)).toMatchObject({ done: true })
  })

  test('a short lesson is done at 95% too, not rounded up to the whole of it', () => {
    const short = { kind: 'text' as const, requiredSeconds: 12 }
    expect(doneAtSeconds(12)).toBeCloseTo(11.4)
    const { outcomes } = run(short, [{ at: 0, start: true }, { at: 11.3 }, { at: 11.5 }])
    expect(outcomes.at(-2)).toMatchObject({ done: false })
    expect(outcomes.at(-1)).toMatchObject({ done: true })
  })
})

describe('attention checks (防挂机)', () => {
  const long: LessonRule = { kind: 'text', requiredSeconds: 2700 }
  const half = () => 0.5 // the check comes after 600 + 0.5 × 600 = 900 s
  const steady = (from: number, to: number) => Array.from({ length: (to - from) / 30 }, (_, i) => ({ at: from + (i + 1) * 30 }))

  function runWith(rule: LessonRule, beats: (Partial<Heartbeat> & { at: number })[], start = freshProgress()) {
    let progress = start
    let slot: ActiveSlot = { playerId: 'P1', lessonId: 'L1' }
    const outcomes: Outcome[] = []
    let seq = progress.lastSeq + 1
    for (const b of beats) {
      const o = applyHeartbeat(
        rule,
        progress,
        slot,
        { lessonId: 'L1', playerId: 'P1', seq: seq++, engaged: true, ...b },
        T0 + b.at * 1000,
        half,
      )
      outcomes.push(o)
      if (o.kind === 'credited' || o.kind === 'seek_refused') {
        progress = o.progress
        slot = o.slot
      }
    }
    return { progress, outcomes }
  }

  test('after the scheduled verified time the count stops until the learner confirms; then the next is scheduled', () => {
    const first = runWith(long, [{ at: 0, start: true }, ...steady(0, 1200)])
    expect(first.progress).toMatchObject({ verifiedSeconds: 900, checkAtSeconds: 900, checkPending: true })
    expect(first.outcomes.at(-1)).toMatchObject({ kind: 'credited', check: true, seconds: 0 })
    // Confirming earns nothing for the wait, and resumes the count from the next beat.
    const after = runWith(long, [{ at: 1210, confirm: true, engaged: false }, { at: 1240 }], first.progress)
    expect(after.outcomes[0]).toMatchObject({ kind: 'credited', check: false, seconds: 0 })
    expect(after.progress).toMatchObject({ verifiedSeconds: 930, checkPending: false, checkAtSeconds: 1800 })
  })

  test('a reload does not skip a pending check, and a confirm with none pending changes nothing', () => {
    const pending = runWith(long, [{ at: 0, start: true }, ...steady(0, 960)]).progress
    expect(pending.checkPending).toBe(true)
    const reloaded = applyHeartbeat(
      long,
      pending,
      { playerId: 'P1', lessonId: 'L1' },
      { lessonId: 'L1', playerId: 'P2', seq: 0, start: true, engaged: true },
      T0 + 1_000_000,
      half,
    )
    expect(reloaded).toMatchObject({ kind: 'credited', check: true, progress: { checkPending: true, verifiedSeconds: 900 } })
    const early = runWith(long, [
      { at: 0, start: true },
      { at: 30, confirm: true },
    ]).progress
    expect(early).toMatchObject({ verifiedSeconds: 30, checkPending: false, checkAtSeconds: 900 })
  })

  test('short lessons never see a check', () => {
    const { outcomes } = runWith(text, [{ at: 0, start: true }, ...steady(0, 330)])
    expect(outcomes.every((o) => o.kind !== 'credited' || !o.check)).toBe(true)
    expect(outcomes.at(-1)).toMatchObject({ done: true })
  })
})
