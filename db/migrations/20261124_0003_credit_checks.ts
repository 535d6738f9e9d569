import { type Kysely, sql } from 'kysely'

// API clients of the title-application system, and every credit-hours check they made.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_clients')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('scope_region', 'text', (c) => c.notNull())
    .addColumn('rate_limit_per_minute', 'integer', (c) => c.notNull().defaultTo(600))
    .addColumn('created_by', 'bigint', (c) => c.references('accounts.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute()

  await db.schema
    .createTable('credit_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('api_client_id', 'bigint', (c) => c.references('api_clients.id'))
    .addColumn('requested_by', 'bigint', (c) => c.references('accounts.id'))
    .addColumn('person_id', 'bigint', (c) => c.references('people.id'))
    .addColumn('id_number_hash', 'bytea', (c) => c.notNull())
    .addColumn('id_number_masked', 'text', (c) => c.notNull())
    .addColumn('application_year', 'integer', (c) => c.notNull())
    .addColumn('eligible', 'boolean', (c) => c.notNull())
    .addColumn('policy_version', 'text', (c) => c.notNull())
    // json, not jsonb: the stored proof is the exact text that was answered, and it is cheaper to write.
    .addColumn('answer', 'json', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('credit_checks_person_idx').on('credit_checks').column('person_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('credit_checks').execute()
  await db.schema.dropTable('api_clients').execute()
}
