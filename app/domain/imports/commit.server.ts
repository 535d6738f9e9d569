/**
 * Committing a staged import (run by the worker, job `import.commit`, in one transaction):
 *
 * - people named by a valid ID who have no record yet get one (their hours wait for them; when
 *   they register with that ID the hours are theirs at once);
 * - a roster is compared with the activity's committed roster (`activity_credits`): people added
 *   are credited, people removed or whose hours changed are reversed (and credited again with the
 *   new hours) — never an edit; the same file twice writes nothing;
 * - a legacy file credits each row once (`legacy_import`), keyed by the file's hash and row.
 *
 * Every ledger entry carries its activity, file and row as evidence. Concurrent commits of one
 * upload: the first to claim it (`requestCommit`) commits; the activity row lock orders commits of
 * different uploads of one activity.
 */
import { sql, type Transaction } from 'kysely'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { canBaseDeliver } from '#app/domain/bases/gate.server.ts'
import { creditBatch, type CreditInput, reverseBatch } from '#app/domain/hours/ledger.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { normalizeHours } from '#app/domain/shared/decimal.ts'
import type { Database, DB } from '#db/schema.ts'

export type CommitOutcome =
  | { done: 'committed'; added: number; removed: number; changed: number; unchanged: number; credited: number }
  | { done: 'skipped' }
  | { done: 'refused'; code: 'revoked' | 'outside_term' | 'not_designated' }

/** Rows that go into the ledger: no error, or (valid_only) the valid ones of a file with errors. */
const INCLUDED = sql`r.status <> 'error'`

/** Records for people named by a valid ID who have none yet, then links every row to its person. */
async function createPeople(trx: Transaction<Database>, importId: number) {
  await sql`
    insert into people (id_number_enc, id_number_hash, name, gender, birth_date, employer)
    select distinct on (r.id_hash) r.id_enc, r.id_hash, r.name, r.gender, r.birth_date, r.employer
    from import_rows r
    where r.import_id = ${importId} and ${INCLUDED} and r.person_id is null and r.id_hash is not null
    order by r.id_hash, r.row_number
    on conflict (id_number_hash) do nothing`.execute(trx)
  await sql`
    update import_rows r set person_id = p.id from people p
    where r.import_id = ${importId} and r.person_id is null and r.id_hash = p.id_number_hash`.execute(trx)
}

export async function commitImport(db: DB, importId: number, now = new Date()): Promise<CommitOutcome> {
  return db.transaction().execute(async (trx): Promise<CommitOutcome> => {
    const file = await trx
      .selectFrom('import_files')
      .select(['id', 'kind', 'activity_id', 'sha256', 'committed_by', 'status'])
      .where('id', '=', importId)
      .forUpdate()
      .executeTakeFirst()
    if (!file || file.status !== 'committing') return { done: 'skipped' }
    await createPeople(trx, importId)
    const result =
      file.kind === 'roster'
        ? await commitRoster(trx, file as typeof file & { activity_id: number }, now)
        : await commitLegacy(trx, file, now)
    if ('code' in result) {
      await trx
        .updateTable('import_files')
        .set({ status: 'staged', commit_mode: null, committed_by: null })
        .where('id', '=', importId)
        .execute()
      return { done: 'refused', code: result.code }
    }
    await trx
      .updateTable('import_files')
      .set({ status: 'committed', committed_at: now, outcome: JSON.stringify(result), version: result.version })
      .where('id', '=', importId)
      .execute()
    await audit(trx, {
      actorAccountId: file.committed_by,
      action: file.kind === 'roster' ? 'report.roster_commit' : 'report.legacy_commit',
      targetType: 'import',
      targetId: importId,
      detail: { activityId: file.activity_id, ...result },
    })
    const { version: _, ...counts } = result
    return { done: 'committed', ...counts }
  })
}

type Counts = { added: number; removed: number; changed: number; unchanged: number; credited: number; version: number | null }

