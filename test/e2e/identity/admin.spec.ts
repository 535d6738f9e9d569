/** The provincial administrator creates an HR account; the list masks its ID; the audit log records it. */
import { expect, field, freshIdNumber, freshName, freshPhone, test } from '#test/e2e/fixtures.ts'
import { createStaff, PASSWORD } from '#test/factories/people.ts'

test('the administrator creates an HR account and finds it in the audit log', async ({ page, loginAs, db }) => {
  const name = freshName()
  const idNumber = freshIdNumber()
  const masked = `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`

  const admin = await createStaff(db, 'admin')
  await loginAs(page, admin.phone, PASSWORD)
  await page.goto('/admin')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('管理后台')
  const nav = page.getByRole('navigation', { name: '主导航' })
  await nav.getByRole('link', { name: '工作人员账户' }).click()
  await expect(page).toHaveURL(/\/admin\/staff$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('工作人员账户')

  await field(page, '姓名').fill(name)
  await field(page, '居民身份证号码').fill(idNumber)
  await field(page, '手机号码').fill(freshPhone())
  // 管辖范围 appears once the role is chosen (client-side state, so retry until hydrated).
  const scope = field(page, '管辖范围')
  await expect(async () => {
    await field(page, '角色').selectOption({ label: '人社部门工作人员' })
    await expect(scope).toBeVisible({ timeout: 1000 })
  }).toPass({ timeout: 15_000 })
  await scope.selectOption({ label: '长春市' })
  await field(page, '密码').fill('Staff2026pw')
  await page.getByRole('button', { name: '创建账户' }).click()

  await expect(page.getByRole('status')).toHaveText('账户已创建。')
  const row = page.getByRole('row').filter({ hasText: name })
  await expect(row).toHaveCount(1)
  const idCell = row.getByRole('cell').nth(1)
  await expect(idCell).toHaveText(/^\d{6}\*{8}[\dX]{4}$/)
  await expect(idCell).toHaveText(masked)
  await expect(row).toContainText('人社部门工作人员')
  await expect(row).toContainText('长春市')
  await expect(page.getByText(idNumber)).toHaveCount(0)

  await nav.getByRole('link', { name: '操作日志' }).click()
  await expect(page).toHaveURL(/\/admin\/audit$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('操作日志')
  await expect(page.getByRole('cell', { name: 'account.create_staff' }).first()).toBeVisible()
  await expect(page.getByText(idNumber)).toHaveCount(0)
})
