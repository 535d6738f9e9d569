/**
 * Shared pieces of the end-to-end tests: `db`, a connection to the database of the platform under
 * test, for the factories of test/factories/ (tests create the people, hours and claims they need
 * and use the ids they got, never the demo seed's insertion order); fresh registration data; and
 * `loginAs`, which signs in without the UI so that only the journey test spends time on the login
 * form. The demo logins (db/seed.ts, seeded by test/e2e/server.ts) are for the screenshot tour.
 */
import { randomInt } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { expect, type Page, test as base } from '@playwright/test'

import { idNumberCheckChar } from '#app/domain/shared/id-number.ts'
import type { DB } from '#db/schema.ts'
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '#db/seed.ts'
import { TEST_DATA_KEY } from '#test/setup/services.ts'

export { DEMO_PASSWORD, expect }

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** The database of the platform under test (written by test/e2e/server.ts). */
export const DATABASE_URL_FILE = path.join(root, 'test-results', 'e2e-database-url.txt')
/** Everything the platform under test printed (written by test/e2e/server.ts). */
export const SERVER_LOG = path.join(root, 'test-results', 'e2e-server.log')
export const SCREENSHOT_DIR = path.join(root, 'test-results', 'screenshots')

function demo(phone: string) {
  const account = DEMO_ACCOUNTS.find((a) => a.phone === phone)
  if (!account) throw new Error(`No demo account with phone ${phone} in db/seed.ts`)
  return { login: account.phone, name: account.name, idNumber: account.idNumber, role: account.role }
}

/** Demo accounts by what they are for; log in with `.login` and DEMO_PASSWORD. */
export const DEMO = {
  admin: demo('13900000001'),
  hrProvince: demo('13900000002'),
  hrChangchun: demo('13900000003'),
  baseStaff: demo('13900000004'),
  learner: demo('13900000011'),
}

/** A valid resident ID number nobody has used yet: Changchun area, random birth date and serial. */
export function freshIdNumber(area = '220102'): string {
  const year = randomInt(1960, 2001)
  const month = String(randomInt(1, 13)).padStart(2, '0')
  const day = String(randomInt(1, 29)).padStart(2, '0')
  const serial = String(randomInt(0, 1000)).padStart(3, '0')
  const first17 = `${area}${year}${month}${day}${serial}`
  return first17 + idNumberCheckChar(first17)
}

/** The same number with a wrong check character. */
export function withWrongCheckChar(idNumber: string): string {
  const chars = '0123456789X'
  const right = chars.indexOf(idNumber[17]!)
  return idNumber.slice(0, 17) + chars[(right + 1) % chars.length]
}

export function freshPhone(): string {
  return `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`
}

/** A plausible Chinese name (two or three Han characters), different on every run. */
export function freshName(): string {
  const family = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨'
  const given = '明华强军平刚桂英敏静丽芳娜秀伟磊洋勇艳杰娟涛超'
  const pick = (s: string) => s[randomInt(0, s.length)]!
  return pick(family) + pick(given) + (randomInt(0, 2) ? pick(given) : '')
}

/**
 * A form field by its visible label. Labels of required fields end in an `aria-hidden` " *",
 * so match the label text at the start and allow that marker, and nothing else, after it.
 */
export function field(page: Page, label: string) {
  return page.getByLabel(new RegExp(`^${label}(\\s*\\*)?$`))
}

async function loginAs(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  // page.request shares the cookie jar of the page's browser context.
  const res = await page.request.post('/login', { form: { login, password }, maxRedirects: 0 })
  expect(res.status(), `POST /login as ${login} should redirect`).toBe(302)
  expect(res.headers()['location'], `POST /login as ${login} should not come back to /login`).not.toMatch(/^\/login/)
  const cookies = await page.context().cookies()
  expect(
    cookies.some((c) => c.name === 'xs_session' && c.value !== ''),
    `a session cookie after logging in as ${login}`,
  ).toBe(true)
}

export const test = base.extend<{ loginAs: (page: Page, login: string, password?: string) => Promise<void> }, { db: DB }>({
  // eslint-disable-next-line no-empty-pattern
  loginAs: async ({}, provide) => {
    await provide(loginAs)
  },
  /**
   * The platform's database, for the factories (`createLearner(db)`, `meetYears(db, …)`). The URL
   * is the one test/e2e/server.ts gave the platform (DATABASE_URL_FILE, written before the platform
   * starts, so it is there once the tests run); the data key is the platform's too, so ID numbers
   * the factories encrypt and hash are found by the platform's look-ups.
   */
  db: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, provide) => {
      const url = readFileSync(DATABASE_URL_FILE, 'utf8').trim()
      process.env.DATABASE_URL = url
      process.env.XUESHI_DATA_KEY = TEST_DATA_KEY
      const { createDb } = await import('#app/lib/db.server.ts')
      const db = createDb(url, 2)
      await provide(db)
      await db.destroy()
    },
    { scope: 'worker' },
  ],
})

/** Reloads until `text` shows: for what the worker does in the background (builds, deliveries, counts). */
export async function reloadUntil(page: Page, text: string | RegExp, timeout = 60_000) {
  await expect(async () => {
    await page.reload()
    await expect(page.getByText(text).first()).toBeVisible({ timeout: 1_000 })
  }).toPass({ timeout })
}
