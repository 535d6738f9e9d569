import type { ColumnType, Generated, Insertable, Kysely, Selectable } from 'kysely'

/** The Database interface, kept by hand beside the migrations in db/migrations (one source). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Id = Generated<number>

export type Role = 'learner' | 'base_staff' | 'hr' | 'admin'
/** 'applied' is legacy (rows before migration 0013); the lifecycle writes the others (app/domain/bases/lifecycle.ts). */
export type BaseStatus = 'applied' | 'approved' | 'designated' | 'rectification' | 'revoked' | 'rejected'

export interface PeopleTable {
  id: Id
  id_number_enc: Buffer
  id_number_hash: Buffer
  name: string
  gender: 'M' | 'F'
  birth_date: string
  employer: string | null
  region_code: string | null
  title_series: string | null
  title_level: string | null
  title_year: number | null
  created_at: Generated<Date>
  /** Migration 0020: the matched employer entity; `employer` keeps the text as entered. */
  employer_id: number | null
}

export interface BasesTable {
  id: Id
  name: string
  credit_code: string
  region_code: string
  status: Generated<BaseStatus>
  created_at: Generated<Date>
  /** Migration 0013: the approval's decision number (认定文号), the public notice (公示) and the term, all China days. */
  decision_number: string | null
  notice_start: string | null
  notice_end: string | null
  term_start: string | null
  term_end: string | null
  /** From this day the base is revoked (the gate refuses); before it, `status_before_revocation` holds. */
  revoked_on: string | null
  revocation_document: string | null
  status_before_revocation: 'designated' | 'rectification' | null
  /** The bases policy version (content/policies/bases.json) the notice and term were computed with. */
  policy_version: string | null
  /** Migration 0015: the public profile its staff edit. Title series codes (职称系列) it trains for. */
  training_fields: ColumnType<string[], string | undefined, string>
  intro: string | null
  address: string | null
  /** http(s) only (a check constraint): the public page links it. */
  website: string | null
  public_phone: string | null
  profile_updated_at: Timestamp | null
}

/** A base's request to change its name or credit code (migration 0015), decided by HR of its region; one pending per base. */
export interface BaseNameChangesTable {
  id: Id
  base_id: number
  requested_by_account_id: number
  new_name: string | null
  new_credit_code: string | null
  reason: string
  state: 'pending' | 'approved' | 'rejected' | 'withdrawn'
  decided_by_account_id: number | null
  decided_at: Timestamp | null
  decision_reason: string | null
  created_at: Generated<Date>
}

export type BaseApplicationState = 'draft' | 'submitted' | 'returned' | 'forwarded' | 'rejected' | 'withdrawn' | 'approved'
type Json<T> = ColumnType<T, string, string>

