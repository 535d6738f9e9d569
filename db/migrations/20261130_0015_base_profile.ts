import { type Kysely, sql } from 'kysely'

// A training base's public profile (issue 10): training fields (title series codes), introduction,
// address, website and public phone, edited by the base's staff. A change of name or credit code
// is a request (`base_name_changes`) that HR of the base's region decides.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('bases')
    .addColumn('training_fields', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('intro', 'text', (c) => c.check(sql`char_length(intro) <= 2000`))
    .addColumn('address', 'text')
    // The public page links it: only http(s), never javascript: or data:.
    .addColumn('website', 'text', (c) => c.check(sql`website ~* '^https?://'`))
    .addColumn('public_phone', 'text')
    .addColumn('profile_updated_at', 'timestamptz')
    .execute()
  // Until now the registry read the fields from the latest approved application of each base.
  await sql`
    update bases b set training_fields = a.training_fields
    from (select distinct on (base_id) base_id, training_fields
          from base_applications where state = 'approved' and base_id is not null
          order by base_id, id desc) a
    where a.base_id = b.id`.execute(db)

  await db.schema
    .createTable('base_name_changes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('base_id', 'bigint', (c) => c.notNull().references('bases.id'))
    .addColumn('requested_by_account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('new_name', 'text')
    .addColumn('new_credit_code', 'text', (c) => c.check(sql`new_credit_code ~ '^[0-9A-HJ-NP-RT-UW-Y]{18}$'`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending','approved','rejected','withdrawn')`))
    .addColumn('decided_by_account_id', 'bigint', (c) => c.references('accounts.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('base_name_changes_something', sql`new_name is not null or new_credit_code is not null`)
    .addCheckConstraint('base_name_changes_decided', sql`(state = 'pending') = (decided_at is null)`)
    .execute()
  // One pending request per base at a time.
  await sql`create unique index base_name_changes_one_pending on base_name_changes (base_id) where state = 'pending'`.execute(db)
  await db.schema.createIndex('base_name_changes_base_idx').on('base_name_changes').columns(['base_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('base_name_changes').execute()
  await db.schema
    .alterTable('bases')
    .dropColumn('training_fields')
    .dropColumn('intro')
    .dropColumn('address')
    .dropColumn('website')
    .dropColumn('public_phone')
    .dropColumn('profile_updated_at')
    .execute()
}
