/**
 * The integrity-record journey (issue 14) in Chromium, in Chinese: HR of Changchun finds that an
 * approved external-hours claim rests on a forged certificate, a colleague of the same scope
 * confirms (four eyes), the learner sees the record, its end date and how to appeal on 我的学时,
 * and the credit-check API answers eligible=false with the reason integrity_record.
 */
import { createApiClient } from '#app/domain/credit-api/api-clients.server.ts'
import { addYears } from '#app/domain/integrity/term.ts'
import { integrityPolicyOn } from '#app/domain/policy/integrity-policy.server.ts'
import { formatDate } from '#app/i18n/format.ts'
import { expect, field as labelled, test } from '#test/e2e/fixtures.ts'
import { approvedClaim, PDF_EVIDENCE } from '#test/factories/claims.ts'
import { meetYears } from '#test/factories/hours.ts'
import { createLearner, createStaff, PASSWORD } from '#test/factories/people.ts'

function chinaToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  )
}

test('HR finds a forged claim, a colleague confirms, the learner sees the record, the API answers integrity_record', async ({
  page,
  browser,
  baseURL,
  db,
  loginAs,
}) => {
  test.setTimeout(180_000)
  const learner = await createLearner(db, { name: '赵丽娟' })
  const finder = await createStaff(db, 'hr', { scopeRegion: '220100' })
  const colleague = await createStaff(db, 'hr', { scopeRegion: '220100' })
  const today = chinaToday()
  const applicationYear = Number(today.slice(0, 4))
  // Every year before the application met: only the record can make the answer ineligible.
  await meetYears(
    db,
    learner.personId,
    [1, 2, 3, 4].map((n) => applicationYear - 5 + n),
  )
  const { claimId } = await approvedClaim(db, learner.personId, {
    accountId: finder.accountId,
    personId: finder.personId,
    scopeRegion: '220100',
  })
  const documentNumber = `长人社诚字〔${applicationYear}〕${claimId}号`
  const finding = '参会证明系伪造：主办单位函复，该学员未参加本次学术年会。'

  // 1. HR of Changchun records the finding on the claim, with the document number and the evidence.
  await loginAs(page, finder.phone, PASSWORD)
  await page.goto(`/hr/integrity/new?source=claim&id=${claimId}`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('认定材料造假')
  await labelled(page, '认定事实').fill(finding)
  await labelled(page, '认定文号').fill(documentNumber)
  await page.getByLabel(/认定依据材料/).setInputFiles({ name: '主办单位复函.pdf', mimeType: 'application/pdf', buffer: PDF_EVIDENCE })
  await page.getByRole('button', { name: '提交认定' }).click()
  await expect(page).toHaveURL(/\/hr\/integrity\/\d+/)
  const recordUrl = new URL(page.url()).pathname

  // 2. A colleague of the same scope confirms: the record takes effect.
  const colleagueContext = await browser.newContext({ baseURL, locale: 'zh-CN' })
  const colleaguePage = await colleagueContext.newPage()
  await loginAs(colleaguePage, colleague.phone, PASSWORD)
  await colleaguePage.goto(recordUrl)
  const dialog = colleaguePage.getByRole('dialog', { name: '确认认定生效？' })
  await expect(async () => {
    await colleaguePage.getByRole('button', { name: '复核确认' }).first().click()
    await expect(dialog).toBeVisible({ timeout: 1000 })
  }).toPass({ timeout: 15_000 })
  await dialog.getByRole('button', { name: '确认生效' }).click()
  await expect(colleaguePage.getByText(/认定已生效/)).toBeVisible()
  await colleagueContext.close()

  // 3. The learner sees the record on 我的学时: the finding, the document, the end date, how to appeal.
  const endsOn = addYears(today, integrityPolicyOn(today).recordYears)
  const learnerContext = await browser.newContext({ baseURL, locale: 'zh-CN' })
  const learnerPage = await learnerContext.newPage()
  await loginAs(learnerPage, learner.phone, PASSWORD)
  await learnerPage.goto('/hours')
  const panel = learnerPage.getByRole('region', { name: '诚信档案记录' })
  await expect(panel).toBeVisible()
  await expect(panel.getByText(finding)).toBeVisible()
  await expect(panel.getByText(documentNumber)).toBeVisible()
  await expect(panel.getByText('生效中')).toBeVisible()
  await expect(panel.getByText(`自 ${formatDate('zh', endsOn, 'day')} 起恢复正常`, { exact: false })).toBeVisible()
  await expect(panel.getByText(/提出申诉/)).toBeVisible()
  await panel.getByRole('link', { name: /查看诚信档案记录/ }).click()
  await expect(learnerPage.getByRole('heading', { level: 1 })).toHaveText('诚信档案记录')
  await expect(learnerPage.getByRole('button', { name: '提出申诉' })).toBeVisible()
  await learnerContext.close()

  // 4. The title-application system's check answers ineligible, naming the record and its end date.
  const client = await createApiClient(db, { name: `职称申报系统（诚信测试 ${claimId}）`, scopeRegion: '220000', actorAccountId: null })
  if (!client.ok) throw new Error(client.code)
  const res = await page.request.post('/api/v1/credit-checks', {
    headers: { Authorization: `Bearer ${client.key}` },
    data: { idNumber: learner.idNumber, applicationYear },
  })
  expect(res.status()).toBe(200)
  const answer = await res.json()
  expect(answer).toMatchObject({ found: true, eligible: false })
  expect(answer.reasons).toContainEqual(expect.objectContaining({ code: 'integrity_record', endsOn }))
})
