import { execFileSync } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

import { describe, expect, test } from 'vitest'

import { getDb } from '#app/lib/db.server.ts'
import { httpSmsChannel, readLocalOutbox, SmsSendFailed } from '#app/lib/sms.server.ts'
import * as account from '#app/routes/account/account.tsx'
import * as devOutbox from '#app/routes/account/dev-outbox.tsx'
import * as forgot from '#app/routes/account/forgot-password.tsx'
import { action as loginAction } from '#app/routes/account/login.tsx'
import * as password from '#app/routes/account/password.tsx'
import * as staffPage from '#app/routes/admin/staff.tsx'
import * as titles from '#app/routes/hr/title-changes.tsx'
import { cookieFor, createLearner, createStaff, PASSWORD } from '#test/factories/people.ts'
import { call, errorsOf, makeRequest, sessionCookieFrom } from '#test/fixtures/http.ts'

const NEW = 'Brand-new-pass-9'

async function signedIn(cookie: string) {
  return (await call(account.loader, makeRequest('/account', { cookie }))).status === 200
}

function loginWith(login: string, pw: string) {
  return call(loginAction, makeRequest('/login', { form: { login, password: pw } }))
}

async function latestCode(phone: string): Promise<string> {
  let found: string | undefined
  await expect
    .poll(async () => {
      const m = (await readLocalOutbox()).find((x) => x.to === phone)
      found = m && /(\d{6})/.exec(m.text)?.[1]
      return found
    })
    .toBeTruthy()
  return found!
}

describe('change password (修改密码)', () => {
  test('current + new + confirm: wrong current is refused; right → other sessions end, this one stays, the new password works', async () => {
    const learner = await createLearner(getDb())
    const cookie = await cookieFor(getDb(), learner.accountId)
    const other = await cookieFor(getDb(), learner.accountId)
    const wrong = await call(
      password.action,
      makeRequest('/account/password', { cookie, form: { current: 'Nope-12345', password: NEW, passwordConfirm: NEW } }),
    )
    expect(wrong.status).toBe(400)
    expect(errorsOf(wrong)).toEqual({ current: 'err.password.current' })
    const mismatch = await call(
      password.action,
      makeRequest('/account/password', { cookie, form: { current: PASSWORD, password: NEW, passwordConfirm: 'x' } }),
    )
    expect(errorsOf(mismatch)).toEqual({ passwordConfirm: 'err.password.mismatch' })
    const res = await call(
      password.action,
      makeRequest('/account/password', { cookie, form: { current: PASSWORD, password: NEW, passwordConfirm: NEW } }),
    )
    expect(res.status).toBe(200)
    expect(res.data.revoked).toBe(1)
    expect(await signedIn(cookie)).toBe(true)
    expect(await signedIn(other)).toBe(false)
    expect((await loginWith(learner.phone, PASSWORD)).status).toBe(401)
    expect((await loginWith(learner.phone, NEW)).status).toBe(302)
  })
})

