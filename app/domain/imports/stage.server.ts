/**
 * Staging an uploaded file (run by the worker, job `import.stage`): parse → validate every row →
 * write the rows with their issues into `import_rows` (COPY) → the checks that need the whole
 * file or the database → counts, ready for the preview. Nothing here touches the ledger or
 * people; a discarded import leaves no trace but its rows. Re-running a stage starts it over.
 * Memory stays bounded: rows stream from the file to COPY in chunks (ADR 0021).
 */
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { finished } from 'node:stream/promises'

import { sql } from 'kysely'
import { from as copyFrom } from 'pg-copy-streams'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { reportsPolicyOn } from '#app/domain/policy/reports-policy.server.ts'
import { encryptPii, lookupHash } from '#app/lib/crypto.server.ts'
import { withPgClient } from '#app/lib/db.server.ts'
import type { DB } from '#db/schema.ts'

import { normaliseName } from './names.ts'
import { COLUMNS, type ImportKind, legacyRow, rosterRow, type StagedRow, statusOf } from './rows.ts'
import { readTable, TableError } from './table-reader.server.ts'

const CHUNK = 2000
/** How often the progress (rows read) is written while parsing. */
const PROGRESS_MS = 400

const COPY_SQL = `COPY import_rows (import_id, row_number, id_enc, id_hash, gender, birth_date, name, name_norm, hours,
  employer, mobile, ce_year, category, source, person_id, status, issues) FROM STDIN`

/** COPY text format: \N for null; backslash, tab and line breaks escaped. */
function text(v: string | number | null): string {
  if (v === null) return '\\N'
  return String(v).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
}
const bytea = (b: Buffer | null) => (b === null ? '\\N' : `\\\\x${b.toString('hex')}`)

type Known = { id: number; name: string }

/**
 * The rules that need the people table or the whole file, for one chunk: the person by ID (their
 * hours wait for them if they have no record yet), the recorded name compared after the same
 * normalisation as the row's; in a roster one row per person, in a legacy file no row twice (a person
 * may have several records in one year).
 */
async function checkChunk(db: DB, kind: ImportKind, rows: StagedRow[], seen: Set<string>) {
  const hashes = rows.map((r) => (r.id ? lookupHash(r.id.value) : null))
  const wanted = [...new Set(hashes.filter((h): h is Buffer => h !== null).map((h) => h.toString('hex')))]
  const known = new Map<string, Known>()
  if (wanted.length > 0) {
    const found = await db
      .selectFrom('people')
      .select(['id', 'name', 'id_number_hash'])
      .where('id_number_hash', '=', sql<Buffer>`any(${wanted.map((h) => Buffer.from(h, 'hex'))}::bytea[])`)
      .execute()
    for (const p of found) known.set(p.id_number_hash.toString('hex'), { id: p.id, name: p.name })
  }
  return rows.map((row, i) => {
    const hash = hashes[i] ?? null
    let personId: number | null = null
    if (hash) {
      const key = hash.toString('hex')
      const once = kind === 'roster' ? key : [key, row.ceYear, row.category, row.hours, row.source].join('|')
      if (seen.has(once)) row.issues.push(kind === 'roster' ? 'duplicate_person' : 'duplicate_row')
      seen.add(once)
      const person = known.get(key)
      if (!person) row.issues.push('new_person')
      else {
        personId = person.id
        if (row.nameNorm !== '' && normaliseName(person.name) !== row.nameNorm) row.issues.push('name_mismatch')
      }
    }
    return { row, hash, personId }
  })
}

function copyLine(importId: number, c: { row: StagedRow; hash: Buffer | null; personId: number | null }): string {
  const r = c.row
  return [
    String(importId),
    String(r.rowNumber),
    // The valid ID as normalised; an invalid cell as typed (the error workbook gives it back).
    bytea(encryptPii(r.id ? r.id.value : r.idRaw)),
    bytea(c.hash),
    text(r.id?.gender ?? null),
    text(r.id?.birthDate ?? null),
    text(r.name.slice(0, 100)),
    text(r.nameNorm.slice(0, 100)),
    text(r.hours),
    text(r.employer),
    text(r.mobile),
    text(r.ceYear),
    text(r.category),
    text(r.source),
    text(c.personId),
    statusOf(r.issues),
    `{${r.issues.join(',')}}`,
  ].join('\t')
}

export type StageOutcome = 'staged' | 'failed' | 'skipped'

