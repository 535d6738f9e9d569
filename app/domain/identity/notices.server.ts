import type { DB } from '#db/schema.ts'

/**
 * In-app notices (消息通知). Text is rendered from `kind` in the reader's language; `dedupe_key`
 * makes every sender idempotent, so a retried job never shows a notice twice.
 */
export async function sendWelcomeNotice(db: DB, personId: number, accountId: number): Promise<'sent' | 'already-sent' | 'no-person'> {
  const person = await db.selectFrom('people').select(['id', 'name']).where('id', '=', personId).executeTakeFirst()
  if (!person) return 'no-person'
  const res = await db
    .insertInto('notices')
    .values({ person_id: personId, kind: 'welcome', dedupe_key: `welcome:${accountId}`, params: JSON.stringify({ name: person.name }) })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst()
  return (res.numInsertedOrUpdatedRows ?? 0n) > 0n ? 'sent' : 'already-sent'
}

export async function listNotices(db: DB, personId: number) {
  return db
    .selectFrom('notices')
    .select(['id', 'kind', 'params', 'created_at', 'read_at'])
    .where('person_id', '=', personId)
    .orderBy('id', 'desc')
    .limit(50)
    .execute()
}

/** The learner marks one of their own notices read (once: a second mark keeps the first time). False: not theirs. */
export async function markNoticeRead(db: DB, personId: number, noticeId: number, now = new Date()): Promise<boolean> {
  const own = await db.selectFrom('notices').select('id').where('id', '=', noticeId).where('person_id', '=', personId).executeTakeFirst()
  if (!own) return false
  await db.updateTable('notices').set({ read_at: now }).where('id', '=', noticeId).where('read_at', 'is', null).execute()
  return true
}
