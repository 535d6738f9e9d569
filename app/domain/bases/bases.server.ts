import type { DB } from '#db/schema.ts'

/**
 * Training bases (继续教育基地): the room for the bases capability (lifecycle, applications,
 * registry). Today: a base as its staff see it.
 */
export async function getBase(db: DB, baseId: number) {
  return db.selectFrom('bases').select(['id', 'name', 'credit_code', 'region_code', 'status']).where('id', '=', baseId).executeTakeFirst()
}
