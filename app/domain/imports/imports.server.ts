/**
 * The import engine's steps that the web calls (rosters of a base's activity, HR's legacy hours):
 * upload (refused at once when the file is plainly not a table), the preview with every issue and,
 * for a re-upload, the diff against the committed roster, commit or discard. Staging and committing
 * run in the worker (`import.stage`, `import.commit`); the page shows their progress.
 */
import { createHash } from 'node:crypto'
import type { Writable } from 'node:stream'

import { sql, type Transaction } from 'kysely'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { canBaseDeliver } from '#app/domain/bases/gate.server.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { reportsPolicyOn } from '#app/domain/policy/reports-policy.server.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { decryptPii } from '#app/lib/crypto.server.ts'
import { enqueue, jobDeadlineMs } from '#app/lib/queue.server.ts'
import type { Database, DB, ImportStatus } from '#db/schema.ts'

import { type ImportKind, isErrorIssue } from './rows.ts'
import { sniffFormat } from './table-reader.server.ts'
import { writeAnnotatedErrors } from './workbook-writer.server.ts'

/** Who may see and act on an import: the base's staff for their activity's rosters; HR of the province for legacy files. */
export type ImportOwner = { kind: 'roster'; baseId: number; accountId: number } | { kind: 'legacy'; accountId: number }

export type UploadCode =
  | 'file_required'
  | 'file_too_large'
  | 'empty'
  | 'xls_old_format'
  | 'not_table'
  | 'revoked'
  | 'outside_term'
  | 'not_designated'
  | 'not_found'

/** Accepted upload types for the file input (the content decides, not the name). */
export const IMPORT_ACCEPT = '.xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export function maxImportBytes(on = chinaDay()): number {
  return reportsPolicyOn(on).roster.maxFileBytes
}