describe('forgotten password: a one-time code by SMS (找回密码)', () => {
  test('a code goes to the registered mobile (local channel), hashed at rest; it resets the password once and ends every session', async () => {
    const learner = await createLearner(getDb())
    const cookie = await cookieFor(getDb(), learner.accountId)
    const sent = await call(forgot.action, makeRequest('/forgot-password', { form: { intent: 'send', login: learner.idNumber } }))
    expect(sent.status).toBe(200)
    expect(sent.data.step).toBe('code')
    const code = await latestCode(learner.phone)
    expect(code).toMatch(/^\d{6}$/)
    const stored = await getDb().selectFrom('password_reset_codes').selectAll().executeTakeFirstOrThrow()
    expect(stored.code_hash.toString('hex')).not.toContain(Buffer.from(code).toString('hex'))
    expect(stored.expires_at.getTime() - stored.created_at.getTime()).toBe(10 * 60 * 1000)

    const reset = (c: string) =>
      call(
        forgot.action,
        makeRequest('/forgot-password', { form: { intent: 'reset', login: learner.phone, code: c, password: NEW, passwordConfirm: NEW } }),
      )
    const bad = await reset(code === '000000' ? '111111' : '000000')
    expect(bad.status).toBe(400)
    expect(errorsOf(bad)).toEqual({ code: 'err.reset.code' })
    const good = await reset(code)
    expect(good.status).toBe(200)
    expect(good.data.step).toBe('done')
    expect(await signedIn(cookie)).toBe(false)
    expect((await loginWith(learner.phone, NEW)).status).toBe(302)
    // Single use.
    expect((await reset(code)).status).toBe(400)
  })

  test('an unknown login gets the very same answer as a real one (nothing tells whether an account exists)', async () => {
    const learner = await createLearner(getDb())
    const real = await call(forgot.action, makeRequest('/forgot-password', { form: { intent: 'send', login: learner.phone } }))
    const unknown = await call(forgot.action, makeRequest('/forgot-password', { form: { intent: 'send', login: '13900000999' } }))
    expect(unknown.status).toBe(real.status)
    expect({ ...unknown.data, login: null }).toEqual({ ...real.data, login: null })
    const resetUnknown = await call(
      forgot.action,
      makeRequest('/forgot-password', {
        form: { intent: 'reset', login: '13900000999', code: '123456', password: NEW, passwordConfirm: NEW },
      }),
    )
    expect(errorsOf(resetUnknown)).toEqual({ code: 'err.reset.code' })
  })

  test('5 wrong guesses use the code up; an expired code is refused; sends are capped (1 a minute)', async () => {
    const learner = await createLearner(getDb())
    const send = () => call(forgot.action, makeRequest('/forgot-password', { form: { intent: 'send', login: learner.phone } }))
    await send()
    const code = await latestCode(learner.phone)
    const wrongCode = code === '999999' ? '999998' : '999999'
    const reset = (c: string) =>
      call(
        forgot.action,
        makeRequest('/forgot-password', { form: { intent: 'reset', login: learner.phone, code: c, password: NEW, passwordConfirm: NEW } }),
      )
    for (let i = 0; i < 5; i++) expect((await reset(wrongCode)).status).toBe(400)
    expect((await reset(code)).status).toBe(400)
    // A second send within the minute sends nothing new (same answer to the page).
    expect((await send()).status).toBe(200)
    expect(await getDb().selectFrom('password_reset_codes').selectAll().execute()).toHaveLength(1)
    // An hour later a new code can be sent; once expired it is refused.
    await getDb()
      .updateTable('password_reset_codes')
      .set({ created_at: new Date(Date.now() - 3600_000) })
      .execute()
    await send()
    const codes = await getDb().selectFrom('password_reset_codes').selectAll().orderBy('id').execute()
    expect(codes).toHaveLength(2)
    const fresh = await latestCode(learner.phone)
    await getDb()
      .updateTable('password_reset_codes')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', codes[1]!.id)
      .execute()
    expect((await reset(fresh)).status).toBe(400)
  })

  test('the dev outbox shows the messages to this machine only (404 to anyone else)', async () => {
    const learner = await createLearner(getDb())
    await call(forgot.action, makeRequest('/forgot-password', { form: { intent: 'send', login: learner.phone } }))
    await latestCode(learner.phone)
    const remote = await call(devOutbox.loader, makeRequest('/dev/outbox', { headers: { 'X-Xueshi-Client-Ip': '203.0.113.1' } }))
    expect(remote.status).toBe(404)
    const local = await call(devOutbox.loader, makeRequest('/dev/outbox', { headers: { 'X-Xueshi-Client-Ip': '127.0.0.1' } }))
    expect(local.status).toBe(200)
    expect(local.data.messages[0].to).toBe(learner.phone)
  })

  test('the HTTP SMS provider adapter posts {to, text} with the bearer key; a non-2xx answer is an error', async () => {
    const received: { auth?: string; body: string }[] = []
    let status = 200
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        received.push({ auth: req.headers.authorization, body })
        res.writeHead(status).end('{}')
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`
      const channel = httpSmsChannel(url, 'test-key')
      await channel.send({ to: '13900000001', text: 'code 123456' })
      expect(received).toEqual([{ auth: 'Bearer test-key', body: JSON.stringify({ to: '13900000001', text: 'code 123456' }) }])
      status = 500
      await expect(channel.send({ to: '13900000001', text: 'x' })).rejects.toBeInstanceOf(SmsSendFailed)
    } finally {
      await new Promise((r) => server.close(r))
    }
  })

  test('production without an SMS provider refuses to start, unless XUESHI_SMS_LOCAL=1 (npm start on a fresh clone)', () => {
    const run = (extra: Record<string, string>) =>
      execFileSync(
        process.execPath,
        ['--import', 'tsx', '-e', "import('#app/lib/env.server.ts').then((m) => { m.getEnv(); console.log('ok') })"],
        {
          env: {
            PATH: process.env.PATH,
            NODE_ENV: 'production',
            DATABASE_URL: 'postgres://x@127.0.0.1/x',
            XUESHI_DATA_KEY: 'k',
            XUESHI_PUBLIC_URL: 'https://xueshi.example.cn',
            ...extra,
          },
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
    expect(() => run({})).toThrow(/XUESHI_SMS_URL/)
    expect(run({ XUESHI_SMS_LOCAL: '1' })).toContain('ok')
    expect(run({ XUESHI_SMS_URL: 'https://sms.example.cn/send', XUESHI_SMS_KEY: 'k' })).toContain('ok')
  })
})

describe('admin reset of a staff password, and the forced change (管理员重设密码)', () => {
  test('a temporary password shown once; their sessions end; every page leads to /account/password until they change it', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const hr = await createStaff(getDb(), 'hr')
    const adminCookie = await cookieFor(getDb(), admin.accountId)
    const hrOld = await cookieFor(getDb(), hr.accountId)
    const res = await call(
      staffPage.action,
      makeRequest('/admin/staff', { cookie: adminCookie, form: { intent: 'reset-password', accountId: String(hr.accountId) } }),
    )
    expect(res.status).toBe(200)
    const temp: string = res.data.temporaryPassword
    expect(temp).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{12}$/)
    expect(await signedIn(hrOld)).toBe(false)
    const audit = await getDb().selectFrom('audit_log').selectAll().where('action', '=', 'account.reset_password').execute()
    expect(JSON.stringify(audit)).not.toContain(temp)

    const signIn = await loginWith(hr.phone, temp)
    expect(signIn.status).toBe(302)
    const cookie = sessionCookieFrom(signIn)
    const page = await call(account.loader, makeRequest('/account', { cookie }))
    expect(page.status).toBe(302)
    expect(page.headers.get('Location')).toBe('/account/password')
    const hrHome = await call(titles.loader, makeRequest('/hr/title-changes', { cookie }))
    expect(hrHome.headers.get('Location')).toBe('/account/password')
    expect((await call(password.loader, makeRequest('/account/password', { cookie }))).data).toEqual({ mustChange: true })
    const changed = await call(
      password.action,
      makeRequest('/account/password', { cookie, form: { current: temp, password: NEW, passwordConfirm: NEW } }),
    )
    expect(changed.status).toBe(200)
    expect((await call(titles.loader, makeRequest('/hr/title-changes', { cookie }))).status).toBe(200)
  })

  test('learners are not reset by admins (they use the SMS code), nor is the admin themself', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const learner = await createLearner(getDb())
    const cookie = await cookieFor(getDb(), admin.accountId)
    for (const [id, key] of [
      [learner.accountId, 'err.staff.notStaff'],
      [admin.accountId, 'err.staff.resetSelf'],
    ] as const) {
      const res = await call(
        staffPage.action,
        makeRequest('/admin/staff', { cookie, form: { intent: 'reset-password', accountId: String(id) } }),
      )
      expect(res.status).toBe(400)
      expect(res.data.error).toBe(key)
    }
  })
})

describe('learners update their details; a title change waits for HR of their region (职称变更核实)', () => {
  async function setup() {
    const learner = await createLearner(getDb(), { region: '220100', titleLevel: 'intermediate', titleYear: '2020' })
    return { learner, cookie: await cookieFor(getDb(), learner.accountId) }
  }
  const profileForm = (over: Record<string, string>) => ({
    intent: 'profile',
    phone: '13712345678',
    employer: '新单位',
    titleSeries: 'engineering',
    titleLevel: 'intermediate',
    titleYear: '2020',
    ...over,
  })
  const person = (id: number) => getDb().selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  test('phone and employer change at once; a title change is pending and the verified title (used by the credit check) stays', async () => {
    const { learner, cookie } = await setup()
    const res = await call(
      account.action,
      makeRequest('/account', { cookie, form: profileForm({ titleLevel: 'senior', titleYear: '2024' }) }),
    )
    expect(res.status).toBe(200)
    expect(res.data.profile.saved).toBe('pending')
    const p = await person(learner.personId)
    expect(p.employer).toBe('新单位')
    expect([p.title_level, p.title_year]).toEqual(['intermediate', 2020])
    const acc = await getDb().selectFrom('accounts').select('phone').where('id', '=', learner.accountId).executeTakeFirstOrThrow()
    expect(acc.phone).toBe('13712345678')
    const page = await call(account.loader, makeRequest('/account', { cookie }))
    expect(page.data.titlePending).toMatchObject({ title_level: 'senior', title_year: 2024 })
  })

  test('HR of another region neither sees nor decides it; HR of the region approves and the title takes effect (audited)', async () => {
    const { learner, cookie } = await setup()
    await call(account.action, makeRequest('/account', { cookie, form: profileForm({ titleLevel: 'senior', titleYear: '2024' }) }))
    const change = await getDb().selectFrom('title_changes').selectAll().executeTakeFirstOrThrow()
    const elsewhere = await cookieFor(getDb(), (await createStaff(getDb(), 'hr', { scopeRegion: '220200' })).accountId)
    expect((await call(titles.loader, makeRequest('/hr/title-changes', { cookie: elsewhere }))).data.rows).toEqual([])
    const refused = await call(
      titles.action,
      makeRequest('/hr/title-changes', { cookie: elsewhere, form: { intent: 'approve', changeId: String(change.id) } }),
    )
    expect(refused.status).toBe(404)
    expect((await person(learner.personId)).title_level).toBe('intermediate')

    const hr = await cookieFor(getDb(), (await createStaff(getDb(), 'hr', { scopeRegion: '220100' })).accountId)
    const list = await call(titles.loader, makeRequest('/hr/title-changes', { cookie: hr }))
    expect(list.data.rows).toHaveLength(1)
    const ok = await call(
      titles.action,
      makeRequest('/hr/title-changes', { cookie: hr, form: { intent: 'approve', changeId: String(change.id) } }),
    )
    expect(ok.status).toBe(200)
    const p = await person(learner.personId)
    expect([p.title_level, p.title_year]).toEqual(['senior', 2024])
    expect(await getDb().selectFrom('audit_log').select('action').where('action', '=', 'title_change.approve').execute()).toHaveLength(1)
    const again = await call(
      titles.action,
      makeRequest('/hr/title-changes', { cookie: hr, form: { intent: 'approve', changeId: String(change.id) } }),
    )
    expect(again.status).toBe(409)
  })

  test('a rejection needs a reason and leaves the title as it was', async () => {
    const { learner, cookie } = await setup()
    await call(account.action, makeRequest('/account', { cookie, form: profileForm({ titleYear: '2022' }) }))
    const change = await getDb().selectFrom('title_changes').selectAll().executeTakeFirstOrThrow()
    const hr = await cookieFor(getDb(), (await createStaff(getDb(), 'hr', { scopeRegion: '220000' })).accountId)
    expect(
      (await call(titles.action, makeRequest('/hr/title-changes', { cookie: hr, form: { intent: 'reject', changeId: String(change.id) } })))
        .status,
    ).toBe(400)
    const res = await call(
      titles.action,
      makeRequest('/hr/title-changes', { cookie: hr, form: { intent: 'reject', changeId: String(change.id), reason: '证书年份不符' } }),
    )
    expect(res.status).toBe(200)
    expect((await person(learner.personId)).title_year).toBe(2020)
  })

  test('staff cannot use the learner profile form', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const res = await call(
      account.action,
      makeRequest('/account', { cookie: await cookieFor(getDb(), admin.accountId), form: profileForm({}) }),
    )
    expect(res.status).toBe(403)
  })
})
