import { type Kysely, sql } from 'kysely'

// Base staff as memberships (issue 10, ADR 0020): an account works for a base through a
// `base_members` row instead of `accounts.base_id`, so a professional who works at a base keeps
// their own learner account and hours. A base admin invites colleagues by their registered mobile;
// the colleague accepts. Existing base_staff accounts become admins of their base.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('base_members')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('base_id', 'bigint', (c) => c.notNull().references('bases.id'))
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
    /** May invite and remove colleagues. */
    .addColumn('is_admin', 'boolean', (c) => c.notNull().defaultTo(false))
    /** Who added them (null: the platform, e.g. the applicant made admin at approval). */
    .addColumn('added_by', 'bigint', (c) => c.references('accounts.id'))
    .addColumn('how', 'text', (c) => c.notNull().check(sql`how in ('migrated','approval','invitation','admin')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addColumn('ended_by', 'bigint', (c) => c.references('accounts.id'))
    .execute()
  // One base at a time per account; many members per base.
  await sql`create unique index base_members_one_live on base_members (account_id) where ended_at is null`.execute(db)
  await sql`create index base_members_base on base_members (base_id) where ended_at is null`.execute(db)

  await db.schema
    .createTable('base_invitations')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('base_id', 'bigint', (c) => c.notNull().references('bases.id'))
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('is_admin', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('invited_by', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('answered_at', 'timestamptz')
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('accepted','declined','cancelled')`))
    .execute()
  await sql`create unique index base_invitations_one_open on base_invitations (base_id, account_id) where outcome is null`.execute(db)
  await sql`create index base_invitations_invitee on base_invitations (account_id) where outcome is null`.execute(db)

  await sql`insert into base_members (base_id, account_id, is_admin, how, created_at)
            select base_id, id, true, 'migrated', created_at from accounts where role = 'base_staff' and base_id is not null`.execute(db)
  await sql`alter table accounts drop constraint accounts_binding`.execute(db)
  await sql`alter table accounts add constraint accounts_binding check (role <> 'hr' or scope_region is not null)`.execute(db)
  await db.schema.alterTable('accounts').dropColumn('base_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('base_id', 'bigint', (c) => c.references('bases.id'))
    .execute()
  await sql`update accounts a set base_id = m.base_id from base_members m where m.account_id = a.id and m.ended_at is null`.execute(db)
  await db.schema.dropTable('base_invitations').execute()
  await db.schema.dropTable('base_members').execute()
}
