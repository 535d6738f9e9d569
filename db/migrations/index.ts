import type { Migration } from 'kysely'

import * as m0001 from './20261124_0001_foundation.ts'
import * as m0002 from './20261124_0002_hours_ledger.ts'
import * as m0003 from './20261124_0003_credit_checks.ts'
import * as m0004 from './20261124_0004_certificates.ts'
import * as m0005 from './20261124_0005_external_claims.ts'
import * as m0006 from './20261124_0006_courses.ts'
import * as m0007 from './20261124_0007_study_progress.ts'
import * as m0008 from './20261124_0008_course_completion.ts'
import * as m0009 from './20261124_0009_attention_checks.ts'
import * as m0010 from './20261130_0010_account_self_service.ts'
import * as m0011 from './20261130_0011_outbox_completion.ts'
import * as m0012 from './20261130_0012_everyday_use.ts'
import * as m0013 from './20261130_0013_base_lifecycle.ts'
import * as m0014 from './20261130_0014_base_members.ts'
import * as m0015 from './20261130_0015_base_profile.ts'
import * as m0016 from './20261130_0016_training_reports.ts'
import * as m0017 from './20261130_0017_seminars.ts'
import * as m0018 from './20261130_0018_seminar_delivery.ts'
import * as m0019 from './20261130_0019_integrity_records.ts'
import * as m0020 from './20261130_0020_compliance.ts'

/**
 * Every migration, in order. Listed explicitly (not read from the folder at run time) so the
 * same list works under tsx, vitest and any bundler. Add one line per new migration file.
 */
export const migrations: Record<string, Migration> = {
  '20261124_0001_foundation': m0001,
  '20261124_0002_hours_ledger': m0002,
  '20261124_0003_credit_checks': m0003,
  '20261124_0004_certificates': m0004,
  '20261124_0005_external_claims': m0005,
  '20261124_0006_courses': m0006,
  '20261124_0007_study_progress': m0007,
  '20261124_0008_course_completion': m0008,
  '20261124_0009_attention_checks': m0009,
  '20261130_0010_account_self_service': m0010,
  '20261130_0011_outbox_completion': m0011,
  '20261130_0012_everyday_use': m0012,
  '20261130_0013_base_lifecycle': m0013,
  '20261130_0014_base_members': m0014,
  '20261130_0015_base_profile': m0015,
  '20261130_0016_training_reports': m0016,
  '20261130_0017_seminars': m0017,
  '20261130_0018_seminar_delivery': m0018,
  '20261130_0019_integrity_records': m0019,
  '20261130_0020_compliance': m0020,
}
