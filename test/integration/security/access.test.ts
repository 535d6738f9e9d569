import { readFileSync } from 'node:fs'

import { describe, expect, test } from 'vitest'

import { maskIdNumber } from '#app/domain/shared/id-number.ts'
import { PROVINCE, REGIONS } from '#app/domain/shared/reference.ts'
import { getDb } from '#app/lib/db.server.ts'
import routes from '#app/routes.ts'
import * as adminStaff from '#app/routes/admin/staff.tsx'
import * as hrHome from '#app/routes/hr/home.tsx'
import type { Role } from '#db/schema.ts'
import { cookieFor, createBase, createLearner, createStaff, makeIdNumber, makePhone, PASSWORD } from '#test/factories/people.ts'
import { ACCESS, type Guarded, guardedAudienceModules, guardedExports, isGuarded, ROLES } from '#test/fixtures/access-routes.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

async function signIn(role: Role) {
  const db = getDb()
  const who = role === 'learner' ? await createLearner(db) : await createStaff(db, role)
  return { ...who, cookie: await cookieFor(db, who.accountId) }
}

type Fn = Parameters<typeof call>[0]
const moduleUrl = (file: string) => new URL(`../../../app/${file}`, import.meta.url)
/** Every module of the table, loaded as Remix would (file → its exports). */
const MODULES: Record<string, Record<string, unknown>> = Object.fromEntries(
  await Promise.all(
    Object.keys(ACCESS).map(async (file) => [file, (await import(moduleUrl(file).pathname)) as Record<string, unknown>] as const),
  ),
)

/** A bystander with a live session: the admin.staff "revoke" action aims at them. */
async function bystander() {
  const b = await createLearner(getDb())
  await cookieFor(getDb(), b.accountId)
  return b
}

async function liveSessionsOf(accountId: number) {
  const rows = await getDb()
    .selectFrom('sessions')
    .select('id')
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .execute()
  return rows.length
}

function requestFor(probe: Guarded, cookie: string | undefined, targetId: number) {
  const form = probe.form
    ? Object.fromEntries(Object.entries(probe.form).map(([k, v]) => [k, v === 'TARGET' ? String(targetId) : v]))
    : undefined
  return makeRequest(probe.path, { form, cookie })
}

const GUARDED = guardedExports().map((g) => ({ ...g, name: `${g.file} ${g.kind}`, fn: MODULES[g.file]![g.kind] as Fn }))
const CASES = GUARDED.flatMap((route) => ROLES.map((role) => ({ route, role, allowed: route.probe.allowed.includes(role) })))

