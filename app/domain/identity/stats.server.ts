import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'

export async function adminOverview(db: Kysely<Database>) {
  const [people, staff, bases] = await Promise.all([
    db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '<>', 'learner').executeTakeFirstOrThrow(),
    db.selectFrom('bases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { people: people.n, staff: staff.n, bases: bases.n }
}

export async function getBase(db: Kysely<Database>, baseId: number) {
  return db.selectFrom('bases').select(['id', 'name', 'credit_code', 'region_code', 'status']).where('id', '=', baseId).executeTakeFirst()
}
