/**
 * Demo data: people of every role so a newcomer can try each part of the platform.
 * `npm start` runs it on the first start of its embedded database only; against a configured
 * DATABASE_URL it runs only when asked: `npm run db:seed`. Idempotent.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import type { Kysely } from 'kysely'

import { claimedHours } from '#app/domain/claims/external-claims.ts'
import { credit } from '#app/domain/hours/ledger.server.ts'
import { hashPassword } from '#app/domain/identity/accounts.server.ts'
import { loadPolicyFiles, type Policy } from '#app/domain/policy/policy.server.ts'
import { parseIdNumber } from '#app/domain/shared/id-number.ts'
import { encryptPii, lookupHash } from '#app/lib/crypto.server.ts'
import { enqueue } from '#app/lib/queue.server.ts'
import type { Database, Role } from '#db/schema.ts'

export const DEMO_PASSWORD = 'Xueshi2026'

export const DEMO_BASES = [
  { name: '长春工程技术继续教育基地', credit_code: '12220000MB1234567B', region_code: '220100', status: 'designated' as const },
  { name: '延边卫生健康继续教育基地', credit_code: '52220100MJ0012345X', region_code: '222400', status: 'rectification' as const },
]

type DemoAccount = {
  role: Role
  name: string
  idNumber: string
  phone: string
  employer?: string
  region?: string
  titleSeries?: string
  titleLevel?: string
  titleYear?: number
  scopeRegion?: string
  base?: number // index into DEMO_BASES
  note: string
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { role: 'admin', name: '王建国', idNumber: '220102196512304566', phone: '13900000001', note: '省级管理员 provincial admin' },
  {
    role: 'hr',
    name: '李红',
    idNumber: '220104197803122348',
    phone: '13900000002',
    scopeRegion: '220000',
    note: '省人社厅 HR (whole province)',
  },
  {
    role: 'hr',
    name: '张伟',
    idNumber: '220102198506151232',
    phone: '13900000003',
    scopeRegion: '220100',
    note: '长春市人社局 HR (Changchun)',
  },
  { role: 'base_staff', name: '刘洋', idNumber: '220203199011083457', phone: '13900000004', base: 0, note: '基地工作人员 base staff' },
  {
    role: 'learner',
    name: '陈静',
    idNumber: '220381198802145677',
    phone: '13900000011',
    employer: '长春市第一中学',
    region: '220100',
    titleSeries: 'education',
    titleLevel: 'intermediate',
    titleYear: 2021,
    note: '专业技术人员 learner (Changchun, teacher)',
  },
  {
    role: 'learner',
    name: '赵磊',
    idNumber: '220104199207256787',
    phone: '13900000012',
    employer: '吉林省水利水电勘测设计研究院',
    region: '220100',
    titleSeries: 'engineering',
    titleLevel: 'junior',
    titleYear: 2019,
    note: '专业技术人员 learner (Changchun, engineer)',
  },
  {
    role: 'learner',
    name: '孙丽',
    idNumber: '222401197512128917',
    phone: '13900000013',
    employer: '延边大学附属医院',
    region: '222400',
    titleSeries: 'health',
    titleLevel: 'associate_senior',
    titleYear: 2018,
    note: '专业技术人员 learner (Yanbian, physician)',
  },
]

type DemoEntry = [
  year: number,
  month: number,
  category: 'professional' | 'public',
  /** Hours; for activities outside the platform, what happened (converted by that year's policy). */
  hours: string | { activity: string; units: string },
  kind: 'external' | 'base_training' | 'seminar' | 'adjustment',
  title: string,
]

/**
 * Hours history 2022 → this year. 陈静 meets every year (eligible for a 2026 title application);
 * 赵磊 fell short in 2024 (not eligible); 孙丽 is on track with some hours this year.
 */
const DEMO_HISTORY: Record<string, DemoEntry[]> = {
  '220381198802145677': [
    [2023, 4, 'public', '30', 'base_training', '习近平新时代中国特色社会主义思想专题培训'],
    [2023, 7, 'professional', '36', 'base_training', '新课标背景下的课堂教学设计研修班'],
    [2023, 11, 'professional', { activity: 'academic_conference', units: '4' }, 'external', '吉林省基础教育学术年会'],
    [2024, 5, 'public', '32', 'base_training', '专业技术人员职业道德与法治'],
    [2024, 8, 'professional', '60', 'seminar', '高级研修班：人工智能赋能中小学教学'],
    [2025, 3, 'public', '30', 'base_training', '数字经济与数字政府建设专题'],
    [2025, 10, 'professional', '42', 'base_training', '中小学心理健康教育骨干教师培训'],
    [2025, 12, 'professional', { activity: 'further_study', units: '3' }, 'external', '东北师范大学教育学部进修'],
    [2026, 4, 'public', '12', 'base_training', '安全生产与应急管理知识'],
    [2026, 6, 'professional', '30', 'base_training', '大单元教学设计实践'],
  ],
  '220104199207256787': [
    [2023, 6, 'public', '30', 'base_training', '新时代科技创新政策解读'],
    [2023, 9, 'professional', '66', 'base_training', '水利水电工程BIM技术应用培训'],
    [2024, 4, 'public', '24', 'base_training', '知识产权保护与成果转化'],
    [2024, 11, 'professional', { activity: 'academic_conference', units: '3' }, 'external', '中国水利学会学术年会'],
    [2025, 5, 'public', '30', 'base_training', '专业技术人员职业道德与法治'],
    [2025, 9, 'professional', '60', 'seminar', '高级研修班：智慧水利与数字孪生流域'],
    [2026, 3, 'public', '6', 'base_training', '保密知识与网络安全'],
  ],
  '222401197512128917': [
    [2023, 5, 'public', '30', 'base_training', '健康中国战略与公共卫生政策'],
    [2023, 9, 'professional', '60', 'base_training', '胸痛中心建设与急危重症救治'],
    [2024, 3, 'public', '30', 'base_training', '医疗卫生法律法规'],
    [2024, 10, 'professional', '66', 'seminar', '高级研修班：县域医共体建设'],
    [2025, 4, 'public', '30', 'base_training', '医德医风与廉洁从业'],
    [2025, 8, 'professional', '60', 'base_training', '心血管介入诊疗新进展'],
    [2026, 5, 'professional', { activity: 'academic_conference', units: '3' }, 'external', '中华医学会心血管病学分会年会'],
    [2026, 9, 'public', '18', 'base_training', '人工智能在医疗中的应用与伦理'],
  ],
}

/** A one-page PDF standing in for a conference attendance certificate. */
const DEMO_EVIDENCE = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
)

/**
 * Demo hours go through the real rules: an activity outside the platform is converted by its
 * year's policy (hours per unit, capped at the activity's maximum), as an approved claim would be.
 */
