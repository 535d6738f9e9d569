import type { DB } from '#db/schema.ts'

/** The figures on the admin home page. */
export async function adminOverview(db: DB) {
  const [people, staff, bases] = await Promise.all([
    db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '<>', 'learner')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('bases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return { people: people.n, staff: staff.n, bases: bases.n }
}
