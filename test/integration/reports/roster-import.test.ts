import { describe, expect, test } from 'vitest'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { addDays } from '#app/domain/bases/lifecycle.ts'
import { commitImport } from '#app/domain/imports/commit.server.ts'
import { createImport, getImport, issueRows, requestCommit, rosterDiff } from '#app/domain/imports/imports.server.ts'
import { stageImport } from '#app/domain/imports/stage.server.ts'
import { ActivitySchema } from '#app/domain/reports/activities.schema.ts'
import { declareActivity } from '#app/domain/reports/activities.server.ts'
import { idNumberCheckChar, parseIdNumber } from '#app/domain/shared/id-number.ts'
import { lookupHash } from '#app/lib/crypto.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { tx } from '#test/factories/bases.ts'
import { createLearner, makeIdNumber } from '#test/factories/people.ts'
import { baseWithStaff, commit, declare, rosterCsv, rosterXlsx, uploadAndStage } from '#test/factories/reports.ts'

const db = () => getDb()
const activityForm = {
  title: '测试培训',
  category: 'professional',
  mode: 'face_to_face',
  titleSeries: ['education'],
  fullDays: '1',
  halfDays: '0',
  declaredHours: '6',
  venue: '长春',
}

async function ledgerOf(activityId: number) {
  return db()
    .selectFrom('hour_entries')
    .select(['id', 'person_id', 'hours', 'source_kind', 'reverses_id', 'evidence', 'category'])
    .where((eb) =>
      eb.or([
        eb('source_ref', '=', `activity:${activityId}`),
        eb('reverses_id', 'in', eb.selectFrom('hour_entries').select('id').where('source_ref', '=', `activity:${activityId}`)),
      ]),
    )
    .orderBy('id')
    .execute()
}

async function personByIdNumber(idNumber: string) {
  return db().selectFrom('people').select(['id', 'name']).where('id_number_hash', '=', lookupHash(idNumber)).executeTakeFirst()
}

const issuesOf = async (importId: number) => Object.fromEntries((await issueRows(db(), importId)).map((r) => [r.row_number, r.issues]))

describe('roster import: encodings and file checks', () => {
  for (const encoding of ['utf8', 'utf8-bom', 'gbk'] as const) {
    test(`a CSV in ${encoding} is read with its Chinese names intact`, async () => {
      const { staff, owner, baseId } = await baseWithStaff(db())
      const activityId = await declare(db(), { accountId: staff.accountId, baseId })
      const a = await createLearner(db(), { name: '欧阳娜娜' })
      const importId = await uploadAndStage(db(), owner, activityId, rosterCsv([['欧阳娜娜', a.idNumber, '6']], encoding))
      const f = await getImport(db(), owner, importId)
      expect(f).toMatchObject({ status: 'staged', rows_ok: 1, rows_error: 0, format: 'csv' })
      expect(f?.encoding).toBe(encoding === 'gbk' ? 'gb18030' : encoding)
    })
  }

  test('refused at upload, nothing stored: an empty file, a renamed .exe, an old .xls', async () => {
    const { staff, owner, baseId } = await baseWithStaff(db())
    const activityId = await declare(db(), { accountId: staff.accountId, baseId })
    const cases: [Buffer, string, string][] = [
      [Buffer.alloc(0), 'empty.csv', 'empty'],
      [Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), 'roster.xlsx', 'not_table'],
      [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'roster.xls', 'xls_old_format'],
    ]
    const before = await db()
      .selectFrom('import_files')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    for (const [bytes, filename, code] of cases) {
      const r = await tx(db(), (t) => createImport(t, owner, { activityId, file: { filename, bytes } }))
      expect(r).toEqual({ ok: false, code })
    }
    const after = await db()
      .selectFrom('import_files')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })

  test('a sheet with missing columns fails staging with the columns named; nothing is staged', async () => {
    const { staff, owner, baseId } = await baseWithStaff(db())
    const activityId = await declare(db(), { accountId: staff.accountId, baseId })
    const importId = await uploadAndStage(db(), owner, activityId, Buffer.from('姓名,学时\n张三,6\n'))
    const f = await getImport(db(), owner, importId)
    expect(f).toMatchObject({ status: 'failed', error_code: 'missing_columns' })
    expect(f?.error_detail).toContain('身份证号')
    const rows = await db().selectFrom('import_rows').select('row_number').where('import_id', '=', importId).execute()
    expect(rows).toHaveLength(0)
  })

  test('a CSV in an unknown encoding (UTF-16) is refused by staging', async () => {
    const { staff, owner, baseId } = await baseWithStaff(db())
    const activityId = await declare(db(), { accountId: staff.accountId, baseId })
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('姓名,身份证号\n', 'utf16le')])
    const r = await tx(db(), (t) => createImport(t, owner, { activityId, file: { filename: 'r.csv', bytes: utf16 } }))
    // Either refused at once as not a table (NUL bytes) or failed when staged: never staged.
    if (r.ok) {
      await stageImport(db(), r.importId)
      expect((await getImport(db(), owner, r.importId))?.status).toBe('failed')
    } else expect(['not_table', 'empty']).toContain(r.code)
  })
})

