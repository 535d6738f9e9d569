import { type Kysely, sql } from 'kysely'

// Training reports with rosters and legacy hours (issue 11, ADR 0021): the activities a base
// declares, uploaded files and their staged rows (one import engine for rosters and legacy
// hours), the committed roster of each activity (who is credited, by which ledger entry, from
// which file and row) and learners' disputes.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table hour_entries drop constraint hour_entries_source_kind_check`.execute(db)
  await sql`alter table hour_entries add constraint hour_entries_source_kind_check
            check (source_kind in ('online_course','seminar','base_training','external','adjustment','reversal','legacy_import'))`.execute(
    db,
  )

  await db.schema
    .createTable('training_activities')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('base_id', 'bigint', (c) => c.notNull().references('bases.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().check(sql`category in ('public','professional')`))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('face_to_face','online','blended')`))
    .addColumn('title_series', 'jsonb', (c) => c.notNull())
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('end_date', 'date', (c) => c.notNull())
    .addColumn('full_days', 'integer', (c) => c.notNull().check(sql`full_days >= 0`))
    .addColumn('half_days', 'integer', (c) => c.notNull().check(sql`half_days >= 0`))
    .addColumn('declared_hours', sql`numeric(6,2)`, (c) => c.notNull().check(sql`declared_hours > 0`))
    .addColumn('venue', 'text', (c) => c.notNull())
    /** 10 working days after the end (reports policy + working-day calendar), fixed at declaration. */
    .addColumn('report_due', 'date', (c) => c.notNull())
    /** Years the deadline crossed that had no holiday calendar (counted Mon–Fri). */
    .addColumn('due_without_calendar', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('policy_version', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`state in ('open','reported','accepted','returned')`),
    )
    .addColumn('first_reported_on', 'date')
    .addColumn('late', 'boolean')
    .addColumn('review_reason', 'text')
    .addColumn('reviewed_by', 'bigint', (c) => c.references('accounts.id'))
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('created_by', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('training_activities_dates', sql`end_date >= start_date`)
    .addCheckConstraint('training_activities_days', sql`full_days + half_days >= 1`)
    .execute()
  await db.schema.createIndex('training_activities_base_idx').on('training_activities').columns(['base_id', 'end_date']).execute()

  await db.schema
    .createTable('import_files')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('roster','legacy')`))
    .addColumn('activity_id', 'bigint', (c) => c.references('training_activities.id'))
    /** The activity's roster version this file became when committed (1, 2, …). */
    .addColumn('version', 'integer')
    .addColumn('uploaded_by', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'bytea', (c) => c.notNull())
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('queued','parsing','staged','failed','committing','committed','discarded')`),
    )
    .addColumn('format', 'text')
    .addColumn('encoding', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_detail', 'text')
    .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_ok', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_warning', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_error', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('commit_mode', 'text', (c) => c.check(sql`commit_mode in ('all','valid_only')`))
    /** What the commit wrote: added, removed, changed, unchanged (rosters) or credited (legacy). */
    .addColumn('outcome', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('staged_at', 'timestamptz')
    .addColumn('committed_at', 'timestamptz')
    .addColumn('committed_by', 'bigint', (c) => c.references('accounts.id'))
    .addCheckConstraint('import_files_kind', sql`(kind = 'roster') = (activity_id is not null)`)
    .execute()
  await sql`create unique index import_files_version on import_files (activity_id, version) where version is not null`.execute(db)
  await db.schema.createIndex('import_files_activity_idx').on('import_files').column('activity_id').execute()

  // Staged rows: written by the worker with COPY, read by the preview and the commit. ID numbers
  // only encrypted (the raw cell, as typed) and as a keyed hash when valid.
  await sql`create table import_rows (
      import_id bigint not null references import_files (id) on delete cascade,
      row_number integer not null,
      id_enc bytea not null,
      id_hash bytea,
      gender text,
      birth_date date,
      name text not null,
      name_norm text not null,
      hours numeric(7,2),
      employer text,
      mobile text,
      ce_year integer,
      category text,
      source text,
      person_id bigint references people (id),
      status text not null check (status in ('ok','warning','error')),
      issues text[] not null default '{}',
      primary key (import_id, row_number)
    )`.execute(db)
  await sql`create index import_rows_hash on import_rows (import_id, id_hash)`.execute(db)

  // The committed roster of an activity now: one row per credited person and the live ledger entry.
  await db.schema
    .createTable('activity_credits')
    .addColumn('activity_id', 'bigint', (c) => c.notNull().references('training_activities.id'))
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('people.id'))
    .addColumn('hours', sql`numeric(7,2)`, (c) => c.notNull())
    .addColumn('entry_id', 'bigint', (c) => c.notNull().references('hour_entries.id'))
    .addColumn('import_id', 'bigint', (c) => c.notNull().references('import_files.id'))
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('activity_credits_pk', ['activity_id', 'person_id'])
    .execute()
  await db.schema.createIndex('activity_credits_person_idx').on('activity_credits').column('person_id').execute()
  // People HR removed from an activity by an upheld dispute: a re-upload does not credit them again.
  await db.schema
    .createTable('activity_exclusions')
    .addColumn('activity_id', 'bigint', (c) => c.notNull().references('training_activities.id'))
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('people.id'))
    .addColumn('dispute_id', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('activity_exclusions_pk', ['activity_id', 'person_id'])
    .execute()

  await db.schema
    .createTable('roster_disputes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('activity_id', 'bigint', (c) => c.notNull().references('training_activities.id'))
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('people.id'))
    .addColumn('entry_id', 'bigint', (c) => c.notNull().references('hour_entries.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('not_me','wrong_hours')`))
    .addColumn('claimed_hours', sql`numeric(7,2)`)
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`state in ('open','upheld','dismissed','withdrawn')`),
    )
    .addColumn('decided_by', 'bigint', (c) => c.references('accounts.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create unique index roster_disputes_one_open on roster_disputes (entry_id) where state = 'open'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['roster_disputes', 'activity_exclusions', 'activity_credits', 'import_rows', 'import_files', 'training_activities'])
    await db.schema.dropTable(t).execute()
  await sql`alter table hour_entries drop constraint hour_entries_source_kind_check`.execute(db)
  await sql`alter table hour_entries add constraint hour_entries_source_kind_check
            check (source_kind in ('online_course','seminar','base_training','external','adjustment','reversal'))`.execute(db)
}
