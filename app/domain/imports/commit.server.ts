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
import { ceYearOf, creditFromQuery, type CreditRow, reverseFromQuery } from '#app/domain/hours/ledger.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import type { Database, DB } from '#db/schema.ts'

export type CommitOutcome =
  | { done: 'committed'; added: number; removed: number; changed: number; unchanged: number; credited: number }
  | { done: 'skipped' }
  | { done: 'refused'; code: 'revoked' | 'outside_term' | 'not_designated' }

/** Rows that go into the ledger: no error, or (valid_only) the valid ones of a file with errors. */
const INCLUDED = sql`r.status <> 'error'`

/** Records for people named by a valid ID who have none yet (their hours wait for them). */
async function createPeople(trx: Transaction<Database>, importId: number) {
  await sql`
    insert into people (id_number_enc, id_number_hash, name, gender, birth_date, employer)
    select distinct on (r.id_hash) r.id_enc, r.id_hash, r.name, r.gender, r.birth_date, r.employer
    from import_rows r
    where r.import_id = ${importId} and ${INCLUDED} and r.person_id is null and r.id_hash is not null
    order by r.id_hash, r.row_number
    on conflict (id_number_hash) do nothing`.execute(trx)
}

export async function commitImport(db: DB, importId: number): Promise<CommitOutcome> {
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
      file.kind === 'roster' ? await commitRoster(trx, file as typeof file & { activity_id: number }) : await commitLegacy(trx, file)
    if ('code' in result) {
      await trx
        .updateTable('import_files')
        .set({ status: 'staged', commit_mode: null, committed_by: null })
        .where('id', '=', importId)
        .execute()
      return { done: 'refused', code: result.code }
    }
    const { version, ...counts } = result
    await trx
      .updateTable('import_files')
      .set({ status: 'committed', committed_at: new Date(), outcome: JSON.stringify(counts), version })
      .where('id', '=', importId)
      .execute()
    await audit(trx, {
      actorAccountId: file.committed_by,
      action: file.kind === 'roster' ? 'report.roster_commit' : 'report.legacy_commit',
      targetType: 'import',
      targetId: importId,
      detail: { activityId: file.activity_id, version, ...counts },
    })
    return { done: 'committed', ...counts }
  })
}

type Counts = { added: number; removed: number; changed: number; unchanged: number; credited: number; version: number | null }