export function demoHours(year: number, spec: DemoEntry[3]): string {
  if (typeof spec === 'string') return spec
  const rule = demoPolicies().get(year)?.conversion.external[spec.activity]
  if (!rule) throw new Error(`demo data: no ${spec.activity} in the ${year} policy`)
  return claimedHours(spec.units, rule)
}

const POLICY_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../content/policies')
let policyCache: Map<number, Policy> | undefined
function demoPolicies(): Map<number, Policy> {
  policyCache ??= new Map(loadPolicyFiles(POLICY_DIR).map((p) => [p.year, p]))
  return policyCache
}

export { DEMO_HISTORY }

export async function seedDemo(db: Kysely<Database>): Promise<'seeded' | 'already-seeded'> {
  const result = await seedPeopleAndHours(db)
  if (result === 'seeded') {
    await seedPendingClaim(db)
    await seedStudy(db)
    await seedBases(db)
    await seedReports(db)
    await seedSeminars(db)
    await seedSeminarDelivery(db)
    await seedCompliance(db)
  }
  return result
}

/**
 * Online study through the real rules (heartbeats on a past clock, the quiz): 陈静 finished
 * 专业技术人员职业道德 this year (its hours are on 我的学时), 赵磊 is part-way through BIM 技术应用,
 * 孙丽 has done the first lesson of 合理用药. Skipped for a course that is not in content/ any more.
 */
async function seedStudy(db: Kysely<Database>) {
  const { enroll } = await import('#app/domain/courses/progress.server.ts')
  const { recordHeartbeat } = await import('#app/domain/courses/heartbeats.server.ts')
  const { openQuiz, submitQuiz } = await import('#app/domain/courses/quiz.server.ts')
  const personOf = async (phone: string) =>
    (await db.selectFrom('accounts').select('person_id').where('phone', '=', phone).executeTakeFirstOrThrow()).person_id
  const { ceYearOf } = await import('#app/domain/shared/ce-year.ts')
  const now = Date.now()
  // Midnight of 1 January of this CE year in China (UTC+8).
  const yearStart = Date.UTC(ceYearOf(new Date(now)), 0, 1) - 8 * 3600_000
  // Days ago, but never before this CE year began, so the demo hours land in this year.
  const daysAgo = (d: number) => Math.max(yearStart + d * 60_000, now - d * 86_400_000)

  /** Studies `seconds` of a lesson in 30 s heartbeats starting at `from` (ms); returns the end time. */
  async function study(personId: number, courseId: string, lesson: { id: string; kind: string }, seconds: number, from: number) {
    let at = from
    let seq = 0
    const beat = (extra: object) =>
      recordHeartbeat(
        db,
        personId,
        { courseId, lessonId: lesson.id, playerId: `demo-${personId}-${from}`, seq: seq++, engaged: true, ...extra },
        { nowMs: at },
      )
    await beat({ start: true, positionSeconds: 0 })
    // Steady 30 s heartbeats until the lesson has its time; an attention check is confirmed as a
    // learner would, which costs that beat's time.
    let position = 0
    for (let verified = 0, guard = 0; verified < seconds && guard < seconds; guard++) {
      at += 30_000
      position = Math.min(seconds, position + 30)
      const r = await beat({ positionSeconds: position })
      if (r.kind !== 'credited') break
      verified = r.verifiedSeconds
      if (r.check) {
        at += 5000
        await beat({ confirm: true, engaged: false, positionSeconds: position })
      }
    }
    return at + 60_000
  }

  async function take(
    phone: string,
    courseId: string,
    lessons: number | 'all',
    opts: { partSeconds?: number; finish?: boolean; startDaysAgo: number },
  ) {
    const personId = await personOf(phone)
    if (!(await enroll(db, personId, courseId)).ok) return
    const all = await db
      .selectFrom('lessons')
      .select(['id', 'kind', 'seconds'])
      .where('course_id', '=', courseId)
      .orderBy('position')
      .execute()
    const count = lessons === 'all' ? all.length : lessons
    let at = daysAgo(opts.startDaysAgo)
    for (const l of all.slice(0, count)) at = await study(personId, courseId, l, l.seconds, at)
    const next = all[count]
    if (next && opts.partSeconds) at = await study(personId, courseId, next, opts.partSeconds, at)
    if (!opts.finish) return
    const quiz = await openQuiz(db, personId, courseId, { now: new Date(at) })
    if (quiz.kind !== 'open') throw new Error(`demo quiz for ${courseId}: ${quiz.kind}`)
    const key = (await db.selectFrom('courses').select('quiz').where('id', '=', courseId).executeTakeFirstOrThrow()).quiz as {
      questions: { id: string; answer: number }[]
    }
    const answers = Object.fromEntries(key.questions.map((q) => [q.id, q.answer]))
    await submitQuiz(db, personId, courseId, quiz.sitting.attemptId, answers, { now: new Date(at + 10 * 60_000) })
  }

  await take('13900000011', 'professional-ethics', 'all', { finish: true, startDaysAgo: 20 })
  await take('13900000012', 'bim-application', 2, { partSeconds: 20 * 60, startDaysAgo: 3 })
  await take('13900000013', 'rational-drug-use', 1, { startDaysAgo: 5 })
}

/**
 * Training bases in every status, through the lifecycle's own functions and dates relative to
 * today: applications submitted (waiting for Changchun HR), returned with reasons and forwarded
 * (waiting for the province); a base in its public notice (公示), one designated, the Yanbian base
 * in rectification with an open case, one revoked. 孙丽 (13900000013) plays the institutions'
 * applicant account.
 */
