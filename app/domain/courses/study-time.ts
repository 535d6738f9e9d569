/**
 * Verified study time (学习时长核验) as pure rules, applied by the server to each heartbeat a
 * lesson page sends. The client reports what it sees; only the server's clock decides how much
 * time counts:
 *
 * - never more than the wall-clock time since the last accepted heartbeat (capped per gap, so a
 *   sleeping laptop earns nothing for the night);
 * - a video may not jump past the furthest point reached plus the time that passed (no seeking
 *   ahead, no faster-than-normal playback); going back to re-watch is fine;
 * - paused, hidden or inactive pages earn nothing;
 * - one lesson per person at a time: a new page (another tab or device) takes over, and the old
 *   one is told why on its next heartbeat;
 * - replayed or out-of-order heartbeats (sequence not increasing) change nothing;
 * - a lesson is done at 95% of its required time;
 * - attention checks (防挂机): in a lesson long enough, after a random 10–20 minutes of verified
 *   time the count stops until the learner confirms on the page; then the next one is scheduled.
 *   A reload does not skip a pending check.
 */
export const MAX_GAP_SECONDS = 30
export const SEEK_TOLERANCE_SECONDS = 2
export const DONE_RATIO = 0.95
/** How often a lesson page reports (well under MAX_GAP_SECONDS, so steady study is never capped). */
export const HEARTBEAT_INTERVAL_SECONDS = 5
/** A text lesson stops counting after this long without a key, pointer, scroll or touch. */
export const IDLE_SECONDS = 180
/** An attention check comes after this much verified time in a lesson (random within the range). */
export const CHECK_AFTER_SECONDS = { min: 600, max: 1200 } as const

export type LessonRule = { kind: 'text' | 'video'; requiredSeconds: number; mediaSeconds?: number }

export type Progress = {
  verifiedSeconds: number
  /** Furthest verified position in the video, seconds. */
  furthestSeconds: number
  /** Last position the player reported and we accepted. */
  positionSeconds: number
  /** Server time (ms) of the last accepted heartbeat of the active player, or null before the first. */
  lastAcceptedAt: number | null
  lastSeq: number
  /** Verified seconds at which the next attention check stops the count; null until scheduled. */
  checkAtSeconds: number | null
  /** An attention check is waiting for the learner: nothing counts until it is confirmed. */
  checkPending: boolean
}

/** Which player (one page load) holds the person's single study slot, and on which lesson. */
export type ActiveSlot = { playerId: string; lessonId: string } | null

export type Heartbeat = {
  lessonId: string
  playerId: string
  seq: number
  /** First heartbeat of a page load: claims the person's slot, taking it from any other player. */
  start?: boolean
  /** Video: current position (s). Text: ignored. */
  positionSeconds?: number
  /** Playing (video) or visible and active (text). */
  engaged: boolean
  /** The learner confirmed the attention check on the page. */
  confirm?: boolean
}

export type Outcome =
  | { kind: 'credited'; seconds: number; progress: Progress; slot: ActiveSlot; done: boolean; check: boolean }
  | { kind: 'taken_over'; slot: ActiveSlot }
  | { kind: 'replayed' }
  | { kind: 'seek_refused'; resumeAt: number; progress: Progress; slot: ActiveSlot }

export function freshProgress(): Progress {
  return {
    verifiedSeconds: 0,
    furthestSeconds: 0,
    positionSeconds: 0,
    lastAcceptedAt: null,
    lastSeq: -1,
    checkAtSeconds: null,
    checkPending: false,
  }
}

/** The verified seconds at which a lesson of this required time is done (not rounded up: 11.4 s of 12). */
export function doneAtSeconds(requiredSeconds: number): number {
  return requiredSeconds * DONE_RATIO
}

export function isDone(rule: LessonRule, p: Progress): boolean {
  return p.verifiedSeconds >= doneAtSeconds(rule.requiredSeconds)
}

