import { type Kysely, sql } from 'kysely'

// Delivering a seminar (issue 12, continued): HR approval of registrations with a deadline (and a
// `rejected` status), the participants' results when the host finalises attendance (hours
// credited once per revision, the ledger entry that holds them), completion certificates (结业证书)
// in the existing certificates table, and the post-event package with its working-day deadline.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table seminar_registrations drop constraint seminar_registrations_status_check`.execute(db)
  await sql`alter table seminar_registrations add constraint seminar_registrations_status_check
            check (status in ('confirmed','waitlisted','offered','cancelled','declined','expired','pending_approval','rejected'))`.execute(
    db,
  )
  await sql`alter table seminar_registrations add column approval_due_at timestamptz`.execute(db)
  await sql`alter table seminar_registrations add constraint seminar_registrations_approval
            check ((status = 'pending_approval') = (approval_due_at is not null))`.execute(db)
  await sql`create index seminar_registrations_approvals on seminar_registrations (approval_due_at) where status = 'pending_approval'`.execute(
    db,
  )

  // The host finalises attendance once the last block has ended; a correction after that is a new
  // revision (a reversal of the previous entry plus a new one).
  await sql`alter table seminars add column finalised_at timestamptz, add column finalised_by bigint references accounts (id),
            add column attendance_revision integer not null default 0`.execute(db)

  // Each participant's outcome at the latest revision: hours of the blocks attended, whether the
  // attendance rule for the certificate was met, and the ledger entry holding the hours.
  await sql`create table seminar_results (
      seminar_id bigint not null references seminars (id),
      person_id bigint not null references people (id),
      revision integer not null,
      blocks_attended integer not null check (blocks_attended >= 0),
      blocks_total integer not null check (blocks_total > 0),
      hours numeric(6,2) not null check (hours >= 0),
      completed boolean not null,
      entry_id bigint references hour_entries (id),
      updated_at timestamptz not null default now(),
      primary key (seminar_id, person_id),
      constraint seminar_results_blocks check (blocks_attended <= blocks_total),
      constraint seminar_results_entry check ((hours > 0) = (entry_id is not null))
    )`.execute(db)

  // A completion certificate is a certificate of another kind, verified by the same /verify page.
  await sql`alter table certificates add column kind text not null default 'hours' check (kind in ('hours','seminar_completion')),
            add column seminar_id bigint references seminars (id)`.execute(db)
  await sql`alter table certificates add constraint certificates_kind_seminar check ((kind = 'seminar_completion') = (seminar_id is not null))`.execute(
    db,
  )
  await sql`create unique index certificates_one_completion on certificates (seminar_id, person_id)
            where kind = 'seminar_completion' and status in ('pending','ready')`.execute(db)

  // The host's post-event package (结业材料): due a number of working days after the last day.
  await sql`create table seminar_packages (
      seminar_id bigint primary key references seminars (id),
      due_on date not null,
      summary text not null,
      stats jsonb not null,
      submitted_at timestamptz not null default now(),
      submitted_by bigint not null references accounts (id),
      late boolean not null,
      policy_version text not null
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('seminar_packages').execute()
  await sql`drop index certificates_one_completion`.execute(db)
  await sql`alter table certificates drop constraint certificates_kind_seminar, drop column seminar_id, drop column kind`.execute(db)
  await db.schema.dropTable('seminar_results').execute()
  await sql`alter table seminars drop column attendance_revision, drop column finalised_by, drop column finalised_at`.execute(db)
  await sql`drop index seminar_registrations_approvals`.execute(db)
  await sql`alter table seminar_registrations drop constraint seminar_registrations_approval, drop column approval_due_at`.execute(db)
  await sql`alter table seminar_registrations drop constraint seminar_registrations_status_check`.execute(db)
  await sql`alter table seminar_registrations add constraint seminar_registrations_status_check
            check (status in ('confirmed','waitlisted','offered','cancelled','declined','expired','pending_approval'))`.execute(db)
}