/** Stores the upload and queues its staging (in the caller's transaction). */
export async function createImport(
  trx: Transaction<Database>,
  owner: ImportOwner,
  input: { activityId?: number; file: { filename: string; bytes: Buffer } | null },
  { today = chinaDay() }: { today?: string } = {},
): Promise<Result<{ importId: number }, UploadCode>> {
  if (owner.kind === 'roster') {
    const a = await trx
      .selectFrom('training_activities')
      .select(['id', 'base_id', 'end_date'])
      .where('id', '=', input.activityId ?? 0)
      .where('base_id', '=', owner.baseId)
      .executeTakeFirst()
    if (!a) return err('not_found')
    const held = await canBaseDeliver(trx, a.base_id, a.end_date)
    if (!held.ok) return err(held.code)
    const reporting = await canBaseDeliver(trx, a.base_id, today)
    if (!reporting.ok && reporting.code === 'revoked') return err('revoked')
  }
  const f = input.file
  if (!f || f.bytes.length === 0) return err(f ? 'empty' : 'file_required')
  if (f.bytes.length > maxImportBytes(today)) return err('file_too_large')
  const sniffed = sniffFormat(f.bytes.subarray(0, 64 * 1024), f.filename)
  if (!sniffed.ok) return err(sniffed.code)
  const row = await trx
    .insertInto('import_files')
    .values({
      kind: owner.kind,
      activity_id: owner.kind === 'roster' ? input.activityId! : null,
      uploaded_by: owner.accountId,
      filename: f.filename.slice(0, 200),
      size: f.bytes.length,
      sha256: createHash('sha256').update(f.bytes).digest(),
      bytes: f.bytes,
      status: 'queued',
      format: sniffed.format,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await enqueue(trx, 'import.stage', { importId: row.id })
  await audit(trx, {
    actorAccountId: owner.accountId,
    action: owner.kind === 'roster' ? 'report.roster_upload' : 'report.legacy_upload',
    targetType: 'import',
    targetId: row.id,
    detail: { activityId: input.activityId ?? null, filename: f.filename, size: f.bytes.length },
  })
  return ok({ importId: row.id })
}

function scoped(db: DB, owner: ImportOwner) {
  let q = db.selectFrom('import_files as f').where('f.kind', '=', owner.kind)
  if (owner.kind === 'roster')
    q = q.where('f.activity_id', 'in', (eb) => eb.selectFrom('training_activities').select('id').where('base_id', '=', owner.baseId))
  return q
}

/** One import as its owner sees it (no bytes), or undefined: another base's upload does not exist for them. */
export async function getImport(db: DB, owner: ImportOwner, importId: number) {
  const f = await scoped(db, owner)
    .select([
      'f.id',
      'f.kind',
      'f.activity_id',
      'f.version',
      'f.filename',
      'f.size',
      'f.status',
      'f.format',
      'f.encoding',
      'f.error_code',
      'f.error_detail',
      'f.rows_read',
      'f.rows_ok',
      'f.rows_warning',
      'f.rows_error',
      'f.commit_mode',
      'f.outcome',
      'f.created_at',
      'f.staged_at',
      'f.committed_at',
    ])
    .where('f.id', '=', importId)
    .executeTakeFirst()
  if (!f) return undefined
  // A stage or commit still running long after its job's deadline is reported as stuck, not "working".
  const since = f.status === 'committing' ? (f.staged_at ?? f.created_at) : f.created_at
  const stuck =
    (f.status === 'queued' || f.status === 'parsing' || f.status === 'committing') &&
    Date.now() - new Date(since).getTime() > jobDeadlineMs(f.status === 'committing' ? 'import.commit' : 'import.stage')
  return { ...f, stuck }
}

/** The imports of an activity (its roster versions and uploads), newest first. */
export async function importsOfActivity(db: DB, owner: ImportOwner & { kind: 'roster' }, activityId: number) {
  return scoped(db, owner)
    .select([
      'f.id',
      'f.version',
      'f.filename',
      'f.status',
      'f.rows_read',
      'f.rows_ok',
      'f.rows_warning',
      'f.rows_error',
      'f.outcome',
      'f.created_at',
      'f.committed_at',
    ])
    .where('f.activity_id', '=', activityId)
    .orderBy('f.id', 'desc')
    .execute()
}

/** HR's legacy imports, newest first. */
export async function legacyImports(db: DB) {
  return db
    .selectFrom('import_files as f')
    .innerJoin('accounts as a', 'a.id', 'f.uploaded_by')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .select([
      'f.id',
      'f.filename',
      'f.status',
      'f.rows_read',
      'f.rows_ok',
      'f.rows_warning',
      'f.rows_error',
      'f.outcome',
      'f.created_at',
      'p.name as uploader',
    ])
    .where('f.kind', '=', 'legacy')
    .orderBy('f.id', 'desc')
    .limit(100)
    .execute()
}

export const PREVIEW_PAGE = 100

/** Rows with issues (errors first), a page at a time, ID numbers masked. */
export async function issueRows(db: DB, importId: number, { page = 1, only }: { page?: number; only?: 'error' | 'warning' } = {}) {
  let q = db
    .selectFrom('import_rows')
    .select(['row_number', 'name', 'hours', 'status', 'issues', 'id_enc', 'id_hash', 'ce_year', 'category'])
    .where('import_id', '=', importId)
    .where('status', '<>', 'ok')
  if (only) q = q.where('status', '=', only)
  const rows = await q
    .orderBy(sql`status = 'error'`, 'desc')
    .orderBy('row_number')
    .limit(PREVIEW_PAGE)
    .offset((page - 1) * PREVIEW_PAGE)
    .execute()
  return rows.map(({ id_enc, id_hash, ...r }) => ({ ...r, idMasked: maskCell(decryptPii(id_enc), id_hash !== null) }))
}

/** A valid ID shows its first 6 and last 4 characters; an invalid cell is shown as typed (it is not a usable ID, and its author must find it). */
function maskCell(value: string, valid: boolean): string {
  return valid && value.length === 18 ? `${value.slice(0, 6)}********${value.slice(14)}` : value.slice(0, 40)
}

export type RosterDiff = { added: number; removed: number; changed: number; unchanged: number; excluded: number }

/**
 * For a roster: what committing would change against the activity's committed roster now.
 * Computed at read time (another version may have been committed since staging).
 */
export async function rosterDiff(db: DB, importId: number, activityId: number): Promise<RosterDiff> {
  const r = await sql<RosterDiff>`
    with wanted as (
      select distinct on (r.person_id, r.id_hash) r.person_id, r.id_hash, r.hours
      from import_rows r
      where r.import_id = ${importId} and r.status <> 'error' and r.id_hash is not null
        and not exists (select 1 from activity_exclusions e where e.activity_id = ${activityId} and e.person_id = r.person_id)
        and not exists (select 1 from roster_disputes d where d.activity_id = ${activityId} and d.person_id = r.person_id
                          and d.kind = 'wrong_hours' and d.state = 'upheld')
      order by r.person_id, r.id_hash, r.row_number
    ), present as (
      select distinct person_id from import_rows where import_id = ${importId} and person_id is not null
    ), current as (select person_id, hours from activity_credits where activity_id = ${activityId})
    select
      (select count(*) from wanted w where w.person_id is null or not exists (select 1 from current c where c.person_id = w.person_id))::int as added,
      (select count(*) from current c where not exists (select 1 from present p where p.person_id = c.person_id))::int as removed,
      (select count(*) from wanted w join current c on c.person_id = w.person_id where c.hours <> w.hours)::int as changed,
      (select count(*) from wanted w join current c on c.person_id = w.person_id where c.hours = w.hours)::int as unchanged,
      (select count(*) from import_rows r where r.import_id = ${importId} and 'excluded_by_dispute' = any(r.issues))::int as excluded`.execute(
    db,
  )
  return r.rows[0]!
}

export type CommitCode = 'not_staged' | 'has_errors' | 'nothing_valid' | 'not_found'

/**
 * The uploader's choice: commit all rows (only when none has an error), or only the valid rows of
 * a file with errors. Claims the import once (a second click, or a second tab, gets `not_staged`)
 * and queues the commit in the same transaction.
 */
export async function requestCommit(
  trx: Transaction<Database>,
  owner: ImportOwner,
  importId: number,
  mode: 'all' | 'valid_only',
): Promise<Result<object, CommitCode>> {
  const f = await scoped(trx, owner)
    .select(['f.id', 'f.status', 'f.rows_ok', 'f.rows_warning', 'f.rows_error'])
    .where('f.id', '=', importId)
    .executeTakeFirst()
  if (!f) return err('not_found')
  if (f.status !== 'staged') return err('not_staged')
  if (mode === 'all' && f.rows_error > 0) return err('has_errors')
  if (f.rows_ok + f.rows_warning === 0) return err('nothing_valid')
  const claimed = await trx
    .updateTable('import_files')
    .set({ status: 'committing', commit_mode: mode, committed_by: owner.accountId })
    .where('id', '=', importId)
    .where('status', '=', 'staged')
    .executeTakeFirst()
  if (Number(claimed.numUpdatedRows) === 0) return err('not_staged')
  await enqueue(trx, 'import.commit', { importId })
  return ok()
}

/** The uploader drops a staged (or failed) import: its staged rows go; the file stays as a record. */
export async function discardImport(
  trx: Transaction<Database>,
  owner: ImportOwner,
  importId: number,
): Promise<Result<object, 'not_found' | 'not_staged'>> {
  const f = await scoped(trx, owner).select(['f.id', 'f.status']).where('f.id', '=', importId).executeTakeFirst()
  if (!f) return err('not_found')
  const r = await trx
    .updateTable('import_files')
    .set({ status: 'discarded' })
    .where('id', '=', importId)
    .where('status', 'in', ['staged', 'failed'] satisfies ImportStatus[])
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) === 0) return err('not_staged')
  await trx.deleteFrom('import_rows').where('import_id', '=', importId).execute()
  return ok()
}