export function applyHeartbeat(
  rule: LessonRule,
  progress: Progress,
  slot: ActiveSlot,
  hb: Heartbeat,
  nowMs: number,
  random: () => number = Math.random,
): Outcome {
  const own = slot !== null && slot.playerId === hb.playerId && slot.lessonId === hb.lessonId
  if (!own && !hb.start) return { kind: 'taken_over', slot }
  if (own && hb.seq <= progress.lastSeq) return { kind: 'replayed' }

  // A start (new page load, or taking over) begins a fresh interval: no time is owed for before it.
  const claimed: ActiveSlot = { playerId: hb.playerId, lessonId: hb.lessonId }
  const since = own && !hb.start ? progress.lastAcceptedAt : null
  const elapsed = since === null ? 0 : Math.max(0, Math.min(MAX_GAP_SECONDS, (nowMs - since) / 1000))
  // A confirmation ends a pending check; the time spent before it is not owed.
  const confirmed = progress.checkPending && hb.confirm === true
  const base: Progress = confirmed
    ? { ...progress, checkPending: false, checkAtSeconds: scheduleCheck(progress.verifiedSeconds, random) }
    : progress
  const engaged = hb.engaged && !base.checkPending && !confirmed

  if (rule.kind === 'video') {
    const media = rule.mediaSeconds ?? rule.requiredSeconds
    const reported = clamp(hb.positionSeconds ?? base.positionSeconds, 0, media)
    const allowed = base.furthestSeconds + elapsed + SEEK_TOLERANCE_SECONDS
    if (reported > allowed) {
      const kept = { ...base, lastAcceptedAt: nowMs, lastSeq: hb.seq }
      return { kind: 'seek_refused', resumeAt: base.furthestSeconds, progress: kept, slot: claimed }
    }
    // Time counts while playing: at most the wall-clock time and at most how far the position moved,
    // so a stalled or paused player earns nothing (the tolerance applies to the seek check only).
    const moved = Math.max(0, reported - base.positionSeconds)
    const credit = engaged ? Math.min(elapsed, moved) : 0
    const next: Progress = {
      ...base,
      verifiedSeconds: Math.min(rule.requiredSeconds, base.verifiedSeconds + credit),
      furthestSeconds: Math.max(base.furthestSeconds, Math.min(reported, allowed)),
      positionSeconds: reported,
      lastAcceptedAt: nowMs,
      lastSeq: hb.seq,
    }
    return credited(rule, progress, withCheck(rule, next, random), claimed)
  }

  const credit = engaged ? elapsed : 0
  const next: Progress = {
    ...base,
    verifiedSeconds: Math.min(rule.requiredSeconds, base.verifiedSeconds + credit),
    lastAcceptedAt: nowMs,
    lastSeq: hb.seq,
  }
  return credited(rule, progress, withCheck(rule, next, random), claimed)
}

function credited(rule: LessonRule, before: Progress, next: Progress, slot: ActiveSlot): Outcome {
  return {
    kind: 'credited',
    seconds: next.verifiedSeconds - before.verifiedSeconds,
    progress: next,
    slot,
    done: isDone(rule, next),
    check: next.checkPending,
  }
}

function scheduleCheck(fromSeconds: number, random: () => number): number {
  const { min, max } = CHECK_AFTER_SECONDS
  return Math.round(fromSeconds + min + random() * (max - min))
}

/** Schedules the first check, and stops the count at a due one (never once the lesson is done). */
function withCheck(rule: LessonRule, p: Progress, random: () => number): Progress {
  const checkAt = p.checkAtSeconds ?? scheduleCheck(0, random)
  if (!p.checkPending && !isDone(rule, p) && p.verifiedSeconds >= checkAt && checkAt < doneAtSeconds(rule.requiredSeconds)) {
    return { ...p, verifiedSeconds: checkAt, checkAtSeconds: checkAt, checkPending: true }
  }
  return { ...p, checkAtSeconds: checkAt }
}

function clamp(v: number, lo: number, hi: number): number {
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo
}
