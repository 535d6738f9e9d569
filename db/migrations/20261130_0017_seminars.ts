import { type Kysely, sql } from 'kysely'

// Advanced seminars (高级研修班, issue 12): the plan (seminars, their quotas and half-day blocks),
// registrations with their append-only history, and empty tables for check-in, attendance and
// the anonymous survey that later work fills. Seats are held by the database: `taken` counters
// kept in the registering transaction under CHECK (taken <= size), one live registration per
// person and seminar (partial unique index), an idempotency key per click.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table seminars (
      id bigserial primary key,
      level text not null check (level in ('national','provincial')),
      host_base_id bigint not null references bases (id),
      title text not null,
      category text not null check (category in ('public','professional')),
      title_series jsonb not null default '[]'::jsonb,
      declared_hours numeric(6,2) not null check (declared_hours > 0),
      start_date date not null,
      end_date date not null,
      venue text not null,
      capacity integer not null check (capacity > 0),
      registration_opens_at timestamptz not null,
      registration_closes_at timestamptz not null,
      cancel_cutoff_at timestamptz not null,
      waitlist_mode text not null default 'auto' check (waitlist_mode in ('auto','offer')),
      offer_hours integer not null check (offer_hours > 0),
      promotion_stops_at timestamptz not null,
      approval_required boolean not null default false,
      eligibility jsonb not null default '{}'::jsonb,
      status text not null default 'draft' check (status in ('draft','published','cancelled','finished')),
      policy_version text not null,
      created_by bigint not null references accounts (id),
      created_at timestamptz not null default now(),
      constraint seminars_dates check (end_date >= start_date),
      constraint seminars_window check (registration_closes_at > registration_opens_at)
    )`.execute(db)
  await sql`create index seminars_host_idx on seminars (host_base_id, start_date)`.execute(db)
  await sql`create index seminars_start_idx on seminars (start_date)`.execute(db)

  // One row per pool: 'open' (always present; capacity minus the scoped quotas), 'province:NN'
  // (national seminars, by the resident ID's first two digits) or 'region:NNNNNN' (provincial
  // seminars, by people.region_code). From release_at a quota's unclaimed seats are open to anyone.
  await sql`create table seminar_quotas (
      id bigserial primary key,
      seminar_id bigint not null references seminars (id),
      scope text not null check (scope = 'open' or scope ~ '^province:[0-9]{2}$' or scope ~ '^region:[0-9A-Z-]{6,}$'),
      size integer not null check (size >= 0),
      taken integer not null default 0,
      release_at timestamptz,
      constraint seminar_quotas_taken check (taken >= 0 and taken <= size),
      constraint seminar_quotas_open_not_released check (scope <> 'open' or release_at is null),
      unique (seminar_id, scope)
    )`.execute(db)

  await sql`create table seminar_blocks (
      id bigserial primary key,
      seminar_id bigint not null references seminars (id),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      credit_hours numeric(5,2) not null check (credit_hours > 0),
      constraint seminar_blocks_times check (ends_at > starts_at)
    )`.execute(db)
  await sql`create index seminar_blocks_seminar_idx on seminar_blocks (seminar_id, starts_at)`.execute(db)

  // Arrival order across all seminars (only the order within one seminar matters).
  await sql`create sequence seminar_waitlist_seq`.execute(db)
  await sql`create table seminar_registrations (
      id bigserial primary key,
      seminar_id bigint not null references seminars (id),
      person_id bigint not null references people (id),
      status text not null check (status in ('confirmed','waitlisted','offered','cancelled','declined','expired','pending_approval')),
      quota_id bigint references seminar_quotas (id),
      home_quota_id bigint references seminar_quotas (id),
      waitlist_seq bigint not null default nextval('seminar_waitlist_seq'),
      offer_expires_at timestamptz,
      idempotency_key text not null unique,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint seminar_registrations_seat check (
        (status in ('confirmed','offered','pending_approval')) = (quota_id is not null)),
      constraint seminar_registrations_offer check ((status = 'offered') = (offer_expires_at is not null))
    )`.execute(db)
  await sql`create unique index seminar_registrations_live on seminar_registrations (seminar_id, person_id)
            where status in ('confirmed','waitlisted','offered','pending_approval')`.execute(db)
  await sql`create index seminar_registrations_waitlist on seminar_registrations (seminar_id, waitlist_seq)
            where status = 'waitlisted'`.execute(db)
  await sql`create index seminar_registrations_offers on seminar_registrations (offer_expires_at) where status = 'offered'`.execute(db)
  await sql`create index seminar_registrations_person on seminar_registrations (person_id, status)`.execute(db)

  await sql`create table seminar_registration_events (
      id bigserial primary key,
      registration_id bigint not null references seminar_registrations (id),
      from_status text,
      to_status text not null,
      reason text not null,
      actor_account_id bigint references accounts (id),
      quota_id bigint references seminar_quotas (id),
      at timestamptz not null default now()
    )`.execute(db)
  await sql`create index seminar_registration_events_reg on seminar_registration_events (registration_id, id)`.execute(db)
  await sql`
    create function seminar_registration_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'seminar_registration_events is append-only: record a new event instead';
    end $$`.execute(db)
  await sql`create trigger seminar_registration_events_no_update before update or delete on seminar_registration_events
            for each row execute function seminar_registration_events_append_only()`.execute(db)

  // Later work: every scan with its outcome (check-in per half-day block).
  await sql`create table seminar_checkins (
      id bigserial primary key,
      block_id bigint not null references seminar_blocks (id),
      person_id bigint references people (id),
      direction text not null check (direction in ('in','out')),
      method text not null check (method in ('scan','staff')),
      nonce text,
      accepted boolean not null,
      reason text,
      actor_account_id bigint references accounts (id),
      at timestamptz not null default now()
    )`.execute(db)
  await sql`create unique index seminar_checkins_nonce on seminar_checkins (block_id, person_id, nonce) where accepted and nonce is not null`.execute(
    db,
  )
  await sql`create table seminar_attendance (
      block_id bigint not null references seminar_blocks (id),
      person_id bigint not null references people (id),
      signed_in_at timestamptz,
      signed_out_at timestamptz,
      attended boolean not null default false,
      corrected_by bigint references accounts (id),
      correction_reason text,
      updated_at timestamptz not null default now(),
      primary key (block_id, person_id)
    )`.execute(db)
  // Who answered (one per participant) is stored apart from what was answered (no person column).
  await sql`create table seminar_survey_submitters (
      seminar_id bigint not null references seminars (id),
      person_id bigint not null references people (id),
      submitted_at timestamptz not null default now(),
      primary key (seminar_id, person_id)
    )`.execute(db)
  await sql`create table seminar_survey_answers (
      -- Random, so the order of answers says nothing about the order of submitters.
      id uuid primary key default gen_random_uuid(),
      seminar_id bigint not null references seminars (id),
      answers jsonb not null,
      survey_version text not null
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['seminar_survey_answers', 'seminar_survey_submitters', 'seminar_attendance', 'seminar_checkins'])
    await db.schema.dropTable(t).execute()
  await sql`drop trigger seminar_registration_events_no_update on seminar_registration_events`.execute(db)
  await sql`drop function seminar_registration_events_append_only()`.execute(db)
  for (const t of ['seminar_registration_events', 'seminar_registrations']) await db.schema.dropTable(t).execute()
  await sql`drop sequence seminar_waitlist_seq`.execute(db)
  for (const t of ['seminar_blocks', 'seminar_quotas', 'seminars']) await db.schema.dropTable(t).execute()
}