describe('roster import: row rules', () => {
  test('Excel-mangled IDs, bad check characters, names, hours, duplicates and formulas are each named on their row', async () => {
    const { staff, owner, baseId } = await baseWithStaff(db())
    const activityId = await declare(db(), { accountId: staff.accountId, baseId })
    const known = await createLearner(db(), { name: '王小明' })
    const fresh = makeIdNumber()
    // An ID whose last three characters Excel turned into 000; chosen so that 000 is not by chance a valid number.
    let truncatedFrom = makeIdNumber()
    while (idNumberCheckChar(`${truncatedFrom.slice(0, 15)}00`) === '0') truncatedFrom = makeIdNumber()
    const badCheck = known.idNumber.slice(0, 17) + (known.idNumber[17] === '1' ? '2' : '1')
    const csv = rosterCsv([
      ['王小明', known.idNumber, '6'], // row 2: ok
      ['王 小 明', known.idNumber, '6'], // row 3: duplicate of row 2
      ['李四', '2.20102E+17', '6'], // row 4: scientific
      ['赵五', `${truncatedFrom.slice(0, 15)}000`, '6'], // row 5: truncated
      ['钱六', badCheck, '6'], // row 6: bad check character
      ['', fresh, '6'], // row 7: no name
      ['孙七', makeIdNumber(), '13'], // row 8: over the declared 12
      ['周八', makeIdNumber(), 'abc'], // row 9: not hours
      ['冒名', (await createLearner(db(), { name: '吴九' })).idNumber, '6'], // row 10: name differs from the record
      ['郑十', makeIdNumber(), '', '某单位', '123'], // row 11: hours default; a new person; bad mobile (warnings)
    ])
    const importId = await uploadAndStage(db(), owner, activityId, csv)
    const issues = await issuesOf(importId)
    expect(issues[2]).toBeUndefined()
    expect(issues[3]).toContain('duplicate_person')
    expect(issues[4]).toEqual(['id_scientific'])
    expect(['id_truncated', 'id_bad_check']).toContain(issues[5]?.[0])
    expect(issues[6]).toEqual(['id_bad_check'])
    expect(issues[7]).toContain('name_empty')
    expect(issues[8]).toContain('hours_over_declared')
    expect(issues[9]).toContain('hours_invalid')
    expect(issues[10]).toEqual(['name_mismatch'])
    expect(issues[11]).toEqual(expect.arrayContaining(['mobile_invalid', 'new_person']))
    const f = await getImport(db(), owner, importId)
    expect(f).toMatchObject({ rows_read: 10, rows_ok: 1, rows_warning: 1 })
    expect(f!.rows_error).toBe(8)
  })

  test('an XLSX with IDs typed as numbers: every row is named as mangled by Excel; formulas are refused', async () => {
    const { staff, owner, baseId } = await baseWithStaff(db())
    const activityId = await declare(db(), { accountId: staff.accountId, baseId })
    // IDs Excel can hold as numbers (no X), whose 15-digit truncation and whose nearest double (what a
    // number cell holds) both fail the check (1 in 11 would pass by chance).
    const ids: string[] = []
    while (ids.length < 2) {
      const id = makeIdNumber()
      if (!id.endsWith('X') && !parseIdNumber(`${id.slice(0, 15)}000`).ok && !parseIdNumber(String(Number(id))).ok) ids.push(id)
    }
    const bytes = await rosterXlsx(
      ids.map((id) => ['张三', id, '6']),
      { numericIds: true },
    )
    const importId = await uploadAndStage(db(), owner, activityId, bytes, 'roster.xlsx')
    const issues = await issuesOf(importId)
    for (const row of Object.values(issues)) expect(['id_truncated', 'id_scientific', 'id_bad_check']).toContain(row[0])
    expect((await getImport(db(), owner, importId))?.format).toBe('xlsx')
  })

  test('a person at another base on overlapping dates is flagged (a warning)', async () => {
    const one = await baseWithStaff(db())
    const two = await baseWithStaff(db())
    const learner = await createLearner(db(), { name: '刘备' })
    const a1 = await declare(db(), { accountId: one.staff.accountId, baseId: one.baseId })
    await commit(db(), one.owner, await uploadAndStage(db(), one.owner, a1, rosterCsv([['刘备', learner.idNumber, '6']])))
    const a2 = await declare(db(), { accountId: two.staff.accountId, baseId: two.baseId })
    const importId = await uploadAndStage(db(), two.owner, a2, rosterCsv([['刘备', learner.idNumber, '6']]))
    expect((await issuesOf(importId))[2]).toEqual(['overlap_other_base'])
  })
})