async function commitRoster(
  trx: Transaction<Database>,
  file: { id: number; activity_id: number; committed_by: number | null },
): Promise<Counts | { code: 'revoked' | 'outside_term' | 'not_designated' }> {
  const a = await trx.selectFrom('training_activities').selectAll().where('id', '=', file.activity_id).forUpdate().executeTakeFirstOrThrow()
  const today = chinaDay()
  // The one gate: the training inside the designation, and no revocation in force today.
  const held = await canBaseDeliver(trx, a.base_id, a.end_date)
  if (!held.ok) return { code: held.code }
  const reporting = await canBaseDeliver(trx, a.base_id, today)
  if (!reporting.ok && reporting.code === 'revoked') return { code: 'revoked' }

  // The diff, by person, into a temporary table: what this file says (included rows, people HR
  // excluded left out, and people whose hours HR corrected after a dispute: HR's entry stands)
  // against what is credited now. A person whose row has an error but a valid
  // ID is neither added nor removed: their credit stays as it was.
  await sql`
    create temporary table roster_diff on commit drop as
    with rows as (
      select r.row_number, r.status, r.hours, p.id as person_id
      from import_rows r join people p on p.id_number_hash = r.id_hash
      where r.import_id = ${file.id}
    ), wanted as (
      select distinct on (r.person_id) r.person_id, r.hours, r.row_number from rows r
      where ${INCLUDED}
        and not exists (select 1 from activity_exclusions e where e.activity_id = ${a.id} and e.person_id = r.person_id)
        and not exists (select 1 from roster_disputes d where d.activity_id = ${a.id} and d.person_id = r.person_id
                          and d.kind = 'wrong_hours' and d.state = 'upheld')
      order by r.person_id, r.row_number
    ), current as (
      select person_id, hours, entry_id from activity_credits where activity_id = ${a.id}
    )
    select coalesce(w.person_id, c.person_id) as person_id, w.hours as new_hours, w.row_number, c.hours as old_hours,
           c.entry_id, exists (select 1 from rows r where r.person_id = coalesce(w.person_id, c.person_id)) as present
    from wanted w full join current c on c.person_id = w.person_id
    where w.person_id is null or c.person_id is null or w.hours <> c.hours`.execute(trx)
  const counts = await sql<{ added: number; changed: number; removed: number }>`
    select count(*) filter (where new_hours is not null and old_hours is null)::int as added,
           count(*) filter (where new_hours is not null and old_hours is not null)::int as changed,
           count(*) filter (where new_hours is null and not present)::int as removed
    from roster_diff`.execute(trx)
  const { added, changed, removed } = counts.rows[0]!
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

  const stale = sql<{ id: number }>`select entry_id from roster_diff where old_hours is not null and (new_hours is not null or not present)`
  if (changed + removed > 0) {
    await reverseFromQuery(trx, {
      entryIds: stale,
      reason: `名单第 ${version} 版更正 roster version ${version}`,
      actorAccountId: file.committed_by,
    })
    await sql`delete from activity_credits where activity_id = ${a.id} and entry_id in (${stale})`.execute(trx)
  }
  const key = sql`'roster:' || ${a.id}::text || ':' || d.person_id::text || ':' || ${file.id}::text`
  if (added + changed > 0) {
    await creditFromQuery(
      trx,
      sql<CreditRow>`
        select d.person_id, ${ceYearOf(new Date(`${a.end_date}T12:00:00+08:00`))}::int, ${a.category}::text, d.new_hours,
               'base_training'::text, ${`activity:${a.id}`}::text,
               jsonb_build_object('activityId', ${a.id}::bigint, 'baseId', ${a.base_id}::bigint, 'importId', ${file.id}::bigint,
                                  'rowNumber', d.row_number, 'title', ${a.title}::text),
               null::text, ${key}, ${`${a.end_date}T12:00:00+08:00`}::timestamptz, ${file.committed_by}::bigint, null::text
        from roster_diff d where d.new_hours is not null`,
    )
    await sql`
      insert into activity_credits (activity_id, person_id, hours, entry_id, import_id, row_number)
      select ${a.id}, d.person_id, d.new_hours, e.id, ${file.id}, d.row_number
      from roster_diff d join hour_entries e on e.idempotency_key = ${key}
      where d.new_hours is not null`.execute(trx)
  }
  const total = await trx
    .selectFrom('activity_credits')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('activity_id', '=', a.id)
    .executeTakeFirstOrThrow()
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
  return { added, removed, changed, unchanged: Number(total.n) - added - changed, credited: added + changed, version }
}

async function commitLegacy(
  trx: Transaction<Database>,
  file: { id: number; sha256: Buffer; committed_by: number | null },
): Promise<Counts> {
  const sha = file.sha256.toString('hex')
  const [{ n }] = (
    await sql<{ n: number }>`select count(*)::int as n from import_rows r where r.import_id = ${file.id} and ${INCLUDED}`.execute(trx)
  ).rows as [{ n: number }]
  // The same file again (same bytes) credits nothing twice: keys are the file's hash and row.
  const credited = await creditFromQuery(
    trx,
    sql<CreditRow>`
      select p.id, r.ce_year, r.category, r.hours, 'legacy_import'::text, ${`import:${file.id}`}::text,
             jsonb_build_object('importId', ${file.id}::bigint, 'rowNumber', r.row_number, 'source', r.source),
             null::text, ${`legacy:${sha}:`}::text || r.row_number::text,
             make_timestamptz(r.ce_year, 7, 1, 12, 0, 0, 'Asia/Shanghai'), ${file.committed_by}::bigint, r.source
      from import_rows r join people p on p.id_number_hash = r.id_hash
      where r.import_id = ${file.id} and ${INCLUDED}
      order by r.row_number`,
  )
  return { added: credited, removed: 0, changed: 0, unchanged: n - credited, credited, version: null }
}
