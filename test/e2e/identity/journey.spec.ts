/**
 * The required browser journey: a professional registers in Chinese (fixing an ID-number typo on
 * the way), receives the welcome notice from the worker, logs out and in again, switches to
 * English, and their ID number never reaches the server's log.
 */
import { readFileSync } from 'node:fs'

import {
  DEMO_PASSWORD,
  expect,
  field,
  freshIdNumber,
  freshName,
  freshPhone,
  SERVER_LOG,
  test,
  withWrongCheckChar,
} from '#test/e2e/fixtures.ts'

test('a professional registers, is welcomed, logs in again and switches to English', async ({ page }) => {
  const name = freshName()
  const idNumber = freshIdNumber()
  const phone = freshPhone()
  const password = `Xs${DEMO_PASSWORD}`

  await test.step('home page, in Chinese by default', async () => {
    await page.goto('/')
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('吉林省专业技术人员继续教育平台')
  })

  await test.step('registration with a mistyped ID number shows the error at the field', async () => {
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '实名注册' }).click()
    await expect(page).toHaveURL(/\/register$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('实名注册')

    await field(page, '姓名').fill(name)
    await field(page, '居民身份证号码').fill(withWrongCheckChar(idNumber))
    await field(page, '手机号码').fill(phone)
    await field(page, '工作单位').fill('长春市测试设计院')
    await field(page, '所在地区').selectOption({ label: '长春市' })
    await field(page, '职称系列').selectOption({ label: '工程技术' })
    await field(page, '现职称级别').selectOption({ label: '中级' })
    await field(page, '取得现职称年份').fill('2020')
    await field(page, '密码').fill(password)
    await field(page, '确认密码').fill(password)
    await page.getByRole('button', { name: '注册', exact: true }).click()

    const idInput = field(page, '居民身份证号码')
    await expect(idInput).toHaveAttribute('aria-invalid', 'true')
    const describedBy = (await idInput.getAttribute('aria-describedby')) ?? ''
    const errorId = describedBy.split(/\s+/).find((id) => id.endsWith('-error'))
    expect(errorId, `aria-describedby="${describedBy}" should name the error element`).toBeTruthy()
    await expect(page.locator(`[id="${errorId}"]`)).toHaveText('身份证号码校验位不正确，请核对后重新输入')
    await expect(idInput).toHaveAccessibleDescription(/身份证号码校验位不正确，请核对后重新输入/)
    // Only the ID number was wrong.
    await expect(page.locator('[aria-invalid="true"]')).toHaveCount(1)
    await expect(page).toHaveURL(/\/register$/)
  })

  await test.step('with the ID number corrected, registration lands on the account page', async () => {
    await field(page, '居民身份证号码').fill(idNumber)
    await field(page, '密码').fill(password)
    await field(page, '确认密码').fill(password)
    await page.getByRole('button', { name: '注册', exact: true }).click()
    await expect(page).toHaveURL(/\/account$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${name}，您好`)
    // The owner, and only the owner, sees the full number.
    await expect(page.getByText(idNumber, { exact: true })).toBeVisible()
  })

  await test.step('the worker delivers the welcome notice', async () => {
    await expect(async () => {
      await page.reload()
      await expect(page.getByText('欢迎使用学时平台')).toBeVisible({ timeout: 1000 })
    }).toPass({ timeout: 20_000 })
  })

  await test.step('log out, then log in with the mobile number', async () => {
    await page.getByRole('button', { name: '退出登录' }).click()
    await expect(page).toHaveURL(/\/$/)
    const nav = page.getByRole('navigation', { name: '主导航' })
    await expect(nav.getByRole('link', { name: '登录', exact: true })).toBeVisible()

    await nav.getByRole('link', { name: '登录', exact: true }).click()
    await expect(page).toHaveURL(/\/login$/)
    await field(page, '身份证号码或手机号码').fill(phone)
    await field(page, '密码').fill(password)
    await page.getByRole('button', { name: '登录', exact: true }).click()
    // A learner lands on 我的学时.
    await expect(page).toHaveURL(/\/hours$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的学时')
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的账户' }).click()
    await expect(page).toHaveURL(/\/account$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${name}，您好`)
  })

  await test.step('switch to English, remembered across reloads', async () => {
    const langSwitch = page.getByRole('banner').getByRole('button').filter({ hasText: 'English' })
    await langSwitch.click()
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    await expect(page).toHaveURL(/\/account$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Hello, ${name}`)
    await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My account' })).toBeVisible()

    await page.reload()
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Hello, ${name}`)
    await expect(page.getByRole('link', { name: 'My account' })).toBeVisible()
  })

  await test.step('the server log never contains the ID number', async () => {
    const log = readFileSync(SERVER_LOG, 'utf8')
    expect(log.length, 'the server log should have been written').toBeGreaterThan(0)
    expect(log).toContain('POST') // requests are logged, so the check below is meaningful
    for (const form of [idNumber, idNumber.toLowerCase()]) {
      expect(log.includes(form), `the full ID number ${form} appears in test-results/e2e-server.log`).toBe(false)
    }
  })
})
