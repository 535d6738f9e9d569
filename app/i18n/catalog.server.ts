/**
 * Both languages' catalogs, assembled from the area files. Server-only (`.server`), so Vite keeps
 * them out of the browser: a page gets the messages of its language from the root loader.
 */
import enAccount from './en/account.ts'
import enAdmin from './en/admin.ts'
import enBase from './en/base.ts'
import enCommon from './en/common.ts'
import enCompliance from './en/compliance.ts'
import enComplianceCampaigns from './en/compliance-campaigns.ts'
import enComplianceExports from './en/compliance-exports.ts'
import enCourses from './en/courses.ts'
import enEmployers from './en/employers.ts'
import enForms from './en/forms.ts'
import enHours from './en/hours.ts'
import enHr from './en/hr.ts'
import enIntegrity from './en/integrity.ts'
import enIntegrityHr from './en/integrity-hr.ts'
import enIntegrityMine from './en/integrity-mine.ts'
import enMembers from './en/members.ts'
import enPublic from './en/public.ts'
import enReports from './en/reports.ts'
import enReviews from './en/reviews.ts'
import enSeminarApproval from './en/seminar-approval.ts'
import enSeminarHost from './en/seminar-host.ts'
import enSeminarResults from './en/seminar-results.ts'
import enSeminarSurvey from './en/seminar-survey.ts'
import enSeminars from './en/seminars.ts'
import { fill, type Lang, type MessageKey, type Messages, type Params } from './messages.ts'
import zhAccount from './zh/account.ts'
import zhAdmin from './zh/admin.ts'
import zhBase from './zh/base.ts'
import zhCommon from './zh/common.ts'
import zhCompliance from './zh/compliance.ts'
import zhComplianceCampaigns from './zh/compliance-campaigns.ts'
import zhComplianceExports from './zh/compliance-exports.ts'
import zhCourses from './zh/courses.ts'
import zhEmployers from './zh/employers.ts'
import zhForms from './zh/forms.ts'
import zhHours from './zh/hours.ts'
import zhHr from './zh/hr.ts'
import zhIntegrity from './zh/integrity.ts'
import zhIntegrityHr from './zh/integrity-hr.ts'
import zhIntegrityMine from './zh/integrity-mine.ts'
import zhMembers from './zh/members.ts'
import zhPublic from './zh/public.ts'
import zhReports from './zh/reports.ts'
import zhReviews from './zh/reviews.ts'
import zhSeminarApproval from './zh/seminar-approval.ts'
import zhSeminarHost from './zh/seminar-host.ts'
import zhSeminarResults from './zh/seminar-results.ts'
import zhSeminarSurvey from './zh/seminar-survey.ts'
import zhSeminars from './zh/seminars.ts'

/** Each language's catalog area by area (the unit test checks parity per area and that no key is in two areas). */
export const areas = {
  zh: {
    common: zhCommon,
    forms: zhForms,
    public: zhPublic,
    account: zhAccount,
    courses: zhCourses,
    hours: zhHours,
    hr: zhHr,
    base: zhBase,
    members: zhMembers,
    reports: zhReports,
    reviews: zhReviews,
    seminars: zhSeminars,
    seminarApproval: zhSeminarApproval,
    seminarResults: zhSeminarResults,
    seminarHost: zhSeminarHost,
    seminarSurvey: zhSeminarSurvey,
    integrity: zhIntegrity,
    integrityMine: zhIntegrityMine,
    employers: zhEmployers,
    complianceExports: zhComplianceExports,
    complianceCampaigns: zhComplianceCampaigns,
    compliance: zhCompliance,
    integrityHr: zhIntegrityHr,
    admin: zhAdmin,
  },
  en: {
    common: enCommon,
    forms: enForms,
    public: enPublic,
    account: enAccount,
    courses: enCourses,
    hours: enHours,
    hr: enHr,
    base: enBase,
    members: enMembers,
    reports: enReports,
    reviews: enReviews,
    seminars: enSeminars,
    seminarApproval: enSeminarApproval,
    seminarResults: enSeminarResults,
    seminarHost: enSeminarHost,
    seminarSurvey: enSeminarSurvey,
    integrity: enIntegrity,
    integrityMine: enIntegrityMine,
    employers: enEmployers,
    complianceExports: enComplianceExports,
    complianceCampaigns: enComplianceCampaigns,
    compliance: enCompliance,
    integrityHr: enIntegrityHr,
    admin: enAdmin,
  },
} satisfies Record<Lang, Record<string, Partial<Messages>>>

export const catalogs: Record<Lang, Messages> = {
  zh: {
    ...zhCommon,
    ...zhForms,
    ...zhPublic,
    ...zhAccount,
    ...zhCourses,
    ...zhHours,
    ...zhHr,
    ...zhBase,
    ...zhMembers,
    ...zhReports,
    ...zhReviews,
    ...zhSeminars,
    ...zhSeminarApproval,
    ...zhSeminarResults,
    ...zhSeminarHost,
    ...zhSeminarSurvey,
    ...zhIntegrity,
    ...zhIntegrityMine,
    ...zhEmployers,
    ...zhComplianceExports,
    ...zhComplianceCampaigns,
    ...zhCompliance,
    ...zhIntegrityHr,
    ...zhAdmin,
  },
  en: {
    ...enCommon,
    ...enForms,
    ...enPublic,
    ...enAccount,
    ...enCourses,
    ...enHours,
    ...enHr,
    ...enBase,
    ...enMembers,
    ...enReports,
    ...enReviews,
    ...enSeminars,
    ...enSeminarApproval,
    ...enSeminarResults,
    ...enSeminarHost,
    ...enSeminarSurvey,
    ...enIntegrity,
    ...enIntegrityMine,
    ...enEmployers,
    ...enComplianceExports,
    ...enComplianceCampaigns,
    ...enCompliance,
    ...enIntegrityHr,
    ...enAdmin,
  },
}

/** The messages a page of this language needs (the root loader sends them to the browser). */
export function messagesFor(lang: Lang): Messages {
  return catalogs[lang]
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(catalogs.zh, key)
}

/** A message in `lang`, `{name}` placeholders filled from `params`. For loaders, actions and scripts. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  return fill(catalogs[lang][key], params)
}