/** Stages one import; idempotent (a second run of a staged import does nothing). */
export async function stageImport(db: DB, importId: number, now = new Date()): Promise<StageOutcome> {
  const file = await db
    .updateTable('import_files')
    .set({ status: 'parsing', rows_read: 0, error_code: null, error_detail: null })
    .where('id', '=', importId)
    .where('status', 'in', ['queued', 'parsing'])
    .returning(['id', 'kind', 'activity_id', 'filename', 'bytes'])
    .executeTakeFirst()
  if (!file) return 'skipped'
  await db.deleteFrom('import_rows').where('import_id', '=', importId).execute()
  const kind: ImportKind = file.kind
  const activity = file.activity_id
    ? await db
        .selectFrom('training_activities')
        .select(['id', 'base_id', 'declared_hours', 'start_date', 'end_date'])
        .where('id', '=', file.activity_id)
        .executeTakeFirstOrThrow()
    : null
  const today = chinaDay(now)
  const policy = reportsPolicyOn(today)
  const latestYear = Number(today.slice(0, 4)) - 1
  const toRow = (rowNumber: number, cells: Record<string, string>, formula: boolean): StagedRow =>
    kind === 'roster'
      ? rosterRow(rowNumber, cells, { declaredHours: activity!.declared_hours, formula, now })
      : legacyRow(rowNumber, cells, { earliestYear: policy.legacy.earliestYear, latestYear, formula, now })

  const dir = await mkdtemp(path.join(tmpdir(), 'xueshi-import-'))
  const tmp = path.join(dir, 'upload')
  try {
    await writeFile(tmp, file.bytes)
    let lastProgress = 0
    const progress = (rowsRead: number) => {
      if (Date.now() - lastProgress < PROGRESS_MS) return
      lastProgress = Date.now()
      void db
        .updateTable('import_files')
        .set({ rows_read: rowsRead })
        .where('id', '=', importId)
        .execute()
        .catch(() => undefined)
    }
    await withPgClient(db, async (client) => {
      const copy = client.query(copyFrom(COPY_SQL))
      const seen = new Set<string>()
      let chunk: StagedRow[] = []
      // The people look-up of one chunk runs while the next is parsed; chunks are written in order.
      let pending: Promise<Awaited<ReturnType<typeof checkChunk>>> | null = null
      const write = async () => {
        if (!pending) return
        const checked = await pending
        pending = null
        const ok = copy.write(checked.map((c) => copyLine(importId, c)).join('\n') + '\n')
        if (!ok) await once(copy, 'drain')
      }
      const flush = async () => {
        await write()
        if (chunk.length === 0) return
        pending = checkChunk(db, kind, chunk, seen)
        // A failed look-up is thrown by `write`; until then it must not count as unhandled.
        pending.catch(() => undefined)
        chunk = []
      }
      try {
        for await (const ev of readTable(tmp, {
          columns: COLUMNS[kind],
          maxRows: policy.roster.maxRows,
          fileName: file.filename,
          onProgress: progress,
        })) {
          if (ev.type === 'header') {
            await db
              .updateTable('import_files')
              .set({ format: ev.format, encoding: ev.encoding ?? null })
              .where('id', '=', importId)
              .execute()
            continue
          }
          chunk.push(toRow(ev.rowNumber, ev.cells, ev.formula === true))
          if (chunk.length >= CHUNK) await flush()
        }
        await flush()
        await write()
        copy.end()
        await finished(copy)
      } catch (e) {
        // Abort the COPY (CopyFail) and wait for the server's answer, so the connection is idle
        // again before it is released; the stream's own error is the expected echo of ours.
        copy.on('error', () => undefined)
        copy.destroy(e instanceof Error ? e : new Error(String(e)))
        await finished(copy).catch(() => undefined)
        throw e
      }
    })
  } catch (e) {
    if (!(e instanceof TableError)) throw e
    await db.deleteFrom('import_rows').where('import_id', '=', importId).execute()
    await db
      .updateTable('import_files')
      .set({ status: 'failed', error_code: e.code, error_detail: e.detail ?? null })
      .where('id', '=', importId)
      .execute()
    return 'failed'
  } finally {
    await rm(dir, { recursive: true, force: true })
  }

  if (activity) await flagAcrossActivities(db, importId, activity)
  await db
    .updateTable('import_files')
    .set((eb) => ({
      status: 'staged',
      staged_at: new Date(),
      rows_read: eb.selectFrom('import_rows').select(eb.fn.countAll<number>().as('n')).where('import_id', '=', importId),
      rows_ok: countWhere(importId, 'ok'),
      rows_warning: countWhere(importId, 'warning'),
      rows_error: countWhere(importId, 'error'),
    }))
    .where('id', '=', importId)
    .where('status', '=', 'parsing')
    .execute()
  return 'staged'
}

const countWhere = (importId: number, status: 'ok' | 'warning' | 'error') =>
  sql<number>`(select count(*) from import_rows where import_id = ${importId} and status = ${status})`

/**
 * Set-based warnings for a roster: the same person credited by another base for training on
 * overlapping dates, people HR removed from this activity and people whose hours HR corrected
 * (upheld disputes: the file does not change them again).
 */
async function flagAcrossActivities(db: DB, importId: number, a: { id: number; base_id: number; start_date: string; end_date: string }) {
  await sql`
    update import_rows r set issues = array_append(r.issues, 'overlap_other_base'),
      status = case when r.status = 'ok' then 'warning' else r.status end
    where r.import_id = ${importId} and r.person_id is not null and exists (
      select 1 from activity_credits c join training_activities o on o.id = c.activity_id
      where c.person_id = r.person_id and o.base_id <> ${a.base_id}
        and o.start_date <= ${a.end_date}::date and o.end_date >= ${a.start_date}::date)`.execute(db)
  await sql`
    update import_rows r set issues = array_append(r.issues, 'excluded_by_dispute'),
      status = case when r.status = 'ok' then 'warning' else r.status end
    where r.import_id = ${importId} and r.person_id is not null and exists (
      select 1 from activity_exclusions e where e.activity_id = ${a.id} and e.person_id = r.person_id)`.execute(db)
  await sql`
    update import_rows r set issues = array_append(r.issues, 'corrected_by_hr'),
      status = case when r.status = 'ok' then 'warning' else r.status end
    where r.import_id = ${importId} and r.person_id is not null and exists (
      select 1 from roster_disputes d where d.activity_id = ${a.id} and d.person_id = r.person_id
        and d.kind = 'wrong_hours' and d.state = 'upheld')`.execute(db)
}
