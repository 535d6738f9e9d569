import { describe, expect, test } from 'vitest'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { addDays } from '#app/domain/bases/lifecycle.ts'
import { SeminarSchema } from '#app/domain/seminars/plan.schema.ts'
import {
  blocksOfSeminar,
  createSeminar,
  listSeminars,
  publishSeminar,
  seminarDetail,
  updateQuota,
} from '#app/domain/seminars/plan.server.ts'
import { register } from '#app/domain/seminars/registration.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { tx } from '#test/factories/bases.ts'
import { createBase, createStaff } from '#test/factories/people.ts'
import { clickKey, createSeminar as seminarFactory, learnerFrom, planForm, quotasOf } from '#test/factories/seminars.ts'

const db = () => getDb()
const today = chinaDay()

function parse(form: Record<string, string | string[]>) {
  const parsed = SeminarSchema.safeParse(form)
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues))
  return parsed.data
}

async function counts() {
  const n = async (t: 'seminars' | 'seminar_quotas' | 'audit_log') =>
    Number(
      (
        await db()
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return { seminars: await n('seminars'), quotas: await n('seminar_quotas'), audit: await n('audit_log') }
}

describe('the seminar plan', () => {
  test('an admin creates a draft: quotas with the open pool as the rest, times in China time, audited; publishing makes it public', async () => {
    const admin = await createStaff(db(), 'admin')
    const baseId = await createBase(db())
    const r = await tx(db(), (t) => createSeminar(t, admin, parse(planForm(baseId, { levels: ['intermediate', 'senior'] }))))
    if (!r.ok) throw new Error(r.code)
    expect(await quotasOf(db(), r.seminarId)).toEqual({
      open: { size: 45, taken: 0 },
      'province:22': { size: 20, taken: 0 },
      'province:11': { size: 5, taken: 0 },
    })
    const row = await db().selectFrom('seminars').selectAll().where('id', '=', r.seminarId).executeTakeFirstOrThrow()
    expect(row.status).toBe('draft')
    expect(row.registration_opens_at.toISOString()).toBe(new Date(`${today}T00:00:00+08:00`).toISOString())
    expect(row.registration_closes_at.toISOString()).toBe(new Date(`${addDays(today, 21)}T00:00:00+08:00`).toISOString())
    expect(row.eligibility).toEqual({ levels: ['intermediate', 'senior'] })
    const release = await db()
      .selectFrom('seminar_quotas')
      .select('release_at')
      .where('scope', '=', 'province:22')
      .executeTakeFirstOrThrow()
    expect(release.release_at?.toISOString()).toBe(new Date(`${addDays(today, 10)}T00:00:00+08:00`).toISOString())
    // three full days: a morning and an afternoon block each, China time, the 18 declared hours split evenly
    const start = planForm(baseId).startDate as string
    const blocks = await blocksOfSeminar(db(), r.seminarId)
    expect(blocks.map((b) => [b.starts_at.toISOString(), b.ends_at.toISOString(), b.credit_hours])).toEqual(
      [0, 1, 2].flatMap((d) => [
        [
          new Date(`${addDays(start, d)}T08:30:00+08:00`).toISOString(),
          new Date(`${addDays(start, d)}T12:00:00+08:00`).toISOString(),
          '3.00',
        ],
        [
          new Date(`${addDays(start, d)}T14:00:00+08:00`).toISOString(),
          new Date(`${addDays(start, d)}T17:30:00+08:00`).toISOString(),
          '3.00',
        ],
      ]),
    )
    expect(await seminarDetail(db(), r.seminarId)).toBeNull()
    expect(await listSeminars(db(), { publicOnly: true })).toHaveLength(0)

    expect(await tx(db(), (t) => publishSeminar(t, admin, r.seminarId))).toEqual({ ok: true })
    expect(await tx(db(), (t) => publishSeminar(t, admin, r.seminarId))).toEqual({ ok: false, code: 'not_draft' })
    expect((await seminarDetail(db(), r.seminarId))?.title).toBe('数字经济高级研修班')
    expect((await listSeminars(db(), { publicOnly: true, q: '数字经济' })).map((s) => s.id)).toEqual([r.seminarId])
    expect(await listSeminars(db(), { publicOnly: true, q: '不存在' })).toHaveLength(0)
    const actions = await db().selectFrom('audit_log').select('action').where('target_type', '=', 'seminar').orderBy('id').execute()
    expect(actions.map((a) => a.action)).toEqual(['seminar.create', 'seminar.publish'])
  })

  test.each([
    [
      'start_in_past',
      {
        startDate: today,
        endDate: addDays(today, 2),
        opensOn: addDays(today, -5),
        closesOn: addDays(today, -1),
        cancelUntil: addDays(today, -1),
        releaseOn: '',
      },
    ],
    ['too_many_days', { fullDays: '4' }],
    ['hours_over_limit', { declaredHours: '18.5' }],
    ['quota_scope_level', { level: 'provincial' }],
    ['quota_duplicate', { quota2Scope: 'province:22' }],
    ['quotas_over_capacity', { capacity: '24' }],
    ['release_outside_window', { releaseOn: addDays(today, 25) }],
  ] as const)('refused: %s, nothing written', async (code, overrides) => {
    const admin = await createStaff(db(), 'admin')
    const baseId = await createBase(db())
    const before = await counts()
    const r = await tx(db(), (t) => createSeminar(t, admin, parse(planForm(baseId, overrides))))
    expect(r).toMatchObject({ ok: false, code })
    expect(await counts()).toEqual(before)
  })

  test('the form refuses a window closing after the start and a cutoff on the first day', () => {
    const base = planForm(1)
    const bad = SeminarSchema.safeParse({ ...base, closesOn: base.startDate, cancelUntil: base.startDate })
    expect(bad.success).toBe(false)
    const paths = bad.error?.issues.map((i) => [i.path.join('.'), i.message])
    expect(paths).toContainEqual(['closesOn', 'seminars.err.window_after_start'])
    expect(paths).toContainEqual(['cancelUntil', 'seminars.err.cutoff_after_start'])
  })

  test('a revoked host base is refused, for creating and for publishing', async () => {
    const admin = await createStaff(db(), 'admin')
    const baseId = await createBase(db())
    const draft = await tx(db(), (t) => createSeminar(t, admin, parse(planForm(baseId))))
    if (!draft.ok) throw new Error(draft.code)
    await db()
      .updateTable('bases')
      .set({ status: 'revoked', revoked_on: addDays(today, -1), status_before_revocation: 'designated' })
      .where('id', '=', baseId)
      .execute()
    const before = await counts()
    expect(await tx(db(), (t) => createSeminar(t, admin, parse(planForm(baseId))))).toEqual({
      ok: false,
      code: 'host_unavailable',
      gate: 'revoked',
    })
    expect(await tx(db(), (t) => publishSeminar(t, admin, draft.seminarId))).toEqual({
      ok: false,
      code: 'host_unavailable',
      gate: 'revoked',
    })
    expect(await counts()).toEqual(before)
    expect((await db().selectFrom('seminars').select('status').where('id', '=', draft.seminarId).executeTakeFirstOrThrow()).status).toBe(
      'draft',
    )
  })

  test('a quota cannot go below the seats taken in it, nor leave the open pool below its own; nothing changes', async () => {
    const admin = await createStaff(db(), 'admin')
    const { seminarId } = await seminarFactory(db(), { capacity: 4, quotas: [{ scope: 'province:22', size: 2 }] })
    for (let i = 0; i < 4; i++) {
      const p = await learnerFrom(db(), '220102')
      expect(await tx(db(), (t) => register(t, p, seminarId, clickKey(), new Date()))).toMatchObject({ ok: true, status: 'confirmed' })
    }
    const before = await quotasOf(db(), seminarId)
    expect(before).toEqual({ open: { size: 2, taken: 2 }, 'province:22': { size: 2, taken: 2 } })
    expect(await tx(db(), (t) => updateQuota(t, admin, { seminarId, scope: 'province:22', size: 1 }))).toEqual({
      ok: false,
      code: 'below_taken',
      taken: 2,
    })
    expect(await tx(db(), (t) => updateQuota(t, admin, { seminarId, scope: 'province:22', size: 3 }))).toEqual({
      ok: false,
      code: 'open_below_taken',
      taken: 2,
    })
    expect(await quotasOf(db(), seminarId)).toEqual(before)
  })

  test('resizing a quota moves seats between it and the open pool', async () => {
    const admin = await createStaff(db(), 'admin')
    const { seminarId } = await seminarFactory(db(), { capacity: 10, quotas: [{ scope: 'province:22', size: 4 }] })
    expect(await tx(db(), (t) => updateQuota(t, admin, { seminarId, scope: 'province:22', size: 7 }))).toEqual({ ok: true })
    expect(await quotasOf(db(), seminarId)).toEqual({ open: { size: 3, taken: 0 }, 'province:22': { size: 7, taken: 0 } })
    expect(await tx(db(), (t) => updateQuota(t, admin, { seminarId, scope: 'province:22', size: 11 }))).toEqual({
      ok: false,
      code: 'quotas_over_capacity',
    })
  })
})
