import { useCallback, useEffect, useRef, useState } from 'react'

import type { HeartbeatAnswer } from '#app/domain/courses/heartbeat-wire.ts'
import { doneAtSeconds, HEARTBEAT_INTERVAL_SECONDS, IDLE_SECONDS, SEEK_TOLERANCE_SECONDS } from '#app/domain/courses/study-time.ts'
import { useT } from '#app/i18n/index.ts'

/**
 * The lesson player: shows a video or a text lesson and reports heartbeats to /study/heartbeat.
 * It only reports what it sees (position, playing / visible and active); the server decides what
 * counts. The page does its part so honest learners are never surprised:
 * - video: no seeking past the furthest point reached, normal speed only, paused when hidden;
 * - text: counts only while the page is visible, focused and used within IDLE_SECONDS;
 * - another tab or device taking over stops this one and says why, with a way to take it back.
 */
type Props = {
  courseId: string
  lessonId: string
  kind: 'text' | 'video'
  requiredSeconds: number
  videoUrl: string | null
  initialVerifiedSeconds: number
  initialFurthestSeconds: number
  children?: React.ReactNode
}

type Status = 'starting' | 'counting' | 'paused' | 'idle' | 'hidden' | 'check' | 'taken_over' | 'signed_out' | 'error' | 'done'

function newPlayerId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `p-${Date.now()}-${Math.random().toString(36).slice(2, 12)}`
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