async function seedBases(db: Kysely<Database>) {
  const apps = await import('#app/domain/bases/applications.server.ts')
  const decisions = await import('#app/domain/bases/decisions.server.ts')
  const rect = await import('#app/domain/bases/rectification.server.ts')
  const { addDays } = await import('#app/domain/bases/lifecycle.ts')
  const { chinaDay } = await import('#app/domain/bases/events.server.ts')
  const { creditCodeCheckChar } = await import('#app/domain/shared/id-number.ts')
  const accountOf = async (phone: string) =>
    (await db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow()).id
  const applicant = { role: 'applicant', accountId: await accountOf('13900000013') } as const
  const hr = { role: 'hr', accountId: await accountOf('13900000003'), scopeRegion: '220100' } as const
  const province = { role: 'admin', accountId: await accountOf('13900000001') } as const
  const today = chinaDay()
  const must = <T extends { ok: boolean }>(r: T): T => {
    if (!r.ok) throw new Error(`demo base refused: ${JSON.stringify(r)}`)
    return r
  }
  let n = 0
  const apply = async (name: string, regionCode: string, fields: string[], upTo: 'submitted' | 'returned' | 'forwarded') => {
    n += 1
    const first17 = `52${regionCode}MJ${String(9000000 + n)}`
    const input = {
      institutionName: name,
      creditCode: first17 + creditCodeCheckChar(first17),
      regionCode,
      trainingFields: fields,
      classrooms: 4 + n,
      seats: 120 + 40 * n,
      onlinePlatform: n % 2 === 0,
      faculty: [{ name: '周明', title: '教授', field: '专业技术' }],
      courses: [{ title: `${name}专题培训`, category: 'professional' as const, hours: 24 }],
      contact: { name: '联系人', phone: `1390000${String(5100 + n)}` },
    }
    const id = await db.transaction().execute(async (t) => {
      const created = must(await apps.createApplication(t, applicant.accountId, input))
      if (!created.ok) throw new Error('unreachable')
      must(
        await apps.attachApplicationFile(t, applicant.accountId, created.applicationId, {
          filename: '办学许可证.pdf',
          bytes: DEMO_EVIDENCE,
        }),
      )
      must(await apps.submitApplication(t, applicant, created.applicationId))
      if (upTo === 'returned')
        must(
          await apps.returnApplication(t, hr, created.applicationId, { faculty: '请补充专职教师职称证明', materials: '办学许可证已过期' }),
        )
      if (upTo === 'forwarded') must(await apps.forwardApplication(t, province, created.applicationId))
      return created.applicationId
    })
    return id
  }
  const approve = async (id: number, on: string) =>
    db.transaction().execute(async (t) => {
      const r = must(
        await decisions.approveApplication(
          t,
          province,
          id,
          { decisionNumber: `吉人社基〔${on.slice(0, 4)}〕${id}号`, noticeStart: on },
          { on },
        ),
      )
      if (!r.ok) throw new Error('unreachable')
      return r.baseId
    })

  await apply('吉林建筑科技继续教育学院', '220100', ['engineering'], 'submitted')
  await apply('长春财经专业技术人员培训中心', '220100', ['economics', 'accounting'], 'returned')
  await apply('吉林市农业技术推广培训基地', '220200', ['agriculture'], 'forwarded')
  await approve(await apply('四平教育继续教育研修院', '220300', ['education'], 'forwarded'), today)
  const designatedOn = addDays(today, -30)
  await approve(await apply('通化医药健康培训学院', '220500', ['health'], 'forwarded'), designatedOn)
  const revokedFrom = addDays(today, -400)
  const revokedId = await approve(await apply('白山工程技术培训中心', '220600', ['engineering'], 'forwarded'), revokedFrom)
  await decisions.designateDue(db)

  const yanbian = await db.selectFrom('bases').select('id').where('credit_code', '=', DEMO_BASES[1]!.credit_code).executeTakeFirstOrThrow()
  await db.updateTable('bases').set({ status: 'designated' }).where('id', '=', yanbian.id).execute()
  await db.transaction().execute(async (t) =>
    must(
      await rect.openRectification(t, province, yanbian.id, {
        findings: { faculty: '专职教师不足', training_delivered: '年度培训量未达标' },
      }),
    ),
  )
  await db.transaction().execute(async (t) => {
    must(
      await rect.openRectification(
        t,
        province,
        revokedId,
        { findings: { quality_satisfaction: '学员满意度低于60%' }, deadline: addDays(today, -150) },
        { on: addDays(today, -200) },
      ),
    )
    must(
      await rect.revokeBase(
        t,
        province,
        revokedId,
        { reason: '整改复查不合格', documentNumber: `吉人社基〔${today.slice(0, 4)}〕撤字1号`, effectiveOn: addDays(today, -90) },
        { on: addDays(today, -100) },
      ),
    )
  })
}

/** 赵磊 reported a conference outside the platform this year: waiting for Changchun HR (张伟). */
/**
 * Training reports through the real engine (issue 11): province HR imports the demo learners'
 * pre-platform years (2021–2022) from content/demo/legacy-hours.csv (GBK, as exported by Excel),
 * including two people not registered yet whose hours wait for them; the demo base reports an
 * activity with its roster (committed), and has a second roster with errors awaiting its decision.
 * Run here step by step (the worker would skip these imports: they are no longer queued).
 */
async function seedReports(db: Kysely<Database>) {
  const { readFile } = await import('node:fs/promises')
  const { createImport, requestCommit } = await import('#app/domain/imports/imports.server.ts')
  const { stageImport } = await import('#app/domain/imports/stage.server.ts')
  const { commitImport } = await import('#app/domain/imports/commit.server.ts')
  const { declareActivity } = await import('#app/domain/reports/activities.server.ts')
  const { ActivitySchema } = await import('#app/domain/reports/activities.schema.ts')
  const { addDays } = await import('#app/domain/bases/lifecycle.ts')
  const { chinaDay } = await import('#app/domain/bases/events.server.ts')
  const account = async (phone: string) =>
    db.selectFrom('accounts').select(['id', 'person_id']).where('phone', '=', phone).executeTakeFirstOrThrow()
  const must = <T extends { ok: boolean }>(r: T): T => {
    if (!r.ok) throw new Error(`demo report refused: ${JSON.stringify(r)}`)
    return r
  }
  const upload = async (owner: Parameters<typeof createImport>[1], activityId: number | undefined, filename: string, bytes: Buffer) => {
    const r = must(await db.transaction().execute((trx) => createImport(trx, owner, { activityId, file: { filename, bytes } })))
    if (!r.ok) throw new Error('unreachable')
    await stageImport(db, r.importId)
    return r.importId
  }
  const commit = async (owner: Parameters<typeof createImport>[1], importId: number, mode: 'all' | 'valid_only') => {
    must(await db.transaction().execute((trx) => requestCommit(trx, owner, importId, mode)))
    await commitImport(db, importId)
  }

  const provinceHr = await account('13900000002')
  const legacy = { kind: 'legacy', accountId: provinceHr.id } as const
  const legacyId = await upload(legacy, undefined, '历史学时-2021-2022.csv', await readFile('content/demo/legacy-hours.csv'))
  await commit(legacy, legacyId, 'all')

  const staff = await account('13900000004')
  const member = await db.selectFrom('base_members').select('base_id').where('account_id', '=', staff.id).executeTakeFirstOrThrow()
  const owner = { kind: 'roster', baseId: member.base_id, accountId: staff.id } as const
  const today = chinaDay()
  const declare = async (title: string, start: number, end: number, hours: string, category: 'professional' | 'public') => {
    const input = ActivitySchema.parse({
      title,
      category,
      mode: 'face_to_face',
      titleSeries: ['education', 'engineering'],
      startDate: addDays(today, start),
      endDate: addDays(today, end),
      fullDays: String(end - start + 1),
      halfDays: '0',
      declaredHours: hours,
      venue: '长春市南关区人民大街 7989 号',
    })
    const r = must(await db.transaction().execute((trx) => declareActivity(trx, { accountId: staff.id, baseId: member.base_id }, input)))
    if (!r.ok) throw new Error('unreachable')
    return r.activityId
  }
  const csv = (rows: string[][]) => Buffer.from(['姓名,身份证号,学时,工作单位', ...rows.map((r) => r.join(','))].join('\r\n'), 'utf8')
  const reported = await declare('基础教育数字化转型专题培训', -30, -29, '12', 'professional')
  const rosterId = await upload(
    owner,
    reported,
    '数字化转型培训名单.csv',
    csv([
      ['陈静', '220381198802145677', '12', '长春市第一中学'],
      ['赵磊', '220104199207256787', '6', '吉林省水利水电勘测设计研究院'],
      ['周文', '220102198003151230', '12', '长春市第二实验中学'],
    ]),
  )
  await commit(owner, rosterId, 'all')
  const pending = await declare('专业技术人员职业道德与法治（面授）', -5, -5, '6', 'public')
  await upload(
    owner,
    pending,
    '职业道德培训名单.csv',
    csv([
      ['陈静', '220381198802145677', '6', '长春市第一中学'],
      ['赵磊', '2.20104E+17', '6', '吉林省水利水电勘测设计研究院'],
      ['吴敏', '220202198607222349', '8', '长春市朝阳区教师进修学校'],
    ]),
  )
}

