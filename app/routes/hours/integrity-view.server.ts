import type { PersonRecordView } from '#app/components/integrity/record-panel.tsx'
import { recordsOfPerson, type RecordView } from '#app/domain/integrity/records.server.ts'
import type { DB } from '#app/lib/db.server.ts'

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString())

/** A confirmed record as 我的学时 and the record page show it to the person (no evidence, no officers). */
function personRecordView(r: RecordView): PersonRecordView | null {
  // recordsOfPerson gives confirmed records only; these always have a term and an appeal deadline.
  if (!r.starts_on || !r.ends_on || !r.appealLastDay || (r.status !== 'in_force' && r.status !== 'withdrawn')) return null
  return {
    id: r.id,
    state: r.status === 'withdrawn' ? 'withdrawn' : r.inForceToday ? 'in_force' : 'ended',
    finding: r.finding,
    documentNumber: r.document_number,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    appealUntil: r.appealLastDay,
    canAppeal: r.canAppeal,
    appealText: r.appeal_text,
    appealedAt: iso(r.appealed_at),
    appealDecision: r.appeal_decision,
    appealDecidedAt: iso(r.appeal_decided_at),
    appealReason: r.appeal_reason,
  }
}

/** The person's integrity records (诚信档案) that took effect: in force, ended, or withdrawn on appeal. */
export async function personRecordViews(db: DB, personId: number, now = new Date()): Promise<PersonRecordView[]> {
  return (await recordsOfPerson(db, personId, now)).map(personRecordView).filter((v): v is PersonRecordView => v !== null)
}
