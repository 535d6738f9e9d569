import { type Kysely, sql } from 'kysely'

// Training bases (继续教育基地), issue 10: applications, their materials, the append-only status
// events of applications and bases, rectification cases, and the designation columns of `bases`.
const OPEN = sql`state in ('draft','submitted','returned','forwarded')`

export async function up(db: Kysely<any>): Promise<void> {
  // 'applied' stays allowed for rows written before this migration; new rows use the lifecycle's states
  // ('rejected': the province withdrew an approval during the public notice).
  await sql`alter table bases drop constraint bases_status_check`.execute(db)
  await sql`alter table bases add constraint bases_status_check
            check (status in ('applied','approved','designated','rectification','revoked','rejected'))`.execute(db)
  await db.schema
    .alterTable('bases')
    .addColumn('decision_number', 'text')
    .addColumn('notice_start', 'date')
    .addColumn('notice_end', 'date')
    .addColumn('term_start', 'date')
    .addColumn('term_end', 'date')
    .addColumn('revoked_on', 'date')
    .addColumn('revocation_document', 'text')
    .addColumn('status_before_revocation', 'text')
    .addColumn('policy_version', 'text')
    .execute()

  await db.schema
    .createTable('base_applications')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('applicant_account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('base_id', 'bigint', (c) => c.references('bases.id'))
    .addColumn('institution_name', 'text', (c) => c.notNull())
    .addColumn('credit_code', 'text', (c) => c.notNull().check(sql`credit_code ~ '^[0-9A-HJ-NP-RT-UW-Y]{18}$'`))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('training_fields', 'jsonb', (c) => c.notNull())
    .addColumn('classrooms', 'integer', (c) => c.notNull().check(sql`classrooms >= 0`))
    .addColumn('seats', 'integer', (c) => c.notNull().check(sql`seats >= 0`))
    .addColumn('online_platform', 'boolean', (c) => c.notNull())
    .addColumn('faculty', 'jsonb', (c) => c.notNull())
    .addColumn('courses', 'jsonb', (c) => c.notNull())
    .addColumn('contact', 'jsonb', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('draft','submitted','returned','forwarded','rejected','withdrawn','approved')`),
    )
    /** The reasons per section of the latest return, shown to the applicant while returned. */
    .addColumn('section_reasons', 'jsonb')
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // One open application per credit code at a time.
  await sql`create unique index base_applications_open_code on base_applications (credit_code) where ${OPEN}`.execute(db)
  await db.schema.createIndex('base_applications_region_state_idx').on('base_applications').columns(['region_code', 'state']).execute()
  await db.schema.createIndex('base_applications_applicant_idx').on('base_applications').column('applicant_account_id').execute()

  await db.schema
    .createTable('rectification_cases')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('base_id', 'bigint', (c) => c.notNull().references('bases.id'))
    .addColumn('opened_by', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('findings', 'jsonb', (c) => c.notNull())
    .addColumn('deadline', 'date', (c) => c.notNull())
    .addColumn('remind_on', 'date', (c) => c.notNull())
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'bigint', (c) => c.references('accounts.id'))
    .addColumn('answered_at', 'timestamptz')
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('passed','revoked')`))
    .addColumn('closed_by', 'bigint', (c) => c.references('accounts.id'))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('rectification_cases_closed', sql`(outcome is null) = (closed_at is null)`)
    .execute()
  await sql`create unique index rectification_cases_one_open on rectification_cases (base_id) where outcome is null`.execute(db)

  await db.schema
    .createTable('base_files')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('application_id', 'bigint', (c) => c.references('base_applications.id'))
    .addColumn('case_id', 'bigint', (c) => c.references('rectification_cases.id'))
    .addColumn('uploaded_by', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull().check(sql`content_type in ('application/pdf','image/png','image/jpeg')`))
    .addColumn('size', 'integer', (c) => c.notNull().check(sql`size > 0`))
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('base_files_size', sql`size = octet_length(bytes)`)
    .addCheckConstraint('base_files_one_owner', sql`(application_id is null) <> (case_id is null)`)
    .execute()
  await db.schema.createIndex('base_files_application_idx').on('base_files').column('application_id').execute()
  await db.schema.createIndex('base_files_case_idx').on('base_files').column('case_id').execute()

  await db.schema
    .createTable('base_status_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('application_id', 'bigint', (c) => c.references('base_applications.id'))
    .addColumn('base_id', 'bigint', (c) => c.references('bases.id'))
    .addColumn('case_id', 'bigint', (c) => c.references('rectification_cases.id'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    /** Null for the system (the worker). */
    .addColumn('actor_account_id', 'bigint', (c) => c.references('accounts.id'))
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('document_number', 'text')
    .addColumn('section_reasons', 'jsonb')
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('base_status_events_subject', sql`application_id is not null or base_id is not null`)
    .execute()
  await db.schema.createIndex('base_status_events_base_idx').on('base_status_events').columns(['base_id', 'id']).execute()
  await db.schema.createIndex('base_status_events_application_idx').on('base_status_events').columns(['application_id', 'id']).execute()
  await sql`
    create function base_status_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'base_status_events is append-only: record a new event instead';
    end $$`.execute(db)
  await sql`create trigger base_status_events_no_update before update or delete on base_status_events
            for each row execute function base_status_events_append_only()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger base_status_events_no_update on base_status_events`.execute(db)
  await sql`drop function base_status_events_append_only()`.execute(db)
  for (const t of ['base_status_events', 'base_files', 'rectification_cases', 'base_applications']) await db.schema.dropTable(t).execute()
  await db.schema
    .alterTable('bases')
    .dropColumn('decision_number')
    .dropColumn('notice_start')
    .dropColumn('notice_end')
    .dropColumn('term_start')
    .dropColumn('term_end')
    .dropColumn('revoked_on')
    .dropColumn('revocation_document')
    .dropColumn('status_before_revocation')
    .dropColumn('policy_version')
    .execute()
  await sql`alter table bases drop constraint bases_status_check`.execute(db)
  await sql`alter table bases add constraint bases_status_check
            check (status in ('applied','designated','rectification','revoked'))`.execute(db)
}
