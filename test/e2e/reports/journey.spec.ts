/**
 * The training-report journey (issue 11) in Chromium, in Chinese: base staff declare an activity,
 * download the roster template, upload a roster with two bad rows (an ID Excel turned into
 * 2.20102E+17, hours over the declared hours), see both errors named on their rows, fix the file
 * and upload it again, commit; the learner sees the hours reported for them; HR of the base's
 * region accepts the report.
 */

import type { Page } from '@playwright/test'
import ExcelJS from 'exceljs'

import { expect, field as labelled, test } from '#test/e2e/fixtures.ts'
import { createBase, createLearner, createStaff, PASSWORD } from '#test/factories/people.ts'

function chinaToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  )
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

const csv = (rows: string[][]) => Buffer.from(['姓名,身份证号,学时,工作单位', ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n')

/** Waits on the import page until the worker has staged or committed the upload. */
async function waitFor(page: Page, status: RegExp) {
  await expect(page.getByText(status).first()).toBeVisible({ timeout: 60_000 })
}

test('a base reports a training with its roster, fixes two bad rows, commits; the learner sees the hours; HR accepts', async ({
  page,
  browser,
  baseURL,
  db,
  loginAs,
}) => {
  test.setTimeout(240_000)
  const baseId = await createBase(db, `吉林省继续教育测试基地${Date.now() % 100000}`, '220100')
  const staff = await createStaff(db, 'base_staff', { baseId })
  const hr = await createStaff(db, 'hr', { scopeRegion: '220100' })
  const learner = await createLearner(db, { name: '王晓梅' })
  const colleague = await createLearner(db, { name: '李建国' })
  const title = `中小学人工智能教育骨干教师研修 ${Date.now() % 10000}`
  const today = chinaToday()

  // 1. Base staff declare the activity (ended yesterday: two full days, 12 hours).
  await loginAs(page, staff.phone, PASSWORD)
  await page.goto('/base/activities')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('培训活动与学时报送')
  await labelled(page, '培训名称').fill(title)
  await labelled(page, '科目类别').selectOption({ label: '专业科目' })
  await labelled(page, '培训方式').selectOption({ label: '面授' })
  await page.getByRole('checkbox', { name: '中小学教师' }).check()
  await labelled(page, '开始日期').fill(addDays(today, -2))
  await labelled(page, '结束日期').fill(addDays(today, -1))
  await labelled(page, '全天天数').fill('2')
  await labelled(page, '半天天数').fill('0')
  await labelled(page, '申报学时').fill('12')
  await labelled(page, '培训地点').fill('长春市南关区人民大街 7989 号')
  await page.getByRole('button', { name: '申报', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title)
  const activityUrl = page.url()

  // 2. The template downloads as a workbook with the roster's header row.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /下载名单模板/ }).click()])
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile((await download.path())!)
  expect(wb.worksheets[0]!.getRow(1).values).toEqual(expect.arrayContaining(['姓名', '身份证号', '学时']))

  // 3. A roster with two bad rows: the preview names both on their rows; nothing is credited.
  const upload = async (bytes: Buffer, name: string) => {
    await page.goto(activityUrl)
    await page.getByLabel(/名单文件/).setInputFiles({ name, mimeType: 'text/csv', buffer: bytes })
    await page.getByRole('button', { name: '上传并校验' }).click()
    await waitFor(page, /待确认|已入账/)
  }
  await upload(
    csv([
      ['王晓梅', learner.idNumber, '12', '长春市第一实验小学'],
      ['李建国', '2.20102E+17', '12', '长春市第二实验小学'],
      ['张某', colleague.idNumber.slice(0, 17) + '0', '13', '长春市第三实验小学'],
    ]),
    '名单.csv',
  )
  await expect(page.getByText(/科学计数法/)).toBeVisible()
  await expect(page.getByText(/超过本次培训申报的学时|校验位不正确/).first()).toBeVisible()
  await expect(page.getByRole('button', { name: '全部提交入账' })).toBeDisabled()

  // 4. Fixed and uploaded again: no errors; commit; the hours are credited.
  await upload(
    csv([
      ['王晓梅', learner.idNumber, '12', '长春市第一实验小学'],
      ['李建国', colleague.idNumber, '6', '长春市第二实验小学'],
    ]),
    '名单-修正.csv',
  )
  await page.getByRole('button', { name: '全部提交入账' }).click()
  await waitFor(page, /已入账：第 1 版名单/)

  // 5. The learner sees the hours the base reported for them.
  const learnerContext = await browser.newContext({ baseURL, locale: 'zh-CN' })
  const learnerPage = await learnerContext.newPage()
  await loginAs(learnerPage, learner.phone, PASSWORD)
  await learnerPage.goto('/hours/reported')
  await expect(learnerPage.getByText(title).first()).toBeVisible()
  await expect(learnerPage.getByText(/12/).first()).toBeVisible()
  await learnerContext.close()

  // 6. HR of Changchun accepts the report.
  const hrContext = await browser.newContext({ baseURL, locale: 'zh-CN' })
  const hrPage = await hrContext.newPage()
  await loginAs(hrPage, hr.phone, PASSWORD)
  await hrPage.goto('/hr/reports')
  await hrPage.getByRole('link', { name: title }).click()
  await expect(hrPage.getByRole('heading', { level: 1 })).toBeVisible()
  const dialog = hrPage.getByRole('dialog', { name: '通过这次培训报送？' })
  await expect(async () => {
    await hrPage.getByRole('button', { name: '审核通过' }).first().click()
    await expect(dialog).toBeVisible({ timeout: 1000 })
  }).toPass({ timeout: 15_000 })
  await dialog.getByRole('button', { name: '确认通过' }).click()
  await expect(hrPage.getByText('已审核通过，施教机构已收到通知。')).toBeVisible()
  await hrContext.close()

  // The ledger holds one entry per person, traceable to the file and row.
  const entries = await db
    .selectFrom('hour_entries')
    .select(['person_id', 'hours', 'evidence'])
    .where('person_id', 'in', [learner.personId, colleague.personId])
    .orderBy('person_id')
    .execute()
  expect(entries.map((e) => e.hours).sort()).toEqual(['12.00', '6.00'].sort())
  expect(entries[0]!.evidence).toMatchObject({ rowNumber: expect.any(Number), importId: expect.any(Number) })
})
