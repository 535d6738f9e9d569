import { getEnv } from './env.server.ts'
import { getLogger } from './log.server.ts'
import { getRedis, redisKey } from './redis.server.ts'

/**
 * Text messages to a mobile (password-reset codes). Two channels, chosen by the environment:
 *
 * - `http`: a real SMS provider behind an HTTP endpoint (`XUESHI_SMS_URL`), sent
 *   `POST {"to": "139…", "text": "…"}` with `Authorization: Bearer <XUESHI_SMS_KEY>`; any 2xx is
 *   accepted. A gateway for a particular vendor (Aliyun, Tencent Cloud) sits behind that URL, or
 *   is one more adapter here.
 * - `local`: no provider configured. The message goes to the server log and to a short list in
 *   Redis that the dev-only page /dev/outbox shows. Refused in production (app/lib/env.server.ts)
 *   unless `XUESHI_SMS_LOCAL=1`, which `npm start` sets for a fresh clone's local platform.
 */
export type SmsMessage = { to: string; text: string }

export interface SmsChannel {
  readonly kind: 'http' | 'local'
  send(message: SmsMessage): Promise<void>
}

const SEND_TIMEOUT_MS = 5000

export class SmsSendFailed extends Error {}

export function httpSmsChannel(url: string, key: string | undefined): SmsChannel {
  return {
    kind: 'http',
    async send(message) {
      let res: Response
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
          body: JSON.stringify(message),
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        })
      } catch (e) {
        throw new SmsSendFailed(`SMS provider unreachable: ${(e as Error).message}`)
      }
      await res.body?.cancel()
      if (!res.ok) throw new SmsSendFailed(`SMS provider answered ${res.status}`)
    },
  }
}

/** How many messages the local outbox keeps, and for how long. */
const OUTBOX_SIZE = 50
const OUTBOX_TTL_SECONDS = 60 * 60

export type OutboxEntry = SmsMessage & { at: string }

function outboxKey(): string {
  return redisKey('dev-sms-outbox')
}

export const localSmsChannel: SmsChannel = {
  kind: 'local',
  async send(message) {
    getLogger().warn({ sms: message }, 'local SMS channel (no XUESHI_SMS_URL): message not sent, see /dev/outbox')
    const entry: OutboxEntry = { ...message, at: new Date().toISOString() }
    const key = outboxKey()
    await (
      await getRedis()
    )
      .multi()
      .lpush(key, JSON.stringify(entry))
      .ltrim(key, 0, OUTBOX_SIZE - 1)
      .expire(key, OUTBOX_TTL_SECONDS)
      .exec()
  },
}

/** The channel in force; null would never happen after a successful boot (env refuses it). */
export function smsChannel(): SmsChannel {
  const env = getEnv()
  if (env.XUESHI_SMS_URL) return httpSmsChannel(env.XUESHI_SMS_URL, env.XUESHI_SMS_KEY)
  return localSmsChannel
}

/** Whether the local channel is the one in force (the dev outbox page exists only then). */
export function isLocalSms(): boolean {
  return smsChannel().kind === 'local'
}

export async function readLocalOutbox(): Promise<OutboxEntry[]> {
  const rows = await (await getRedis()).lrange(outboxKey(), 0, OUTBOX_SIZE - 1)
  return rows.map((r) => JSON.parse(r) as OutboxEntry)
}