describe('roster import: commit, re-upload, idempotence', () => {
  test('commit credits once per person, keyed by activity, with the file and row as evidence; the category comes from the activity', async () => {
    const { staff, owner, baseId } = await baseWithStaff(db())
    const activityId = await declare(db(), { accountId: staff.accountId, baseId, ...{} }, { category: 'public' })
    const a = await createLearner(db(), { name: '甲' })
    const b = await createLearner(db(), { name: '乙' })
    const importId = await uploadAndStage(
      db(),
      owner,
      activityId,
      rosterCsv([
        ['甲', a.idNumber, '6'],
        ['乙', b.idNumber],
      ]),
    )
    const r = await commit(db(), owner, importId)
    expect(r).toMatchObject({ done: 'committed', added: 2, removed: 0, changed: 0 })
    const entries = await ledgerOf(activityId)
    expect(entries.map((e) => [e.person_id, e.hours, e.category])).toEqual([
      [a.personId, '6.00', 'public'],
      [b.personId, '12.00', 'public'],
    ])
    expect(entries[0]!.evidence).toMatchObject({ activityId, importId, rowNumber: 2, baseId })
    const activity = await db()
      .selectFrom('training_activities')
      .select(['state', 'late', 'first_reported_on'])
      .where('id', '=', activityId)
      .executeTakeFirstOrThrow()
    expect(activity).toMatchObject({ state: 'reported', late: false, first_reported_on: chinaDay() })
  })

  test('a re-upload commits only the differences: reversals and credits, never edits; the same file twice changes nothing', async () => {
    const { staff, owner, baseId } = await baseWithStaff(db())
    const activityId = await declare(db(), { accountId: staff.accountId, baseId })
    const [a, b, c, d] = await Promise.all(['甲', '乙', '丙', '丁'].map((name) => createLearner(db(), { name })))
    const v1 = rosterCsv([
      ['甲', a!.idNumber, '6'],
      ['乙', b!.idNumber, '6'],
      ['丙', c!.idNumber, '6'],
    ])
    await commit(db(), owner, await uploadAndStage(db(), owner, activityId, v1))
    const afterV1 = await ledgerOf(activityId)
    // The same file again: a diff of nothing, no entry written.
    const again = await uploadAndStage(db(), owner, activityId, v1)
    expect(await rosterDiff(db(), again, activityId)).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 3, excluded: 0 })
    expect(await commit(db(), owner, again)).toMatchObject({ added: 0, removed: 0, changed: 0, unchanged: 3 })
    expect(await ledgerOf(activityId)).toEqual(afterV1)
    // v2: 甲 unchanged, 乙 12 hours, 丙 removed, 丁 added
    const v2 = rosterCsv([
      ['甲', a!.idNumber, '6'],
      ['乙', b!.idNumber, '12'],
      ['丁', d!.idNumber, '6'],
    ])
    const id2 = await uploadAndStage(db(), owner, activityId, v2)
    expect(await rosterDiff(db(), id2, activityId)).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 1, excluded: 0 })
    expect(await commit(db(), owner, id2)).toMatchObject({ added: 1, removed: 1, changed: 1, unchanged: 1 })
    const entries = await ledgerOf(activityId)
    const written = entries.slice(afterV1.length)
    expect(written).toHaveLength(4) // reverse 乙, reverse 丙, credit 乙 12, credit 丁 6
    expect(
      written
        .filter((e) => e.source_kind === 'reversal')
        .map((e) => e.person_id)
        .sort(),
    ).toEqual([b!.personId, c!.personId].sort())
    const totals = await db()
      .selectFrom('hour_totals')
      .select(['person_id', 'counted_hours'])
      .where('person_id', 'in', [a!.personId, b!.personId, c!.personId, d!.personId])
      .execute()
    expect(Object.fromEntries(totals.map((t) => [t.person_id, t.counted_hours]))).toEqual({
      [a!.personId]: '6.00',
      [b!.personId]: '12.00',
      [c!.personId]: '0.00',
      [d!.personId]: '6.00',
    })
  })

  test('a half-valid roster applies nothing unless the uploader commits only the valid rows', async () => {
    const { staff, owner, baseId } = await baseWithStaff(db())
    const activityId = await declare(db(), { accountId: staff.accountId, baseId })
    const a = await createLearner(db(), { name: '甲' })
    const importId = await uploadAndStage(
      db(),
      owner,
      activityId,
      rosterCsv([
        ['甲', a.idNumber, '6'],
        ['乙', '2.20102E+17', '6'],
      ]),
    )
    expect(await tx(db(), (t) => requestCommit(t, owner, importId, 'all'))).toEqual({ ok: false, code: 'has_errors' })
    expect(await ledgerOf(activityId)).toHaveLength(0)
    expect(await commit(db(), owner, importId, 'valid_only')).toMatchObject({ added: 1 })
  })

  test('concurrent commits of one upload write one set of entries', async () => {
    const { staff, owner, baseId } = await baseWithStaff(db())
    const activityId = await declare(db(), { accountId: staff.accountId, baseId })
    const people = await Promise.all(['甲', '乙', '丙'].map((name) => createLearner(db(), { name })))
    const importId = await uploadAndStage(db(), owner, activityId, rosterCsv(people.map((p) => [p.name, p.idNumber, '6'])))
    const clicks = await Promise.all([1, 2, 3].map(() => tx(db(), (t) => requestCommit(t, owner, importId, 'all'))))
    expect(clicks.filter((c) => c.ok)).toHaveLength(1)
    const runs = await Promise.all([commitImport(db(), importId), commitImport(db(), importId)])
    expect(runs.filter((r) => r.done === 'committed')).toHaveLength(1)
    expect(await ledgerOf(activityId)).toHaveLength(3)
  })

  test('hours for a person not yet registered wait, and are theirs the moment they register', async () => {
    const { staff, owner, baseId } = await baseWithStaff(db())
    const activityId = await declare(db(), { accountId: staff.accountId, baseId })
    const idNumber = makeIdNumber()
    const importId = await uploadAndStage(db(), owner, activityId, rosterCsv([['林黛玉', idNumber, '6']]))
    expect((await issuesOf(importId))[2]).toEqual(['new_person'])
    await commit(db(), owner, importId)
    const person = await personByIdNumber(idNumber)
    expect(person?.name).toBe('林黛玉')
    const learner = await createLearner(db(), { idNumber, name: '林黛玉' })
    expect(learner.personId).toBe(person!.id)
    const totals = await db().selectFrom('hour_totals').select(['counted_hours']).where('person_id', '=', learner.personId).execute()
    expect(totals.map((t) => t.counted_hours)).toEqual(['6.00'])
  })

  test('another base cannot see, upload to or commit an activity or import that is not theirs', async () => {
    const mine = await baseWithStaff(db())
    const theirs = await baseWithStaff(db())
    const activityId = await declare(db(), { accountId: mine.staff.accountId, baseId: mine.baseId })
    const importId = await uploadAndStage(db(), mine.owner, activityId, rosterCsv([['甲', makeIdNumber(), '6']]))
    expect(await getImport(db(), theirs.owner, importId)).toBeUndefined()
    expect(await tx(db(), (t) => requestCommit(t, theirs.owner, importId, 'all'))).toEqual({ ok: false, code: 'not_found' })
    const upload = await tx(db(), (t) => createImport(t, theirs.owner, { activityId, file: { filename: 'r.csv', bytes: rosterCsv([]) } }))
    expect(upload).toEqual({ ok: false, code: 'not_found' })
  })

  test('a late first report is marked late', async () => {
    const { staff, owner, baseId } = await baseWithStaff(db())
    const today = chinaDay()
    const activityId = await declare(
      db(),
      { accountId: staff.accountId, baseId },
      { startDate: addDays(today, -61), endDate: addDays(today, -60) },
    )
    await commit(db(), owner, await uploadAndStage(db(), owner, activityId, rosterCsv([['甲', makeIdNumber(), '6']])))
    const a = await db().selectFrom('training_activities').select(['late']).where('id', '=', activityId).executeTakeFirstOrThrow()
    expect(a.late).toBe(true)
  })

  test('the gate: an activity outside the term, or a base revoked before the activity ends, is refused; a revoked base cannot upload or commit', async () => {
    const today = chinaDay()
    const { staff, owner, baseId } = await baseWithStaff(db())
    const who = { accountId: staff.accountId, baseId }
    // A term that started 100 days ago: an activity before it is outside the term.
    await db()
      .updateTable('bases')
      .set({ term_start: addDays(today, -100), term_end: addDays(today, 900) })
      .where('id', '=', baseId)
      .execute()
    const early = ActivitySchema.parse({ ...activityForm, startDate: addDays(today, -120), endDate: addDays(today, -119) })
    expect(await tx(db(), (t) => declareActivity(t, who, early))).toMatchObject({ ok: false, code: 'outside_term' })
    // Declared and staged while designated; then revoked from yesterday: no upload, no commit.
    const activityId = await declare(db(), who)
    const staged = await uploadAndStage(db(), owner, activityId, rosterCsv([['甲', makeIdNumber(), '6']]))
    await tx(db(), (t) => requestCommit(t, owner, staged, 'all'))
    await db()
      .updateTable('bases')
      .set({ status: 'revoked', revoked_on: addDays(today, -1), status_before_revocation: 'designated' })
      .where('id', '=', baseId)
      .execute()
    expect(await commitImport(db(), staged)).toEqual({ done: 'refused', code: 'revoked' })
    expect((await getImport(db(), owner, staged))?.status).toBe('staged')
    expect(await ledgerOf(activityId)).toHaveLength(0)
    const upload = await tx(db(), (t) => createImport(t, owner, { activityId, file: { filename: 'r.csv', bytes: rosterCsv([]) } }))
    expect(upload).toEqual({ ok: false, code: 'revoked' })
    const late = ActivitySchema.parse({ ...activityForm, startDate: addDays(today, -1), endDate: today })
    expect(await tx(db(), (t) => declareActivity(t, who, late))).toMatchObject({ ok: false, code: 'revoked' })
  })
})