export function LessonPlayer(props: Props) {
  const t = useT()
  // Read through a ref: `t` is a new function each render, and the heartbeat loop must not restart.
  const tRef = useRef(t)
  tRef.current = t
  const { courseId, lessonId, kind, requiredSeconds } = props
  const doneAt = doneAtSeconds(requiredSeconds)
  const [verified, setVerified] = useState(props.initialVerifiedSeconds)
  const [status, setStatus] = useState<Status>(props.initialVerifiedSeconds >= doneAt ? 'done' : 'starting')
  const [notice, setNotice] = useState<string | null>(null)
  const videoRef = useRef<HTMLVideoElement>(null)
  const session = useRef({
    playerId: '',
    seq: 0,
    inFlight: false,
    stopped: false,
    furthest: props.initialFurthestSeconds,
    lastActivity: Date.now(),
    playedSinceBeat: false,
  })
  const done = verified >= doneAt

  /** Text: visible, focused and used lately. Video: played since the last beat. */
  const engaged = useCallback((): boolean => {
    const s = session.current
    if (kind === 'video') {
      const v = videoRef.current
      return Boolean(v && (!v.paused || s.playedSinceBeat))
    }
    return document.visibilityState === 'visible' && document.hasFocus() && Date.now() - s.lastActivity < IDLE_SECONDS * 1000
  }, [kind])

  const beat = useCallback(
    async (opts: { start?: boolean; engaged?: boolean; keepalive?: boolean; confirm?: boolean } = {}) => {
      const s = session.current
      if (s.stopped && !opts.start) return
      if (s.inFlight && !opts.keepalive && !opts.confirm) return
      if (opts.start) {
        s.playerId = newPlayerId()
        s.stopped = false
      }
      const v = videoRef.current
      const body = {
        courseId,
        lessonId,
        playerId: s.playerId,
        seq: s.seq++,
        ...(opts.start ? { start: true } : {}),
        ...(kind === 'video' && v ? { position: Math.round(v.currentTime * 1000) / 1000 } : {}),
        engaged: opts.engaged ?? engaged(),
        ...(opts.confirm ? { confirm: true } : {}),
      }
      s.playedSinceBeat = false
      s.inFlight = true
      try {
        const res = await fetch('/study/heartbeat', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
          credentials: 'same-origin',
          keepalive: opts.keepalive,
        })
        if (res.status === 401) {
          s.stopped = true
          setStatus('signed_out')
          videoRef.current?.pause()
          return
        }
        if (res.status === 409) {
          s.stopped = true
          setStatus('taken_over')
          videoRef.current?.pause()
          return
        }
        if (!res.ok) {
          setStatus('error')
          return
        }
        const a = (await res.json()) as HeartbeatAnswer
        if (a.status === 'credited') {
          setVerified(Math.floor(a.verifiedSeconds))
          s.furthest = Math.max(s.furthest, a.furthestSeconds)
          if (a.done) setStatus('done')
          else if (a.check) {
            // An attention check: nothing counts until the learner confirms (the server enforces it).
            videoRef.current?.pause()
            setStatus('check')
          } else
            setStatus(
              body.engaged
                ? 'counting'
                : document.visibilityState === 'hidden'
                  ? 'hidden'
                  : kind === 'video'
                    ? 'paused'
                    : Date.now() - s.lastActivity >= IDLE_SECONDS * 1000
                      ? 'idle'
                      : 'paused',
            )
        } else if (a.status === 'seek_refused' && videoRef.current) {
          videoRef.current.currentTime = a.resumeAt
          setNotice(tRef.current('player.seekRefused'))
        }
      } catch {
        setStatus('error')
      } finally {
        s.inFlight = false
      }
    },
    [courseId, lessonId, kind, engaged],
  )

  // Claim the study slot on load, then report every few seconds.
  useEffect(() => {
    void beat({ start: true, engaged: false })
    const timer = window.setInterval(() => void beat(), HEARTBEAT_INTERVAL_SECONDS * 1000)
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        videoRef.current?.pause()
        void beat({ keepalive: true })
        setStatus((st) => (st === 'done' || st === 'taken_over' ? st : 'hidden'))
      } else {
        // Nothing is owed for the hidden time: report not-engaged to start a fresh interval.
        void beat({ engaged: false })
      }
    }
    const onActivity = () => {
      session.current.lastActivity = Date.now()
    }
    const onPageHide = () => void beat({ keepalive: true })
    document.addEventListener('visibilitychange', onVisibility)
    window.addEventListener('pagehide', onPageHide)
    const activity = ['pointermove', 'pointerdown', 'keydown', 'scroll', 'wheel', 'touchstart'] as const
    for (const e of activity) window.addEventListener(e, onActivity, { passive: true })
    return () => {
      window.clearInterval(timer)
      document.removeEventListener('visibilitychange', onVisibility)
      window.removeEventListener('pagehide', onPageHide)
      for (const e of activity) window.removeEventListener(e, onActivity)
    }
  }, [beat])

  // Video: no seeking ahead, normal speed only, a beat on pause and at the end.
  useEffect(() => {
    const v = videoRef.current
    if (!v) return
    const s = session.current
    const onLoaded = () => {
      const resume = s.furthest < v.duration - 1 ? s.furthest : 0
      if (resume > 0) v.currentTime = resume
    }
    const onTime = () => {
      if (!v.seeking && !v.paused) {
        s.playedSinceBeat = true
        s.furthest = Math.max(s.furthest, v.currentTime)
      }
    }
    const onSeeking = () => {
      if (v.currentTime > s.furthest + SEEK_TOLERANCE_SECONDS) {
        v.currentTime = s.furthest
        setNotice(tRef.current('player.seekRefused'))
      }
    }
    const onRate = () => {
      if (v.playbackRate !== 1) {
        v.playbackRate = 1
        setNotice(tRef.current('player.normalSpeed'))
      }
    }
    const onPlay = () => {
      setNotice(null)
      void beat({ engaged: false })
    }
    const onPause = () => void beat({ engaged: true })
    if (v.readyState >= 1) onLoaded()
    const listeners: [string, () => void][] = [
      ['loadedmetadata', onLoaded],
      ['timeupdate', onTime],
      ['seeking', onSeeking],
      ['ratechange', onRate],
      ['play', onPlay],
      ['pause', onPause],
      ['ended', onPause],
    ]
    for (const [event, fn] of listeners) v.addEventListener(event, fn)
    return () => {
      for (const [event, fn] of listeners) v.removeEventListener(event, fn)
    }
  }, [beat])

  const pct = Math.min(100, Math.floor((verified / requiredSeconds) * 100))
  const statusText: Record<Status, string> = {
    starting: t('player.status.starting'),
    counting: t('player.status.counting'),
    paused: kind === 'video' ? t('player.status.pausedVideo') : t('player.status.pausedText'),
    idle: t('player.status.idle'),
    check: t('player.status.check'),
    hidden: t('player.status.hidden'),
    taken_over: t('player.status.takenOver'),
    signed_out: t('player.status.signedOut'),
    error: t('player.status.error'),
    done: t('player.status.done'),
  }
  return (
    <div className="player" data-status={status}>
      {kind === 'video' && props.videoUrl ? (
        <video
          ref={videoRef}
          className="player-video"
          src={props.videoUrl}
          controls
          controlsList="noplaybackrate nodownload"
          disablePictureInPicture
          preload="metadata"
          playsInline
          data-testid="lesson-video"
        >
          <track kind="captions" />
        </video>
      ) : null}
      <div className="player-meter" aria-live="polite">
        <div className="meter-head">
          <span>
            {t('player.verified')} <strong data-testid="verified">{clock(verified)}</strong> / {clock(requiredSeconds)}
          </span>
          <span className={`player-status player-status-${status}`} data-testid="player-status">
            {done ? t('player.status.done') : statusText[status]}
          </span>
        </div>
        <div
          className="meter-bar"
          role="progressbar"
          aria-label={t('player.verified')}
          aria-valuemin={0}
          aria-valuemax={requiredSeconds}
          aria-valuenow={Math.min(verified, requiredSeconds)}
        >
          <span className={done ? 'ok' : 'short'} style={{ width: `${pct}%` }} />
        </div>
      </div>
      {notice ? (
        <p className="alert alert-error" role="alert">
          {notice}
        </p>
      ) : null}
      {status === 'check' ? (
        <div className="alert alert-error" role="alertdialog" aria-labelledby="check-title">
          <p id="check-title">{t('player.check.body')}</p>
          <button type="button" className="button" onClick={() => void beat({ confirm: true, engaged: false })}>
            {t('player.check.confirm')}
          </button>
        </div>
      ) : null}
      {status === 'taken_over' ? (
        <div className="alert alert-error" role="alert">
          <p>{t('player.takenOver.body')}</p>
          <button type="button" className="button" onClick={() => void beat({ start: true, engaged: false })}>
            {t('player.takenOver.resume')}
          </button>
        </div>
      ) : null}
      {status === 'signed_out' ? (
        <p className="alert alert-error" role="alert">
          <a href={`/login?redirectTo=${encodeURIComponent(`/courses/${courseId}/lessons/${lessonId}`)}`}>{t('player.signIn')}</a>
        </p>
      ) : null}
      {props.children}
    </div>
  )
}
