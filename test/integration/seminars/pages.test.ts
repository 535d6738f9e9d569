import { describe, expect, test } from 'vitest'

import { promote } from '#app/domain/seminars/registration.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as mine from '#app/routes/account/seminars.tsx'
import * as plan from '#app/routes/admin/seminars.tsx'
import * as page from '#app/routes/public/seminar.tsx'
import * as list from '#app/routes/public/seminars.tsx'
import { cookieFor, createBase, createStaff } from '#test/factories/people.ts'
import { createSeminar, learnerFrom, planForm, quotasOf, registrationsOf } from '#test/factories/seminars.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()

async function signedIn(area = '220102', facts: Parameters<typeof learnerFrom>[2] = {}) {
  const p = await learnerFrom(db(), area, facts)
  return { ...p, cookie: await cookieFor(db(), p.accountId) }
}

const view = (seminarId: number, cookie?: string) =>
  call(page.loader, makeRequest(`/seminars/${seminarId}`, { cookie }), { seminarId: String(seminarId) })
const post = (seminarId: number, cookie: string, form: Record<string, string>) =>
  call(page.action, makeRequest(`/seminars/${seminarId}`, { cookie, form }), { seminarId: String(seminarId) })

/** The key the page handed out, pressed once. */
async function pressRegister(seminarId: number, cookie: string) {
  const before = await view(seminarId, cookie)
  return post(seminarId, cookie, { intent: 'register', key: before.data.you.key })
}

