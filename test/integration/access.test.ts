import { describe, expect, test } from 'vitest'
import * as account from '#app/routes/account/account.tsx'
import * as adminHome from '#app/routes/admin/home.tsx'
import * as adminStaff from '#app/routes/admin/staff.tsx'
import * as adminAudit from '#app/routes/admin/audit.tsx'
import * as hrHome from '#app/routes/hr/home.tsx'
import * as baseHome from '#app/routes/base/home.tsx'
import { maskIdNumber } from '#app/domain/shared/id-number.ts'
import { PROVINCE, REGIONS } from '#app/domain/shared/reference.ts'
import { getDb } from '#app/lib/db.server.ts'
import type { Role } from '#db/schema.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'
import { cookieFor, createBase, createLearner, createStaff, makeIdNumber, makePhone, PASSWORD } from '#test/factories/people.ts'

const ROLES: Role[] = ['learner', 'base_staff', 'hr', 'admin']

async function signIn(role: Role) {
  const db = getDb()
  const who = role === 'learner' ? await createLearner(db) : await createStaff(db, role)
  return { ...who, cookie: await cookieFor(db, who.accountId) }
}

type Fn = Parameters<typeof call>[0]
type Route = { name: string; fn: Fn; path: string; form?: Record<string, string>; allowed: readonly Role[] }

const ROUTES: Route[] = [
  { name: 'account loader', fn: account.loader, path: '/account', allowed: ROLES },
  { name: 'account action', fn: account.action, path: '/account', form: { intent: 'revoke-others' }, allowed: ROLES },
  { name: 'admin._index loader', fn: adminHome.loader, path: '/admin', allowed: ['admin'] },
  { name: 'admin.staff loader', fn: adminStaff.loader, path: '/admin/staff', allowed: ['admin'] },
  { name: 'admin.staff action', fn: adminStaff.action, path: '/admin/staff', form: { intent: 'revoke', accountId: 'TARGET' }, allowed: ['admin'] },
  { name: 'admin.audit loader', fn: adminAudit.loader, path: '/admin/audit', allowed: ['admin'] },
  { name: 'hr._index loader', fn: hrHome.loader, path: '/hr', allowed: ['hr'] },
  { name: 'base._index loader', fn: baseHome.loader, path: '/base', allowed: ['base_staff'] },
]

/** A bystander with a live session: the admin.staff "revoke" action aims at them. */
async function bystander() {
  const b = await createLearner(getDb())
  await cookieFor(getDb(), b.accountId)
  return b
}

async function liveSessionsOf(accountId: number) {
  const rows = await getDb().selectFrom('sessions').select('id').where('account_id', '=', accountId).where('revoked_at', 'is', null).execute()
  return rows.length
}

function requestFor(route: Route, cookie: string | undefined, targetId: number) {
  const form = route.form ? Object.fromEntries(Object.entries(route.form).map(([k, v]) => [k, v === 'TARGET' ? String(targetId) : v])) : undefined
  return makeRequest(route.path, { form, cookie })
}

const CASES = ROUTES.flatMap((route) => ROLES.map((role) => ({ route, role, allowed: route.allowed.includes(role) })))

