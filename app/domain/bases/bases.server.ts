import type { DB } from '#db/schema.ts'

/**
 * Training bases (继续教育基地): the room for the bases capability (lifecycle, applications,
 * registry). Today: a base as its staff see it.
 */
export async function getBase(db: DB, baseId: number) {
  return db.selectFrom('bases').select(['id', 'name', 'credit_code', 'region_code', 'status']).where('id', '=', baseId).executeTakeFirst()
}

/** A base's record with its decision, notice, term and revocation, for HR, the province and its own staff. */
export async function getBaseRecord(db: DB, baseId: number) {
  return db
    .selectFrom('bases')
    .select([
      'id',
      'name',
      'credit_code',
      'region_code',
      'status',
      'decision_number',
      'notice_start',
      'notice_end',
      'term_start',
      'term_end',
      'revoked_on',
      'revocation_document',
      'policy_version',
    ])
    .where('id', '=', baseId)
    .executeTakeFirst()
}
