import type { Transaction } from 'kysely'

import { audit } from '#app/domain/identity/audit.server.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import type { Database, DB } from '#db/schema.ts'

import { chinaInstant } from './blocks.ts'
import { blockDay, blockPart } from './checkin.ts'
import { CLOCK, MAX_VENUE } from './host-edit.schema.ts'

/**
 * Host base staff manage the details of a seminar their base hosts: the venue (地点) and the times
 * of a half-day block that has not started. Hours, dates, capacity and quotas are the province's
 * plan and are not changed here. Staff of another base get `not_host` whether the seminar exists
 * or not. Every change is audited with before and after, and confirmed participants get a notice.
 */

type Trx = Transaction<Database>
export type HostStaff = { accountId: number; baseId: number }

export type HostEditCode =
  'not_host' | 'not_found' | 'started' | 'past' | 'bad_times' | 'other_half' | 'overlap' | 'venue_required' | 'venue_too_long'

/** Runs `fn` in the caller's transaction, or in a new one. */
function inTransaction<T>(db: DB, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Trx) : db.transaction().execute(fn)
}

/** Locks this base's seminar (edits of one seminar run one after the other); undefined when not this base's. */
async function lockHosted(trx: Trx, staff: HostStaff, seminarId: number) {
  return trx
    .selectFrom('seminars')
    .select(['id', 'title', 'venue'])
    .where('id', '=', seminarId)
    .where('host_base_id', '=', staff.baseId)
    .forUpdate()
    .executeTakeFirst()
}

/** One in-app notice per confirmed participant; `key` makes the notice of one change unique per person. */
async function noticeConfirmed(trx: Trx, seminarId: number, kind: string, key: string, params: Record<string, unknown>): Promise<number> {
  const people = await trx
    .selectFrom('seminar_registrations')
    .select('person_id')
    .where('seminar_id', '=', seminarId)
    .where('status', '=', 'confirmed')
    .execute()
  if (people.length === 0) return 0
  await trx
    .insertInto('notices')
    .values(
      people.map((p) => ({
        person_id: p.person_id,
        kind,
        dedupe_key: `${key}:${p.person_id}`,
        params: JSON.stringify(params),
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute()
  return people.length
}

/** China clock time of an instant ('HH:MM'). */
function chinaClock(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(11, 16)
}

/** Changes the venue (trimmed, required, at most MAX_VENUE characters). `changed` is false when it was already this venue. */
export async function updateVenue(
  db: DB,
  staff: HostStaff,
  seminarId: number,
  venue: string,
  now: Date,
): Promise<Result<{ changed: boolean }, HostEditCode>> {
  const next = venue.trim()
  if (next === '') return err('venue_required')
  if ([...next].length > MAX_VENUE) return err('venue_too_long')
  return inTransaction(db, async (trx) => {
    const seminar = await lockHosted(trx, staff, seminarId)
    if (!seminar) return err('not_host')
    if (seminar.venue === next) return ok({ changed: false })
    await trx.updateTable('seminars').set({ venue: next }).where('id', '=', seminarId).execute()
    await audit(trx, {
      actorAccountId: staff.accountId,
      action: 'seminar.venue_update',
      targetType: 'seminar',
      targetId: seminarId,
      detail: { before: seminar.venue, after: next },
    })
    await noticeConfirmed(trx, seminarId, 'seminar_venue_changed', `seminar-venue:${seminarId}:${now.toISOString()}`, {
      seminarId,
      title: seminar.title,
      venue: next,
      previous: seminar.venue,
    })
    return ok({ changed: true })
  })
}

/**
 * Moves a block that has not started to other times on the same China day ('HH:MM'), ending after
 * it starts, starting in the future, staying in its half of the day (a morning block stays before
 * noon, so the roster's 上午/下午 labels and the check-in codes keep naming the same block), and
 * not overlapping another block of the seminar. The block's hours do not change.
 */
export async function moveBlock(
  db: DB,
  staff: HostStaff,
  seminarId: number,
  blockId: number,
  times: { startsAt: string; endsAt: string },
  now: Date,
): Promise<Result<{ changed: boolean }, HostEditCode>> {
  if (!CLOCK.test(times.startsAt) || !CLOCK.test(times.endsAt) || times.endsAt <= times.startsAt) return err('bad_times')
  return inTransaction(db, async (trx) => {
    const seminar = await lockHosted(trx, staff, seminarId)
    if (!seminar) return err('not_host')
    const block = await trx
      .selectFrom('seminar_blocks')
      .select(['id', 'starts_at', 'ends_at'])
      .where('id', '=', blockId)
      .where('seminar_id', '=', seminarId)
      .executeTakeFirst()
    if (!block) return err('not_found')
    if (now >= block.starts_at) return err('started')
    const day = blockDay(block.starts_at)
    const startsAt = chinaInstant(day, times.startsAt)
    const endsAt = chinaInstant(day, times.endsAt)
    if (startsAt <= now) return err('past')
    if (blockPart(startsAt) !== blockPart(block.starts_at)) return err('other_half')
    if (startsAt.getTime() === block.starts_at.getTime() && endsAt.getTime() === block.ends_at.getTime()) return ok({ changed: false })
    const clash = await trx
      .selectFrom('seminar_blocks')
      .select('id')
      .where('seminar_id', '=', seminarId)
      .where('id', '<>', blockId)
      .where('starts_at', '<', endsAt)
      .where('ends_at', '>', startsAt)
      .executeTakeFirst()
    if (clash) return err('overlap')

    await trx.updateTable('seminar_blocks').set({ starts_at: startsAt, ends_at: endsAt }).where('id', '=', blockId).execute()
    const before = { startsAt: chinaClock(block.starts_at), endsAt: chinaClock(block.ends_at) }
    await audit(trx, {
      actorAccountId: staff.accountId,
      action: 'seminar.block_move',
      targetType: 'seminar',
      targetId: seminarId,
      detail: { blockId, day, before, after: { startsAt: times.startsAt, endsAt: times.endsAt } },
    })
    await noticeConfirmed(trx, seminarId, 'seminar_block_moved', `seminar-block:${blockId}:${now.toISOString()}`, {
      seminarId,
      title: seminar.title,
      day,
      from: times.startsAt,
      to: times.endsAt,
      previousFrom: before.startsAt,
      previousTo: before.endsAt,
    })
    return ok({ changed: true })
  })
}
