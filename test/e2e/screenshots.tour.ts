/**
 * The screenshot tour: full-page screenshots of every page with the demo data, on a desktop and a
 * phone, for people to look at: test-results/screenshots/<page>-<viewport>.png. Opt-in and not
 * counted as tests: `npm run screenshots` (playwright.screenshots.config.ts); `npm test` and
 * `playwright test` do not match this file (*.tour.ts). Each shot first checks the page's own
 * heading, so a screenshot of an error page cannot pass for the real one.
 */
import path from 'node:path'

import type { DB } from '#db/schema.ts'

import { DEMO, expect, SCREENSHOT_DIR, test } from './fixtures.ts'

type Shot = { name: string; path: string | ((db: DB) => Promise<string>); heading: string | RegExp; as?: string; lang?: 'en' }

/** A demo person's id, found by their login phone (not by the seed's insertion order). */
async function personOf(db: DB, phone: string): Promise<number> {
  const row = await db.selectFrom('accounts').select('person_id').where('phone', '=', phone).executeTakeFirstOrThrow()
  return row.person_id
}

/** A demo base's id, found by its name. */
async function baseOf(db: DB, name: string): Promise<number> {
  return (await db.selectFrom('bases').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id
}

/** A demo application's id (the latest with that institution name). */
async function applicationOf(db: DB, name: string): Promise<number> {
  const row = await db
    .selectFrom('base_applications')
    .select('id')
    .where('institution_name', '=', name)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A demo activity's id, by its title. */
async function activityOf(db: DB, title: string): Promise<number> {
  return (await db.selectFrom('training_activities').select('id').where('title', '=', title).executeTakeFirstOrThrow()).id
}

/** A demo upload's id, by its file name. */
async function importOf(db: DB, filename: string): Promise<number> {
  return (await db.selectFrom('import_files').select('id').where('filename', '=', filename).executeTakeFirstOrThrow()).id
}

/** A demo seminar's id, by its title. */
async function seminarOf(db: DB, title: string): Promise<number> {
  return (await db.selectFrom('seminars').select('id').where('title', '=', title).executeTakeFirstOrThrow()).id
}

/** The last half-day block of a demo seminar. */
async function lastBlockOf(db: DB, title: string): Promise<number> {
  const row = await db
    .selectFrom('seminar_blocks as b')
    .innerJoin('seminars as s', 's.id', 'b.seminar_id')
    .select('b.id')
    .where('s.title', '=', title)
    .orderBy('b.starts_at', 'desc')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The code of a demo person's completion certificate (结业证书). */
async function completionCodeOf(db: DB, phone: string): Promise<string> {
  const row = await db
    .selectFrom('certificates')
    .select('code')
    .where('person_id', '=', await personOf(db, phone))
    .where('kind', '=', 'seminar_completion')
    .executeTakeFirstOrThrow()
  return row.code
}

const SHOTS: Shot[] = [
  { name: 'home-zh', path: '/', heading: '吉林省专业技术人员继续教育平台' },
  { name: 'home-en', path: '/', heading: 'Jilin Continuing Education Platform for Professionals', lang: 'en' },
  { name: 'register', path: '/register', heading: '实名注册' },
  { name: 'login', path: '/login', heading: '登录' },
  { name: 'forgot-password', path: '/forgot-password', heading: '找回密码' },
  { name: 'change-password', path: '/account/password', heading: '修改密码', as: DEMO.learner.login },
  { name: 'dev-outbox', path: '/dev/outbox', heading: '开发用短信发件箱' },
  { name: 'hr-title-changes', path: '/hr/title-changes', heading: '职称变更核实', as: DEMO.hrChangchun.login },
  { name: 'account', path: '/account', heading: `${DEMO.learner.name}，您好`, as: DEMO.learner.login },
  { name: 'hours', path: '/hours', heading: '我的学时', as: DEMO.learner.login },
  { name: 'hours-en', path: '/hours?year=2024', heading: 'My hours', as: DEMO.learner.login, lang: 'en' },
  { name: 'certificates', path: '/hours/certificates', heading: '学时证明', as: DEMO.learner.login },
  { name: 'external', path: '/hours/external', heading: '报告平台外学时', as: DEMO.learner.login },
  { name: 'hr-claims', path: '/hr/claims', heading: '平台外学时审核', as: DEMO.hrChangchun.login },
  {
    name: 'hr-person',
    path: async (db) => `/hr/people/${await personOf(db, DEMO.learner.login)}`,
    heading: `${DEMO.learner.name} · 学时记录`,
    as: DEMO.hrChangchun.login,
  },
  { name: 'hr-people', path: '/hr/people', heading: '人员学时查询', as: DEMO.hrChangchun.login },
  { name: 'courses', path: '/courses', heading: '网络课程' },
  { name: 'courses-search', path: '/courses?q=%E9%BB%91%E5%9C%9F&sort=hours', heading: '网络课程' },
  { name: 'courses-bim', path: '/courses/bim-application', heading: 'BIM 技术在工程建设全过程中的应用', as: DEMO.learner.login },
  { name: 'courses-mine', path: '/courses', heading: '网络课程', as: '13900000012' },
  { name: 'course-completed', path: '/courses/professional-ethics', heading: '专业技术人员职业道德与诚信建设', as: DEMO.learner.login },
  {
    name: 'lesson-video',
    path: '/courses/bim-application/lessons/intro-video',
    heading: '第 1 / 5 讲 导学视频：BIM 技术概述',
    as: '13900000012',
  },
  {
    name: 'lesson-text',
    path: '/courses/bim-application/lessons/design',
    heading: '第 3 / 5 讲 设计阶段：协同设计与碰撞检查',
    as: '13900000012',
  },
  {
    name: 'lesson-text-en',
    path: '/courses/bim-application/lessons/design',
    heading: 'Lesson 3 of 5 设计阶段：协同设计与碰撞检查',
    as: '13900000012',
    lang: 'en',
  },
  { name: 'quiz-locked', path: '/courses/bim-application/quiz', heading: '结业测验', as: '13900000012' },
  { name: 'admin-courses', path: '/admin/courses', heading: '课程管理', as: DEMO.admin.login },
  { name: 'developers', path: '/developers', heading: '学时核验接口说明' },
  { name: 'admin', path: '/admin', heading: '管理后台', as: DEMO.admin.login },
  { name: 'admin-policy', path: '/admin/policy', heading: '年度政策', as: DEMO.admin.login },
  { name: 'admin-api', path: '/admin/api-clients', heading: 'API 密钥', as: DEMO.admin.login },
  { name: 'admin-staff', path: '/admin/staff', heading: '工作人员账户', as: DEMO.admin.login },
  { name: 'admin-audit', path: '/admin/audit', heading: '操作日志', as: DEMO.admin.login },
  { name: 'hr', path: '/hr', heading: '人社工作台', as: DEMO.hrChangchun.login },
  { name: 'hr-bases', path: '/hr/bases', heading: '基地管理', as: DEMO.hrChangchun.login },
  {
    name: 'hr-base-application',
    path: async (db) => `/hr/bases/applications/${await applicationOf(db, '吉林建筑科技继续教育学院')}`,
    heading: '基地申请审核',
    as: DEMO.hrChangchun.login,
  },
  {
    name: 'hr-base',
    path: async (db) => `/hr/bases/${await baseOf(db, '长春工程技术继续教育基地')}`,
    heading: '基地详情',
    as: DEMO.hrChangchun.login,
  },
  { name: 'admin-bases', path: '/admin/bases', heading: '基地认定', as: DEMO.admin.login },
  { name: 'base', path: '/base', heading: '基地工作台', as: DEMO.baseStaff.login },
  { name: 'bases-registry', path: '/bases', heading: '继续教育基地名录' },
  { name: 'bases-registry-en', path: '/bases?status=designated', heading: 'Registry of training bases', lang: 'en' },
  { name: 'bases-base', path: async (db) => `/bases/${await baseOf(db, '长春工程技术继续教育基地')}`, heading: '长春工程技术继续教育基地' },
  { name: 'bases-apply', path: '/bases/apply', heading: '申请成为继续教育基地', as: DEMO.learner.login },
  {
    name: 'bases-application-returned',
    path: async (db) => `/bases/applications/${await applicationOf(db, '长春财经专业技术人员培训中心')}`,
    heading: '长春财经专业技术人员培训中心',
    as: '13900000013',
  },
  {
    name: 'bases-application-submitted',
    path: async (db) => `/bases/applications/${await applicationOf(db, '吉林建筑科技继续教育学院')}`,
    heading: '吉林建筑科技继续教育学院',
    as: '13900000013',
  },
  // Training reports (issue 11) and base staff (issue 10)
  { name: 'base-activities', path: '/base/activities', heading: '培训活动与学时报送', as: DEMO.baseStaff.login },
  {
    name: 'base-activity',
    path: async (db) => `/base/activities/${await activityOf(db, '基础教育数字化转型专题培训')}`,
    heading: '基础教育数字化转型专题培训',
    as: DEMO.baseStaff.login,
  },
  {
    name: 'base-import-errors',
    path: async (db) => `/base/imports/${await importOf(db, '职业道德培训名单.csv')}`,
    heading: '名单导入',
    as: DEMO.baseStaff.login,
  },
  {
    name: 'base-import-errors-en',
    path: async (db) => `/base/imports/${await importOf(db, '职业道德培训名单.csv')}`,
    heading: 'Roster import',
    as: DEMO.baseStaff.login,
    lang: 'en',
  },
  {
    name: 'base-activities-en',
    path: '/base/activities',
    heading: 'Training activities and hours reports',
    as: DEMO.baseStaff.login,
    lang: 'en',
  },
  { name: 'hours-reported-en', path: '/hours/reported', heading: 'Hours reported by bases', as: DEMO.learner.login, lang: 'en' },
  { name: 'base-staff', path: '/base/staff', heading: '基地工作人员', as: DEMO.baseStaff.login },
  { name: 'base-profile', path: '/base/profile', heading: '基地信息维护', as: DEMO.baseStaff.login },
  { name: 'hours-reported', path: '/hours/reported', heading: '机构报送的学时', as: DEMO.learner.login },
  { name: 'hr-reports', path: '/hr/reports?state=all', heading: '培训学时报送审核', as: DEMO.hrChangchun.login },
  {
    name: 'hr-report',
    path: async (db) => `/hr/reports/${await activityOf(db, '基础教育数字化转型专题培训')}`,
    heading: '基础教育数字化转型专题培训',
    as: DEMO.hrChangchun.login,
  },
  { name: 'hr-disputes', path: '/hr/disputes', heading: '学时异议', as: DEMO.hrChangchun.login },
  { name: 'hr-legacy', path: '/hr/legacy', heading: '历史学时导入', as: DEMO.hrProvince.login },
  {
    name: 'hr-legacy-import',
    path: async (db) => `/hr/legacy/${await importOf(db, '历史学时-2021-2022.csv')}`,
    heading: '历史学时-2021-2022.csv',
    as: DEMO.hrProvince.login,
  },
  // Seminars (issue 12)
  { name: 'seminars', path: '/seminars', heading: '高级研修班' },
  { name: 'seminars-en', path: '/seminars', heading: 'Advanced seminars', lang: 'en' },
  {
    name: 'seminar-waitlisted',
    path: async (db) => `/seminars/${await seminarOf(db, '人工智能赋能基础教育高级研修班（国家级）')}`,
    heading: '人工智能赋能基础教育高级研修班（国家级）',
    as: '13900000013',
  },
  {
    name: 'seminar-open-en',
    path: async (db) => `/seminars/${await seminarOf(db, '数字孪生流域与智慧水利高级研修班')}`,
    heading: '数字孪生流域与智慧水利高级研修班',
    as: '13900000012',
    lang: 'en',
  },
  { name: 'account-seminars', path: '/account/seminars', heading: '我的研修班', as: DEMO.learner.login },
  { name: 'admin-seminars', path: '/admin/seminars', heading: '研修班计划', as: DEMO.admin.login },
  { name: 'base-seminars', path: '/base/seminars', heading: '承办的高级研修班', as: DEMO.baseStaff.login },
  { name: 'base-seminars-en', path: '/base/seminars', heading: 'Advanced seminars we host', as: DEMO.baseStaff.login, lang: 'en' },
  {
    name: 'base-seminar-running',
    path: async (db) => `/base/seminars/${await seminarOf(db, '乡村振兴与现代农业技术推广高级研修班')}`,
    heading: '乡村振兴与现代农业技术推广高级研修班',
    as: DEMO.baseStaff.login,
  },
  {
    name: 'base-seminar-qr',
    path: async (db) =>
      `/base/seminars/${await seminarOf(db, '乡村振兴与现代农业技术推广高级研修班')}/blocks/${await lastBlockOf(db, '乡村振兴与现代农业技术推广高级研修班')}/qr?dir=in`,
    heading: '签到',
    as: DEMO.baseStaff.login,
  },
  {
    name: 'base-seminar-results',
    path: async (db) => `/base/seminars/${await seminarOf(db, '新时代专业技术人才创新能力提升高级研修班')}/results`,
    heading: '出勤结算与学时',
    as: DEMO.baseStaff.login,
  },
  {
    name: 'base-seminar-package',
    path: async (db) => `/base/seminars/${await seminarOf(db, '新时代专业技术人才创新能力提升高级研修班')}/package`,
    heading: '结业材料',
    as: DEMO.baseStaff.login,
  },
  {
    name: 'seminar-survey',
    path: async (db) => `/seminars/${await seminarOf(db, '乡村振兴与现代农业技术推广高级研修班')}/survey`,
    heading: '研修班满意度调查',
    as: DEMO.learner.login,
  },
  { name: 'account-seminars-finished', path: '/account/seminars', heading: '我的研修班', as: '13900000012' },
  { name: 'account-seminars-finished-en', path: '/account/seminars', heading: 'My seminars', as: '13900000012', lang: 'en' },
  {
    name: 'verify-completion',
    path: async (db) => `/verify/${await completionCodeOf(db, '13900000012')}`,
    heading: '结业证书核验',
  },
  { name: 'hr-seminars', path: '/hr/seminars', heading: '研修班与结业材料', as: DEMO.hrProvince.login },
  {
    name: 'hr-seminar',
    path: async (db) => `/hr/seminars/${await seminarOf(db, '新时代专业技术人才创新能力提升高级研修班')}`,
    heading: '新时代专业技术人才创新能力提升高级研修班',
    as: DEMO.hrProvince.login,
  },
  { name: 'hr-seminar-approvals', path: '/hr/seminar-approvals', heading: '研修班报名审核', as: DEMO.hrProvince.login },
  { name: 'admin-seminar-import', path: '/admin/seminars/import', heading: '导入研修班计划', as: DEMO.admin.login },
  // Integrity records (issue 14): a Changchun finding waiting for province HR
  { name: 'hr-integrity', path: '/hr/integrity', heading: '诚信档案', as: DEMO.hrProvince.login },
  { name: 'hr-integrity-en', path: '/hr/integrity', heading: 'Integrity records', as: DEMO.hrProvince.login, lang: 'en' },
  {
    name: 'hr-integrity-record',
    path: async (db) => `/hr/integrity/${(await db.selectFrom('integrity_records').select('id').executeTakeFirstOrThrow()).id}`,
    heading: /^诚信档案记录 #\d+$/,
    as: DEMO.hrProvince.login,
  },
  // Compliance oversight (issue 13): the province by region, Changchun by employer, lists, reminders, exports
  { name: 'hr-compliance', path: '/hr/compliance', heading: '学时达标监管', as: DEMO.hrProvince.login },
  { name: 'hr-compliance-en', path: '/hr/compliance', heading: 'Compliance oversight', as: DEMO.hrProvince.login, lang: 'en' },
  { name: 'hr-compliance-changchun', path: '/hr/compliance?by=employer', heading: '学时达标监管', as: DEMO.hrChangchun.login },
  { name: 'hr-compliance-people', path: '/hr/compliance/people?status=short', heading: '达标名单', as: DEMO.hrChangchun.login },
  {
    name: 'hr-compliance-people-en',
    path: '/hr/compliance/people?status=short',
    heading: 'People',
    as: DEMO.hrChangchun.login,
    lang: 'en',
  },
  { name: 'hr-compliance-campaigns', path: '/hr/compliance/campaigns?status=short', heading: '达标提醒', as: DEMO.hrChangchun.login },
  { name: 'hr-compliance-exports', path: '/hr/compliance/exports', heading: '导出文件', as: DEMO.hrChangchun.login },
  { name: 'admin-employers', path: '/admin/employers', heading: '工作单位', as: DEMO.admin.login },
  { name: 'account-reminder', path: '/account', heading: /./, as: '13900000041' },
  { name: '404', path: '/no-such-page', heading: '页面不存在' },
]

const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 900 }, isMobile: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true },
] as const

for (const vp of VIEWPORTS) {
  test.describe(`screenshots, ${vp.name}`, () => {
    test.use({ viewport: vp.viewport, isMobile: vp.isMobile, hasTouch: vp.isMobile })

    for (const shot of SHOTS) {
      test(`${shot.name} (${vp.name})`, async ({ page, loginAs, baseURL, db }) => {
        if (shot.lang) await page.context().addCookies([{ name: 'xs_lang', value: shot.lang, url: baseURL! }])
        if (shot.as) await loginAs(page, shot.as)
        const response = await page.goto(typeof shot.path === 'string' ? shot.path : await shot.path(db))
        expect(response?.status()).toBe(shot.name === '404' ? 404 : 200)
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(shot.heading)
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${shot.name}-${vp.name}.png`), fullPage: true })
      })
    }
  })
}