/** An application to become a training base (migration 0013); one open application per credit code. */
export interface BaseApplicationsTable {
  id: Id
  applicant_account_id: number
  /** Set when the province approves: the base this application became (or renewed). */
  base_id: number | null
  institution_name: string
  credit_code: string
  region_code: string
  /** Title series (职称系列) the base trains for. */
  training_fields: Json<string[]>
  classrooms: number
  seats: number
  online_platform: boolean
  faculty: Json<{ name: string; title: string; field: string }[]>
  courses: Json<{ title: string; category: 'public' | 'professional'; hours: number }[]>
  contact: Json<{ name: string; phone: string; email?: string | undefined }>
  state: BaseApplicationState
  section_reasons: Json<Record<string, string>> | null
  submitted_at: Timestamp | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

/** Materials of an application or evidence of a rectification answer: PDF/PNG/JPEG, type-checked by content. */
export interface BaseFilesTable {
  id: Id
  application_id: number | null
  case_id: number | null
  uploaded_by: number
  filename: string
  content_type: EvidenceContentType
  size: number
  sha256: string
  bytes: Buffer
  created_at: Generated<Date>
}

/** Append-only (a trigger refuses UPDATE and DELETE): every lifecycle step of an application or base. */
export interface BaseStatusEventsTable {
  id: Id
  application_id: number | null
  base_id: number | null
  case_id: number | null
  event: string
  from_state: string | null
  to_state: string
  actor_account_id: number | null
  actor_role: string
  reason: string | null
  document_number: string | null
  section_reasons: Json<Record<string, string>> | null
  detail: ColumnType<Record<string, unknown>, string | undefined, string>
  at: Generated<Date>
}

/** A rectification case (整改) on a base: findings per area, a deadline, the base's answer, the outcome. */
export interface RectificationCasesTable {
  id: Id
  base_id: number
  opened_by: number
  findings: Json<Record<string, string>>
  deadline: string
  remind_on: string
  reminded_at: Timestamp | null
  answer: string | null
  answered_by: number | null
  answered_at: Timestamp | null
  outcome: 'passed' | 'revoked' | null
  closed_by: number | null
  closed_at: Timestamp | null
  created_at: Generated<Date>
}

export interface AccountsTable {
  id: Id
  person_id: number
  phone: string
  password_hash: string
  role: Role
  scope_region: string | null
  disabled_at: Timestamp | null
  last_login_at: Timestamp | null
  created_at: Generated<Date>
  /** The per-account login lock (migration 0010): failures in the current window, and until when it is locked. */
  failed_logins: Generated<number>
  failed_window_start: Timestamp | null
  locked_until: Timestamp | null
  /** Set when an admin gave a temporary password: every page leads to the change-password page until it is changed. */
  must_change_password: Generated<boolean>
  password_changed_at: Timestamp | null
  /** Migration 0020: may export full ID numbers (granted by an admin, audited). */
  can_export_full_ids: Generated<boolean>
}

/** One-time password-reset codes sent by SMS (migration 0010): only a keyed hash is kept. */
/** Who works for a base (migration 0014, ADR 0020): one live membership per account. */
export interface BaseMembersTable {
  id: Id
  base_id: number
  account_id: number
  /** May invite and remove colleagues. */
  is_admin: Generated<boolean>
  added_by: number | null
  how: 'migrated' | 'approval' | 'invitation' | 'admin'
  created_at: Generated<Date>
  ended_at: Timestamp | null
  ended_by: number | null
}

/** A base admin's invitation to a registered account (migration 0014); the invitee accepts or declines. */
export interface BaseInvitationsTable {
  id: Id
  base_id: number
  account_id: number
  is_admin: Generated<boolean>
  invited_by: number
  created_at: Generated<Date>
  expires_at: Timestamp
  answered_at: Timestamp | null
  outcome: 'accepted' | 'declined' | 'cancelled' | null
}

export interface PasswordResetCodesTable {
  id: Id
  account_id: number
  code_hash: Buffer
  created_at: Generated<Date>
  expires_at: Timestamp
  attempts: Generated<number>
  used_at: Timestamp | null
}

export type TitleChangeStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn'

/** A title change a learner asked for (migration 0010); people.title_* change only when HR approves. */
export interface TitleChangesTable {
  id: Id
  person_id: number
  title_series: string
  title_level: string
  title_year: number | null
  status: Generated<TitleChangeStatus>
  decided_by: number | null
  decided_at: Timestamp | null
  decision_reason: string | null
  created_at: Generated<Date>
}

export interface SessionsTable {
  id: Buffer
  account_id: number
  created_at: Generated<Date>
  last_seen_at: Generated<Date>
  expires_at: Timestamp
  revoked_at: Timestamp | null
  user_agent: string | null
}

export interface AuditLogTable {
  id: Id
  actor_account_id: number | null
  action: string
  target_type: string
  target_id: string | null
  detail: ColumnType<Record<string, unknown>, string | undefined, string>
  created_at: Generated<Date>
}

export interface OutboxTable {
  id: Id
  job_name: string
  payload: ColumnType<unknown, string, string>
  created_at: Generated<Date>
  /** The last time the relay handed the job to BullMQ. */
  dispatched_at: Timestamp | null
  /** How many times the job was actually added to BullMQ (a re-send counts; a no-op check does not). */
  attempts: Generated<number>
  last_error: string | null
  /** Migration 0011 (ADR 0016): a relay's claim, held while it talks to Redis outside any transaction. */
  claimed_until: Timestamp | null
  /** When the job must have completed; after that the reconciler looks at it again. */
  redispatch_after: Timestamp | null
  /** The BullMQ job id (`jobIdFor`), by which the worker marks the row done. */
  job_id: string | null
  completed_at: Timestamp | null
  /** Given up: the job failed permanently (the error is in last_error); never sent again. */
  failed_at: Timestamp | null
}

export interface NoticesTable {
  id: Id
  person_id: number
  kind: string
  dedupe_key: string
  params: ColumnType<Record<string, unknown>, string | undefined, string>
  created_at: Generated<Date>
  read_at: Timestamp | null
}

export type Category = 'public' | 'professional'
export type SourceKind = 'online_course' | 'seminar' | 'base_training' | 'external' | 'adjustment' | 'reversal' | 'legacy_import'

export interface PoliciesTable {
  year: number
  version: string
  body: ColumnType<unknown, string, string>
  loaded_at: Generated<Date>
}

/** A training activity a base declares and reports with its roster (migration 0016). China days. */
export interface TrainingActivitiesTable {
  id: Id
  base_id: number
  title: string
  category: Category
  mode: 'face_to_face' | 'online' | 'blended'
  title_series: Json<string[]>
  start_date: string
  end_date: string
  full_days: number
  half_days: number
  declared_hours: string
  venue: string
  report_due: string
  due_without_calendar: Json<number[]>
  policy_version: string
  state: Generated<'open' | 'reported' | 'accepted' | 'returned'>
  first_reported_on: string | null
  late: boolean | null
  review_reason: string | null
  reviewed_by: number | null
  reviewed_at: Timestamp | null
  created_by: number
  created_at: Generated<Date>
}

export type ImportStatus = 'queued' | 'parsing' | 'staged' | 'failed' | 'committing' | 'committed' | 'discarded'

/** An uploaded roster or legacy-hours file and its staged import (migration 0016). */
export interface ImportFilesTable {
  id: Id
  kind: 'roster' | 'legacy'
  activity_id: number | null
  version: number | null
  uploaded_by: number
  filename: string
  size: number
  sha256: Buffer
  bytes: Buffer
  status: ImportStatus
  format: string | null
  encoding: string | null
  error_code: string | null
  error_detail: string | null
  rows_read: Generated<number>
  rows_ok: Generated<number>
  rows_warning: Generated<number>
  rows_error: Generated<number>
  commit_mode: 'all' | 'valid_only' | null
  outcome: Json<Record<string, number>> | null
  created_at: Generated<Date>
  staged_at: Timestamp | null
  committed_at: Timestamp | null
  committed_by: number | null
}

/** One staged row of an import (written by the worker with COPY). */
export interface ImportRowsTable {
  import_id: number
  row_number: number
  id_enc: Buffer
  id_hash: Buffer | null
  gender: 'M' | 'F' | null
  birth_date: string | null
  name: string
  name_norm: string
  hours: string | null
  employer: string | null
  mobile: string | null
  ce_year: number | null
  category: Category | null
  source: string | null
  person_id: number | null
  status: 'ok' | 'warning' | 'error'
  issues: ColumnType<string[], string[] | undefined, string[]>
}

/** The committed roster of an activity: who is credited now, by which live entry, from which file and row. */
export interface ActivityCreditsTable {
  activity_id: number
  person_id: number
  hours: string
  entry_id: number
  import_id: number
  row_number: number
}

export interface ActivityExclusionsTable {
  activity_id: number
  person_id: number
  /** What excluded the person: an upheld "not me" dispute, or an integrity record (migration 0019); exactly one. */
  dispute_id: number | null
  integrity_record_id: number | null
  created_at: Generated<Date>
}

export interface RosterDisputesTable {
  id: Id
  activity_id: number
  person_id: number
  entry_id: number
  kind: 'not_me' | 'wrong_hours'
  claimed_hours: string | null
  note: string
  state: Generated<'open' | 'upheld' | 'dismissed' | 'withdrawn'>
  decided_by: number | null
  decided_at: Timestamp | null
  decision_reason: string | null
  created_at: Generated<Date>
}

export interface HourEntriesTable {
  id: Id
  person_id: number
  ce_year: number
  category: Category
  /** numeric(7,2) as a string: exact, never a float. */
  hours: string
  source_kind: SourceKind
  source_ref: string | null
  evidence: ColumnType<Record<string, unknown>, string | undefined, never>
  counted: boolean
  not_counted_reason: string | null
  idempotency_key: string
  reverses_id: number | null
  reason: string | null
  occurred_at: Timestamp
  created_by: number | null
  created_at: Generated<Date>
}

export interface HourTotalsTable {
  person_id: number
  ce_year: number
  category: Category
  counted_hours: ColumnType<string, string | undefined, string>
  recorded_hours: ColumnType<string, string | undefined, string>
}

/** Employers (工作单位, migration 0020): people.employer_id names one; name_norm is the matching key within a region. */
export interface EmployersTable {
  id: Id
  name: string
  name_norm: string
  credit_code: string | null
  region_code: string
  created_by: number | null
  created_at: Generated<Date>
}

/** Who the compliance refresher must look at again (migration 0020; filled by triggers). */
export interface ComplianceDirtyTable {
  person_id: number
  touched_at: Generated<Date>
}

/** A person as counted in the compliance roll-ups, and next year's title-application answer. '' / 0 = none. */
export interface CompliancePeopleTable {
  person_id: number
  region_code: string
  employer_id: number
  title_series: string
  title_level: string
  application_year: number
  ready: boolean
  failing_years: number[]
  short_total: string
  integrity_ends_on: string | null
  policy_version: string
  computed_at: Timestamp
}

/** Met or short per person × CE year, as the check API evaluates the year (evaluateYear). */
export interface CompliancePersonYearsTable {
  person_id: number
  ce_year: number
  met: boolean
  professional: string
  public: string
  short_professional: string
  short_public: string
  short_total: string
  not_counted: string
  policy_version: string
}

export type ComplianceMetric = 'people' | 'met' | 'ready'
/** Which dimensions a roll-up row keeps (ADR 0025): region×series×level, region×employer, or all four. */
export type ComplianceGrain = 'rsl' | 're' | 'full'
export interface ComplianceRollupsTable {
  grain: ComplianceGrain
  metric: ComplianceMetric
  year: number
  region_code: string
  employer_id: number
  title_series: string
  title_level: string
  n: number
}

export interface ComplianceStateTable {
  id: number
  application_year: number | null
  policy_fingerprint: string | null
  refreshed_at: Timestamp | null
  rebuild_started_at: Timestamp | null
}

export interface ComplianceCampaignsTable {
  id: Id
  scope_region: string
  filter: ColumnType<Record<string, unknown>, string, string>
  title: string
  message: string
  channel: Generated<string>
  status: Generated<'draft' | 'sending' | 'sent'>
  recipients_total: number | null
  created_by: number
  created_at: Generated<Date>
  sent_by: number | null
  sent_at: Timestamp | null
  finished_at: Timestamp | null
}

export interface ComplianceCampaignRecipientsTable {
  campaign_id: number
  person_id: number
  notice_id: number | null
  delivered_at: Timestamp | null
}

export interface ComplianceExportsTable {
  id: Id
  account_id: number
  scope_region: string
  filter: ColumnType<Record<string, unknown>, string, string>
  format: 'xlsx' | 'csv'
  full_ids: Generated<boolean>
  status: Generated<'queued' | 'running' | 'done' | 'failed'>
  rows_total: number | null
  rows_done: Generated<number>
  file_path: string | null
  file_bytes: string | null
  error: string | null
  created_at: Generated<Date>
  finished_at: Timestamp | null
  expires_at: Timestamp
}

export interface ApiClientsTable {
  id: Id
  name: string
  key_prefix: string
  key_hash: Buffer
  scope_region: string
  rate_limit_per_minute: Generated<number>
  created_by: number | null
  created_at: Generated<Date>
  revoked_at: Timestamp | null
  last_used_at: Timestamp | null
}

export interface CreditChecksTable {
  id: string
  api_client_id: number | null
  requested_by: number | null
  person_id: number | null
  id_number_hash: Buffer
  id_number_masked: string
  application_year: number
  eligible: boolean
  policy_version: string
  answer: ColumnType<unknown, string, never>
  created_at: Generated<Date>
}

export type ClaimStatus = 'pending' | 'approved' | 'rejected'
export type EvidenceContentType = 'application/pdf' | 'image/png' | 'image/jpeg'

/** External hours reported by a learner, approved or rejected by HR (migration 0005). */
export interface ExternalClaimsTable {
  id: Id
  person_id: number
  ce_year: number
  activity: string
  title: string
  category: Category
  /** numeric(7,2) as a string. */
  units: string
  /** numeric(7,2) as a string, computed by the server from the conversion table. */
  claimed_hours: string
  policy_version: string
  /** 'YYYY-MM-DD' (DATE is kept as a calendar day). */
  occurred_on: string
  status: Generated<ClaimStatus>
  decided_by: number | null
  decided_at: Timestamp | null
  decision_reason: string | null
  ledger_entry_id: number | null
  created_at: Generated<Date>
}

export interface EvidenceFilesTable {
  id: Id
  claim_id: number
  filename: string
  content_type: EvidenceContentType
  size: number
  /** Lower-case hex. */
  sha256: string
  bytes: Buffer
  created_at: Generated<Date>
}

export type CertificateStatus = 'pending' | 'ready' | 'failed'
export type CertificateKind = 'hours' | 'seminar_completion'

/** Hours certificates (学时证明, migration 0004): the facts stated, the ledger mark, the PDF. */
export interface CertificatesTable {
  id: Id
  /** 16 characters of base32 without I/O/0/1; shown grouped ABCD-EFGH-JKLM-NPQR. */
  code: string
  person_id: number
  ce_year: number
  status: Generated<CertificateStatus>
  facts: ColumnType<unknown, string, never>
  /** 'hours' (a year's hours) or 'seminar_completion' (结业证书, with seminar_id); migration 0018. */
  kind: Generated<CertificateKind>
  seminar_id: number | null
  /** max(hour_entries.id) for the person and year at issue time: later entries supersede. */
  ledger_high_water: number
  pdf: Buffer | null
  error: string | null
  created_at: Generated<Date>
  ready_at: Timestamp | null
}

export type CourseCategory = Category
export type LessonKind = 'text' | 'video'

/** Online courses (migration 0006), copied from content/courses by app/domain/courses.server.ts. */
export interface CoursesTable {
  id: string
  title: string
  category: CourseCategory
  /** A title-series code, or 'all' for general subjects (公需). */
  series: string
  /** numeric(5,2) as a string. */
  hours: string
  summary: string
  /** 'YYYY-MM-DD'. */
  listed_on: ColumnType<string, string, string>
  total_seconds: number
  quiz: ColumnType<unknown, string, string>
  content_hash: string
  published: Generated<boolean>
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface LessonsTable {
  course_id: string
  id: string
  position: number
  title: string
  kind: LessonKind
  seconds: number
  video: string | null
  body: string | null
}

export interface EnrollmentsTable {
  id: Id
  person_id: number
  course_id: string
  enrolled_at: Generated<Date>
  completed_at: Timestamp | null
  ledger_entry_id: number | null
}

export interface LessonProgressTable {
  enrollment_id: number
  lesson_id: string
  verified_ms: Generated<number>
  furthest_ms: Generated<number>
  position_ms: Generated<number>
  last_accepted_at: Timestamp | null
  last_seq: Generated<number>
  done_at: Timestamp | null
  /** Verified ms at which the next attention check stops the count; null until scheduled. */
  check_at_ms: number | null
  check_pending: Generated<boolean>
}

export interface StudySlotsTable {
  person_id: number
  player_id: string
  enrollment_id: number
  lesson_id: string
  claimed_at: Generated<Date>
  /** Bumped by every accepted heartbeat (optimistic concurrency, ADR 0009). */
  version: Generated<number>
}

export interface QuizAttemptsTable {
  id: Id
  enrollment_id: number
  started_at: Generated<Date>
  /** The shuffled order shown: [{ id, options: [original option index, …] }]. */
  layout: ColumnType<QuizLayout, string, string>
  submitted_at: Timestamp | null
  /** { questionId: original option index }. */
  answers: ColumnType<Record<string, number> | null, string | null, string | null>
  correct: number | null
  total: number
  score: number | null
  pass_mark: number
  passed: boolean | null
}

export type QuizLayout = { id: string; options: number[] }[]

/** Advanced seminars (高级研修班, migration 0017). */
export type SeminarLevel = 'national' | 'provincial'
export type SeminarStatus = 'draft' | 'published' | 'cancelled' | 'finished'
export type WaitlistMode = 'auto' | 'offer'
/** Who may register, as data: codes of content/reference/titles.json and regions (a 'NN0000' entry matches the resident ID's province). */
export type SeminarEligibility = { levels?: string[]; series?: string[]; regions?: string[] }
export type SeminarRegistrationStatus =
  'confirmed' | 'waitlisted' | 'offered' | 'cancelled' | 'declined' | 'expired' | 'pending_approval' | 'rejected'

export interface SeminarsTable {
  id: Id
  level: SeminarLevel
  host_base_id: number
  title: string
  category: Category
  title_series: ColumnType<string[], string | undefined, string>
  declared_hours: string
  start_date: string
  end_date: string
  venue: string
  capacity: number
  registration_opens_at: Timestamp
  registration_closes_at: Timestamp
  cancel_cutoff_at: Timestamp
  waitlist_mode: Generated<WaitlistMode>
  offer_hours: number
  promotion_stops_at: Timestamp
  approval_required: Generated<boolean>
  eligibility: ColumnType<SeminarEligibility, string | undefined, string>
  status: Generated<SeminarStatus>
  policy_version: string
  created_by: number
  created_at: Generated<Date>
  /** When the host finalised attendance (hours credited); migration 0018. */
  finalised_at: Timestamp | null
  finalised_by: number | null
  /** 0 before finalising; each finalisation or correction adds one. */
  attendance_revision: Generated<number>
}

/** Each participant's outcome at the seminar's latest attendance revision (migration 0018). */
export interface SeminarResultsTable {
  seminar_id: number
  person_id: number
  revision: number
  blocks_attended: number
  blocks_total: number
  hours: string
  completed: boolean
  /** The ledger entry holding the hours (null when none were earned). */
  entry_id: number | null
  updated_at: Generated<Date>
}

/** The host's post-event package (结业材料), due a number of working days after the last day. */
export interface SeminarPackagesTable {
  seminar_id: number
  due_on: string
  summary: string
  stats: ColumnType<Record<string, unknown>, string, string>
  submitted_at: Generated<Date>
  submitted_by: number
  late: boolean
  policy_version: string
}

/** A seat pool: 'open', 'province:NN' or 'region:NNNNNN'; CHECK (0 <= taken <= size). */
export interface SeminarQuotasTable {
  id: Id
  seminar_id: number
  scope: string
  size: number
  taken: Generated<number>
  release_at: Timestamp | null
}

export interface SeminarBlocksTable {
  id: Id
  seminar_id: number
  starts_at: Timestamp
  ends_at: Timestamp
  credit_hours: string
}

export interface SeminarRegistrationsTable {
  id: Id
  seminar_id: number
  person_id: number
  status: SeminarRegistrationStatus
  /** The quota holding the seat (confirmed, offered, pending_approval); null otherwise. */
  quota_id: number | null
  /** The quota of the person's own province/region at registration, null when the seminar has none for it. */
  home_quota_id: number | null
  /** Arrival order (a sequence); int8, so read as a string. */
  waitlist_seq: ColumnType<string, never, never>
  offer_expires_at: Timestamp | null
  /** When HR of the person's region must have decided (pending_approval only; migration 0018). */
  approval_due_at: Timestamp | null
  idempotency_key: string
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

/** Append-only (a trigger refuses UPDATE and DELETE). */
export interface SeminarRegistrationEventsTable {
  id: Id
  registration_id: number
  from_status: SeminarRegistrationStatus | null
  to_status: SeminarRegistrationStatus
  reason: string
  actor_account_id: number | null
  quota_id: number | null
  at: Generated<Date>
}

export interface SeminarCheckinsTable {
  id: Id
  block_id: number
  person_id: number | null
  direction: 'in' | 'out'
  method: 'scan' | 'staff'
  nonce: string | null
  accepted: boolean
  reason: string | null
  actor_account_id: number | null
  at: Generated<Date>
}

export interface SeminarAttendanceTable {
  block_id: number
  person_id: number
  signed_in_at: Timestamp | null
  signed_out_at: Timestamp | null
  attended: Generated<boolean>
  corrected_by: number | null
  correction_reason: string | null
  updated_at: Generated<Date>
}

export interface SeminarSurveySubmittersTable {
  seminar_id: number
  person_id: number
  submitted_at: Generated<Date>
}

/** No person column: who answered is in seminar_survey_submitters only. */
export interface SeminarSurveyAnswersTable {
  id: Generated<string>
  seminar_id: number
  answers: ColumnType<Record<string, unknown>, string, string>
  survey_version: string
}

/** An integrity record (诚信档案, migration 0019): falsified evidence behind hours, found by HR, confirmed by a second officer. */
export type IntegritySubject = 'person' | 'base'
export type IntegritySourceKind = 'claim' | 'entry' | 'roster_row'
export type IntegrityStatus = 'proposed' | 'in_force' | 'withdrawn' | 'cancelled'
export interface IntegrityRecordsTable {
  id: Id
  subject: IntegritySubject
  person_id: number | null
  base_id: number | null
  source_kind: IntegritySourceKind
  /** external_claims.id, hour_entries.id, or for roster_row: the row's credit entry (person) / the activity id (base). */
  source_id: number
  /** Set for roster_row only: the training activity. */
  activity_id: number | null
  region_code: string
  finding: string
  document_number: string
  evidence_file: Buffer
  evidence_filename: string
  evidence_mime: EvidenceContentType
  status: Generated<IntegrityStatus>
  found_by: number
  found_at: Generated<Date>
  confirmed_by: number | null
  confirmed_at: Timestamp | null
  /** China days; in force on d with starts_on <= d < ends_on. */
  starts_on: string | null
  ends_on: string | null
  policy_version: string | null
  cancel_reason: string | null
  cancelled_by: number | null
  cancelled_at: Timestamp | null
  appeal_text: string | null
  appealed_at: Timestamp | null
  appeal_decision: 'upheld' | 'withdrawn' | null
  appeal_decided_by: number | null
  appeal_decided_at: Timestamp | null
  appeal_reason: string | null
}

export interface Database {
  enrollments: EnrollmentsTable
  lesson_progress: LessonProgressTable
  study_slots: StudySlotsTable
  quiz_attempts: QuizAttemptsTable
  courses: CoursesTable
  lessons: LessonsTable
  api_clients: ApiClientsTable
  credit_checks: CreditChecksTable
  policies: PoliciesTable
  hour_entries: HourEntriesTable
  training_activities: TrainingActivitiesTable
  import_files: ImportFilesTable
  import_rows: ImportRowsTable
  activity_credits: ActivityCreditsTable
  activity_exclusions: ActivityExclusionsTable
  roster_disputes: RosterDisputesTable
  hour_totals: HourTotalsTable
  employers: EmployersTable
  compliance_dirty: ComplianceDirtyTable
  compliance_people: CompliancePeopleTable
  compliance_person_years: CompliancePersonYearsTable
  compliance_rollups: ComplianceRollupsTable
  compliance_state: ComplianceStateTable
  compliance_campaigns: ComplianceCampaignsTable
  compliance_campaign_recipients: ComplianceCampaignRecipientsTable
  compliance_exports: ComplianceExportsTable
  people: PeopleTable
  bases: BasesTable
  base_applications: BaseApplicationsTable
  base_files: BaseFilesTable
  base_status_events: BaseStatusEventsTable
  base_name_changes: BaseNameChangesTable
  rectification_cases: RectificationCasesTable
  accounts: AccountsTable
  base_members: BaseMembersTable
  base_invitations: BaseInvitationsTable
  sessions: SessionsTable
  password_reset_codes: PasswordResetCodesTable
  title_changes: TitleChangesTable
  audit_log: AuditLogTable
  outbox: OutboxTable
  notices: NoticesTable
  certificates: CertificatesTable
  external_claims: ExternalClaimsTable
  evidence_files: EvidenceFilesTable
  seminars: SeminarsTable
  seminar_quotas: SeminarQuotasTable
  seminar_blocks: SeminarBlocksTable
  seminar_registrations: SeminarRegistrationsTable
  seminar_registration_events: SeminarRegistrationEventsTable
  seminar_checkins: SeminarCheckinsTable
  seminar_attendance: SeminarAttendanceTable
  seminar_survey_submitters: SeminarSurveySubmittersTable
  seminar_survey_answers: SeminarSurveyAnswersTable
  seminar_results: SeminarResultsTable
  seminar_packages: SeminarPackagesTable
  integrity_records: IntegrityRecordsTable
}

/** The Kysely handle (a pool, or a transaction where one is open): declared once, used by lib and domain. */
export type DB = Kysely<Database>

export type Person = Selectable<PeopleTable>
export type Account = Selectable<AccountsTable>
export type NewPerson = Insertable<PeopleTable>
