import { sql } from 'kysely'
import { afterEach, describe, expect, test } from 'vitest'

import { idNumberCheckChar, maskIdNumber } from '#app/domain/shared/id-number.ts'
import { decryptPii, lookupHash } from '#app/lib/crypto.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { createLogger, getLogger, setLogger } from '#app/lib/log.server.ts'
import * as account from '#app/routes/account/account.tsx'
import { action as loginAction } from '#app/routes/account/login.tsx'
import { action as register } from '#app/routes/account/register.tsx'
import * as adminStaff from '#app/routes/admin/staff.tsx'
import { cookieFor, createLearner, createStaff, PASSWORD, registrationForm } from '#test/factories/people.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'

let xSeq = 0

/** A valid ID number whose check character is X, so the lower-case form is a distinct string to look for. */
function idNumberEndingInX(area = '220102'): string {
  for (;;) {
    xSeq += 1
    const first17 = `${area}1983${String(1 + (xSeq % 12)).padStart(2, '0')}${String(1 + (xSeq % 28)).padStart(2, '0')}${String(xSeq % 1000).padStart(3, '0')}`
    if (idNumberCheckChar(first17) === 'X') return `${first17}X`
  }
}

type Column = { table_name: string; column_name: string; data_type: string }

/** Every textual or binary column of every table in the public schema. */
async function scannableColumns(): Promise<Column[]> {
  const r = await sql<Column>`
    select c.table_name, c.column_name, c.data_type
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and c.data_type in ('text', 'character varying', 'character', 'jsonb', 'json', 'bytea')
    order by c.table_name, c.column_name`.execute(getDb())
  return r.rows
}

/** Where (table.column) any of `needles` occurs in the database. */
async function findInDatabase(needles: string[]): Promise<{ hits: string[]; scannedColumns: number; scannedValues: number }> {
  const hits: string[] = []
  let scannedValues = 0
  const columns = await scannableColumns()
  for (const c of columns) {
    const where = `${c.table_name}.${c.column_name}`
    const asText = await sql<{ v: string | null }>`select ${sql.ref(c.column_name)}::text as v from ${sql.table(c.table_name)}`.execute(
      getDb(),
    )
    for (const { v } of asText.rows) {
      if (v === null) continue
      scannedValues += 1
      for (const n of needles) if (v.includes(n)) hits.push(`${where} (text)`)
    }
    if (c.data_type === 'bytea') {
      const raw = await sql<{ v: Buffer | null }>`select ${sql.ref(c.column_name)} as v from ${sql.table(c.table_name)}`.execute(getDb())
      for (const { v } of raw.rows) {
        if (v === null) continue
        for (const n of needles) {
          if (v.includes(Buffer.from(n, 'utf8')) || v.includes(Buffer.from(n, 'utf16le'))) hits.push(`${where} (bytes)`)
        }
      }
    }
  }
  return { hits, scannedColumns: columns.length, scannedValues }
}

const originalLogger = getLogger()
afterEach(() => setLogger(originalLogger))

function memoryLogger(level = 'trace') {
  const lines: string[] = []
  const logger = createLogger({ write: (s: string) => void lines.push(s) }, level)
  return { lines, logger }
}

describe('personal data at rest (身份证号不落明文)', () => {
  test('after registration the raw ID number is nowhere in the database; it decrypts and hashes correctly', async () => {
    const idNumber = idNumberEndingInX()
    // Typed with a lower-case x, as people do.
    const form = registrationForm({ idNumber: idNumber.toLowerCase() })
    const res = await call(register, makeRequest('/register', { form }))
    expect(res.status).toBe(302)
    // Sign in once more with the ID number, so sessions and counters exist too.
    await call(loginAction, makeRequest('/login', { form: { login: idNumber, password: 'Wrong-pass-1' } }))
    expect((await call(loginAction, makeRequest('/login', { form: { login: idNumber.toLowerCase(), password: PASSWORD } }))).status).toBe(
      302,
    )

    const scan = await findInDatabase([idNumber, idNumber.toLowerCase()])
    expect(scan.hits).toEqual([])
    // The scanner does see stored values: the phone number is stored in plain, and is found.
    expect((await findInDatabase([form.phone!])).hits).toContain('accounts.phone (text)')
    expect(scan.scannedColumns).toBeGreaterThanOrEqual(10)
    expect(scan.scannedValues).toBeGreaterThanOrEqual(8)

    const person = await getDb().selectFrom('people').selectAll().executeTakeFirstOrThrow()
    expect(decryptPii(person.id_number_enc)).toBe(idNumber)
    expect(person.id_number_hash.equals(lookupHash(idNumber))).toBe(true)
    expect(person.id_number_hash.equals(lookupHash(idNumber.toLowerCase()))).toBe(false)
    expect(person.gender).toBe(Number(idNumber[16]) % 2 === 1 ? 'M' : 'F')
    expect(person.birth_date).toBe(`${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`)
  })

  test('an ID number typed by an admin for a staff account is not stored in plain either', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const idNumber = idNumberEndingInX('220104')
    const res = await call(
      adminStaff.action,
      makeRequest('/admin/staff', {
        form: { intent: 'create', name: '人事专员', idNumber, phone: '13712345678', password: PASSWORD, role: 'hr', scopeRegion: '220000' },
        cookie: await cookieFor(getDb(), admin.accountId),
      }),
    )
    expect(res.data).toMatchObject({ intent: 'create', ok: true })
    expect((await findInDatabase([idNumber, idNumber.toLowerCase(), idNumber.slice(6, 14) + idNumber.slice(14)])).hits).toEqual([])
  })
})

