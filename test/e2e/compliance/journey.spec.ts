/**
 * The compliance journey (issue 13) in Chromium, in Chinese: HR of Changchun opens the dashboard,
 * drills into an employer, exports its short list (built by the worker, downloaded as XLSX), sends
 * a reminder to the list; the learner sees it with their gap and what to do next. A person of
 * Yanbian at an employer of the same name is in none of it.
 */
import ExcelJS from 'exceljs'

import { createEmployer } from '#app/domain/employers/employers.server.ts'
import { expect, reloadUntil, test } from '#test/e2e/fixtures.ts'
import { createLearner, createStaff, PASSWORD } from '#test/factories/people.ts'

test('HR Changchun drills into an employer, exports the short list, sends a reminder; the learner sees it', async ({
  page,
  browser,
  baseURL,
  db,
  loginAs,
}) => {
  test.setTimeout(180_000)
  const tag = String(Date.now()).slice(-6)
  const employerName = `长春市测绘研究院${tag}`
  const made = await db.transaction().execute((trx) => createEmployer(trx, { accountId: null }, { name: employerName, region: '220100' }))
  if (!made.ok) throw new Error(made.code)
  const learner = await createLearner(db, { name: '钱志远', employer: employerName, region: '220100' })
  const elsewhere = await createLearner(db, { name: '金明哲', employer: employerName, region: '222400' })
  const officer = await createStaff(db, 'hr', { scopeRegion: '220100' })

  // 1. The dashboard, by employer: the employer is there once the worker has counted its new person.
  await loginAs(page, officer.phone, PASSWORD)
  await page.goto('/hr/compliance?by=employer')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('学时达标监管')
  await expect(page.getByText(/数据计算于/)).toBeVisible()
  await reloadUntil(page, employerName)
  const row = page.getByRole('row').filter({ hasText: employerName })
  await row.getByRole('link', { name: '查看名单' }).click()

  // 2. The employer's short list: the learner, not the Yanbian person.
  await expect(page).toHaveURL(new RegExp(`/hr/compliance/people\\?.*employer=${made.employerId}`))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('达标名单')
  await expect(page.getByText('钱志远')).toBeVisible()
  await expect(page.getByText('金明哲')).toHaveCount(0)
  const listUrl = page.url()

  // 3. Export it: the worker builds the file; the list shows it done; the download holds the list.
  await page.getByRole('button', { name: '导出 Excel' }).click()
  await expect(page).toHaveURL(/\/hr\/compliance\/exports/)
  await reloadUntil(page, '已完成')
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page
      .getByRole('link', { name: /下载 .* 申请的导出文件/ })
      .first()
      .click(),
  ])
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(await download.path())
  const cells = workbook.worksheets[0]!.getSheetValues().flat().map(String).join('|')
  expect(cells).toContain('钱志远')
  expect(cells).not.toContain('金明哲')
  expect(cells).not.toContain(learner.idNumber)

  // 4. A reminder to the same list: draft, preview, send with confirmation.
  await page.goto(listUrl)
  await page.getByRole('link', { name: '向此名单发送提醒' }).click()
  await page.getByLabel('提醒标题').fill('请尽快完成本年度继续教育学时')
  await page.getByLabel('提醒内容').fill('您本年度的继续教育学时尚未达标，请在年底前完成，以免影响明年职称申报。')
  await page.getByRole('button', { name: '保存草稿并预览' }).click()
  await expect(page.getByText(/现在发送将送达 1 人/)).toBeVisible()
  const dialog = page.getByRole('dialog', { name: '确认发送这条提醒？' })
  await expect(async () => {
    await page.getByRole('button', { name: '发送提醒' }).click()
    await expect(dialog).toBeVisible({ timeout: 1000 })
  }).toPass({ timeout: 15_000 })
  await dialog.getByRole('button', { name: '确认发送' }).click()
  await reloadUntil(page, '已发送')

  // 5. The learner sees the reminder, their gap and where to go next.
  const learnerContext = await browser.newContext({ baseURL, locale: 'zh-CN' })
  const learnerPage = await learnerContext.newPage()
  await loginAs(learnerPage, learner.phone, PASSWORD)
  await learnerPage.goto('/account')
  await reloadUntil(learnerPage, '请尽快完成本年度继续教育学时')
  await expect(learnerPage.getByText(/还差 .* 学时/).first()).toBeVisible()
  await expect(learnerPage.getByRole('link', { name: '参加网络课程' })).toBeVisible()
  await learnerContext.close()
  expect(elsewhere.personId).not.toBe(learner.personId)
})
