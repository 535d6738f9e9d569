/** Who may open what: 403 for the wrong role, login-and-return when signed out, 404 pages. */
import { DEMO, DEMO_PASSWORD, expect, field, test } from './fixtures.ts'

test('a learner opening the administration gets the 403 page', async ({ page, loginAs }) => {
  await loginAs(page, DEMO.learner.login)
  const response = await page.goto('/admin')
  expect(response?.status()).toBe(403)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('无权访问')
  await expect(page.getByText('您的账户没有访问此页面的权限。')).toBeVisible()
})

test('signed out, /account leads to the login page and back after logging in', async ({ page }) => {
  await page.goto('/account')
  await expect(page).toHaveURL('/login?redirectTo=%2Faccount')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录')

  await field(page, '身份证号码或手机号码').fill(DEMO.learner.login)
  await field(page, '密码').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: '登录', exact: true }).click()
  await expect(page).toHaveURL(/\/account$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${DEMO.learner.name}，您好`)
})

test('an unknown address shows the 404 page with status 404', async ({ page }) => {
  const response = await page.goto('/no-such-page')
  expect(response?.status()).toBe(404)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在')
  await expect(page.getByRole('link', { name: '返回首页' })).toBeVisible()
})
