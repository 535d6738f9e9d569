import { z } from 'zod'

import { sessionTokenFromCookies } from '#app/auth/auth.server.ts'
import type { HeartbeatAnswer } from '#app/domain/courses/heartbeat-wire.ts'
import { recordHeartbeat } from '#app/domain/courses/heartbeats.server.ts'
import { getDb } from '#app/lib/db.server.ts'

import { type ApiReply, type ApiRequest, methodNotAllowed, readJson, reply, replyError } from './api.server.ts'

/**
 * POST /study/heartbeat: what a lesson page reports every few seconds (transport-neutral, like
 * the /api/v1 handlers: the Remix route wraps it and the fast path serves it directly). Signed in
 * by the session cookie; a cross-site Origin is refused. The answer's `status` tells the page
 * what happened; only the server decides how much time counted.
 */
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/)
export const HeartbeatBodySchema = z
  .object({
    courseId: slug,
    lessonId: slug,
    playerId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
    seq: z.number().int().min(0).max(1_000_000_000),
    start: z.boolean().optional(),
    position: z.number().finite().min(0).max(86_400).optional(),
    engaged: z.boolean(),
    confirm: z.boolean().optional(),
  })
  .strict()

const signedOut = () => replyError(401, 'unauthorized', '登录已失效，请重新登录 / Please sign in again')

export async function heartbeat(req: ApiRequest): Promise<ApiReply> {
  if (req.method !== 'POST') return methodNotAllowed('POST')
  const origin = req.header('origin')
  if (origin && origin !== req.origin) return replyError(403, 'forbidden', '来源不被允许 / Cross-site request refused')
  const token = sessionTokenFromCookies(req.header('cookie'))
  if (!token) return signedOut()
  const json = await readJson(req)
  if (!json.ok) return json.reply
  const parsed = HeartbeatBodySchema.safeParse(json.body)
  if (!parsed.success) return replyError(400, 'invalid_body', '请求参数不正确 / Invalid heartbeat')
  const b = parsed.data
  // The session is checked in the same statement that reads the lesson state (one round trip).
  const r = await recordHeartbeat(
    getDb(),
    { sessionToken: token },
    {
      courseId: b.courseId,
      lessonId: b.lessonId,
      playerId: b.playerId,
      seq: b.seq,
      start: b.start,
      positionSeconds: b.position,
      engaged: b.engaged,
      confirm: b.confirm,
    },
  )
  switch (r.kind) {
    case 'signed_out':
      return signedOut()
    case 'not_enrolled':
    case 'unknown_lesson':
      return replyError(404, 'not_found', '没有该课程的报名记录或该课时 / No such enrolment or lesson')
    case 'taken_over':
      return reply({ status: 'taken_over' } satisfies HeartbeatAnswer, 409)
    case 'credited': {
      const { kind: _, ...rest } = r
      return reply({ status: 'credited', ...rest } satisfies HeartbeatAnswer)
    }
    case 'seek_refused':
      return reply({ status: 'seek_refused', resumeAt: r.resumeAt } satisfies HeartbeatAnswer)
    case 'replayed':
    case 'busy':
      return reply({ status: r.kind } satisfies HeartbeatAnswer)
  }
}