describe('personal data in pages', () => {
  test('the account page shows the full ID number to its owner', async () => {
    const learner = await createLearner(getDb())
    const res = await call(account.loader, makeRequest('/account', { cookie: await cookieFor(getDb(), learner.accountId) }))
    expect(res.status).toBe(200)
    expect(res.data.profile.idNumber).toBe(learner.idNumber)
    expect(res.data.profile.accountId).toBe(learner.accountId)
    expect(res.data.profile).not.toHaveProperty('id_number_enc')
  })

  test('the admin staff list shows only masked ID numbers', async () => {
    const db = getDb()
    const admin = await createStaff(db, 'admin')
    const hr = await createStaff(db, 'hr')
    const baseStaff = await createStaff(db, 'base_staff')
    const res = await call(adminStaff.loader, makeRequest('/admin/staff', { cookie: await cookieFor(db, admin.accountId) }))
    expect(res.status).toBe(200)
    const staff = res.data.staff as { id: number; idNumberMasked: string }[]
    expect(staff.map((s) => s.id).sort()).toEqual([admin.accountId, hr.accountId, baseStaff.accountId].sort())
    const json = JSON.stringify(res.data)
    for (const who of [admin, hr, baseStaff]) {
      expect(json).not.toContain(who.idNumber)
      expect(json).not.toContain(who.idNumber.slice(6, 14))
      expect(staff.find((s) => s.id === who.accountId)!.idNumberMasked).toBe(maskIdNumber(who.idNumber))
    }
    expect(json).not.toContain('id_number')
  })
})

describe('personal data in logs', () => {
  test('ID numbers in log messages and objects come out masked', async () => {
    const { lines, logger } = memoryLogger('info')
    setLogger(logger)
    const idNumber = idNumberEndingInX()
    const lower = idNumber.toLowerCase()
    getLogger().info({ person: { idNumber }, note: `card ${lower}`, idNumber }, `looked up ${idNumber}`)
    getLogger().warn(`lower-case too: ${lower}.`)
    expect(lines).toHaveLength(2)
    const out = lines.join('')
    expect(out).not.toContain(idNumber)
    expect(out).not.toContain(lower)
    expect(out).not.toContain(idNumber.slice(6, 14))
    const masked = `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`
    expect(masked).toMatch(/^220102\*{8}\d{3}X$/)
    expect(lines[0]).toContain(`looked up ${masked}`)
    expect(JSON.parse(lines[0]!).person.idNumber).toBe(masked)
    expect(JSON.parse(lines[0]!).idNumber).toBe('[redacted]')
    expect(lines[1]).toContain(`lower-case too: ${masked.slice(0, -1)}x.`)
  })

  test('a failed login with an ID number as login writes no line containing it', async () => {
    const { lines, logger } = memoryLogger('trace')
    setLogger(logger)
    const learner = await createLearner(getDb())
    const unknown = idNumberEndingInX('220103')
    for (const login of [learner.idNumber, unknown, unknown.toLowerCase()]) {
      const res = await call(loginAction, makeRequest('/login', { form: { login, password: 'Wrong-pass-1' } }))
      expect(res.status).toBe(401)
      // Echoed back only to refill the form of the person who typed it.
      expect(res.data.result.initialValue.login).toBe(login)
    }
    getLogger().info('sentinel')
    expect(lines.at(-1)).toContain('sentinel')
    for (const line of lines) {
      for (const secret of [learner.idNumber, unknown, unknown.toLowerCase(), PASSWORD, 'Wrong-pass-1']) expect(line).not.toContain(secret)
    }
  })
})
