/**
 * 我的学时 for a demo learner, and the credit-hours check as the title-application system uses it:
 * an administrator issues a key in the UI, the key answers real checks, then is revoked.
 */
import { DEMO, expect, field, test } from './fixtures.ts'

test('a learner sees each year against the requirement, with records and the outlook', async ({ page, loginAs }) => {
  await loginAs(page, DEMO.learner.login)
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

test('an administrator issues an API key; it answers checks until it is revoked', async ({ page, loginAs }) => {
  await loginAs(page, DEMO.admin.login)
  await page.goto('/admin/api-clients')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('API 密钥')
  await field(page, '对接方名称').fill('职称申报系统（测试）')
  await field(page, '核验范围').selectOption({ label: '吉林省（全省）' })
  await page.getByRole('button', { name: '签发密钥' }).click()
  const key = (await page.getByTestId('new-api-key').textContent())?.trim() ?? ''
  expect(key).toMatch(/^xs_/)

  const check = (idNumber: string) =>
    page.request.post('/api/v1/credit-checks', { headers: { Authorization: `Bearer ${key}` }, data: { idNumber, applicationYear: 2026 } })

  const eligible = await check('220381198802145677') // 陈静: every year met
  expect(eligible.status()).toBe(200)
  const answer = await eligible.json()
  expect(answer).toMatchObject({ eligible: true, found: true, idNumberMasked: '220381********5677', policyVersion: '2026.1' })
  expect(answer.years.map((y: { year: number; met: boolean }) => [y.year, y.met])).toEqual([
    [2022, true],
    [2023, true],
    [2024, true],
    [2025, true],
  ])

  const short = await (await check('220104199207256787')).json() // 赵磊: 2024 fell short
  expect(short.eligible).toBe(false)
  expect(short.reasons).toEqual([expect.objectContaining({ code: 'year_not_met', year: 2024 })])

  const stored = await page.request.get(`/api/v1/credit-checks/${answer.checkId}`, { headers: { Authorization: `Bearer ${key}` } })
  expect(await stored.json()).toEqual(answer)

  // The key shows as used, then is revoked from the same page.
  await page.reload()
  const row = page.getByRole('row', { name: /职称申报系统（测试）/ }).first()
  await expect(row.getByText('有效')).toBeVisible()
  await row.getByRole('button', { name: '吊销' }).click()
  await expect(page.getByText('密钥已吊销。')).toBeVisible()
  // Other processes may remember an accepted key for a few seconds (ADR 0007).
  await expect(async () => {
    expect((await check('220381198802145677')).status()).toBe(401)
  }).toPass({ timeout: 15_000 })
})
