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
 * - a lesson is done at 95% of its required time.
 */
export const MAX_GAP_SECONDS = 30
export const SEEK_TOLERANCE_SECONDS = 2
export const DONE_RATIO = 0.95
/** How often a lesson page reports (well under MAX_GAP_SECONDS, so steady study is never capped). */
export const HEARTBEAT_INTERVAL_SECONDS = 5
/** A text lesson stops counting after this long without a key, pointer, scroll or touch. */
export const IDLE_SECONDS = 180

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
}

export type Outcome =
  | { kind: 'credited'; seconds: number; progress: Progress; slot: ActiveSlot; done: boolean }
  | { kind: 'taken_over'; slot: ActiveSlot }
  | { kind: 'replayed' }
  | { kind: 'seek_refused'; resumeAt: number; progress: Progress; slot: ActiveSlot }

export function freshProgress(): Progress {
  return { verifiedSeconds: 0, furthestSeconds: 0, positionSeconds: 0, lastAcceptedAt: null, lastSeq: -1 }
}

/** The verified seconds at which a lesson of this required time is done (not rounded up: 11.4 s of 12). */
export function doneAtSeconds(requiredSeconds: number): number {
  return requiredSeconds * DONE_RATIO
}

export function isDone(rule: LessonRule, p: Progress): boolean {
  return p.verifiedSeconds >= doneAtSeconds(rule.requiredSeconds)
}

export function applyHeartbeat(rule: LessonRule, progress: Progress, slot: ActiveSlot, hb: Heartbeat, nowMs: number): Outcome {
  const own = slot !== null && slot.playerId === hb.playerId && slot.lessonId === hb.lessonId
  if (!own && !hb.start) return { kind: 'taken_over', slot }
  if (own && hb.seq <= progress.lastSeq) return { kind: 'replayed' }

  // A start (new page load, or taking over) begins a fresh interval: no time is owed for before it.
  const claimed: ActiveSlot = { playerId: hb.playerId, lessonId: hb.lessonId }
  const since = own && !hb.start ? progress.lastAcceptedAt : null
  const elapsed = since === null ? 0 : Math.max(0, Math.min(MAX_GAP_SECONDS, (nowMs - since) / 1000))

  if (rule.kind === 'video') {
    const media = rule.mediaSeconds ?? rule.requiredSeconds
    const reported = clamp(hb.positionSeconds ?? progress.positionSeconds, 0, media)
    const allowed = progress.furthestSeconds + elapsed + SEEK_TOLERANCE_SECONDS
    if (reported > allowed) {
      const kept = { ...progress, lastAcceptedAt: nowMs, lastSeq: hb.seq }
      return { kind: 'seek_refused', resumeAt: progress.furthestSeconds, progress: kept, slot: claimed }
    }
    // Time counts while playing: at most the wall-clock time and at most how far the position moved,
    // so a stalled or paused player earns nothing (the tolerance applies to the seek check only).
    const moved = Math.max(0, reported - progress.positionSeconds)
    const credit = hb.engaged ? Math.min(elapsed, moved) : 0
    const next: Progress = {
      verifiedSeconds: Math.min(rule.requiredSeconds, progress.verifiedSeconds + credit),
      furthestSeconds: Math.max(progress.furthestSeconds, Math.min(reported, allowed)),
      positionSeconds: reported,
      lastAcceptedAt: nowMs,
      lastSeq: hb.seq,
    }
    return { kind: 'credited', seconds: next.verifiedSeconds - progress.verifiedSeconds, progress: next, slot: claimed, done: isDone(rule, next) }
  }

  const credit = hb.engaged ? elapsed : 0
  const next: Progress = {
    ...progress,
    verifiedSeconds: Math.min(rule.requiredSeconds, progress.verifiedSeconds + credit),
    lastAcceptedAt: nowMs,
    lastSeq: hb.seq,
  }
  return { kind: 'credited', seconds: next.verifiedSeconds - progress.verifiedSeconds, progress: next, slot: claimed, done: isDone(rule, next) }
}

function clamp(v: number, lo: number, hi: number): number {
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo
}