async function commitRoster(
  trx: Transaction<Database>,
  file: { id: number; activity_id: number; committed_by: number | null },
  now: Date,
): Promise<Counts | { code: 'revoked' | 'outside_term' | 'not_designated' }> {
  const a = await trx.selectFrom('training_activities').selectAll().where('id', '=', file.activity_id).forUpdate().executeTakeFirstOrThrow()
  const today = chinaDay(now)
  // The one gate: the training inside the designation, and no revocation in force today.
  const held = await canBaseDeliver(trx, a.base_id, a.end_date)
  if (!held.ok) return { code: held.code }
  const reporting = await canBaseDeliver(trx, a.base_id, today)
  if (!reporting.ok && reporting.code === 'revoked') return { code: 'revoked' }

  // The diff, by person: what this file says (included rows, people HR excluded left out) against
  // what is credited now. A person whose row has an error but a valid ID is neither added nor
  // removed: their credit stays as it was.
  const diff = await sql<{
    person_id: string
    new_hours: string | null
    row_number: number | null
    old_hours: string | null
    entry_id: string | null
    present: boolean
  }>`
    with wanted as (
      select distinct on (r.person_id) r.person_id, r.hours, r.row_number
      from import_rows r
      where r.import_id = ${file.id} and ${INCLUDED} and r.person_id is not null
        and not exists (select 1 from activity_exclusions e where e.activity_id = ${a.id} and e.person_id = r.person_id)
      order by r.person_id, r.row_number
    ), present as (
      select distinct r.person_id from import_rows r where r.import_id = ${file.id} and r.person_id is not null
    ), current as (
      select person_id, hours, entry_id from activity_credits where activity_id = ${a.id}
    )
    select coalesce(w.person_id, c.person_id) as person_id, w.hours as new_hours, w.row_number, c.hours as old_hours,
           c.entry_id, exists (select 1 from present p where p.person_id = coalesce(w.person_id, c.person_id)) as present
    from wanted w full join current c on c.person_id = w.person_id
    where w.person_id is null or c.person_id is null or w.hours <> c.hours`.execute(trx)

  const toReverse: number[] = []
  const toCredit: { personId: number; hours: string; rowNumber: number }[] = []
  let added = 0
  let removed = 0
  let changed = 0
  for (const d of diff.rows) {
    const personId = Number(d.person_id)
    if (d.new_hours !== null && d.old_hours === null) {
      added++
      toCredit.push({ personId, hours: d.new_hours, rowNumber: d.row_number! })
    } else if (d.new_hours !== null && d.old_hours !== null) {
      changed++
      toReverse.push(Number(d.entry_id))
      toCredit.push({ personId, hours: d.new_hours, rowNumber: d.row_number! })
    } else if (d.new_hours === null && !d.present) {
      removed++
      toReverse.push(Number(d.entry_id))
    }
  }
  const version =
    Number(
      (
        await trx
          .selectFrom('import_files')
          .select((eb) => eb.fn.max<number | null>('version').as('v'))
          .where('activity_id', '=', a.id)
          .executeTakeFirstOrThrow()
      ).v ?? 0,
    ) + 1
  if (toReverse.length > 0) {
    await reverseBatch(trx, {
      entryIds: toReverse,
      reason: `名单第 ${version} 版更正 roster version ${version}`,
      actorAccountId: file.committed_by,
    })
    await trx.deleteFrom('activity_credits').where('activity_id', '=', a.id).where('entry_id', 'in', toReverse).execute()
  }
  if (toCredit.length > 0) {
    const occurredAt = new Date(`${a.end_date}T12:00:00+08:00`)
    const inputs: CreditInput[] = toCredit.map((c) => ({
      personId: c.personId,
      category: a.category,
      hours: normalizeHours(c.hours),
      sourceKind: 'base_training',
      sourceRef: `activity:${a.id}`,
      evidence: { activityId: a.id, baseId: a.base_id, importId: file.id, rowNumber: c.rowNumber, title: a.title },
      idempotencyKey: `roster:${a.id}:${c.personId}:${file.id}`,
      occurredAt,
      createdBy: file.committed_by,
    }))
    const ids = await creditBatch(trx, inputs)
    const credits = toCredit.map((c) => ({
      activity_id: a.id,
      person_id: c.personId,
      hours: normalizeHours(c.hours),
      entry_id: ids.get(`roster:${a.id}:${c.personId}:${file.id}`)!,
      import_id: file.id,
      row_number: c.rowNumber,
    }))
    for (let i = 0; i < credits.length; i += 5000)
      await trx
        .insertInto('activity_credits')
        .values(credits.slice(i, i + 5000))
        .execute()
  }
  const unchanged =
    Number(
      (
        await trx
          .selectFrom('activity_credits')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('activity_id', '=', a.id)
          .executeTakeFirstOrThrow()
      ).n,
    ) -
    added -
    changed
  await trx
    .updateTable('training_activities')
    .set({
      state: 'reported',
      first_reported_on: a.first_reported_on ?? today,
      late: a.late ?? today > a.report_due,
      review_reason: null,
    })
    .where('id', '=', a.id)
    .execute()
  return { added, removed, changed, unchanged, credited: toCredit.length, version }
}

async function commitLegacy(
  trx: Transaction<Database>,
  file: { id: number; sha256: Buffer; committed_by: number | null },
  _now: Date,
): Promise<Counts> {
  const rows = await trx
    .selectFrom('import_rows as r')
    .select(['r.row_number', 'r.person_id', 'r.ce_year', 'r.category', 'r.hours', 'r.source'])
    .where('r.import_id', '=', file.id)
    .where('r.status', '<>', 'error')
    .where('r.person_id', 'is not', null)
    .orderBy('r.row_number')
    .execute()
  const sha = file.sha256.toString('hex')
  const inputs: CreditInput[] = rows.map((r) => ({
    personId: r.person_id!,
    category: r.category!,
    hours: normalizeHours(r.hours!),
    sourceKind: 'legacy_import',
    sourceRef: `import:${file.id}`,
    evidence: { importId: file.id, rowNumber: r.row_number, source: r.source },
    // The same file again (same bytes) credits nothing twice.
    idempotencyKey: `legacy:${sha}:${r.row_number}`,
    occurredAt: new Date(`${r.ce_year}-07-01T12:00:00+08:00`),
    ceYear: r.ce_year!,
    createdBy: file.committed_by,
    reason: r.source,
  }))
  const created = await creditBatch(trx, inputs)
  return { added: created.size, removed: 0, changed: 0, unchanged: inputs.length - created.size, credited: created.size, version: null }
}
