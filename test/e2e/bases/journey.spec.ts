/**
 * The training-base journey (issue 10) in Chromium, in Chinese: an institution's contact person
 * applies online with a material, HR Changchun forwards the application, the province approves it
 * (the public registry shows it in 公示), designates it once the notice is over (the registry shows
 * it designated), HR opens a rectification case, the base answers with a report and evidence, HR
 * revokes the base, and from the effective date the base's report/host gate refuses.
 */
import { randomInt } from 'node:crypto'

import type { Browser, Locator, Page } from '@playwright/test'

import { creditCodeCheckChar } from '#app/domain/shared/id-number.ts'
import { expect, test } from '#test/e2e/fixtures.ts'
import { createLearner, createStaff, PASSWORD } from '#test/factories/people.ts'

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

/** A form field by its visible label (required ones end in an aria-hidden " *"), on a page or in a dialog. */
function field(scope: Page | Locator, label: string): Locator {
  return scope.getByLabel(new RegExp(`^${label.replace(/[()（）]/g, '\\$&')}(\\s*\\*)?$`))
}

/** Today in China ('YYYY-MM-DD'), the day the platform decides on. */
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

/** A valid unified social credit code (GB 32100-2015), different on every run. */
function freshCreditCode(): string {
  const first17 = `12220100M${String(randomInt(0, 100_000_000)).padStart(8, '0')}`
  return first17 + creditCodeCheckChar(first17)
}

/**
 * Opens a confirmation and returns its dialog. Before hydration the trigger is a <details>
 * disclosure instead of the dialog's button, so retry the click until the dialog shows.
 */
async function openConfirm(page: Page, trigger: Locator, title: string): Promise<Locator> {
  const dialog = page.getByRole('dialog', { name: title })
  await expect(async () => {
    await trigger.click()
    await expect(dialog).toBeVisible({ timeout: 1000 })
  }).toPass({ timeout: 15_000 })
  return dialog
}

/** A fresh signed-out browser looks the base up on the public registry; returns its row. */
async function registryRow(browser: Browser, baseURL: string | undefined, name: string) {
  const context = await browser.newContext({ baseURL })
  const pub = await context.newPage()
  await pub.goto('/bases')
  await expect(pub.getByRole('heading', { level: 1 })).toHaveText('继续教育基地名录')
  await pub.getByRole('searchbox', { name: '搜索' }).fill(name)
  await pub.getByRole('button', { name: '查询' }).click()
  await expect(pub).toHaveURL(/[?&]q=/)
  return { row: pub.getByRole('row').filter({ hasText: name }), close: () => context.close() }
}

