/**
 * Who may open what, through the real server: every guarded page of app/routes.ts for every role
 * (the table of test/fixtures/access-routes.ts, shared with test/integration/access.test.ts), the
 * 403 page, login-and-return when signed out, and the 404 page. Users come from the factories.
 */
import routes from '#app/routes.ts'
import type { Role } from '#db/schema.ts'
import { expect, field, test } from '#test/e2e/fixtures.ts'
import { createLearner, createStaff, PASSWORD } from '#test/factories/people.ts'
import { ACCESS, guardedAudienceModules, guardedExports, ROLES } from '#test/fixtures/access-routes.ts'

/** The guarded pages (loaders): what a browser can open. Actions are covered by the integration test. */
const PAGES = guardedExports().filter((g) => g.kind === 'loader')

test('the table covers every route module of the signed-in areas in app/routes.ts', () => {
  expect(guardedAudienceModules(routes).sort()).toEqual(Object.keys(ACCESS).sort())
  expect(PAGES.length).toBeGreaterThan(0)
})

test('signed out, every guarded page leads to the login page and back', async ({ page }) => {
  for (const { file, probe } of PAGES) {
    const res = await page.request.get(probe.path, { maxRedirects: 0 })
    expect({ file, status: res.status(), location: res.headers()['location'] }).toEqual({
      file,
      status: probe.signedOut ?? 302,
      location: probe.signedOut ? undefined : `/login?redirectTo=${encodeURIComponent(probe.path)}`,
    })
  }
})

for (const role of ROLES) {
  test(`as ${role}: each guarded page answers for the allowed roles and 403 for the others`, async ({ page, loginAs, db }) => {
    const who = role === 'learner' ? await createLearner(db) : await createStaff(db, role as Exclude<Role, 'learner'>)
    await loginAs(page, who.phone, PASSWORD)
    for (const { file, probe } of PAGES) {
      const res = await page.request.get(probe.path, { maxRedirects: 0 })
      const seen = { file, role, status: res.status(), location: res.headers()['location'] ?? null }
      if (!probe.allowed.includes(role)) expect(seen).toEqual({ ...seen, status: 403 })
      else if (probe.status !== undefined) expect(seen).toEqual({ ...seen, status: probe.status })
      else {
        expect(seen.status, `${file} as ${role}`).not.toBe(403)
        expect(seen.status, `${file} as ${role}`).toBeLessThan(500)
        expect(seen.location ?? '', `${file} as ${role}`).not.toMatch(/^\/login/)
      }
    }
  })
}

test('a learner opening the administration gets the 403 page', async ({ page, loginAs, db }) => {
  const learner = await createLearner(db)
  await loginAs(page, learner.phone, PASSWORD)
  const response = await page.goto('/admin')
  expect(response?.status()).toBe(403)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('无权访问')
  await expect(page.getByText('您的账户没有访问此页面的权限。')).toBeVisible()
})

test('signed out, /account leads to the login page and back after logging in', async ({ page, db }) => {
  const learner = await createLearner(db, { name: '林晓' })
  await page.goto('/account')
  await expect(page).toHaveURL('/login?redirectTo=%2Faccount')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录')

  await field(page, '身份证号码或手机号码').fill(learner.phone)
  await field(page, '密码').fill(PASSWORD)
  await page.getByRole('button', { name: '登录', exact: true }).click()
  await expect(page).toHaveURL(/\/account$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${learner.name}，您好`)
})

test('an unknown address shows the 404 page with status 404', async ({ page }) => {
  const response = await page.goto('/no-such-page')
  expect(response?.status()).toBe(404)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在')
  await expect(page.getByRole('link', { name: '返回首页' })).toBeVisible()
})