/**
 * This year's seminar plan (issue 12, so far): a national seminar whose few seats are taken, with
 * a waiting list, and a provincial one open for registration — created, published and registered
 * through the real rules.
 */
async function seedSeminars(db: Kysely<Database>) {
  const { SeminarSchema } = await import('#app/domain/seminars/plan.schema.ts')
  const { createSeminar, publishSeminar } = await import('#app/domain/seminars/plan.server.ts')
  const { register } = await import('#app/domain/seminars/registration.server.ts')
  const { addDays } = await import('#app/domain/bases/lifecycle.ts')
  const { chinaDay } = await import('#app/domain/bases/events.server.ts')
  const account = async (phone: string) =>
    db.selectFrom('accounts').select(['id', 'person_id']).where('phone', '=', phone).executeTakeFirstOrThrow()
  const must = <T extends { ok: boolean }>(r: T): T => {
    if (!r.ok) throw new Error(`demo seminar refused: ${JSON.stringify(r)}`)
    return r
  }
  const admin = { accountId: (await account('13900000001')).id }
  const staff = await account('13900000004')
  const { base_id: hostBaseId } = await db
    .selectFrom('base_members')
    .select('base_id')
    .where('account_id', '=', staff.id)
    .executeTakeFirstOrThrow()
  const today = chinaDay()
  const plan = async (fields: Record<string, string | string[]>) => {
    const input = SeminarSchema.parse({
      hostBaseId: String(hostBaseId),
      category: 'professional',
      opensOn: today,
      closesOn: addDays(today, 20),
      cancelUntil: addDays(today, 25),
      releaseOn: addDays(today, 14),
      waitlistMode: 'auto',
      fullDays: '3',
      halfDays: '0',
      declaredHours: '18',
      ...fields,
    })
    const created = must(await db.transaction().execute((trx) => createSeminar(trx, admin, input)))
    if (!created.ok) throw new Error('unreachable')
    must(await db.transaction().execute((trx) => publishSeminar(trx, admin, created.seminarId)))
    return created.seminarId
  }
  const start = addDays(today, 35)
  const national = await plan({
    level: 'national',
    title: '人工智能赋能基础教育高级研修班（国家级）',
    titleSeries: ['education', 'higher_education'],
    startDate: start,
    endDate: addDays(start, 2),
    venue: '长春市南关区人民大街 7989 号 吉林省继续教育基地报告厅',
    capacity: '2',
    quota1Scope: 'province:22',
    quota1Size: '1',
  })
  await plan({
    level: 'provincial',
    title: '数字孪生流域与智慧水利高级研修班',
    titleSeries: ['engineering'],
    startDate: addDays(start, 14),
    endDate: addDays(start, 16),
    venue: '吉林市船营区 吉林水利水电培训中心',
    capacity: '60',
    quota1Scope: 'region:220100',
    quota1Size: '20',
    quota2Scope: 'region:222400',
    quota2Size: '10',
  })
  const now = new Date()
  for (const [i, phone] of ['13900000011', '13900000012', '13900000013'].entries()) {
    const a = await account(phone)
    must(
      await db
        .transaction()
        .execute((trx) => register(trx, { personId: a.person_id, accountId: a.id }, national, `demo-seminar-${i}`, now)),
    )
  }
}

/** Other participants of the demo seminars (no demo login of their own; valid made-up IDs). */
const DEMO_ATTENDEES: [name: string, first17: string, region: string, series: string][] = [
  ['周涛', '22010219860314231', '220100', 'engineering'],
  ['吴敏', '22020219870722234', '220200', 'education'],
  ['郑海燕', '22240119830909542', '222400', 'health'],
  ['王磊', '22010419900101871', '220100', 'engineering'],
  ['冯雪', '22030219880606262', '220300', 'education'],
  ['何军', '22010219791120613', '220100', 'agriculture'],
]

/**
 * Seminars being delivered, through the real rules on a past clock: a provincial seminar that
 * ended a month ago (participants scanned the venue codes per half-day block, one missed a block,
 * one attended half; the host finalised attendance, so hours and completion certificates went
 * out; six answered the survey; the package went in on time), and one that started yesterday
 * (yesterday's blocks signed in and out, today's under way).
 */
