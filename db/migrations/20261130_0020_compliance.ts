import { type Kysely, sql } from 'kysely'

// Compliance oversight (issue 13, ADR 0025).
//
// 1. Employers (工作单位) become an entity: name (normalised for matching), credit code, region.
//    people.employer_id names the matched employer; people.employer keeps the text as entered.
// 2. Readiness is precomputed per person (compliance_people: the group the person is counted in,
//    next year's title-application answer) and per person × CE year (compliance_person_years:
//    met or short by category), by the worker's refresher using the credit-check API's own
//    evaluation. compliance_rollups holds counts per group (region, employer, series, level), so a
//    dashboard reads a few thousand counters whatever the number of people.
// 3. What to refresh is a set of person ids (compliance_dirty) that triggers fill in the writer's
//    own transaction: a change of hour_totals, of the person's region/employer/title, or of an
//    integrity record. The refresher is the only writer of the compliance tables.
// 4. Reminder campaigns and their recipients (one per person per campaign), and export files.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table employers (
      id bigserial primary key,
      name text not null check (length(btrim(name)) > 0),
      name_norm text not null,
      credit_code text unique check (credit_code is null or credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
      region_code text not null,
      created_by bigint references accounts (id),
      created_at timestamptz not null default now(),
      unique (region_code, name_norm)
    )`.execute(db)
  await sql`alter table people add column employer_id bigint references employers (id)`.execute(db)
  await sql`create index people_employer on people (employer_id) where employer_id is not null`.execute(db)

  // Full ID numbers in an export need this permission, granted by an admin (audited).
  await sql`alter table accounts add column can_export_full_ids boolean not null default false`.execute(db)

  await sql`create table compliance_dirty (
      person_id bigint primary key,
      touched_at timestamptz not null default clock_timestamp()
    )`.execute(db)
  // ON CONFLICT DO UPDATE (not DO NOTHING) so the writer holds the row lock until it commits: the
  // refresher claims rows FOR UPDATE SKIP LOCKED and never reads a change that is not committed yet.
  await sql`create function compliance_mark_dirty() returns trigger language plpgsql as $$
    begin
      insert into compliance_dirty (person_id) values (new.person_id)
        on conflict (person_id) do update set touched_at = excluded.touched_at;
      return null;
    end $$`.execute(db)
  await sql`create trigger hour_totals_compliance after insert or update on hour_totals
            for each row execute function compliance_mark_dirty()`.execute(db)
  await sql`create function compliance_mark_person() returns trigger language plpgsql as $$
    begin
      insert into compliance_dirty (person_id) values (new.id)
        on conflict (person_id) do update set touched_at = excluded.touched_at;
      return null;
    end $$`.execute(db)
  await sql`create trigger people_compliance_insert after insert on people
            for each row execute function compliance_mark_person()`.execute(db)
  await sql`create trigger people_compliance_update after update of region_code, employer_id, title_series, title_level, title_year
            on people for each row
            when (row(old.region_code, old.employer_id, old.title_series, old.title_level, old.title_year)
                  is distinct from row(new.region_code, new.employer_id, new.title_series, new.title_level, new.title_year))
            execute function compliance_mark_person()`.execute(db)
  // An account made an official (or base-only staff) leaves the overseen population.
  await sql`create trigger accounts_compliance after insert or update of role on accounts
            for each row execute function compliance_mark_dirty()`.execute(db)
  await sql`create trigger integrity_records_compliance after insert or update of status, starts_on, ends_on on integrity_records
            for each row when (new.person_id is not null) execute function compliance_mark_dirty()`.execute(db)

  await sql`create table compliance_people (
      person_id bigint primary key references people (id),
      region_code text not null,
      employer_id bigint not null,
      title_series text not null,
      title_level text not null,
      application_year int not null,
      ready boolean not null,
      failing_years int[] not null,
      short_total numeric(9,2) not null,
      integrity_ends_on date,
      policy_version text not null,
      computed_at timestamptz not null
    )`.execute(db)
  await sql`create index compliance_people_group on compliance_people (region_code, employer_id, title_series, title_level, person_id)`.execute(
    db,
  )
  await sql`create index compliance_people_integrity on compliance_people (region_code, person_id) where integrity_ends_on is not null`.execute(
    db,
  )

  await sql`create table compliance_person_years (
      person_id bigint not null references people (id),
      ce_year int not null,
      met boolean not null,
      professional numeric(7,2) not null,
      public numeric(7,2) not null,
      short_professional numeric(7,2) not null,
      short_public numeric(7,2) not null,
      short_total numeric(7,2) not null,
      not_counted numeric(7,2) not null,
      policy_version text not null,
      primary key (person_id, ce_year)
    )`.execute(db)
  await sql`create index compliance_person_years_short on compliance_person_years (ce_year, person_id) where not met`.execute(db)

  // metric 'people' (year 0), 'met' (CE year), 'ready' (application year). region_code '' = none.
  // Three grains of the same counts, so a figure sums few rows whatever the number of people:
  // 'rsl' (region × series × level; employer_id -1), 're' (region × employer; series/level '*') and
  // 'full' (all four, for an employer filter combined with a series or level filter).
  await sql`create table compliance_rollups (
      grain text not null check (grain in ('rsl','re','full')),
      metric text not null check (metric in ('people','met','ready')),
      year int not null,
      region_code text not null,
      employer_id bigint not null,
      title_series text not null,
      title_level text not null,
      -- No CHECK (n >= 0): PostgreSQL checks a proposed row before ON CONFLICT, and a decrement is proposed as a negative row.
      n int not null,
      primary key (grain, metric, year, region_code, employer_id, title_series, title_level)
    )`.execute(db)

  await sql`create table compliance_state (
      id int primary key check (id = 1),
      application_year int,
      policy_fingerprint text,
      refreshed_at timestamptz,
      rebuild_started_at timestamptz
    )`.execute(db)
  await sql`insert into compliance_state (id) values (1)`.execute(db)
  // Everyone already here is refreshed once.
  await sql`insert into compliance_dirty (person_id) select id from people`.execute(db)

  await sql`create table compliance_campaigns (
      id bigserial primary key,
      scope_region text not null,
      filter jsonb not null,
      title text not null check (length(btrim(title)) > 0),
      message text not null check (length(btrim(message)) > 0),
      channel text not null default 'in_app',
      status text not null default 'draft' check (status in ('draft','sending','sent')),
      recipients_total int,
      created_by bigint not null references accounts (id),
      created_at timestamptz not null default now(),
      sent_by bigint references accounts (id),
      sent_at timestamptz,
      finished_at timestamptz
    )`.execute(db)
  await sql`create table compliance_campaign_recipients (
      campaign_id bigint not null references compliance_campaigns (id),
      person_id bigint not null references people (id),
      notice_id bigint references notices (id),
      delivered_at timestamptz,
      primary key (campaign_id, person_id)
    )`.execute(db)

  await sql`create table compliance_exports (
      id bigserial primary key,
      account_id bigint not null references accounts (id),
      scope_region text not null,
      filter jsonb not null,
      format text not null check (format in ('xlsx','csv')),
      full_ids boolean not null default false,
      status text not null default 'queued' check (status in ('queued','running','done','failed')),
      rows_total int,
      rows_done int not null default 0,
      file_path text,
      file_bytes bigint,
      error text,
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      expires_at timestamptz not null
    )`.execute(db)
  await sql`create index compliance_exports_account on compliance_exports (account_id, created_at desc)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'compliance_exports',
    'compliance_campaign_recipients',
    'compliance_campaigns',
    'compliance_state',
    'compliance_rollups',
    'compliance_person_years',
    'compliance_people',
  ])
    await db.schema.dropTable(t).execute()
  await sql`drop trigger integrity_records_compliance on integrity_records`.execute(db)
  await sql`drop trigger accounts_compliance on accounts`.execute(db)
  await sql`drop trigger people_compliance_update on people`.execute(db)
  await sql`drop trigger people_compliance_insert on people`.execute(db)
  await sql`drop trigger hour_totals_compliance on hour_totals`.execute(db)
  await sql`drop function compliance_mark_person()`.execute(db)
  await sql`drop function compliance_mark_dirty()`.execute(db)
  await db.schema.dropTable('compliance_dirty').execute()
  await sql`alter table accounts drop column can_export_full_ids`.execute(db)
  await sql`alter table people drop column employer_id`.execute(db)
  await db.schema.dropTable('employers').execute()
}