describe('access control, enforced on the server', () => {
  test.each(ROUTES)('$name: signed out → 302 to /login?redirectTo=$path', async (route) => {
    const target = await bystander()
    const res = await call(route.fn, requestFor(route, undefined, target.accountId))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(route.path)}`)
    expect(await liveSessionsOf(target.accountId)).toBe(1)
  })

  test.each(CASES)('$route.name as $role → allowed: $allowed', async ({ route, role, allowed }) => {
    const target = await bystander()
    const user = await signIn(role)
    const res = await call(route.fn, requestFor(route, user.cookie, target.accountId))
    if (allowed) {
      expect(res.status).toBe(200)
      expect(res.data).toBeTypeOf('object')
    } else {
      expect(res.status).toBe(403)
      // Refused before doing anything.
      expect(await liveSessionsOf(target.accountId)).toBe(1)
      expect(await liveSessionsOf(user.accountId)).toBe(1)
    }
  })

  test('the admin.staff revoke action, allowed, really acts (so the refusals above are meaningful)', async () => {
    const target = await bystander()
    const admin = await signIn('admin')
    const res = await call(adminStaff.action, makeRequest('/admin/staff', { form: { intent: 'revoke', accountId: String(target.accountId) }, cookie: admin.cookie }))
    expect(res.data).toEqual({ intent: 'revoke', revoked: 1 })
    expect(await liveSessionsOf(target.accountId)).toBe(0)
  })
})

describe('HR scope', () => {
  const other = REGIONS.find((r) => r.code !== '220100')!.code

  async function peopleSeenBy(scopeRegion: string) {
    const hr = await createStaff(getDb(), 'hr', { scopeRegion })
    const res = await call(hrHome.loader, makeRequest('/hr', { cookie: await cookieFor(getDb(), hr.accountId) }))
    expect(res.status).toBe(200)
    return res.data as { scope: string; people: number }
  }

  test('an HR officer for 220100 counts only people whose region is 220100', async () => {
    await createLearner(getDb(), { region: '220100' })
    await createLearner(getDb(), { region: '220100' })
    await createLearner(getDb(), { region: other })
    await createLearner(getDb(), { region: other })
    await createLearner(getDb(), { region: other })
    expect(await peopleSeenBy('220100')).toEqual({ scope: '220100', people: 2 })
  })

  test('an HR officer for the whole province (220000) counts everyone', async () => {
    expect(PROVINCE.code).toBe('220000')
    await createLearner(getDb(), { region: '220100' })
    await createLearner(getDb(), { region: other })
    await createLearner(getDb(), { region: other })
    const seen = await peopleSeenBy('220000')
    const all = await getDb().selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(seen.scope).toBe('220000')
    expect(seen.people).toBe(all.n)
    expect(seen.people).toBeGreaterThanOrEqual(3)
  })
})

describe('admin creates staff accounts (admin.staff action)', () => {
  async function asAdmin() {
    return signIn('admin')
  }

  function staffForm(overrides: Record<string, string> = {}) {
    return { intent: 'create', name: '新建人员', idNumber: makeIdNumber('220104'), phone: makePhone(), password: PASSWORD, role: 'hr', scopeRegion: '220100', ...overrides }
  }

  async function counts() {
    const db = getDb()
    const n = (t: 'accounts' | 'audit_log' | 'people') =>
      db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => r.n)
    return { accounts: await n('accounts'), audit: await n('audit_log'), people: await n('people') }
  }

  test('creating a staff account writes an audit row with a masked ID number, never the full one', async () => {
    const admin = await asAdmin()
    const form = staffForm()
    const res = await call(adminStaff.action, makeRequest('/admin/staff', { form, cookie: admin.cookie }))
    expect(res.status).toBe(200)
    expect(res.data).toEqual({ intent: 'create', ok: true })
    const created = await getDb()
      .selectFrom('accounts')
      .select(['id', 'role', 'scope_region'])
      .where('phone', '=', form.phone)
      .executeTakeFirstOrThrow()
    expect(created).toMatchObject({ role: 'hr', scope_region: '220100' })
    const rows = await getDb().selectFrom('audit_log').selectAll().where('action', '=', 'account.create_staff').where('target_id', '=', String(created.id)).execute()
    expect(rows).toHaveLength(1)
    const row = rows[0]!
    expect(row.actor_account_id).toBe(admin.accountId)
    expect(row.target_type).toBe('account')
    expect(row.detail.idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/)
    expect(row.detail.idNumber).toBe(maskIdNumber(form.idNumber))
    expect(row.detail).toMatchObject({ role: 'hr', scopeRegion: '220100', baseId: null })
    const everyAuditRow = JSON.stringify(await getDb().selectFrom('audit_log').selectAll().execute())
    expect(everyAuditRow).not.toContain(form.idNumber)
    expect(everyAuditRow).not.toContain(form.idNumber.slice(0, 14))
  })

  test('a base staff account is bound to its base', async () => {
    const admin = await asAdmin()
    const baseId = await createBase(getDb(), '另一基地')
    const form = staffForm({ role: 'base_staff', baseId: String(baseId), scopeRegion: '' })
    const res = await call(adminStaff.action, makeRequest('/admin/staff', { form, cookie: admin.cookie }))
    expect(res.data).toEqual({ intent: 'create', ok: true })
    const created = await getDb().selectFrom('accounts').select(['role', 'base_id', 'scope_region']).where('phone', '=', form.phone).executeTakeFirstOrThrow()
    expect(created).toEqual({ role: 'base_staff', base_id: baseId, scope_region: null })
  })

  test('a bad ID checksum → 400 with a field error; no account, person or audit row is written', async () => {
    const admin = await asAdmin()
    const good = makeIdNumber('220104')
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    const before = await counts()
    const res = await call(adminStaff.action, makeRequest('/admin/staff', { form: staffForm({ idNumber: bad }), cookie: admin.cookie }))
    expect(res.status).toBe(400)
    expect(res.data.ok).toBe(false)
    expect(res.data.errors.idNumber).toBe('err.idNumber.checksum')
    expect(res.data.values).not.toHaveProperty('password')
    expect(await counts()).toEqual(before)
  })

  test('role base_staff without a base → error on baseId, nothing written', async () => {
    const admin = await asAdmin()
    const before = await counts()
    const res = await call(adminStaff.action, makeRequest('/admin/staff', { form: staffForm({ role: 'base_staff', scopeRegion: '' }), cookie: admin.cookie }))
    expect(res.status).toBe(400)
    expect(res.data.errors).toEqual({ baseId: 'err.choice' })
    expect(await counts()).toEqual(before)
  })

  test('role base_staff with a base that does not exist → error on baseId, nothing written', async () => {
    const admin = await asAdmin()
    const before = await counts()
    const res = await call(adminStaff.action, makeRequest('/admin/staff', { form: staffForm({ role: 'base_staff', baseId: '999999', scopeRegion: '' }), cookie: admin.cookie }))
    expect(res.status).toBe(400)
    expect(res.data.errors).toEqual({ baseId: 'err.choice' })
    expect(await counts()).toEqual(before)
  })

  test('an ID number that already has an account → err.idNumber.taken; nothing written, the existing person unchanged', async () => {
    const admin = await asAdmin()
    const learner = await createLearner(getDb(), { name: '原有学员' })
    const personBefore = await getDb()
      .selectFrom('people')
      .innerJoin('accounts', 'accounts.person_id', 'people.id')
      .select(['people.id', 'people.name', 'people.employer', 'people.region_code'])
      .where('accounts.id', '=', learner.accountId)
      .executeTakeFirstOrThrow()
    const before = await counts()
    const res = await call(adminStaff.action, makeRequest('/admin/staff', { form: staffForm({ idNumber: learner.idNumber.toLowerCase(), name: '冒名顶替' }), cookie: admin.cookie }))
    expect(res.status).toBe(400)
    expect(res.data.errors).toEqual({ idNumber: 'err.idNumber.taken' })
    expect(await counts()).toEqual(before)
    const personAfter = await getDb().selectFrom('people').select(['id', 'name', 'employer', 'region_code']).where('id', '=', personBefore.id).executeTakeFirstOrThrow()
    expect(personAfter).toEqual(personBefore)
  })
})