async function seedSeminarDelivery(db: Kysely<Database>) {
  const { SeminarSchema } = await import('#app/domain/seminars/plan.schema.ts')
  const { createSeminar, publishSeminar, blocksOfSeminar } = await import('#app/domain/seminars/plan.server.ts')
  const { register } = await import('#app/domain/seminars/registration.server.ts')
  const { venueCode, scan } = await import('#app/domain/seminars/checkin.server.ts')
  const { finaliseAttendance } = await import('#app/domain/seminars/attendance.server.ts')
  const { submitSurvey } = await import('#app/domain/seminars/survey.server.ts')
  const { submitPackage } = await import('#app/domain/seminars/package.server.ts')
  const { addDays } = await import('#app/domain/bases/lifecycle.ts')
  const { chinaDay } = await import('#app/domain/bases/events.server.ts')
  const { idNumberCheckChar } = await import('#app/domain/shared/id-number.ts')
  const must = <T extends { ok: boolean }>(what: string, r: T): T => {
    if (!r.ok) throw new Error(`demo ${what} refused: ${JSON.stringify(r)}`)
    return r
  }
  const account = async (phone: string) =>
    db.selectFrom('accounts').select(['id', 'person_id']).where('phone', '=', phone).executeTakeFirstOrThrow()
  const admin = { accountId: (await account('13900000001')).id }
  const staffAccount = await account('13900000004')
  const { base_id: hostBaseId } = await db
    .selectFrom('base_members')
    .select('base_id')
    .where('account_id', '=', staffAccount.id)
    .executeTakeFirstOrThrow()
  const staff = { accountId: staffAccount.id, baseId: hostBaseId }
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const attendees: { personId: number; accountId: number }[] = []
  for (const [i, [name, first17, region, series]] of DEMO_ATTENDEES.entries()) {
    const parsed = parseIdNumber(first17 + idNumberCheckChar(first17))
    if (!parsed.ok) throw new Error(`Demo ID for ${name} is invalid (${parsed.problem})`)
    const person = await db
      .insertInto('people')
      .values({
        id_number_enc: encryptPii(parsed.id.value),
        id_number_hash: lookupHash(parsed.id.value),
        name,
        gender: parsed.id.gender,
        birth_date: parsed.id.birthDate,
        region_code: region,
        title_series: series,
        title_level: 'intermediate',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const acc = await db
      .insertInto('accounts')
      .values({ person_id: person.id, phone: `139000000${31 + i}`, password_hash: passwordHash, role: 'learner' })
      .returning('id')
      .executeTakeFirstOrThrow()
    attendees.push({ personId: person.id, accountId: acc.id })
  }
  const learner = async (phone: string) => {
    const a = await account(phone)
    return { personId: a.person_id, accountId: a.id }
  }
  const chen = await learner('13900000011')
  const zhao = await learner('13900000012')
  const at = (day: string, clock: string) => new Date(`${day}T${clock}:00+08:00`)
  const today = chinaDay()
  const origin = 'http://localhost:3000'

  /** Planned 30 days before its start (the clock of the plan), published, registered 20 days before. */
  const deliver = async (fields: Record<string, string | string[]>, start: string, people: { personId: number; accountId: number }[]) => {
    const planned = addDays(start, -30)
    const input = SeminarSchema.parse({
      level: 'provincial',
      hostBaseId: String(hostBaseId),
      category: 'professional',
      titleSeries: ['engineering', 'education', 'health'],
      opensOn: planned,
      closesOn: addDays(start, -5),
      cancelUntil: addDays(start, -3),
      releaseOn: '',
      waitlistMode: 'auto',
      halfDays: '0',
      startDate: start,
      capacity: '40',
      ...fields,
    })
    const created = must('seminar', await db.transaction().execute((trx) => createSeminar(trx, admin, input, { today: planned })))
    if (!created.ok) throw new Error('unreachable')
    const seminarId = created.seminarId
    must('publication', await db.transaction().execute((trx) => publishSeminar(trx, admin, seminarId)))
    for (const [i, p] of people.entries())
      must(
        'registration',
        await db
          .transaction()
          .execute((trx) => register(trx, p, seminarId, `demo-delivery-${seminarId}-${i}`, at(addDays(start, -20), '09:00'))),
      )
    return { seminarId, blocks: await blocksOfSeminar(db, seminarId) }
  }
  /** The participant scans the venue's sign-in code five minutes before the block and the sign-out code five minutes after. */
  const attend = async (
    p: { personId: number; accountId: number },
    block: { id: number; starts_at: Date; ends_at: Date },
    start: string,
  ) => {
    for (const [direction, t] of [
      ['in', new Date(block.starts_at.getTime() - 5 * 60_000)],
      ['out', new Date(block.ends_at.getTime() + 5 * 60_000)],
    ] as const) {
      const code = venueCode({ id: block.id, seminarStartDate: start }, direction, t, origin)
      must('scan', await scan(db, p, code.token, t))
    }
  }

  // Finished a month ago: two full days, 12 hours over four blocks.
  const finishedStart = addDays(today, -30)
  const finished = await deliver(
    {
      title: '新时代专业技术人才创新能力提升高级研修班',
      endDate: addDays(finishedStart, 1),
      fullDays: '2',
      declaredHours: '12',
      venue: '长春市朝阳区 长春工程技术继续教育基地 第一报告厅',
    },
    finishedStart,
    [zhao, ...attendees],
  )
  const everyone = [zhao, ...attendees]
  for (const [i, p] of everyone.entries()) {
    // 周涛 (i = 1) missed the last afternoon; 吴敏 (i = 2) came on the first day only.
    const blocks = i === 1 ? finished.blocks.slice(0, 3) : i === 2 ? finished.blocks.slice(0, 2) : finished.blocks
    for (const b of blocks) await attend(p, b, finishedStart)
  }
  const finishedEnd = finished.blocks[finished.blocks.length - 1]!.ends_at
  must('finalisation', await finaliseAttendance(db, staff, finished.seminarId, new Date(finishedEnd.getTime() + 3600_000)))
  const answers = [
    [5, 5, 4, 4, 5, '案例教学贴近工作实际，收获很大。'],
    [4, 5, 4, 3, 4, ''],
    [5, 4, 5, 4, 5, '希望增加现场交流时间。'],
    [4, 4, 4, 4, 4, ''],
    [5, 5, 5, 4, 5, ''],
    [3, 4, 4, 3, 4, '住宿离会场稍远。'],
  ] as const
  for (const [i, a] of answers.entries()) {
    const [content, teachers, organisation, venue, overall, comment] = a
    must(
      'survey answer',
      await submitSurvey(
        db,
        everyone[i]!.personId,
        finished.seminarId,
        {
          content: String(content),
          teachers: String(teachers),
          organisation: String(organisation),
          venue: String(venue),
          overall: String(overall),
          comment,
        },
        new Date(finishedEnd.getTime() + (i + 1) * 3 * 3600_000),
      ),
    )
  }
  must(
    'package',
    await submitPackage(
      db,
      staff,
      finished.seminarId,
      '本期研修班按计划完成两天四个单元的教学，学员出勤率高，满意度测评总体良好。学员建议增加现场交流时间，下期将调整日程。',
      at(addDays(finishedStart, 7), '10:00'),
    ),
  )

  // Started yesterday: three full days; yesterday's two blocks signed in and out.
  const runningStart = addDays(today, -1)
  const running = await deliver(
    {
      title: '乡村振兴与现代农业技术推广高级研修班',
      titleSeries: ['agriculture', 'education', 'engineering'],
      endDate: addDays(runningStart, 2),
      fullDays: '3',
      declaredHours: '18',
      venue: '长春市净月区 吉林农业科技继续教育基地',
    },
    runningStart,
    [chen, ...attendees.slice(0, 4)],
  )
  for (const p of [chen, ...attendees.slice(0, 4)]) for (const b of running.blocks.slice(0, 2)) await attend(p, b, runningStart)

  // An integrity finding (诚信档案) waiting for its second officer: Changchun HR found that 王磊's
  // sign-ins at the finished seminar were made for him by someone else; province HR confirms or cancels.
  const { proposeFinding } = await import('#app/domain/integrity/records.server.ts')
  const hrChangchun = await account('13900000003')
  const wangLei = attendees[3]!
  const entry = await db
    .selectFrom('hour_entries')
    .select('id')
    .where('person_id', '=', wangLei.personId)
    .where('source_kind', '=', 'seminar')
    .executeTakeFirstOrThrow()
  must(
    'integrity finding',
    await db.transaction().execute((trx) =>
      proposeFinding(
        trx,
        { accountId: hrChangchun.id, personId: hrChangchun.person_id, scopeRegion: '220100' },
        {
          sourceKind: 'entry',
          sourceId: entry.id,
          finding: '经核查签到记录与会场监控，该学员未实际参加第二天的课程，签到、签退系他人持其账号代为扫码。',
          documentNumber: '长人社诚字〔2026〕3号',
          evidence: { filename: '核查报告.pdf', bytes: DEMO_EVIDENCE },
        },
        at(addDays(finishedStart, 20), '15:00'),
      ),
    ),
  )
}

/**
 * Employers (工作单位) registered by the admin, 13 across six regions, with how likely their
 * people are to meet a year's requirement (`rate`), and employer names people wrote that match no
 * registered employer (kept as text). 长春市城乡规划设计研究院 and 延边 are mostly short; 吉林市
 * and the other 长春 employers mostly compliant.
 */
type DemoEmployer = { name: string; region: string; series: string; rate: number; code: 'public' | 'company' | null }
const DEMO_EMPLOYERS: DemoEmployer[] = [
  { name: '长春市城乡规划设计研究院', region: '220100', series: 'engineering', rate: 0.3, code: 'public' },
  { name: '长春市第一中学', region: '220100', series: 'education', rate: 0.9, code: 'public' },
  { name: '吉林省水利水电勘测设计研究院', region: '220100', series: 'engineering', rate: 0.8, code: 'public' },
  { name: '吉林省建筑设计院（有限责任公司）', region: '220100', series: 'engineering', rate: 0.75, code: 'company' },
  { name: '长春市中心医院', region: '220100', series: 'health', rate: 0.85, code: 'public' },
  { name: '吉林市中心医院', region: '220200', series: 'health', rate: 0.85, code: 'public' },
  { name: '吉林市第一中学', region: '220200', series: 'education', rate: 0.8, code: 'public' },
  { name: '吉林化工工程设计研究院', region: '220200', series: 'engineering', rate: 0.7, code: null },
  { name: '延边大学附属医院', region: '222400', series: 'health', rate: 0.45, code: 'public' },
  { name: '延吉市第二中学', region: '222400', series: 'education', rate: 0.3, code: 'public' },
  { name: '四平市农业技术推广总站', region: '220300', series: 'agriculture', rate: 0.6, code: 'public' },
  { name: '通化市人民医院', region: '220500', series: 'health', rate: 0.7, code: null },
  { name: '松原市水利勘测设计院', region: '220700', series: 'engineering', rate: 0.45, code: 'company' },
]
const DEMO_FREE_TEXT_EMPLOYERS: Omit<DemoEmployer, 'code'>[] = [
  { name: '长春市宽城区社区卫生服务中心', region: '220100', series: 'health', rate: 0.6 },
  { name: '吉林市昌邑区教师进修学校', region: '220200', series: 'education', rate: 0.75 },
  { name: '和龙市林业局', region: '222400', series: 'agriculture', rate: 0.35 },
  { name: '图们市人民医院', region: '222400', series: 'health', rate: 0.4 },
]
/** Area codes (first six ID digits) of districts in each region. */
const DEMO_AREAS: Record<string, string[]> = {
  '220100': ['220102', '220104', '220105', '220106'],
  '220200': ['220202', '220203', '220204'],
  '222400': ['222401', '222402', '222403'],
  '220300': ['220302', '220303'],
  '220500': ['220502'],
  '220700': ['220702'],
}
const DEMO_SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗金朴崔'
const DEMO_GIVEN = [
  '伟',
  '芳',
  '秀英',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀兰',
  '霞',
  '平',
  '刚',
  '桂英',
  '志刚',
  '海燕',
  '晓东',
  '红梅',
  '建华',
  '玉兰',
  '文博',
  '雪松',
]
const DEMO_PUBLIC_TITLES = [
  '专业技术人员职业道德与法治',
  '数字经济与数字政府建设专题',
  '习近平新时代中国特色社会主义思想专题培训',
  '知识产权保护与成果转化',
]
const DEMO_PROFESSIONAL_TITLES: Record<string, string[]> = {
  engineering: ['BIM技术在工程设计中的应用', '国土空间规划编制实务', '水利工程质量与安全管理'],
  health: ['急危重症救治新进展', '医疗质量与患者安全', '合理用药与药事管理'],
  education: ['新课标背景下的课堂教学设计', '中小学心理健康教育', '大单元教学设计实践'],
  agriculture: ['现代农业技术推广', '林业有害生物防治', '高标准农田建设'],
}
/** Compliance demo learners: phones 13900000041–50; the first works at the 长春 employer that is short this year. */
export const DEMO_COMPLIANCE_PHONES = Array.from({ length: 10 }, (_, i) => `139000000${41 + i}`)

/** A small deterministic generator (LCG), so the demo is the same on every machine. */
function demoRandom(seed: number) {
  let s = seed >>> 0
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! }
}

/**
 * Figures for the compliance dashboard (issue 13): the employers above, created by the admin
 * through the employers module (which links the people already here, e.g. 陈静, 赵磊, 孙丽), and
 * 240 synthetic people (no login for most; ten learners with phones 13900000041–50) with hours
 * for the last five CE years credited through the ledger in one statement, a few with a pending
 * external claim that would close this year's gap. Ends by running the matching and refreshing
 * the compliance figures, so the dashboard has them at once.
 */
async function seedCompliance(db: Kysely<Database>) {
  const { createEmployer, matchAll } = await import('#app/domain/employers/employers.server.ts')
  const { refreshAll } = await import('#app/domain/compliance/refresh.server.ts')
  const { creditFromQuery } = await import('#app/domain/hours/ledger.server.ts')
  const { submitClaim } = await import('#app/domain/claims/external-claims.server.ts')
  const { ceYearOf } = await import('#app/domain/shared/ce-year.ts')
  const { chinaDay } = await import('#app/domain/bases/events.server.ts')
  const { creditCodeCheckChar, idNumberCheckChar } = await import('#app/domain/shared/id-number.ts')
  const { sql } = await import('kysely')
  const rnd = demoRandom(20261130)
  const now = new Date()
  const thisYear = ceYearOf(now)
  const today = chinaDay(now)
  const admin = await db.selectFrom('accounts').select('id').where('phone', '=', DEMO_ACCOUNTS[0]!.phone).executeTakeFirstOrThrow()

  // People: 16 per registered employer, 8 per unregistered name; a fifth of the first write the
  // name differently (a space, half-width brackets), which the matching still recognises.
  const groups = [
    ...DEMO_EMPLOYERS.map((e) => ({ ...e, size: 16, registered: true })),
    ...DEMO_FREE_TEXT_EMPLOYERS.map((e) => ({ ...e, size: 8, registered: false })),
  ]
  const spelling = (name: string) => {
    const r = rnd.next()
    if (r > 0.2) return name
    if (name.includes('（')) return name.replace('（', '(').replace('）', ')')
    return r < 0.1 ? `${name.slice(0, 3)} ${name.slice(3)}` : `${name.slice(0, 3)}\u3000${name.slice(3)} `
  }
  type Synthetic = { group: (typeof groups)[number]; idNumber: string; values: Record<string, unknown>; diligence: number }
  const people: Synthetic[] = []
  let serial = 0
  for (const group of groups)
    for (let k = 0; k < group.size; k++) {
      serial += 1
      const birth = new Date(Date.UTC(1965 + Math.floor(rnd.next() * 30), Math.floor(rnd.next() * 12), 1 + Math.floor(rnd.next() * 28)))
      const first17 = `${rnd.pick(DEMO_AREAS[group.region]!)}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(serial).padStart(3, '0')}`
      const idNumber = first17 + idNumberCheckChar(first17)
      const parsed = parseIdNumber(idNumber)
      if (!parsed.ok) throw new Error(`demo compliance ID ${serial} is invalid (${parsed.problem})`)
      const level = rnd.pick(['junior', 'intermediate', 'intermediate', 'intermediate', 'associate_senior', 'associate_senior', 'senior'])
      people.push({
        group,
        idNumber,
        diligence: Math.min(0.98, Math.max(0.05, group.rate + (rnd.next() - 0.5) * 0.2)),
        values: {
          id_number_enc: encryptPii(idNumber),
          id_number_hash: lookupHash(idNumber),
          name: rnd.pick([...DEMO_SURNAMES]) + rnd.pick(DEMO_GIVEN),
          gender: parsed.id.gender,
          birth_date: parsed.id.birthDate,
          employer: group.registered ? spelling(group.name) : group.name,
          region_code: group.region,
          title_series: group.series,
          title_level: level,
          title_year: 2010 + Math.floor(rnd.next() * 14),
        },
      })
    }
  const inserted = await db
    .insertInto('people')
    .values(people.map((p) => p.values) as never)
    .returning('id')
    .execute()
  const personIds = inserted.map((r) => r.id)

  // Ten learner logins: the first of each of the first ten employers, 长春市城乡规划设计研究院 first.
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const holders = DEMO_EMPLOYERS.slice(0, 10).map((e) => people.findIndex((p) => p.group.name === e.name))
  await db
    .insertInto('accounts')
    .values(
      holders.map((i, k) => ({
        person_id: personIds[i]!,
        phone: DEMO_COMPLIANCE_PHONES[k]!,
        password_hash: passwordHash,
        role: 'learner' as const,
      })),
    )
    .execute()
  const alwaysShort = holders[0]!

  // Hours: in each of the last five CE years a person meets the requirement with their employer's
  // likelihood (a little less this year, still under way); otherwise 专业, 公需 or both fall short.
  const rows: {
    person: number
    year: number
    category: 'professional' | 'public'
    hours: number
    kind: string
    title: string
    at: Date
  }[] = []
  const claimCandidates: { person: number; short: number }[] = []
  const yearStart = (y: number) => Date.UTC(y, 0, 1) - 8 * 3600_000
  for (const [i, p] of people.entries()) {
    for (let year = thisYear - 4; year <= thisYear; year++) {
      const current = year === thisYear
      const met = i !== alwaysShort || !current ? rnd.next() < (current ? p.diligence * 0.85 : p.diligence) : false
      let pub = rnd.pick([30, 32, 36])
      let prof = rnd.pick([60, 64, 66, 72])
      if (!met) {
        const how = i === alwaysShort ? 0.5 : rnd.next()
        if (how < 0.35) pub = rnd.pick([12, 18, 24])
        else if (how < 0.8) prof = rnd.pick([24, 36, 42, 48, 54])
        else [pub, prof] = [rnd.pick([0, 6, 12]), rnd.pick([0, 12, 18])]
      }
      if (current && !met && pub >= 30 && prof >= 42 && i !== alwaysShort) claimCandidates.push({ person: i, short: 60 - prof })
      // A date in that year, never later than a day ago.
      const end = current ? Math.max(yearStart(year) + 3600_000, now.getTime() - 86_400_000) : yearStart(year + 1) - 3600_000
      const dateIn = () => new Date(yearStart(year) + Math.floor(rnd.next() * (end - yearStart(year))))
      if (pub > 0)
        rows.push({
          person: i,
          year,
          category: 'public',
          hours: pub,
          kind: 'base_training',
          title: rnd.pick(DEMO_PUBLIC_TITLES),
          at: dateIn(),
        })
      if (prof > 0)
        rows.push({
          person: i,
          year,
          category: 'professional',
          hours: prof,
          kind: rnd.next() < 0.3 ? 'seminar' : 'base_training',
          title: rnd.pick(DEMO_PROFESSIONAL_TITLES[p.group.series]!),
          at: dateIn(),
        })
    }
  }
  await db.transaction().execute(async (trx) => {
    await creditFromQuery(
      trx,
      sql`select u.person_id, u.ce_year, u.category, u.hours, u.source_kind, 'demo-compliance'::text,
                 jsonb_build_object('title', u.title, 'demo', true), null::text, u.key, u.occurred_at, null::bigint, null::text
          from unnest(${rows.map((r) => personIds[r.person]!)}::bigint[], ${rows.map((r) => r.year)}::int[],
                      ${rows.map((r) => r.category)}::text[], ${rows.map((r) => String(r.hours))}::numeric[],
                      ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.title)}::text[],
                      ${rows.map((r) => `demo-compliance:${people[r.person]!.idNumber.slice(-8)}:${r.year}:${r.category}`)}::text[],
                      ${rows.map((r) => r.at.toISOString())}::timestamptz[])
            as u(person_id, ce_year, category, hours, source_kind, title, key, occurred_at)`,
    )
  })

  // Pending external claims (进修) that would close this year's 专业 gap, waiting for HR.
  const occurredOn = today.slice(0, 4) === String(thisYear) && today.slice(5) > '01-20' ? `${thisYear}-01-15` : today
  for (const c of claimCandidates.slice(0, 8)) {
    const r = await submitClaim(
      db,
      personIds[c.person]!,
      {
        activity: 'further_study',
        title: `${thisYear}年${people[c.person]!.group.name}业务进修`,
        category: 'professional',
        units: String(Math.ceil(c.short / 6)),
        occurredOn,
      },
      { filename: '进修证明.pdf', bytes: DEMO_EVIDENCE },
      now,
    )
    if (!r.ok) throw new Error(`demo compliance claim refused: ${JSON.stringify(r.errors)}`)
  }

  // The admin registers the employers; each links the people of its region who wrote its name.
  for (const [i, e] of DEMO_EMPLOYERS.entries()) {
    const first17 = e.code === null ? null : `${e.code === 'public' ? '12' : '91'}${e.region}MB${String(2026000 + i)}`
    const created = await db
      .transaction()
      .execute((trx) =>
        createEmployer(
          trx,
          { accountId: admin.id },
          { name: e.name, region: e.region, creditCode: first17 ? first17 + creditCodeCheckChar(first17) : undefined },
        ),
      )
    if (!created.ok) throw new Error(`demo employer ${e.name} refused: ${created.code}`)
  }
  await matchAll(db)
  await refreshAll(db, { now })
  await seedReminder(db, now)
}

/**
 * A reminder Changchun HR sent to the people of 长春 short this year (delivered at once here; the
 * worker does it in the platform), so 13900000041 finds it on 我的账户.
 */
async function seedReminder(db: Kysely<Database>, now: Date) {
  const { createCampaign, deliverCampaign, sendCampaign } = await import('#app/domain/compliance/campaigns.server.ts')
  const { ceYearOf } = await import('#app/domain/shared/ce-year.ts')
  const hr = await db.selectFrom('accounts').select('id').where('phone', '=', '13900000003').executeTakeFirstOrThrow()
  const actor = { accountId: hr.id, scopeRegion: '220100' }
  const draft = await createCampaign(
    db,
    actor,
    {
      filter: { year: ceYearOf(now), status: 'short' },
      title: '请在年底前完成本年度继续教育学时',
      message: '根据平台记录，您本年度的继续教育学时尚未达标。请在 12 月 31 日前补齐，以免影响明年的职称申报。',
    },
    now,
  )
  if (!draft.ok) throw new Error(`demo campaign refused: ${draft.code}`)
  const sent = await sendCampaign(db, actor, draft.campaignId, now)
  if (!sent.ok) throw new Error(`demo campaign not sent: ${sent.code}`)
  const delivered = await deliverCampaign(db, draft.campaignId, { now })
  if (!delivered.ok) throw new Error(`demo campaign not delivered: ${delivered.code}`)
}

async function seedPendingClaim(db: Kysely<Database>) {
  const { submitClaim } = await import('#app/domain/claims/external-claims.server.ts')
  const { ceYearOf } = await import('#app/domain/shared/ce-year.ts')
  const person = await db.selectFrom('accounts').select('person_id').where('phone', '=', '13900000012').executeTakeFirstOrThrow()
  const year = ceYearOf(new Date())
  const result = await submitClaim(
    db,
    person.person_id,
    {
      activity: 'academic_conference',
      title: `${year}年吉林省水利学会学术年会`,
      category: 'professional',
      units: '2',
      occurredOn: `${year}-01-10`,
    },
    { filename: '参会证明.pdf', bytes: DEMO_EVIDENCE },
  )
  if (!result.ok) throw new Error(`demo claim refused: ${JSON.stringify(result.errors)}`)
}

async function seedPeopleAndHours(db: Kysely<Database>): Promise<'seeded' | 'already-seeded'> {
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  return db.transaction().execute(async (trx) => {
    const marker = await trx.selectFrom('accounts').select('id').where('phone', '=', DEMO_ACCOUNTS[0]!.phone).executeTakeFirst()
    if (marker) return 'already-seeded'
    const baseIds: number[] = []
    for (const b of DEMO_BASES) {
      const row = await trx
        .insertInto('bases')
        .values(b)
        .onConflict((oc) => oc.column('credit_code').doUpdateSet({ name: b.name }))
        .returning('id')
        .executeTakeFirstOrThrow()
      baseIds.push(row.id)
    }
    for (const a of DEMO_ACCOUNTS) {
      const id = parseIdNumber(a.idNumber)
      if (!id.ok) throw new Error(`Demo ID for ${a.name} is invalid (${id.problem})`)
      const person = await trx
        .insertInto('people')
        .values({
          id_number_enc: encryptPii(id.id.value),
          id_number_hash: lookupHash(id.id.value),
          name: a.name,
          gender: id.id.gender,
          birth_date: id.id.birthDate,
          employer: a.employer ?? null,
          region_code: a.region ?? null,
          title_series: a.titleSeries ?? null,
          title_level: a.titleLevel ?? null,
          title_year: a.titleYear ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const account = await trx
        .insertInto('accounts')
        .values({
          person_id: person.id,
          phone: a.phone,
          password_hash: passwordHash,
          role: a.role,
          scope_region: a.scopeRegion ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      if (a.role === 'learner') await enqueue(trx, 'notice.welcome', { personId: person.id, accountId: account.id })
      // The base-only account administers its base (ADR 0020); colleagues join by invitation.
      if (a.base !== undefined)
        await trx
          .insertInto('base_members')
          .values({ base_id: baseIds[a.base]!, account_id: account.id, is_admin: true, how: 'admin' })
          .execute()
      const thisYear = new Date().getFullYear()
      for (const [i, [year, month, category, spec, kind, title]] of (DEMO_HISTORY[a.idNumber] ?? []).entries()) {
        if (year > thisYear) continue
        await credit(trx, {
          personId: person.id,
          category,
          hours: demoHours(year, spec),
          sourceKind: kind,
          sourceRef: `demo-${i + 1}`,
          evidence: { title, demo: true },
          idempotencyKey: `demo:${a.idNumber.slice(-6)}:${i + 1}`,
          occurredAt: new Date(Date.UTC(year, month - 1, 15, 2)),
          reason: kind === 'adjustment' ? '平台上线前的学时记录导入' : null,
        })
      }
    }
    return 'seeded'
  })
}

export function demoLoginsText(): string {
  const lines = DEMO_ACCOUNTS.map((a) => `  ${a.note.padEnd(34)} ${a.idNumber}  or  ${a.phone}`)
  const compliance = `  ${'compliance demo learners'.padEnd(34)} ${DEMO_COMPLIANCE_PHONES[0]} … ${DEMO_COMPLIANCE_PHONES.at(-1)}`
  return [`Demo logins (password for all: ${DEMO_PASSWORD}):`, ...lines, compliance].join('\n')
}

// `npm run db:seed`
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { provideDatabase, provideDataKey } = await import('#app/cli/local-config.ts')
  const { createDb } = await import('#app/lib/db.server.ts')
  const { prepareDatabase } = await import('#app/cli/prepare.ts')
  const database = await provideDatabase(console.log)
  process.env.XUESHI_DATA_KEY = provideDataKey(console.log)
  process.env.DATABASE_URL = database.url
  const db = createDb(database.url, 2)
  try {
    await prepareDatabase(db)
    console.log((await seedDemo(db)) === 'seeded' ? `Demo data seeded.\n${demoLoginsText()}` : 'Demo data was already there.')
  } finally {
    await db.destroy()
    await database.stop()
  }
}
