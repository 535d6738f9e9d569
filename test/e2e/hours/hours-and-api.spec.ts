/**
 * 我的学时 for a learner the test creates, and the credit-hours check as the title-application
 * system uses it: an administrator issues a key in the UI, the key answers real checks about
 * learners the test created, then is revoked.
 */
import { maskIdNumber } from '#app/domain/shared/id-number.ts'
import { expect, field, test } from '#test/e2e/fixtures.ts'
import { giveHours, meetYears } from '#test/factories/hours.ts'
import { createLearner, createStaff, PASSWORD } from '#test/factories/people.ts'

test('a learner sees each year against the requirement, with records and the outlook', async ({ page, loginAs, db }) => {
  const learner = await createLearner(db)
  await giveHours(db, learner.personId, [
    { year: 2025, category: 'professional', hours: '60', title: '中小学心理健康教育骨干教师培训' },
    { year: 2025, category: 'public', hours: '30', kind: 'online_course', title: '专业技术人员职业道德与诚信建设' },
    { year: 2024, category: 'professional', hours: '48', title: '高级研修班：人工智能赋能中小学教学' },
  ])
  await loginAs(page, learner.phone, PASSWORD)
  await page.goto('/hours?year=2025')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的学时')
  const year = page.getByRole('region', { name: /2025年度/ })
  await expect(year.getByText('已达标', { exact: true })).toBeVisible()
  await expect(year.getByText('本年度学时已达标。')).toBeVisible()
  await expect(year.getByText('90 / 90 学时')).toBeVisible()
  await expect(page.getByRole('img', { name: /历年学时柱状图/ })).toBeVisible()
  await expect(page.getByText('中小学心理健康教育骨干教师培训')).toBeVisible()
  // Choosing another year reloads the page for it.
  await page.getByLabel('选择年度').selectOption('2024')
  await expect(page).toHaveURL(/year=2024/)
  await expect(page.getByText('高级研修班：人工智能赋能中小学教学')).toBeVisible()
})

test('an administrator issues an API key; it answers checks until it is revoked', async ({ page, loginAs, db }) => {
  // One learner meets every year before a 2026 application; the other fell short in 2024.
  const met = await createLearner(db)
  await meetYears(db, met.personId, [2022, 2023, 2024, 2025])
  const shortOf2024 = await createLearner(db)
  await meetYears(db, shortOf2024.personId, [2022, 2023, 2025])
  await giveHours(db, shortOf2024.personId, [{ year: 2024, category: 'professional', hours: '30' }])
  const admin = await createStaff(db, 'admin')
  await loginAs(page, admin.phone, PASSWORD)
  await page.goto('/admin/api-clients')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('API 密钥')
  await field(page, '对接方名称').fill('职称申报系统（测试）')
  await field(page, '核验范围').selectOption({ label: '吉林省（全省）' })
  await page.getByRole('button', { name: '签发密钥' }).click()
  const key = (await page.getByTestId('new-api-key').textContent())?.trim() ?? ''
  expect(key).toMatch(/^xs_/)

  const check = (idNumber: string) =>
    page.request.post('/api/v1/credit-checks', { headers: { Authorization: `Bearer ${key}` }, data: { idNumber, applicationYear: 2026 } })

  const eligible = await check(met.idNumber)
  expect(eligible.status()).toBe(200)
  const answer = await eligible.json()
  expect(answer).toMatchObject({ eligible: true, found: true, idNumberMasked: maskIdNumber(met.idNumber), policyVersion: '2026.1' })
  expect(answer.years.map((y: { year: number; met: boolean }) => [y.year, y.met])).toEqual([
    [2022, true],
    [2023, true],
    [2024, true],
    [2025, true],
  ])

  const short = await (await check(shortOf2024.idNumber)).json()
  expect(short.eligible).toBe(false)
  expect(short.reasons).toEqual([expect.objectContaining({ code: 'year_not_met', year: 2024 })])

  const stored = await page.request.get(`/api/v1/credit-checks/${answer.checkId}`, { headers: { Authorization: `Bearer ${key}` } })
  expect(await stored.json()).toEqual(answer)

  // The key shows as used, then is revoked from the same page.
  await page.reload()
  const row = page.getByRole('row', { name: /职称申报系统（测试）/ }).first()
  await expect(row.getByText('有效')).toBeVisible()
  await row.getByRole('button', { name: '吊销' }).click()
  // Revoking asks first (a native dialog with JavaScript).
  await page.getByRole('dialog', { name: '吊销这个 API 密钥？' }).getByRole('button', { name: '确认吊销' }).click()
  await expect(page.getByText('密钥已吊销。')).toBeVisible()
  // Other processes may remember an accepted key for a few seconds (ADR 0007).
  await expect(async () => {
    expect((await check(met.idNumber)).status()).toBe(401)
  }).toPass({ timeout: 15_000 })
})
