/**
 * The advanced-seminar journey (issue 12) in Chromium, in Chinese: a learner from Beijing
 * registers for a full national seminar and is waitlisted; the one confirmed participant cancels;
 * the worker promotes the learner, who is confirmed; host staff put the venue code of each block
 * on screen and the learner's phone opens it (sign-in and sign-out); the host finalises
 * attendance; the learner answers the survey, sees which blocks counted, the hours in 我的学时 and
 * the completion certificate, which /verify confirms.
 *
 * The seminar is made by the factory with two short blocks that ended minutes ago (their sign-in
 * and sign-out windows still open), so the journey runs in real time.
 */

import { expect, freshIdNumber, reloadUntil, test } from '#test/e2e/fixtures.ts'
import { createBase, createLearner, createStaff, PASSWORD } from '#test/factories/people.ts'
import { createSeminar } from '#test/factories/seminars.ts'

const MINUTE = 60_000

/** Reloads until `text` shows (work done by the worker in the background). */
test('a Beijing learner is waitlisted, promoted when someone cancels, scans in and out of each block, answers the survey, gets hours and a certificate', async ({
  page,
  browser,
  baseURL,
  db,
  loginAs,
}) => {
  test.setTimeout(240_000)
  const now = Date.now()
  const hostBaseId = await createBase(db, `吉林省高级研修测试基地${now % 100000}`, '220100')
  const staff = await createStaff(db, 'base_staff', { baseId: hostBaseId })
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(now))
  const { seminarId } = await createSeminar(db, {
    level: 'national',
    hostBaseId,
    capacity: 1,
    startDate: today,
    endDate: today,
    declaredHours: '6',
    promotionStopsAt: new Date(now + 60 * MINUTE),
    cancelCutoffAt: new Date(now + 60 * MINUTE),
    blocks: [
      { startsAt: new Date(now - 22 * MINUTE), endsAt: new Date(now - 12 * MINUTE), creditHours: '3' },
      { startsAt: new Date(now - 11 * MINUTE), endsAt: new Date(now - 1 * MINUTE), creditHours: '3' },
    ],
  })
  const title = (await db.selectFrom('seminars').select('title').where('id', '=', seminarId).executeTakeFirstOrThrow()).title
  const holder = await createLearner(db)
  const learner = await createLearner(db, { idNumber: freshIdNumber('110101') })

  // 1. The one seat goes to a Jilin learner.
  const holderContext = await browser.newContext({ baseURL, locale: 'zh-CN' })
  const holderPage = await holderContext.newPage()
  await loginAs(holderPage, holder.phone, PASSWORD)
  await holderPage.goto(`/seminars/${seminarId}`)
  await holderPage.getByRole('button', { name: '报名', exact: true }).click()
  await expect(holderPage.getByText('报名成功，名额已确认。').first()).toBeVisible()

  // 2. The Beijing learner registers and is first on the waiting list.
  await loginAs(page, learner.phone, PASSWORD)
  await page.goto(`/seminars/${seminarId}`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title)
  await page.getByRole('button', { name: '报名', exact: true }).click()
  await expect(page.getByText('候补中：第 1 位。').first()).toBeVisible()

  // 3. The holder cancels; the worker promotes the learner.
  await holderPage.goto(`/seminars/${seminarId}`)
  const dialog = holderPage.getByRole('dialog', { name: '确定取消报名吗？' })
  await expect(async () => {
    await holderPage.getByRole('button', { name: '取消报名' }).click()
    await expect(dialog).toBeVisible({ timeout: 1000 })
  }).toPass({ timeout: 15_000 })
  await dialog.getByRole('button', { name: '确认取消' }).click()
  await expect(holderPage.getByText('已取消报名。').first()).toBeVisible()
  await holderContext.close()
  await page.goto(`/seminars/${seminarId}`)
  await reloadUntil(page, '报名成功，名额已确认。')

  // 4. For each block, host staff show the sign-in and then the sign-out code; the learner's phone opens it.
  const staffContext = await browser.newContext({ baseURL, locale: 'zh-CN' })
  const staffPage = await staffContext.newPage()
  await loginAs(staffPage, staff.phone, PASSWORD)
  const blocks = await db.selectFrom('seminar_blocks').select('id').where('seminar_id', '=', seminarId).orderBy('starts_at').execute()
  const phone = await browser.newContext({ baseURL, locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true })
  const phonePage = await phone.newPage()
  await loginAs(phonePage, learner.phone, PASSWORD)
  for (const block of blocks) {
    for (const dir of ['in', 'out'] as const) {
      await staffPage.goto(`/base/seminars/${seminarId}/blocks/${block.id}/qr?dir=${dir}`)
      const url = await staffPage.getByRole('img').first().getAttribute('data-code-url')
      expect(url).toMatch(/\/c\/[A-Za-z0-9_-]+$/)
      await phonePage.goto(url!)
      await expect(phonePage.getByText(dir === 'in' ? /签到成功/ : /签退成功/).first()).toBeVisible()
      // The same code again is refused as already used.
      await phonePage.goto(url!)
      await expect(phonePage.getByText('这个签到码您已经扫过了').first()).toBeVisible()
    }
  }

  // 5. The host finalises attendance: hours are credited and the certificate goes to the worker.
  await staffPage.goto(`/base/seminars/${seminarId}/results`)
  const finalise = staffPage.getByRole('dialog', { name: '确认结算出勤并计入学时？' })
  await expect(async () => {
    await staffPage.getByRole('button', { name: '结算出勤并计入学时' }).click()
    await expect(finalise).toBeVisible({ timeout: 1000 })
  }).toPass({ timeout: 15_000 })
  await finalise.getByRole('button', { name: '确认结算' }).click()
  await expect(staffPage.getByText(/已完成第 1 次结算/)).toBeVisible()
  await staffContext.close()

  // 6. The learner answers the anonymous survey.
  await phonePage.goto(`/seminars/${seminarId}/survey`)
  for (const question of ['课程内容', '授课教师', '组织管理', '场地与服务', '总体评价'])
    await phonePage.getByRole('group', { name: question }).getByRole('radio', { name: '5 很满意' }).check()
  await phonePage.getByRole('button', { name: '提交问卷' }).click()
  await expect(phonePage.getByText('感谢您的反馈！问卷已匿名提交。').first()).toBeVisible()
  await phone.close()

  // 7. Which blocks counted, the hours, and the completion certificate, which anyone can verify.
  await page.goto('/account/seminars')
  await expect(page.getByText('已计入学时：6 学时（出勤 2 / 2 个半天）').first()).toBeVisible()
  await reloadUntil(page, '下载结业证书（PDF）')
  const verify = page.getByRole('link', { name: '在线核验' }).first()
  await verify.click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('结业证书核验')
  await expect(page.getByText(title).first()).toBeVisible()
  await page.goto('/hours')
  await expect(page.getByText(title).first()).toBeVisible()

  const entries = await db
    .selectFrom('hour_entries')
    .select(['hours', 'source_kind'])
    .where('person_id', '=', learner.personId)
    .where('source_kind', '=', 'seminar')
    .execute()
  expect(entries).toEqual([{ hours: '6.00', source_kind: 'seminar' }])
})