test('an institution applies, is forwarded, approved, designated, rectified and revoked; the gate then refuses', async ({
  page,
  browser,
  baseURL,
  db,
  loginAs,
}) => {
  test.setTimeout(180_000)
  const creditCode = freshCreditCode()
  const name = `长春端到端职业培训学院${creditCode.slice(-6)}`
  const today = chinaToday()
  const learner = await createLearner(db, { name: '刘经办' })
  const hr = await createStaff(db, 'hr', { scopeRegion: '220100' })
  const admin = await createStaff(db, 'admin')
  const signedIn = async (login: string) => {
    const context = await browser.newContext({ baseURL })
    const p = await context.newPage()
    await loginAs(p, login, PASSWORD)
    return p
  }

  await test.step('the contact person fills every section, uploads a PDF and submits', async () => {
    await loginAs(page, learner.phone, PASSWORD)
    await page.goto('/bases/apply')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('申请成为继续教育基地')
    await field(page, '机构名称').fill(name)
    await field(page, '统一社会信用代码').fill(creditCode)
    await field(page, '所在市州').selectOption('220100')
    await page.getByRole('checkbox', { name: '工程技术' }).check()
    await field(page, '教室数量').fill('8')
    await field(page, '培训座位数').fill('320')
    await page.getByRole('checkbox', { name: '有网络培训平台' }).check()
    await field(page, '师资名单').fill('王建国，教授，土木工程\n李晓梅，高级工程师，建筑设计')
    await field(page, '开设课程').fill('BIM技术应用，专业，24\n专业技术人员职业道德，公需，12')
    await field(page, '联系人姓名').fill('刘经办')
    await field(page, '联系人手机').fill('13912345678')
    await field(page, '电子邮箱（选填）').fill('contact@example.cn')
    await page.getByRole('button', { name: '创建申请' }).click()

    await expect(page).toHaveURL(/\/bases\/applications\/\d+$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name)
    await expect(page.getByText('草稿', { exact: true })).toBeVisible()

    await field(page, '上传').setInputFiles({ name: '办学许可证.pdf', mimeType: 'application/pdf', buffer: PDF })
    // The file input is a button named 上传 too; the submit button is the one with that text.
    await page.getByRole('button', { name: '上传', exact: true }).filter({ hasText: '上传' }).click()
    await expect(page.getByRole('status')).toHaveText('材料已上传。')
    await expect(page.getByText('办学许可证.pdf')).toBeVisible()

    const dialog = await openConfirm(page, page.getByRole('button', { name: '提交申请' }), '提交本申请？')
    await dialog.getByRole('button', { name: '确认提交' }).click()
    await expect(page.getByRole('status')).toHaveText('申请已提交。')
    await expect(page.getByText('已提交，待市州审核')).toBeVisible()
    await expect(page.getByText('申请已提交，审核期间不能修改。')).toBeVisible()
  })

  await test.step('HR Changchun forwards it to the province', async () => {
    const hrPage = await signedIn(hr.phone)
    await hrPage.goto('/hr/bases')
    await expect(hrPage.getByRole('heading', { level: 1 })).toHaveText('基地管理')
    const awaiting = hrPage.getByRole('table', { name: '待我审核的申请' })
    await awaiting.getByRole('link', { name }).click()
    await expect(hrPage.getByRole('heading', { level: 1 })).toHaveText('基地申请审核')
    await expect(hrPage.getByText('办学许可证.pdf')).toBeVisible()
    const dialog = await openConfirm(hrPage, hrPage.getByRole('button', { name: '审核通过，报送省厅' }), '报送省厅？')
    await dialog.getByRole('button', { name: '确认报送' }).click()
    await expect(hrPage.getByRole('status')).toHaveText('申请已报送省厅。')
    await expect(hrPage.getByText(`${name} · 已报省厅`)).toBeVisible()
    await hrPage.context().close()
  })

  const decisionNumber = `吉人社基〔${today.slice(0, 4)}〕${randomInt(100, 1000)}号`
  const adminPage = await signedIn(admin.phone)

  await test.step('the province approves it; the registry shows it in 公示', async () => {
    await adminPage.goto('/admin/bases')
    await expect(adminPage.getByRole('heading', { level: 1 })).toHaveText('基地认定')
    const dialog = await openConfirm(adminPage, adminPage.getByRole('button', { name: `批准 ${name}` }), '批准并公示？')
    await field(dialog, '认定文号').fill(decisionNumber)
    await field(dialog, '公示开始日期').fill(today)
    await dialog.getByRole('button', { name: '确认批准' }).click()
    await expect(adminPage.getByRole('status')).toHaveText('已批准，基地进入公示期。')
    const row = adminPage.getByRole('table', { name: '公示中的基地' }).getByRole('row').filter({ hasText: name })
    await expect(row).toContainText(decisionNumber)
    await expect(row).toContainText('公示至')

    const reg = await registryRow(browser, baseURL, name)
    await expect(reg.row).toHaveCount(1)
    await expect(reg.row).toContainText('公示中')
    await expect(reg.row).toContainText('长春市')
    await expect(reg.row).toContainText('工程技术')
    await reg.close()
  })

  const base = await db
    .selectFrom('bases')
    .select(['id', 'notice_start', 'notice_end', 'term_start', 'term_end'])
    .where('credit_code', '=', creditCode)
    .executeTakeFirstOrThrow()

  await test.step('the notice period passes; the province designates it; the registry shows it designated', async () => {
    // The notice lasts days (policy data) and no page can make it end early: move the base's notice
    // and term back in time, so that the notice ended yesterday, as if the days had passed.
    const shift = Math.round((Date.parse(`${addDays(today, -1)}T00:00:00Z`) - Date.parse(`${base.notice_end}T00:00:00Z`)) / 86_400_000)
    await db
      .updateTable('bases')
      .set({
        notice_start: addDays(base.notice_start!, shift),
        notice_end: addDays(base.notice_end!, shift),
        term_start: addDays(base.term_start!, shift),
        term_end: addDays(base.term_end!, shift),
      })
      .where('id', '=', base.id)
      .execute()

    await adminPage.reload()
    const dialog = await openConfirm(adminPage, adminPage.getByRole('button', { name: `正式认定 ${name}` }), '正式认定？')
    await dialog.getByRole('button', { name: '确认认定' }).click()
    await expect(adminPage.getByRole('status')).toHaveText('基地已正式认定。')
    await expect(adminPage.getByRole('button', { name: `正式认定 ${name}` })).toHaveCount(0)
    await adminPage.context().close()

    const reg = await registryRow(browser, baseURL, name)
    await expect(reg.row).toContainText('已认定')
    await expect(reg.row).not.toContainText('公示中')
    await reg.close()
  })

  const hrPage = await signedIn(hr.phone)
  const deadline = addDays(today, 30)

  await test.step('HR opens a rectification case', async () => {
    await hrPage.goto(`/hr/bases/${base.id}`)
    await expect(hrPage.getByRole('heading', { level: 1 })).toHaveText('基地详情')
    await expect(hrPage.getByText(`${name} · 已认定`)).toBeVisible()
    await field(hrPage, '师资队伍').fill('专职教师不足，兼职教师资质材料不全')
    await field(hrPage, '整改期限').fill(deadline)
    await hrPage.getByRole('button', { name: '发出整改通知' }).click()
    await expect(hrPage.getByRole('status')).toHaveText('整改通知已发出，基地将收到通知。')
    await expect(hrPage.getByText(`${name} · 整改中`)).toBeVisible()
    await expect(hrPage.getByText('尚未提交整改报告')).toBeVisible()
  })

  const staff = await createStaff(db, 'base_staff', { baseId: base.id })

  await test.step('the base answers with a report and a PDF', async () => {
    const basePage = await signedIn(staff.phone)
    await basePage.goto('/base')
    await expect(basePage.getByRole('heading', { level: 1 })).toHaveText('基地工作台')
    await expect(basePage.getByText(name, { exact: true })).toBeVisible()
    await expect(basePage.getByText('专职教师不足，兼职教师资质材料不全')).toBeVisible()
    await field(basePage, '整改报告').fill('已新聘专职教师三名，补齐兼职教师资质材料。')
    await field(basePage, '整改证明材料（可选）').setInputFiles({ name: '整改报告.pdf', mimeType: 'application/pdf', buffer: PDF })
    await basePage.getByRole('button', { name: '提交整改报告' }).click()
    await expect(basePage.getByRole('status')).toHaveText('整改报告已提交，等待人社部门复查。')
    await expect(basePage.getByRole('heading', { name: '已提交的整改报告' })).toBeVisible()
    await expect(basePage.getByText(/^整改报告\.pdf · \d+ KB$/)).toBeVisible()
    await expect(basePage.getByText('可报送培训、可承办研修班')).toBeVisible()
    await basePage.context().close()
  })

  await test.step('HR revokes the base from today; the base and the registry show it revoked', async () => {
    await hrPage.reload()
    await expect(hrPage.getByText('已新聘专职教师三名，补齐兼职教师资质材料。')).toBeVisible()
    const dialog = await openConfirm(hrPage, hrPage.getByRole('button', { name: '撤销基地资格' }), '撤销基地资格？')
    await field(dialog, '撤销理由').fill('复查未通过：专职教师仍不足')
    await field(dialog, '撤销文号').fill(`长人社基撤〔${today.slice(0, 4)}〕1号`)
    await field(dialog, '生效日期').fill(today)
    await dialog.getByRole('button', { name: '确认撤销' }).click()
    await expect(hrPage.getByRole('status')).toHaveText('基地资格已撤销。')
    await expect(hrPage.getByText(`${name} · 已撤销`)).toBeVisible()
    await hrPage.context().close()

    // Revoked staff keep read access; from the effective date the base can neither report nor host.
    const basePage = await signedIn(staff.phone)
    await basePage.goto('/base')
    await expect(basePage.getByText(/已撤销，自 .+ 起不能报送或承办/)).toBeVisible()
    await expect(basePage.getByText('可报送培训、可承办研修班')).toHaveCount(0)
    await expect(basePage.getByRole('button', { name: /整改报告/ })).toHaveCount(0)
    await basePage.context().close()

    const reg = await registryRow(browser, baseURL, name)
    await expect(reg.row).toContainText('已撤销')
    await expect(reg.row).toContainText(/自 .+ 起撤销/)
    await reg.close()
  })
})
