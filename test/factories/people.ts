import { RegistrationSchema, StaffSchema } from '#app/domain/identity/accounts.schema.ts'
import { createStaffAccount, registerLearner } from '#app/domain/identity/accounts.server.ts'
import { createSession } from '#app/domain/identity/sessions.server.ts'
import { idNumberCheckChar } from '#app/domain/shared/id-number.ts'
import type { DB } from '#app/lib/db.server.ts'
import type { Role } from '#db/schema.ts'

let seq = 0

/**
 * A valid resident ID number (GB 11643 check character), Changchun by default, unique within this
 * process: a counter from a random start is spread injectively over birth date and serial
 * (50 years × 12 months × 28 days × 1,000 serials), so two calls never collide (a time-based
 * number did, now and then, when a test created many people at once).
 */
const ID_SPACE = 50 * 12 * 28 * 1000
let idCounter = Math.floor(Math.random() * ID_SPACE)
export function makeIdNumber(area = '220102'): string {
  idCounter = (idCounter + 1) % ID_SPACE
  const n = idCounter
  const year = 1950 + Math.floor(n / (12 * 28 * 1000))
  const month = String(1 + (Math.floor(n / (28 * 1000)) % 12)).padStart(2, '0')
  const day = String(1 + (Math.floor(n / 1000) % 28)).padStart(2, '0')
  const serial = String(n % 1000).padStart(3, '0')
  const first17 = `${area}${year}${month}${day}${serial}`
  return first17 + idNumberCheckChar(first17)
}

export function makePhone(): string {
  seq += 1
  return `138${String((Date.now() + seq * 7919) % 100000000).padStart(8, '0')}`
}

export const PASSWORD = 'Passw0rd2026'

export function registrationForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    name: '测试学员',
    idNumber: makeIdNumber(),
    phone: makePhone(),
    employer: '长春市测试单位',
    region: '220100',
    titleSeries: 'engineering',
    titleLevel: 'intermediate',
    titleYear: '2020',
    password: PASSWORD,
    passwordConfirm: PASSWORD,
    ...overrides,
  }
}

export async function createLearner(db: DB, overrides: Record<string, string> = {}) {
  const form = registrationForm(overrides)
  const result = await registerLearner(db, RegistrationSchema.parse(form))
  if (!result.ok) throw new Error(`factory: ${JSON.stringify(result.errors)}`)
  return {
    accountId: result.accountId,
    personId: await personIdOf(db, result.accountId),
    name: form.name!,
    idNumber: form.idNumber!,
    phone: form.phone!,
    password: PASSWORD,
  }
}

export async function personIdOf(db: DB, accountId: number): Promise<number> {
  const row = await db.selectFrom('accounts').select('person_id').where('id', '=', accountId).executeTakeFirstOrThrow()
  return row.person_id
}

export async function createBase(db: DB, name = '测试继续教育基地', region = '220100') {
  const row = await db
    .insertInto('bases')
    .values({ name, credit_code: `TEST${Date.now()}${seq++}`.slice(0, 18), region_code: region, status: 'designated' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function createStaff(db: DB, role: Exclude<Role, 'learner'>, opts: { baseId?: number; scopeRegion?: string } = {}) {
  const idNumber = makeIdNumber()
  const phone = makePhone()
  const baseId = role === 'base_staff' ? (opts.baseId ?? (await createBase(db))) : undefined
  const input = StaffSchema.parse({
    name: '测试人员',
    idNumber,
    phone,
    password: PASSWORD,
    role,
    baseId: baseId === undefined ? undefined : String(baseId),
    scopeRegion: role === 'hr' ? (opts.scopeRegion ?? '220100') : undefined,
  })
  const result = await createStaffAccount(db, null, input)
  if (!result.ok) throw new Error(`factory: ${JSON.stringify(result.errors)}`)
  return {
    accountId: result.accountId,
    personId: await personIdOf(db, result.accountId),
    name: input.name,
    idNumber,
    phone,
    password: PASSWORD,
    baseId,
  }
}

/** A signed-in cookie header for an account, as the browser would send it. */
export async function cookieFor(db: DB, accountId: number): Promise<string> {
  const token = await createSession(db, accountId, 'vitest')
  return `xs_session=${token}`
}
