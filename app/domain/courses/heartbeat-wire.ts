/**
 * What POST /study/heartbeat answers (app/lib/study-api.server.ts), as the lesson page
 * (app/components/lesson-player.tsx) reads it. Errors use the API's error shape with 401, 403,
 * 404 and 409 (taken over by another page).
 */
export type HeartbeatAnswer =
  | {
      status: 'credited'
      creditedSeconds: number
      verifiedSeconds: number
      requiredSeconds: number
      furthestSeconds: number
      done: boolean
      check: boolean
    }
  | { status: 'seek_refused'; resumeAt: number }
  | { status: 'taken_over' }
  | { status: 'replayed' }
  | { status: 'busy' }
