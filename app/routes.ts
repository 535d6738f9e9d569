import { index, prefix, route, type RouteConfig } from '@remix-run/route-config'

/**
 * Every URL of the web app, grouped by audience. The folder of a route module is its audience;
 * the guard it calls goes with it (hr → requireHr, admin → requireRole(['admin']), …).
 * test/unit/routes.test.ts compares these URLs with test/fixtures/route-urls.txt.
 */
export default [
  // public: no sign-in
  index('routes/public/home.tsx'),
  route('developers', 'routes/public/developers.tsx'),
  route('verify/:code', 'routes/public/verify.tsx'),
  route('lang', 'routes/public/lang.tsx'),
  route('healthz', 'routes/public/healthz.ts'),
  // the public registry of training bases; applying is for signed-in accounts (static segments win over :baseId)
  route('bases', 'routes/public/bases.tsx'),
  route('bases/:baseId', 'routes/public/base.tsx'),
  route('bases/apply', 'routes/account/base-apply.tsx'),
  route('bases/applications/:applicationId', 'routes/account/base-application.tsx'),
  route('bases/files/:fileId', 'routes/account/base-file.ts'),
  // advanced seminars (高级研修班): the published plan, each seminar's page (registering needs a learner's sign-in)
  route('seminars', 'routes/public/seminars.tsx'),
  route('seminars/:seminarId', 'routes/public/seminar.tsx'),
  // a participant's anonymous satisfaction survey (满意度调查)
  route('seminars/:seminarId/survey', 'routes/account/seminar-survey.tsx'),

  // account: sign-in, registration, the signed-in person's own account
  route('login', 'routes/account/login.tsx'),
  route('logout', 'routes/account/logout.tsx'),
  route('register', 'routes/account/register.tsx'),
  route('account', 'routes/account/account.tsx'),
  route('account/password', 'routes/account/password.tsx'),
  route('account/base-invitations', 'routes/account/base-invitations.tsx'),
  route('account/seminars', 'routes/account/seminars.tsx'),
  // a venue check-in code (签到码) opened by a participant's phone camera: the loader signs in or out
  route('c/:code', 'routes/account/checkin.tsx'),
  route('forgot-password', 'routes/account/forgot-password.tsx'),
  // the local SMS channel's outbox (404 unless no SMS provider is configured; loopback only)
  route('dev/outbox', 'routes/account/dev-outbox.tsx'),

  // courses: the catalog (public) and studying (learners)
  ...prefix('courses', [
    index('routes/courses/catalog.tsx'),
    route(':id', 'routes/courses/course.tsx'),
    route(':id/lessons/:lessonId', 'routes/courses/lesson.tsx'),
    route(':id/quiz', 'routes/courses/quiz.tsx'),
  ]),
  route('study/heartbeat', 'routes/courses/heartbeat.ts'),

  // hours: 我的学时, certificates, external claims (learners)
  ...prefix('hours', [
    index('routes/hours/hours.tsx'),
    route('certificates', 'routes/hours/certificates.tsx'),
    route('external', 'routes/hours/external.tsx'),
    route('reported', 'routes/hours/reported.tsx'),
    // integrity records (诚信档案): the learner's record and appeal
    route('integrity/:recordId', 'routes/hours/integrity.tsx'),
  ]),
  route('certificates/:id.pdf', 'routes/hours/certificate-pdf.ts'),

  // hr: officers of a region or the province
  ...prefix('hr', [
    index('routes/hr/home.tsx'),
    route('claims', 'routes/hr/claims.tsx', [route(':id/evidence', 'routes/hr/claim-evidence.ts')]),
    route('people', 'routes/hr/people.tsx'),
    route('people/:personId', 'routes/hr/person.tsx'),
    route('title-changes', 'routes/hr/title-changes.tsx'),
    route('bases', 'routes/hr/bases.tsx'),
    route('bases/applications/:applicationId', 'routes/hr/base-application.tsx'),
    route('bases/:baseId', 'routes/hr/base.tsx'),
    // training reports (施教机构报送学时), learners' disputes, and the province's legacy hours
    route('reports', 'routes/hr/reports.tsx'),
    route('reports/:activityId', 'routes/hr/report.tsx'),
    route('disputes', 'routes/hr/disputes.tsx'),
    route('legacy', 'routes/hr/legacy.tsx'),
    route('legacy/:importId', 'routes/hr/legacy-import.tsx'),
    route('legacy-template.xlsx', 'routes/hr/legacy-template.ts'),
    // seminars of the region's bases and their post-event packages (结业材料)
    route('seminars', 'routes/hr/seminars.tsx'),
    route('seminars/:seminarId', 'routes/hr/seminar.tsx'),
    // advanced seminars: registrations of the officer's region awaiting approval
    route('seminar-approvals', 'routes/hr/seminar-approvals.tsx'),
    // integrity records (诚信档案): findings of falsified evidence, four eyes, appeals
    route('integrity', 'routes/hr/integrity.tsx'),
    route('integrity/new', 'routes/hr/integrity-new.tsx'),
    route('integrity/:recordId', 'routes/hr/integrity-record.tsx'),
    route('integrity/:recordId/evidence', 'routes/hr/integrity-evidence.ts'),
    // Compliance oversight (issue 13, ADR 0025)
    route('compliance', 'routes/hr/compliance.tsx'),
    route('compliance/people', 'routes/hr/compliance-people.tsx'),
    route('compliance/campaigns', 'routes/hr/compliance-campaigns.tsx'),
    route('compliance/campaigns/:campaignId', 'routes/hr/compliance-campaign.tsx'),
    route('compliance/exports', 'routes/hr/compliance-exports.tsx'),
    route('compliance/exports/:exportId/file', 'routes/hr/compliance-export-file.ts'),
  ]),

  // base: staff of a training base
  ...prefix('base', [
    index('routes/base/home.tsx'),
    route('profile', 'routes/base/profile.tsx'),
    route('staff', 'routes/base/staff.tsx'),
    // training activities and their rosters (施教机构报送学时)
    route('activities', 'routes/base/activities.tsx'),
    route('activities/:activityId', 'routes/base/activity.tsx'),
    route('imports/:importId', 'routes/base/import.tsx'),
    route('imports/:importId/issues.xlsx', 'routes/base/import-issues.ts'),
    route('roster-template.xlsx', 'routes/base/roster-template.ts'),
    // a hosted seminar's post-event package (结业材料) and its roster workbook
    route('seminars/:seminarId/package', 'routes/base/seminar-package.tsx'),
    route('seminars/:seminarId/roster.xlsx', 'routes/base/seminar-roster.ts'),
    // advanced seminars this base hosts: roster, attendance, the venue's rotating check-in code
    route('seminars', 'routes/base/seminars.tsx'),
    route('seminars/:seminarId', 'routes/base/seminar.tsx'),
    route('seminars/:seminarId/blocks/:blockId/qr', 'routes/base/seminar-qr.tsx'),
    route('seminars/:seminarId/results', 'routes/base/seminar-results.tsx'),
  ]),

  // admin: provincial administrators
  ...prefix('admin', [
    index('routes/admin/home.tsx'),
    route('api-clients', 'routes/admin/api-clients.tsx'),
    route('audit', 'routes/admin/audit.tsx'),
    route('audit.csv', 'routes/admin/audit-csv.ts'),
    route('bases', 'routes/admin/bases.tsx'),
    route('courses', 'routes/admin/courses.tsx'),
    route('policy', 'routes/admin/policy.tsx'),
    route('seminars', 'routes/admin/seminars.tsx'),
    route('seminars/import', 'routes/admin/seminar-import.tsx'),
    route('seminars/plan-template.xlsx', 'routes/admin/seminar-plan-template.ts'),
    route('staff', 'routes/admin/staff.tsx'),
    route('employers', 'routes/admin/employers.tsx'),
  ]),

  // api: the credit-hours check API for the title-application system (bearer keys)
  ...prefix('api/v1', [
    route('credit-checks', 'routes/api/credit-checks.ts', [
      route('batch', 'routes/api/credit-checks-batch.ts'),
      route(':checkId', 'routes/api/credit-check.ts'),
    ]),
    route('openapi.json', 'routes/api/openapi.ts'),
  ]),

  route('*', 'routes/public/not-found.tsx'),
] satisfies RouteConfig
