import { type Kysely, sql } from 'kysely'

// Foundation: people, accounts and sessions, bases (for binding base staff), audit log,
// transactional outbox, in-app notices.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('people')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('id_number_enc', 'bytea', (c) => c.notNull())
    .addColumn('id_number_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('gender', 'char(1)', (c) => c.notNull().check(sql`gender in ('M','F')`))
    .addColumn('birth_date', 'date', (c) => c.notNull())
    .addColumn('employer', 'text')
    .addColumn('region_code', 'text')
    .addColumn('title_series', 'text')
    .addColumn('title_level', 'text')
    .addColumn('title_year', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('people_region_idx').on('people').column('region_code').execute()

  await db.schema
    .createTable('bases')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('credit_code', 'text', (c) => c.notNull().unique())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('applied')
        .check(sql`status in ('applied','designated','rectification','revoked')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('person_id', 'bigint', (c) => c.notNull().unique().references('people.id'))
    .addColumn('phone', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('learner','base_staff','hr','admin')`))
    .addColumn('base_id', 'bigint', (c) => c.references('bases.id'))
    .addColumn('scope_region', 'text')
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('last_login_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'accounts_binding',
      sql`(role <> 'base_staff' or base_id is not null) and (role <> 'hr' or scope_region is not null)`,
    )
    .execute()

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'bytea', (c) => c.primaryKey()) // sha256 of the cookie token
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('user_agent', 'text')
    .execute()
  await db.schema.createIndex('sessions_account_idx').on('sessions').column('account_id').execute()

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('actor_account_id', 'bigint', (c) => c.references('accounts.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('audit_log_created_idx').on('audit_log').column('created_at').execute()

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('job_name', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('dispatched_at', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute()
  await sql`create index outbox_pending_idx on outbox (id) where dispatched_at is null`.execute(db)

  await db.schema
    .createTable('notices')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('people.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('params', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('read_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('notices_person_idx').on('notices').column('person_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['notices', 'outbox', 'audit_log', 'sessions', 'accounts', 'bases', 'people']) {
    await db.schema.dropTable(t).execute()
  }
}
