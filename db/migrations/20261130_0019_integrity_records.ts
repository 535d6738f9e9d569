import { type Kysely, sql } from 'kysely'

// Integrity records (诚信档案, issue 14): HR of the person's (or base's) region finds that the
// evidence behind hours was falsified — an external-hours claim, a ledger entry or a roster row —
// and a second officer of the same scope confirms (four eyes). In force on China days d with
// starts_on <= d < ends_on (ends_on exclusive); the credit-check API answers ineligible meanwhile.
// The person may appeal to province HR, who upholds or withdraws it.
// source_id: external_claims.id ('claim'), hour_entries.id ('entry'); for 'roster_row' (activity_credits
// has no id of its own) the roster row's credit entry (activity_credits.entry_id) when the subject is
// a person, the activity id when the subject is the base; activity_id names the activity either way.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table integrity_records (
      id bigserial primary key,
      subject text not null check (subject in ('person','base')),
      person_id bigint references people (id),
      base_id bigint references bases (id),
      source_kind text not null check (source_kind in ('claim','entry','roster_row')),
      source_id bigint not null,
      activity_id bigint references training_activities (id),
      region_code text not null,
      finding text not null check (length(btrim(finding)) > 0),
      document_number text not null check (length(btrim(document_number)) > 0),
      evidence_file bytea not null,
      evidence_filename text not null,
      evidence_mime text not null check (evidence_mime in ('application/pdf','image/png','image/jpeg')),
      status text not null default 'proposed' check (status in ('proposed','in_force','withdrawn','cancelled')),
      found_by bigint not null references accounts (id),
      found_at timestamptz not null default now(),
      confirmed_by bigint references accounts (id),
      confirmed_at timestamptz,
      starts_on date,
      ends_on date,
      policy_version text,
      cancel_reason text,
      cancelled_by bigint references accounts (id),
      cancelled_at timestamptz,
      appeal_text text,
      appealed_at timestamptz,
      appeal_decision text check (appeal_decision in ('upheld','withdrawn')),
      appeal_decided_by bigint references accounts (id),
      appeal_decided_at timestamptz,
      appeal_reason text,
      constraint integrity_records_subject check (
        (subject = 'person' and person_id is not null and base_id is null) or
        (subject = 'base' and base_id is not null and person_id is null)),
      constraint integrity_records_base_source check (subject = 'person' or source_kind = 'roster_row'),
      constraint integrity_records_activity check ((source_kind = 'roster_row') = (activity_id is not null)),
      constraint integrity_records_confirmed check (
        (status = 'proposed' or status = 'cancelled') = (confirmed_at is null)),
      constraint integrity_records_term check (
        (confirmed_at is null) = (starts_on is null) and (starts_on is null) = (ends_on is null) and
        (starts_on is null or starts_on <= ends_on)),
      constraint integrity_records_decision check ((appeal_decision is null) = (appeal_decided_at is null)),
      constraint integrity_records_decided_appeal check (appeal_decision is null or appealed_at is not null)
    )`.execute(db)
  await sql`create unique index integrity_records_one_open on integrity_records (subject, source_kind, source_id)
            where status in ('proposed','in_force')`.execute(db)
  await sql`create index integrity_records_person on integrity_records (person_id, ends_on) where status = 'in_force'`.execute(db)
  await sql`create index integrity_records_base on integrity_records (base_id) where base_id is not null`.execute(db)
  await sql`create index integrity_records_region on integrity_records (region_code, status)`.execute(db)
  // A person found not to have attended leaves the activity's roster for good, as an upheld
  // "not me" dispute does: an exclusion names the dispute or the integrity record behind it.
  await sql`alter table activity_exclusions alter column dispute_id drop not null,
            add column integrity_record_id bigint references integrity_records (id),
            add constraint activity_exclusions_cause check (num_nonnulls(dispute_id, integrity_record_id) = 1)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from activity_exclusions where dispute_id is null`.execute(db)
  await sql`alter table activity_exclusions drop constraint activity_exclusions_cause, drop column integrity_record_id,
            alter column dispute_id set not null`.execute(db)
  await db.schema.dropTable('integrity_records').execute()
}
