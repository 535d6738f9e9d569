import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'

import { refreshAll } from '#app/domain/compliance/refresh.server.ts'
import { createEmployer, listEmployers, matchAll, unmatchedEmployerTexts } from '#app/domain/employers/employers.server.ts'
import { normaliseEmployerName } from '#app/domain/employers/names.ts'
import { credit } from '#app/domain/hours/ledger.server.ts'
import { ProfileSchema } from '#app/domain/identity/accounts.schema.ts'
import { updateOwnProfile } from '#app/domain/identity/profile.server.ts'
import { creditCodeCheckChar } from '#app/domain/shared/id-number.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as page from '#app/routes/admin/employers.tsx'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

/**
 * Employers (工作单位) as an entity (issue 13 item 5): a person's employer text links to the
 * employer of their own region with the same normalised name, never to a near miss; creating one
 * links the people already there; a registration or a profile edit re-links (or unlinks) at once;
 * the compliance roll-ups then count by employer.
 */
const db = getDb()
const NOW = new Date('2026-11-30T04:00:00Z')

function code(seq: number): string {
  const first17 = `12220100MB${String(3000000 + seq)}`
  return first17 + creditCodeCheckChar(first17)
}

async function employerOf(personId: number) {
  return await db.selectFrom('people').select(['employer', 'employer_id']).where('id', '=', personId).executeTakeFirstOrThrow()
}

async function counts() {
  const [e, a, linked] = await Promise.all([
    db
      .selectFrom('employers')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', 'like', 'employer.%')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('employer_id', 'is not', null)
      .executeTakeFirstOrThrow(),
  ])
  return { employers: Number(e.n), audits: Number(a.n), linked: Number(linked.n) }
}

const create = (input: { name: string; region: string; creditCode?: string }, accountId: number | null = null) =>
  db.transaction().execute((trx) => createEmployer(trx, { accountId }, input))

describe('normaliseEmployerName', () => {
  it('ignores whitespace and full-width forms, and nothing else', () => {
    const key = normaliseEmployerName('长春市第一医院')
    expect(normaliseEmployerName('长春市 第一医院')).toBe(key)
    expect(normaliseEmployerName(' 长春市\u3000第一\t医院 \n')).toBe(key)
    expect(normaliseEmployerName('长春市\u200b第一医院')).toBe(key)
    expect(normaliseEmployerName('吉林省建筑设计院（有限责任公司）')).toBe(normaliseEmployerName('吉林省建筑设计院(有限责任公司)'))
    expect(normaliseEmployerName('ＡＢＣ１２３设计院')).toBe('ABC123设计院')
    // Conservative: a different word, another bracket shape or another case is another employer.
    expect(normaliseEmployerName('长春市第一人民医院')).not.toBe(key)
    expect(normaliseEmployerName('长春市第一医院分院')).not.toBe(key)
    expect(normaliseEmployerName('〔长春〕设计院')).not.toBe(normaliseEmployerName('(长春)设计院'))
    expect(normaliseEmployerName('abc设计院')).not.toBe(normaliseEmployerName('ABC设计院'))
    expect(normaliseEmployerName(' \u3000 ')).toBe('')
  })
})

