/**
 * The certificate journey: a learner goes from 我的学时 to an hours certificate, downloads the PDF
 * the worker generated, and anyone (not signed in) confirms it on the public verify page.
 */
import { maskIdNumber } from '#app/domain/shared/id-number.ts'
import { expect, test } from '#test/e2e/fixtures.ts'
import { giveHours } from '#test/factories/hours.ts'
import { createLearner, PASSWORD } from '#test/factories/people.ts'

test('a learner downloads an hours certificate and the public verify page confirms it', async ({ page, loginAs, browser, baseURL, db }) => {
  const learner = await createLearner(db, { name: '周文静' })
  await giveHours(db, learner.personId, [
    { year: 2025, category: 'professional', hours: '40', title: '中小学心理健康教育骨干教师培训' },
    { year: 2025, category: 'professional', hours: '20', kind: 'base_training', title: '基地培训：课堂观察与评价' },
    { year: 2025, category: 'public', hours: '30', kind: 'online_course', title: '专业技术人员职业道德与诚信建设' },
  ])
  await loginAs(page, learner.phone, PASSWORD)
  await page.goto('/hours')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的学时')
  await page.getByRole('link', { name: '开具学时证明' }).first().click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('学时证明')

  await page.getByLabel('证明年度').selectOption('2025')
  await page.getByRole('button', { name: '生成学时证明' }).click()
  const row = page
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: '2025' }) })
    .first()
  // The worker renders it; the page refreshes itself while it is pending.
  await expect(row.getByText('已生成')).toBeVisible({ timeout: 30_000 })
  await expect(row.getByText('合计 90（专业 60，公需 30）')).toBeVisible()

  const download = page.waitForEvent('download')
  await row.getByRole('link', { name: /下载 2025 年度学时证明/ }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/\.pdf$/)
  const bytes = await file.createReadStream().then(
    (s) =>
      new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = []
        s.on('data', (c: Buffer) => chunks.push(c))
        s.on('end', () => resolve(Buffer.concat(chunks)))
        s.on('error', reject)
      }),
  )
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
  expect(bytes.includes(Buffer.from(learner.idNumber))).toBe(false)

  const code = (await row.locator('.mono').textContent())?.trim() ?? ''
  expect(code).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/)

  // Anyone, signed out, in a fresh browser.
  const stranger = await browser.newContext({ baseURL })
  const pub = await stranger.newPage()
  const res = await pub.goto(`/verify/${code}`)
  expect(res?.status()).toBe(200)
  await expect(pub.getByRole('heading', { level: 1 })).toHaveText('学时证明核验')
  await expect(pub.getByText('这是本平台开具的学时证明。')).toBeVisible()
  await expect(pub.getByText(learner.name, { exact: true })).toBeVisible()
  await expect(pub.getByText(maskIdNumber(learner.idNumber))).toBeVisible()
  await expect(pub.getByText(learner.idNumber)).toHaveCount(0)
  expect((await pub.goto('/verify/AAAA-BBBB-CCCC-DDDD'))?.status()).toBe(404)
  await stranger.close()
})