const registrationCount = async () =>
  Number(
    (
      await db()
        .selectFrom('seminar_registrations')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('seminar pages', () => {
  test('the public list and page show seats left per quota; signed out, the page offers a sign-in that comes back', async () => {
    const { seminarId } = await createSeminar(db(), { capacity: 10, quotas: [{ scope: 'province:44', size: 3 }] })
    await createSeminar(db(), { status: 'draft' })
    const all = await call(list.loader, makeRequest('/seminars'))
    expect(all.data.seminars.map((s: { id: number }) => s.id)).toEqual([seminarId])
    expect(all.data.seminars[0].seats).toMatchObject({ open: { left: 7 }, scoped: [{ scope: 'province:44', size: 3, left: 3 }] })
    const none = await call(list.loader, makeRequest('/seminars?q=nothing-like-this'))
    expect(none.data.seminars).toEqual([])

    const anon = await view(seminarId)
    expect(anon.status).toBe(200)
    expect(anon.data).toMatchObject({ signedIn: false, you: null })
    const refused = await call(page.action, makeRequest(`/seminars/${seminarId}`, { form: { intent: 'register', key: 'k'.repeat(20) } }), {
      seminarId: String(seminarId),
    })
    expect(refused.status).toBe(302)
    expect(refused.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(`/seminars/${seminarId}`)}`)
    expect((await view(999_999)).status).toBe(404)
  })

  test('a learner registers from the page (confirmed); a second click with the same key is the same registration', async () => {
    const { seminarId } = await createSeminar(db(), { capacity: 1 })
    const a = await signedIn()
    const shown = await view(seminarId, a.cookie)
    expect(shown.data.you).toMatchObject({ window: null, host: false, reasons: [], registration: null })
    const form = { intent: 'register', key: shown.data.you.key as string }
    const first = await post(seminarId, a.cookie, form)
    expect(first.status).toBe(200)
    expect(first.data.done).toBe('register')
    const again = await post(seminarId, a.cookie, form)
    expect(again.data.registrationId).toBe(first.data.registrationId)
    expect(await registrationCount()).toBe(1)
    const after = await view(seminarId, a.cookie)
    expect(after.data.you.registration).toMatchObject({ id: first.data.registrationId, status: 'confirmed', live: true, canCancel: true })
    expect(after.data.you.key).not.toBe(form.key)

    // a full seminar: the next learner is waitlisted, with their place shown on both pages
    const b = await signedIn()
    expect((await pressRegister(seminarId, b.cookie)).status).toBe(200)
    expect((await view(seminarId, b.cookie)).data.you.registration).toMatchObject({ status: 'waitlisted', position: 1 })
    const theirs = await call(mine.loader, makeRequest('/account/seminars', { cookie: b.cookie }))
    expect(theirs.data.registrations).toMatchObject([{ seminarId, status: 'waitlisted', position: 1 }])

    // cancel needs the confirmation; then the seat goes to the next in line (the worker's promote)
    const regId = String(first.data.registrationId)
    const unconfirmed = await post(seminarId, a.cookie, { intent: 'cancel', registrationId: regId })
    expect(unconfirmed.status).toBe(400)
    expect(errorsOf(unconfirmed)._form).toBe('err.confirm')
    expect((await registrationsOf(db(), seminarId)).map((r) => r.status)).toEqual(['confirmed', 'waitlisted'])
    expect((await post(seminarId, a.cookie, { intent: 'cancel', registrationId: regId, confirm: 'yes' })).data.done).toBe('cancel')
    expect((await registrationsOf(db(), seminarId)).map((r) => r.status)).toEqual(['cancelled', 'waitlisted'])
    const promoted = await promote(db(), seminarId, new Date())
    expect(promoted.promoted).toHaveLength(1)
    expect((await view(seminarId, b.cookie)).data.you.registration).toMatchObject({ status: 'confirmed', position: null })
    // someone else's registration cannot be cancelled from this page
    const c = await signedIn()
    const other = await post(seminarId, c.cookie, { intent: 'cancel', registrationId: String(promoted.promoted[0]), confirm: 'yes' })
    expect(other.status).toBe(404)
  })

  test('an ineligible learner sees the reasons before clicking; a forced POST is refused and changes nothing', async () => {
    const { seminarId } = await createSeminar(db(), { eligibility: { levels: ['senior'], regions: ['220200'] } })
    const p = await signedIn('220102', { titleLevel: 'intermediate', region: '220100' })
    const shown = await view(seminarId, p.cookie)
    expect(shown.data.you.reasons).toEqual(['title_level', 'region'])
    const before = await registrationCount()
    const refused = await post(seminarId, p.cookie, { intent: 'register', key: shown.data.you.key })
    expect(refused.status).toBe(409)
    expect(refused.data.result.error['']).toEqual(['seminars.reason.title_level', 'seminars.reason.region'])
    expect(await registrationCount()).toBe(before)
  })

  test('registration not open yet is shown and refused', async () => {
    const { seminarId } = await createSeminar(db(), { opensAt: new Date(Date.now() + 24 * 3600_000) })
    const p = await signedIn()
    const shown = await view(seminarId, p.cookie)
    expect(shown.data.you.window).toBe('not_open_yet')
    const refused = await post(seminarId, p.cookie, { intent: 'register', key: shown.data.you.key })
    expect(refused.status).toBe(409)
    expect(errorsOf(refused)._form).toBe('seminars.code.not_open_yet')
    expect(await registrationCount()).toBe(0)
  })

  test('an admin creates a seminar from the plan page and publishes it; it then appears publicly', async () => {
    const admin = await createStaff(db(), 'admin')
    const cookie = await cookieFor(db(), admin.accountId)
    const baseId = await createBase(db())
    const form = Object.fromEntries(
      Object.entries(planForm(baseId, { title: '页面创建的研修班' })).map(([k, v]) => [k, Array.isArray(v) ? v[0]! : v]),
    )
    const bad = await call(plan.action, makeRequest('/admin/seminars', { cookie, form: { ...form, capacity: '10' } }))
    expect(bad.status).toBe(400)
    expect(errorsOf(bad).capacity).toBe('seminarsAdmin.code.quotas_over_capacity')
    const created = await call(plan.action, makeRequest('/admin/seminars', { cookie, form }))
    expect(created.status).toBe(200)
    expect(created.data.done).toBe(true)
    const listed = await call(plan.loader, makeRequest('/admin/seminars', { cookie }))
    const row = listed.data.seminars.find((s: { title: string }) => s.title === '页面创建的研修班')
    expect(row).toMatchObject({ status: 'draft', taken: 0, capacity: 70 })
    expect((await call(list.loader, makeRequest('/seminars'))).data.seminars).toEqual([])

    const unconfirmed = await call(
      plan.action,
      makeRequest('/admin/seminars', { cookie, form: { intent: 'publish', seminarId: String(row.id) } }),
    )
    expect(unconfirmed.status).toBe(400)
    const published = await call(
      plan.action,
      makeRequest('/admin/seminars', { cookie, form: { intent: 'publish', seminarId: String(row.id), confirm: 'yes' } }),
    )
    expect(published.data.done).toBe(true)
    expect((await call(list.loader, makeRequest('/seminars'))).data.seminars.map((s: { id: number }) => s.id)).toEqual([row.id])
  })

  test('an admin resizes a quota from the plan page; below the seats taken is refused with the number, nothing changed', async () => {
    const admin = await createStaff(db(), 'admin')
    const cookie = await cookieFor(db(), admin.accountId)
    const { seminarId } = await createSeminar(db(), { capacity: 6, quotas: [{ scope: 'province:22', size: 3 }] })
    for (let i = 0; i < 2; i++) expect((await pressRegister(seminarId, (await signedIn('220102')).cookie)).status).toBe(200)
    const resize = (size: string) =>
      call(
        plan.action,
        makeRequest('/admin/seminars', { cookie, form: { intent: 'quota', seminarId: String(seminarId), scope: 'province:22', size } }),
      )
    const refused = await resize('1')
    expect(refused.status).toBe(409)
    expect(errorsOf(refused)._form).toBe('名额不能少于已报名人数（2 人）。')
    expect(await quotasOf(db(), seminarId)).toEqual({ open: { size: 3, taken: 0 }, 'province:22': { size: 3, taken: 2 } })
    expect((await resize('5')).data.done).toBe(true)
    expect(await quotasOf(db(), seminarId)).toEqual({ open: { size: 1, taken: 0 }, 'province:22': { size: 5, taken: 2 } })
  })

  test('the plan page is for admins only: a learner and HR get 403', async () => {
    const learner = await signedIn()
    const hr = await createStaff(db(), 'hr', { scopeRegion: '220000' })
    for (const cookie of [learner.cookie, await cookieFor(db(), hr.accountId)]) {
      expect((await call(plan.loader, makeRequest('/admin/seminars', { cookie }))).status).toBe(403)
      const baseId = await createBase(db())
      const form = Object.fromEntries(Object.entries(planForm(baseId)).map(([k, v]) => [k, Array.isArray(v) ? v[0]! : v]))
      expect((await call(plan.action, makeRequest('/admin/seminars', { cookie, form }))).status).toBe(403)
    }
    expect(
      Number(
        (
          await db()
            .selectFrom('seminars')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(0)
  })
})