describe('employers', () => {
  it('creating an employer links the people of its region who wrote its name, however spaced, and only them', async () => {
    const admin = await createStaff(db, 'admin')
    const a = await createLearner(db, { employer: '长春市第一医院', region: '220100' })
    const b = await createLearner(db, { employer: '长春市 第一医院', region: '220100' })
    const c = await createLearner(db, { employer: '长春市第一医院', region: '220200' }) // same text, another region
    const d = await createLearner(db, { employer: '长春市第一人民医院', region: '220100' }) // a near miss
    expect((await employerOf(a.personId)).employer_id).toBeNull()

    const before = await unmatchedEmployerTexts(db, '220100')
    expect(before.find((u) => u.spellings.includes('长春市第一医院'))).toMatchObject({ people: 2, regionCode: '220100' })

    const r = await create({ name: '长春市第一医院', region: '220100', creditCode: code(1).toLowerCase() }, admin.accountId)
    expect(r).toMatchObject({ ok: true, matched: 2 })
    if (!r.ok) throw new Error('unreachable')
    expect((await employerOf(a.personId)).employer_id).toBe(r.employerId)
    expect(await employerOf(b.personId)).toEqual({ employer: '长春市 第一医院', employer_id: r.employerId }) // the text is kept as typed
    expect((await employerOf(c.personId)).employer_id).toBeNull()
    expect((await employerOf(d.personId)).employer_id).toBeNull()
    const stored = await db.selectFrom('employers').selectAll().where('id', '=', r.employerId).executeTakeFirstOrThrow()
    expect(stored).toMatchObject({ credit_code: code(1), region_code: '220100', name_norm: '长春市第一医院', created_by: admin.accountId })
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_account_id', 'target_id', 'detail'])
      .where('action', '=', 'employer.create')
      .execute()
    expect(audit).toEqual([
      {
        actor_account_id: admin.accountId,
        target_id: String(r.employerId),
        detail: { name: '长春市第一医院', region: '220100', creditCode: code(1), matched: 2 },
      },
    ])

    const list = await listEmployers(db, { region: '220100', q: '第一 医院' })
    expect(list.rows).toEqual([expect.objectContaining({ id: r.employerId, people: 2, regionCode: '220100' })])
    expect((await listEmployers(db, { region: '220200' })).rows).toEqual([])
    expect((await listEmployers(db, { q: code(1) })).rows.map((e) => e.id)).toEqual([r.employerId])
    // The Jilin City text is still unmatched (its region has no such employer); Changchun's is gone.
    const after = await unmatchedEmployerTexts(db)
    expect(after.filter((u) => u.text === '长春市第一医院').map((u) => u.regionCode)).toEqual(['220200'])
  })

  it('refuses a duplicate name in the region, a taken or bad credit code, or no name, changing nothing', async () => {
    const p = await createLearner(db, { employer: '吉林市 第二中学', region: '220200' })
    const first = await create({ name: '吉林市第二中学', region: '220200', creditCode: code(2) })
    expect(first.ok).toBe(true)
    const q = await createLearner(db, { employer: '吉林市第二中学 分校', region: '220200' })
    const before = await counts()

    expect(await create({ name: '吉林市第二中学 ', region: '220200' })).toMatchObject({
      ok: false,
      code: 'name_taken',
      errors: { name: ['employers.err.nameTaken'] },
    })
    expect(await create({ name: '吉林市第二中学分校', region: '220200', creditCode: code(2) })).toMatchObject({
      ok: false,
      code: 'credit_code_taken',
      errors: { creditCode: ['employers.err.creditCodeTaken'] },
    })
    const wrongCheck = code(3).slice(0, 17) + (code(3).endsWith('0') ? '1' : '0')
    expect(await create({ name: '吉林市第二中学分校', region: '220200', creditCode: wrongCheck })).toMatchObject({
      ok: false,
      code: 'invalid',
      errors: { creditCode: ['err.creditCode.checksum'] },
    })
    expect(await create({ name: '吉林市第二中学分校', region: '220200', creditCode: 'ABC' })).toMatchObject({
      errors: { creditCode: ['err.creditCode.format'] },
    })
    expect(await create({ name: ' \u200b ', region: '220200' })).toMatchObject({
      code: 'invalid',
      errors: { name: ['employers.err.name'] },
    })
    expect(await create({ name: '某单位', region: '990000' })).toMatchObject({
      code: 'invalid',
      errors: { region: ['employers.err.region'] },
    })
    expect(await counts()).toEqual(before)
    expect((await employerOf(q.personId)).employer_id).toBeNull()
    expect((await employerOf(p.personId)).employer_id).not.toBeNull()

    // The same name in another region is another employer.
    expect(await create({ name: '吉林市第二中学', region: '220100' })).toMatchObject({ ok: true, matched: 0 })
  })

  it('the admin page: bad input is answered 400 with field messages and nothing changes; a good one links people', async () => {
    const admin = await createStaff(db, 'admin')
    const cookie = await cookieFor(db, admin.accountId)
    const learner = await createLearner(db, { employer: '延边州 农业技术推广站', region: '222400' })
    const before = await counts()
    const bad = await call(
      page.action,
      makeRequest('/admin/employers', {
        cookie,
        form: { intent: 'create', name: '延边州农业技术推广站', creditCode: 'X1', region: '222400' },
      }),
    )
    expect(bad.status).toBe(400)
    expect(errorsOf(bad)).toEqual({ creditCode: 'err.creditCode.format' })
    expect(await counts()).toEqual(before)

    const shown = await call(
      page.loader,
      makeRequest('/admin/employers?region=222400&newName=延边州 农业技术推广站&newRegion=222400', { cookie }),
    )
    expect(shown.data.unmatched).toEqual([expect.objectContaining({ text: '延边州 农业技术推广站', people: 1 })])
    expect(shown.data.prefill).toEqual({ name: '延边州 农业技术推广站', region: '222400' })

    const good = await call(
      page.action,
      makeRequest('/admin/employers', {
        cookie,
        form: { intent: 'create', name: '延边州 农业技术推广站', creditCode: '', region: '222400' },
      }),
    )
    expect(good.status).toBe(200)
    expect(good.data).toMatchObject({ intent: 'create', ok: true, matched: 1 })
    expect((await employerOf(learner.personId)).employer_id).not.toBeNull()
  })

  it('registration with a matching text links at once; a changed text links anew, or unlinks and keeps the text', async () => {
    const hospital = await create({ name: '吉林大学第一医院', region: '220100' })
    const school = await create({ name: '长春市第一中学', region: '220100' })
    if (!hospital.ok || !school.ok) throw new Error('setup')
    const learner = await createLearner(db, { employer: '吉林大学 第一医院', region: '220100' })
    expect((await employerOf(learner.personId)).employer_id).toBe(hospital.employerId)
    // The same text in another region matches nothing there.
    const elsewhere = await createLearner(db, { employer: '吉林大学第一医院', region: '222400' })
    expect((await employerOf(elsewhere.personId)).employer_id).toBeNull()

    const profile = (employer: string) =>
      updateOwnProfile(
        db,
        learner.accountId,
        ProfileSchema.parse({ phone: learner.phone, employer, titleSeries: 'engineering', titleLevel: 'intermediate', titleYear: '2020' }),
      )
    expect((await profile('长春市第一中学')).ok).toBe(true)
    expect(await employerOf(learner.personId)).toEqual({ employer: '长春市第一中学', employer_id: school.employerId })
    expect((await profile('长春市某某科技有限公司')).ok).toBe(true)
    expect(await employerOf(learner.personId)).toEqual({ employer: '长春市某某科技有限公司', employer_id: null })
  })

  it('matchAll links people written in before the matching ran (e.g. inserted in bulk), once', async () => {
    const made = await create({ name: '通化市人民医院', region: '220500' })
    if (!made.ok) throw new Error('setup')
    const learner = await createLearner(db, { employer: '长春市测试单位', region: '220500' })
    // A bulk write that bypasses the per-person matching.
    await db.updateTable('people').set({ employer: '通化市 人民医院' }).where('id', '=', learner.personId).execute()
    expect(await matchAll(db)).toBe(1)
    expect((await employerOf(learner.personId)).employer_id).toBe(made.employerId)
    expect(await matchAll(db)).toBe(0)
  })

  it('the compliance roll-ups count people by employer after refreshAll', async () => {
    const made = await create({ name: '四平市农业技术推广总站', region: '220300' })
    if (!made.ok) throw new Error('setup')
    const linked = [
      await createLearner(db, { employer: '四平市农业技术推广总站', region: '220300' }),
      await createLearner(db, { employer: '四平市 农业技术推广总站', region: '220300' }),
      await createLearner(db, { employer: '四平市农业技术推广总站', region: '220300' }),
    ]
    await createLearner(db, { employer: '四平市其他单位', region: '220300' })
    // One of the three meets 2025's requirement.
    await db.transaction().execute(async (trx) => {
      for (const [category, hours] of [
        ['professional', '60'],
        ['public', '30'],
      ] as const)
        await credit(trx, {
          personId: linked[0]!.personId,
          category,
          hours,
          sourceKind: 'seminar',
          idempotencyKey: `emp:${linked[0]!.personId}:${category}`,
          occurredAt: new Date(Date.UTC(2025, 5, 15, 4)),
        })
    })
    await refreshAll(db, { now: NOW })
    const n = async (metric: string, year: number, employerId: number) =>
      Number(
        (
          await sql<{ n: string | null }>`select sum(n) as n from compliance_rollups
            where grain = 're' and metric = ${metric} and year = ${year} and region_code = '220300' and employer_id = ${employerId}`.execute(
            db,
          )
        ).rows[0]?.n ?? 0,
      )
    expect(await n('people', 0, made.employerId)).toBe(3)
    expect(await n('met', 2025, made.employerId)).toBe(1)
    expect(await n('people', 0, 0)).toBe(1) // the unmatched text counts under "no employer"

    // A profile edit away from the employer moves the person's figures with them.
    const moved = linked[0]!
    expect(
      (
        await updateOwnProfile(
          db,
          moved.accountId,
          ProfileSchema.parse({
            phone: moved.phone,
            employer: '四平市其他单位',
            titleSeries: 'engineering',
            titleLevel: 'intermediate',
            titleYear: '2020',
          }),
        )
      ).ok,
    ).toBe(true)
    await refreshAll(db, { now: NOW })
    expect(await n('people', 0, made.employerId)).toBe(2)
    expect(await n('met', 2025, made.employerId)).toBe(0)
    expect(await n('people', 0, 0)).toBe(2)
  })
})