describe('every route module of a signed-in area has an access expectation', () => {
  test('app/routes.ts lists exactly the modules of test/fixtures/access-routes.ts in account, courses, hours, hr, base and admin', () => {
    expect(guardedAudienceModules(routes).sort()).toEqual(Object.keys(ACCESS).sort())
  })

  test.each(Object.keys(ACCESS))(
    '%s: an expectation for each loader and action it exports, and a guarded one if it calls a guard',
    (file) => {
      const mod = MODULES[file]!
      const entry = ACCESS[file]!
      for (const kind of ['loader', 'action'] as const) {
        expect({ file, kind, exported: typeof mod[kind] === 'function' }).toEqual({ file, kind, exported: entry[kind] !== undefined })
      }
      const callsGuard = /\brequire(User|Role|Hr)\(/.test(readFileSync(moduleUrl(file), 'utf8'))
      if (callsGuard) expect(isGuarded(entry.loader) || isGuarded(entry.action), `${file} calls a guard`).toBe(true)
    },
  )
})

describe('access control, enforced on the server', () => {
  test.each(GUARDED)('$name: signed out → the login page (redirectTo=$probe.path)', async ({ probe, fn }) => {
    const target = await bystander()
    const res = await call(fn, requestFor(probe, undefined, target.accountId), probe.params)
    if (probe.signedOut) expect(res.status).toBe(probe.signedOut)
    else {
      expect(res.status).toBe(302)
      expect(res.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(probe.path)}`)
    }
    expect(await liveSessionsOf(target.accountId)).toBe(1)
  })

  test.each(CASES)('$route.name as $role → allowed: $allowed', async ({ route, role, allowed }) => {
    const target = await bystander()
    const user = await signIn(role)
    const res = await call(route.fn, requestFor(route.probe, user.cookie, target.accountId), route.probe.params)
    if (allowed) {
      if (route.probe.status !== undefined) expect(res.status).toBe(route.probe.status)
      else {
        expect(res.status).not.toBe(403)
        expect(res.status).toBeLessThan(500)
        expect(res.headers.get('Location') ?? '').not.toMatch(/^\/login/)
      }
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
    const res = await call(
      adminStaff.action,
      makeRequest('/admin/staff', {
        form: { intent: 'revoke', confirm: 'yes', accountId: String(target.accountId) },
        cookie: admin.cookie,
      }),
    )
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
    // The home also counts what awaits the officer on the base pages (test/integration/bases/province-hr.test.ts).
    const { scope, people } = res.data as { scope: string; people: number }
    return { scope, people }
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
    const all = await getDb()
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
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
    return {
      intent: 'create',
      name: '新建人员',
      idNumber: makeIdNumber('220104'),
      phone: makePhone(),
      password: PASSWORD,
      role: 'hr',
      scopeRegion: '220100',
      ...overrides,
    }
  }

  async function counts() {
    const db = getDb()
    const n = (t: 'accounts' | 'audit_log' | 'people') =>
      db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
        .then((r) => r.n)
    return { accounts: await n('accounts'), audit: await n('audit_log'), people: await n('people') }
  }

  test('creating a staff account writes an audit row with a masked ID number, never the full one', async () => {
    const admin = await asAdmin()
    const form = staffForm()
    const res = await call(adminStaff.action, makeRequest('/admin/staff', { form, cookie: admin.cookie }))
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({ intent: 'create', ok: true })
    const created = await getDb()
      .selectFrom('accounts')
      .select(['id', 'role', 'scope_region'])
      .where('phone', '=', form.phone)
      .executeTakeFirstOrThrow()
    expect(created).toMatchObject({ role: 'hr', scope_region: '220100' })
    const rows = await getDb()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'account.create_staff')
      .where('target_id', '=', String(created.id))
      .execute()
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
    expect(res.data).toMatchObject({ intent: 'create', ok: true })
    const created = await getDb()
      .selectFrom('accounts')
      .innerJoin('base_members as m', 'm.account_id', 'accounts.id')
      .select(['role', 'm.base_id', 'm.is_admin', 'm.ended_at', 'scope_region'])
      .where('phone', '=', form.phone)
      .executeTakeFirstOrThrow()
    expect(created).toEqual({ role: 'base_staff', base_id: baseId, is_admin: true, ended_at: null, scope_region: null })
  })

  test('a bad ID checksum → 400 with a field error; no account, person or audit row is written', async () => {
    const admin = await asAdmin()
    const good = makeIdNumber('220104')
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    const before = await counts()
    const res = await call(adminStaff.action, makeRequest('/admin/staff', { form: staffForm({ idNumber: bad }), cookie: admin.cookie }))
    expect(res.status).toBe(400)
    expect(res.data.ok).toBe(false)
    expect(errorsOf(res).idNumber).toBe('err.idNumber.checksum')
    expect(res.data.result.initialValue).not.toHaveProperty('password')
    expect(await counts()).toEqual(before)
  })

  test('role base_staff without a base → error on baseId, nothing written', async () => {
    const admin = await asAdmin()
    const before = await counts()
    const res = await call(
      adminStaff.action,
      makeRequest('/admin/staff', { form: staffForm({ role: 'base_staff', scopeRegion: '' }), cookie: admin.cookie }),
    )
    expect(res.status).toBe(400)
    expect(errorsOf(res)).toEqual({ baseId: 'err.choice' })
    expect(await counts()).toEqual(before)
  })

  test('role base_staff with a base that does not exist → error on baseId, nothing written', async () => {
    const admin = await asAdmin()
    const before = await counts()
    const res = await call(
      adminStaff.action,
      makeRequest('/admin/staff', { form: staffForm({ role: 'base_staff', baseId: '999999', scopeRegion: '' }), cookie: admin.cookie }),
    )
    expect(res.status).toBe(400)
    expect(errorsOf(res)).toEqual({ baseId: 'err.choice' })
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
    const res = await call(
      adminStaff.action,
      makeRequest('/admin/staff', {
        form: staffForm({ idNumber: learner.idNumber.toLowerCase(), name: '冒名顶替' }),
        cookie: admin.cookie,
      }),
    )
    expect(res.status).toBe(400)
    expect(errorsOf(res)).toEqual({ idNumber: 'err.idNumber.taken' })
    expect(await counts()).toEqual(before)
    const personAfter = await getDb()
      .selectFrom('people')
      .select(['id', 'name', 'employer', 'region_code'])
      .where('id', '=', personBefore.id)
      .executeTakeFirstOrThrow()
    expect(personAfter).toEqual(personBefore)
  })
})