/**
 * The file's rows that have issues, as a workbook in the same columns plus the reason, to fix and
 * upload again. The ID column holds the ID as typed (it is the uploader's own data, sent to them
 * only); `reason` words the issue codes in the reader's language.
 */
export async function writeIssuesWorkbook(
  db: DB,
  importId: number,
  kind: ImportKind,
  out: Writable,
  words: { headers: string[]; reasonHeader: string; reason: (codes: string[]) => string },
) {
  async function* rows() {
    let after = 0
    for (;;) {
      const batch = await db
        .selectFrom('import_rows')
        .select(['row_number', 'name', 'id_enc', 'hours', 'employer', 'mobile', 'ce_year', 'category', 'source', 'issues'])
        .where('import_id', '=', importId)
        .where('status', '<>', 'ok')
        .where('row_number', '>', after)
        .orderBy('row_number')
        .limit(2000)
        .execute()
      if (batch.length === 0) return
      for (const r of batch) {
        const id = decryptPii(r.id_enc)
        const cells =
          kind === 'roster'
            ? [r.name, id, r.hours ?? '', r.employer ?? '', r.mobile ?? '']
            : [r.name, id, r.ce_year === null ? '' : String(r.ce_year), r.category ?? '', r.hours ?? '', r.source ?? '']
        yield { cells, reason: words.reason([...r.issues.filter(isErrorIssue), ...r.issues.filter((c) => !isErrorIssue(c))]) }
      }
      after = batch[batch.length - 1]!.row_number
    }
  }
  await writeAnnotatedErrors(out, { headers: words.headers, rows: rows(), reasonHeader: words.reasonHeader })
}
